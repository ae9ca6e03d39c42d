// The recovery cost scenario (issue #25), shared by `npm run bench` (scripts/bench/recover.mjs bundles
// it) and test/recover/recovery.test.ts: the real recovery code and REST client against an
// in-process HTTP server on 127.0.0.1 port 0 that answers the two routes recovery reads, like
// Mattermost (`GET /api/v4/users/me/channels` with `last_post_at`, `GET /api/v4/channels/{id}/posts`
// pages newest first). A process restart with kept cursors: `channels` channels, `active` of them
// with `missed[i]` posts after their cursor, the rest quiet.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "../../runtime/index.js";
import { type CursorState, memoryCursorStore } from "../../runtime/recover/cursors.js";
import { type RecoveredSignal, recovery } from "../../runtime/recover/recovery.js";
import type { EventShape } from "../../runtime/socket/types.js";

export interface ScenarioOptions {
  readonly channels: number;
  /** Posts missed in each active channel (its length is the number of active channels). */
  readonly missed: readonly number[];
  /** Posts before each cursor (history the walk must stop at). */
  readonly history?: number;
  readonly concurrency?: number;
}

export interface ScenarioResult {
  readonly requests: number;
  readonly channelListRequests: number;
  readonly postRequests: Readonly<Record<string, number>>;
  /** The bound of issue #25: the channel list, plus per active channel one request and one per 200 missed posts. */
  readonly budget: number;
  readonly missed: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly inOrder: boolean;
  readonly allRecoveredMarked: boolean;
  readonly signal: RecoveredSignal;
  readonly ms: number;
}

interface FakePost {
  id: string;
  channel_id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  edit_at: number;
  user_id: string;
  root_id: string;
  message: string;
  type: string;
  props: Record<string, never>;
}

const id = (prefix: string, n: number): string => `${prefix}${String(n).padStart(26 - prefix.length, "0")}`;

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const history = options.history ?? 300;
  const base = 1_700_000_000_000;
  const posts = new Map<string, FakePost[]>();
  const channels: { id: string; last_post_at: number; type: string; name: string; display_name: string; team_id: string }[] = [];
  const state: { version: 1; savedAt: number; channels: Record<string, { at: number; ids: Record<string, number> }> } = {
    version: 1,
    savedAt: base + 10_000_000,
    channels: {},
  };
  for (let c = 0; c < options.channels; c++) {
    const channelId = id("ch", c);
    const missed = options.missed[c] ?? 0;
    const list: FakePost[] = [];
    // Posts 10 ms apart, two of each pair in the same millisecond (as concurrent posters make them).
    for (let p = 0; p < history + missed; p++) {
      const at = base + Math.floor(p / 2) * 10 + c;
      list.push({
        id: id(`p${c}x`, p),
        channel_id: channelId,
        create_at: at,
        update_at: at,
        delete_at: 0,
        edit_at: 0,
        user_id: id("u", 1),
        root_id: "",
        message: `post ${p}`,
        type: "",
        props: {},
      });
    }
    posts.set(channelId, list);
    const cursorPost = list[history - 1] as FakePost;
    // The cursor: the last delivered post, and the one delivered in its millisecond.
    const ids: Record<string, number> = {};
    for (const post of list.slice(0, history)) if (post.create_at >= cursorPost.create_at - 2_000) ids[post.id] = post.create_at;
    state.channels[channelId] = { at: cursorPost.create_at, ids };
    channels.push({
      id: channelId,
      last_post_at: (list[list.length - 1] as FakePost).create_at,
      type: "O",
      name: `channel-${c}`,
      display_name: `Channel ${c}`,
      team_id: id("t", 1),
    });
  }
  const postRequests: Record<string, number> = {};
  let channelListRequests = 0;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const send = (body: unknown): void => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (url.pathname === "/api/v4/users/me/channels") {
      channelListRequests++;
      return send(channels);
    }
    const match = /^\/api\/v4\/channels\/([a-z0-9]+)\/posts$/.exec(url.pathname);
    const list = match ? posts.get(match[1] as string) : undefined;
    if (!match || !list) return void response.writeHead(404).end();
    postRequests[match[1] as string] = (postRequests[match[1] as string] ?? 0) + 1;
    const page = Number(url.searchParams.get("page") ?? 0);
    const perPage = Number(url.searchParams.get("per_page") ?? 60);
    const newest = [...list].reverse().slice(page * perPage, (page + 1) * perPage);
    send({
      order: newest.map((post) => post.id),
      posts: Object.fromEntries(newest.map((post) => [post.id, post])),
      next_post_id: "",
      prev_post_id: "",
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token: "t" });
    const store = memoryCursorStore();
    store.save(state as CursorState);
    const handlers = new Map<string, ((payload: unknown) => unknown)[]>();
    const delivered: EventShape[] = [];
    let done: (signal: RecoveredSignal) => void = () => {};
    const finished = new Promise<RecoveredSignal>((resolve) => {
      done = resolve;
    });
    const extension = recovery({ client, store, concurrency: options.concurrency ?? 4 })({
      on: (name, handler) => {
        handlers.set(name, [...(handlers.get(name) ?? []), handler as (payload: unknown) => unknown]);
        return () => {};
      },
      deliver: (frame) => void delivered.push(frame),
      signal: (name, payload) => {
        if (name === "socket:recovered") done(payload as RecoveredSignal);
        if (name === "socket:recovery_failed") throw new Error(String((payload as { message: string }).message));
      },
      close: () => Promise.resolve(),
    });
    const started = performance.now();
    for (const handler of handlers.get("socket:hello") ?? []) handler({ first: true });
    const signal = await finished;
    const ms = performance.now() - started;
    for (const handler of handlers.get("socket:close") ?? []) handler({});
    void extension;
    const ids = delivered.map((frame) => (frame.data as { post: FakePost }).post.id);
    const expected = [...posts.values()].flatMap((list) => list.slice(history).map((post) => post.id));
    const byChannel = new Map<string, number[]>();
    for (const frame of delivered) {
      const post = (frame.data as { post: FakePost }).post;
      byChannel.set(post.channel_id, [...(byChannel.get(post.channel_id) ?? []), post.create_at]);
    }
    const missed = options.missed.reduce((sum, n) => sum + n, 0);
    const budget = 1 + options.missed.filter((n) => n > 0).reduce((sum, n) => sum + 1 + Math.floor(n / 200), 0);
    return {
      requests: channelListRequests + Object.values(postRequests).reduce((sum, n) => sum + n, 0),
      channelListRequests,
      postRequests,
      budget,
      missed,
      delivered: new Set(ids).size === expected.length && expected.every((post) => ids.includes(post)) ? ids.length : -1,
      duplicates: ids.length - new Set(ids).size,
      inOrder: [...byChannel.values()].every((times) => times.every((time, i) => i === 0 || time >= (times[i - 1] as number))),
      allRecoveredMarked: delivered.every((frame) => (frame as { recovered?: boolean }).recovered === true && frame.seq === -1),
      signal,
      ms,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
