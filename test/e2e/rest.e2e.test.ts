// The generated REST client against the real server, used the way integrators use it: generated
// endpoint functions, `createClient`, `login`/`logout`, `paginatePosts`, `MattermostError`.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  autocompleteUsers,
  createPost,
  createUser,
  deletePost,
  getAnalyticsOld,
  getConfig,
  getFile,
  getFileInfosForPost,
  getMe,
  getPost,
  getPostsForChannel,
  getUser,
  uploadFile,
} from "../../generated/endpoints/index.js";
import type { MessageAttachment, Post, UserAutocomplete } from "../../generated/schemas.js";
import { refreshServerPostStats } from "../../scripts/mattermost-server/server.mjs";
import {
  type Client,
  MattermostError,
  type Middleware,
  createClient,
  login,
  logout,
  namedFile,
  paginatePosts,
  withResponse,
} from "../../runtime/index.js";
import { adminClient, clientFor, freshChannel, freshTeam, throwawayUser } from "./fixtures.js";
import { mattermost } from "./server-facts.js";

/** A Mattermost id: 26 lowercase letters and digits. */
const ID = /^[a-z0-9]{26}$/;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Records the query of each request a client sends (middleware never sees credentials). */
function queryRecorder(): { middleware: Middleware; queries: URLSearchParams[] } {
  const queries: URLSearchParams[] = [];
  return { queries, middleware: { onRequest: ({ request }) => void queries.push(new URL(request.url).searchParams) } };
}

describe("first steps", () => {
  it("calls getMe with a personal access token, and with a bot's token", async () => {
    const server = mattermost();
    const admin = adminClient();
    const { data: me, response } = await withResponse(getMe, admin);
    expect(me.id).toBe(server.admin.id);
    expect(me.username).toBe(server.admin.username);
    expect(me.roles?.split(" ")).toContain("system_admin");
    expect(response.headers.get("X-Version-Id")).toBe(server.serverVersion);

    const bot = await getMe(clientFor(server.bot.token));
    expect(bot).toMatchObject({ id: server.bot.id, username: server.bot.username, is_bot: true });
  });

  it("creates a post with message attachments and reads it back equal", async () => {
    const server = mattermost();
    const admin = adminClient();
    const attachment: MessageAttachment = {
      fallback: "Deploy 1.4.2 to production: succeeded",
      color: "#36a64f",
      pretext: "Deployment finished",
      author_name: "ci",
      title: "Release 1.4.2",
      title_link: "https://ci.example.com/releases/1.4.2",
      text: "All **312** checks passed.",
      fields: [
        { title: "Environment", value: "production", short: true },
        { title: "Checks", value: 312, short: false },
      ],
      footer: "ci.example.com",
      actions: [
        {
          id: "rollback",
          name: "Roll back",
          type: "button",
          style: "danger",
          integration: { url: "https://ci.example.com/hooks/rollback", context: { release: "1.4.2" } },
        },
        { id: "promote", name: "Promote to", type: "select", options: [{ text: "Staging", value: "staging" }] },
      ],
    };
    const created = await createPost(admin, {
      body: { channel_id: server.channels.public.id, message: "release notes", props: { attachments: [attachment], from_e2e: "yes" } },
    });
    expect(created.id).toMatch(ID);
    expect(created).toMatchObject({ channel_id: server.channels.public.id, user_id: server.admin.id, message: "release notes" });

    // Read back by another member: the same post, field for field.
    const read = await getPost(clientFor(server.user.token), { post_id: created.id ?? "" });
    expect(read).toEqual(created);
    expect(read.props?.from_e2e).toBe("yes");
    const [stored] = (read.props?.attachments ?? []) as MessageAttachment[];
    // What was sent comes back, except the actions' `integration` (URL and context), which the server
    // keeps to itself: it never shows it to clients.
    const withoutIntegrations = { ...attachment, actions: attachment.actions?.map(({ integration: _, ...action }) => action) };
    expect(stored).toMatchObject(withoutIntegrations);
    expect(stored?.actions?.every((action) => action.integration === undefined)).toBe(true);
  });

  it("uploads a file, attaches it to a post and downloads it byte-identical", async () => {
    const server = mattermost();
    const admin = adminClient();
    const channel_id = server.channels.public.id;
    const bytes = randomBytes(300 * 1024 + 7);

    const uploaded = await uploadFile(admin, { body: { channel_id, files: await namedFile(bytes, "random.bin") } });
    const [info] = uploaded.file_infos ?? [];
    expect(info).toMatchObject({ name: "random.bin", size: bytes.length, channel_id, user_id: server.admin.id });
    const file_id = info?.id ?? "";
    expect(file_id).toMatch(ID);

    const post = await createPost(admin, { body: { channel_id, message: "the file", file_ids: [file_id] } });
    expect(post.file_ids).toEqual([file_id]);
    const infos = await getFileInfosForPost(clientFor(server.user.token), { post_id: post.id ?? "" });
    expect(infos.map((file) => file.id)).toEqual([file_id]);

    // Downloaded by another member of the channel: as a Blob (the default) and as an ArrayBuffer.
    const reader = clientFor(server.user.token);
    const blob = await getFile(reader, { file_id });
    expect(blob).toBeInstanceOf(Blob);
    expect(Buffer.from(await blob.arrayBuffer()).equals(bytes)).toBe(true);
    const buffer = await getFile(reader, { file_id }, { as: "arrayBuffer" });
    expect(Buffer.from(buffer).equals(bytes)).toBe(true);
  });

  it("pages through more posts than one page holds: none missed, none doubled, in order", async () => {
    const server = mattermost();
    const admin = adminClient();
    const posters = [admin, clientFor(server.bot.token), clientFor(server.user.token)];
    const channel = await freshChannel(admin, "paging", [server.bot.id, server.user.id]);
    const channel_id = channel.id ?? "";

    // 130 posts from three users at once (each has its own rate-limit budget): posts of different
    // users may land in the same millisecond, as they do on a busy server.
    const count = 130;
    const created: Post[] = [];
    await Promise.all(
      posters.map(async (poster, lane) => {
        for (let i = lane; i < count; i += posters.length) {
          created.push(await createPost(poster, { body: { channel_id, message: `post ${i}` } }));
        }
      }),
    );
    expect(created).toHaveLength(count);

    const recorder = queryRecorder();
    const reader = clientFor(server.user.token, { middleware: [recorder.middleware] });
    const newestFirst = await collect(paginatePosts(reader, getPostsForChannel, { channel_id, per_page: 50 }));
    const ids = newestFirst.map((post) => post.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Ours, plus the system messages of the channel's creation (members added).
    const ours = newestFirst.filter((post) => post.type === "");
    expect(new Set(ours.map((post) => post.id))).toEqual(new Set(created.map((post) => post.id)));
    expect(newestFirst.filter((post) => post.type !== "").every((post) => post.type?.startsWith("system_"))).toBe(true);
    const times = newestFirst.map((post) => post.create_at ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(recorder.queries.length).toBeGreaterThanOrEqual(3);
    expect(recorder.queries.every((query) => query.get("per_page") === "50")).toBe(true);

    // Forward from the oldest post: the same posts, oldest first (the server orders posts of one
    // millisecond as it likes, so the order is checked by time).
    const oldest = newestFirst[newestFirst.length - 1];
    const oldestFirst = await collect(paginatePosts(reader, getPostsForChannel, { channel_id, after: oldest?.id ?? "", per_page: 50 }));
    const forwardIds = oldestFirst.map((post) => post.id);
    expect(forwardIds).toHaveLength(ids.length - 1);
    expect(new Set(forwardIds)).toEqual(new Set(ids.slice(0, -1)));
    const forwardTimes = oldestFirst.map((post) => post.create_at ?? 0);
    expect(forwardTimes).toEqual([...forwardTimes].sort((a, b) => a - b));
  });

  it("pages across posts that share a millisecond at a page boundary without missing any", async () => {
    const server = mattermost();
    const admin = adminClient();
    const channel = await freshChannel(admin, "same-ms", []);
    const channel_id = channel.id ?? "";
    // A system admin may set `create_at` (absent from the spec's request body): three posts per
    // millisecond, so that page boundaries fall inside a millisecond whatever else the channel holds.
    const base = Date.now();
    const count = 25;
    const created: Post[] = [];
    for (let i = 0; i < count; i++) {
      const body = { channel_id, message: `tied ${i}`, create_at: base + Math.floor(i / 3) };
      created.push(await createPost(admin, { body }));
    }
    expect(created.map((post) => post.create_at)).toEqual(created.map((_, i) => base + Math.floor(i / 3)));

    const reader = clientFor(server.user.token);
    for (const per_page of [4, 10]) {
      const newestFirst = await collect(paginatePosts(reader, getPostsForChannel, { channel_id, per_page }));
      const ours = newestFirst.filter((post) => post.type === "").map((post) => post.id);
      expect(ours.length, `per_page ${per_page}`).toBe(count);
      const times = newestFirst.map((post) => post.create_at ?? 0);
      expect(times, `per_page ${per_page}`).toEqual([...times].sort((a, b) => b - a));
      expect(new Set(ours), `per_page ${per_page}`).toEqual(new Set(created.map((post) => post.id)));
      // Forward from the first post: `after` is the server's cursor, which means after that post's
      // millisecond (the two posts sharing it are not "after" it).
      const first = created[0]?.id ?? "";
      const forward = await collect(paginatePosts(reader, getPostsForChannel, { channel_id, after: first, per_page }));
      const later = created.slice(3).map((post) => post.id);
      expect(forward, `forward, per_page ${per_page}`).toHaveLength(later.length);
      expect(new Set(forward.map((post) => post.id)), `forward, per_page ${per_page}`).toEqual(new Set(later));
    }
  });

  it("reads the daily post counts (analytics post_counts_day) as an admin", async () => {
    const admin = adminClient();
    const team = await freshTeam(admin, "stats");
    const channel = await freshChannel(admin, "stats", [], team.id ?? "");
    const day = 24 * 3600 * 1000;
    const startedOn = new Date().toDateString();
    // Back-dated posts (an admin may set create_at): the counts stop at yesterday.
    for (const ago of [1.5, 1.5, 2.5]) {
      const body = { channel_id: channel.id ?? "", message: `${ago} days ago`, create_at: Date.now() - ago * day };
      await createPost(admin, { body });
    }
    await refreshServerPostStats(mattermost());

    // Upstream documents no response body for this route; an overlay types it as rows of
    // { name, value }. Checked here from the raw answer, not trusted from the type.
    const rows: unknown = await getAnalyticsOld(admin, { name: "post_counts_day", team_id: team.id ?? "" });
    expect(Array.isArray(rows)).toBe(true);
    const list = rows as { name: unknown; value: unknown }[];
    for (const row of list) {
      expect(Object.keys(row).sort()).toEqual(["name", "value"]);
      expect(row.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(typeof row.value).toBe("number");
    }
    const names = list.map((row) => row.name as string);
    expect(names).toEqual([...names].sort().reverse());
    const total = list.reduce((sum, row) => sum + (row.value as number), 0);
    // The team's own system messages are from today, so not counted (unless midnight passed meanwhile).
    if (new Date().toDateString() === startedOn) expect(total).toBe(3);
    else expect(total).toBeGreaterThanOrEqual(3);
    expect(list.length).toBeGreaterThanOrEqual(1);

    // Without a team: every team's posts, the same shape.
    const all = await getAnalyticsOld(admin, { name: "post_counts_day" });
    expect(all.reduce((sum, row) => sum + row.value, 0)).toBeGreaterThanOrEqual(3);
  });

  it("logs in with a password, calls with the session, logs out, and the session is refused after", async () => {
    const server = mattermost();
    const client = createClient({ baseUrl: server.url });
    const user = await login(client, { login_id: server.user.username, password: server.user.password });
    expect(user.id).toBe(server.user.id);
    const session = client.getToken();
    expect(session).toMatch(ID);
    expect(session).not.toBe(server.user.token);

    expect((await getMe(client)).id).toBe(server.user.id);
    expect(await logout(client)).toEqual({ status: "OK" });
    expect(client.getToken()).toBeUndefined();

    const stale = createClient({ baseUrl: server.url, token: session });
    const error = await getMe(stale).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MattermostError);
    expect(error).toMatchObject({ status: 401, status_code: 401, method: "GET", route: "/api/v4/users/me" });
    expect((error as MattermostError).id).not.toBe("");
    // The token is nowhere in what the error shows.
    expect(JSON.stringify(error)).not.toContain(session);
    expect(String(error)).not.toContain(session);
    expect(String((error as Error).stack)).not.toContain(session);

    // The seeded session of the same user is not affected.
    expect((await getMe(clientFor(server.user.token))).id).toBe(server.user.id);
  });
});

describe("query parameters upstream leaves out or misnames (spec/overlays/49-audit-query.yaml)", () => {
  it("autocompleteUsers narrows to a team with in_team, the key the server reads (upstream documents team_id)", async () => {
    const admin = adminClient();
    const prefix = `ac${randomBytes(4).toString("hex")}`;
    const member = await throwawayUser(admin, prefix);
    const outsiderName = `${prefix}-out`;
    const outsider = await createUser(admin, {
      body: { username: outsiderName, email: `${outsiderName}@example.com`, password: `Aa1!${randomBytes(12).toString("base64url")}` },
    });
    const names = (result: UserAutocomplete) => (result.users ?? []).map((user) => user.username).sort();
    const everyone = await autocompleteUsers(admin, { name: prefix });
    expect(names(everyone)).toEqual([outsider.username, member.username].sort());
    const onTeam = await autocompleteUsers(admin, { name: prefix, in_team: mattermost().team.id });
    expect(names(onTeam)).toEqual([member.username]);
  });

  it("deletePost with permanent removes the post for good; without it the post stays, marked deleted", async () => {
    const admin = adminClient();
    const channel_id = mattermost().channels.public.id;
    const soft = await createPost(admin, { body: { channel_id, message: "deleted softly" } });
    const hard = await createPost(admin, { body: { channel_id, message: "deleted for good" } });
    await deletePost(admin, { post_id: soft.id ?? "" });
    await deletePost(admin, { post_id: hard.id ?? "", permanent: true });
    const kept = await getPost(admin, { post_id: soft.id ?? "", include_deleted: true });
    expect(kept.delete_at).toBeGreaterThan(0);
    const gone = await getPost(admin, { post_id: hard.id ?? "", include_deleted: true }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(MattermostError);
    expect(gone).toMatchObject({ status: 404 });
  });

  it("getPostsForChannel leaves replies out with collapsedThreads", async () => {
    const admin = adminClient();
    const channel = await freshChannel(admin, "ct", []);
    const channel_id = channel.id ?? "";
    const root = await createPost(admin, { body: { channel_id, message: "root" } });
    const reply = await createPost(admin, { body: { channel_id, message: "reply", root_id: root.id ?? "" } });
    // The channel also holds the system message of the admin joining it.
    const ours = (order: string[] | null | undefined) => (order ?? []).filter((id) => id === root.id || id === reply.id);
    const flat = await getPostsForChannel(admin, { channel_id });
    expect(ours(flat.order)).toEqual([reply.id, root.id]);
    const collapsed = await getPostsForChannel(admin, { channel_id, collapsedThreads: true });
    expect(ours(collapsed.order)).toEqual([root.id]);
  });
});

describe("errors as the server gives them", () => {
  /** A client that records the X-Request-Id of each response. */
  function tracing(token: string): { client: Client; requestIds: string[] } {
    const requestIds: string[] = [];
    const middleware: Middleware = { onResponse: ({ response }) => void requestIds.push(response.headers.get("X-Request-Id") ?? "") };
    return { client: clientFor(token, { middleware: [middleware] }), requestIds };
  }

  it("an unknown user id: 404 with the server's id, status_code and request_id", async () => {
    const { client, requestIds } = tracing(mattermost().admin.token);
    const error = await getUser(client, { user_id: "x".repeat(26) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MattermostError);
    expect(error).toMatchObject({
      name: "MattermostError",
      status: 404,
      status_code: 404,
      id: "app.user.missing_account.const",
      method: "GET",
      route: "/api/v4/users/{user_id}",
    });
    const { request_id, message } = error as MattermostError;
    expect(request_id).toMatch(ID);
    // The answer that became the error is the last one: a 429 from the rate limiter, which answers
    // before any handler and so without a request id, may come first and be waited out.
    expect(request_id).toBe(requestIds.at(-1));
    expect(requestIds.slice(0, -1).every((id) => id === "")).toBe(true);
    expect(message).toContain("404");
    expect(message).toContain("app.user.missing_account.const");
  });

  it("a regular user on admin routes: 403 with the server's id, status_code and request_id", async () => {
    const { client, requestIds } = tracing(mattermost().user.token);
    for (const call of [() => getConfig(client), () => getAnalyticsOld(client, { name: "post_counts_day" })]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MattermostError);
      expect(error).toMatchObject({ status: 403, status_code: 403, id: "api.context.permissions.app_error" });
      expect((error as MattermostError).request_id).toBe(requestIds.at(-1));
      expect((error as MattermostError).request_id).toMatch(ID);
    }
    // Refused at once: a 403 is not retried.
    expect(requestIds).toHaveLength(2);
  });
});

// Last: a burst spends a budget, so it runs as a throwaway user of its own.
describe("the rate limit", () => {
  interface Attempt {
    readonly call: string;
    readonly sentAt: number;
    readonly answeredAt: number;
    readonly status: number;
    readonly retryAfter: string | null;
    readonly reset: string | null;
  }

  /** A fetch that records every request on the wire: which call, when sent, when answered, how. */
  function wire(): { fetch: typeof fetch; attempts: Attempt[] } {
    const attempts: Attempt[] = [];
    const recording: typeof fetch = async (input, init) => {
      const call = new Headers(init?.headers).get("X-E2E-Call") ?? "";
      const sentAt = performance.now();
      const response = await fetch(input, init);
      attempts.push({
        call,
        sentAt,
        answeredAt: performance.now(),
        status: response.status,
        retryAfter: response.headers.get("Retry-After"),
        reset: response.headers.get("X-RateLimit-Reset"),
      });
      return response;
    };
    return { fetch: recording, attempts };
  }

  it("absorbs a burst well over the limit: every call succeeds, and no retry goes out before Retry-After allows", async () => {
    const server = mattermost();
    const burster = await throwawayUser(adminClient(), "burst");
    const { fetch: recording, attempts } = wire();
    // Without the client's pacing, so that 429s come and their retries can be checked (issue 24).
    const client = createClient({
      baseUrl: server.url,
      token: burster.token,
      fetch: recording,
      retry: { retries: 10 },
      rateLimiter: false,
    });

    const calls = 40; // the limit lets 11 through at once, then 10 per second
    const results = await Promise.all(Array.from({ length: calls }, (_, i) => getMe(client, { headers: { "X-E2E-Call": String(i) } })));
    expect(results.every((user) => user.id === burster.id)).toBe(true);

    const limited = attempts.filter((attempt) => attempt.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(calls - (server.rateLimit.maxBurst + 1) - server.rateLimit.perSec);
    expect(attempts.filter((attempt) => attempt.status === 200)).toHaveLength(calls);
    expect(attempts.every((attempt) => attempt.status === 200 || attempt.status === 429)).toBe(true);

    for (let call = 0; call < calls; call++) {
      const mine = attempts.filter((attempt) => attempt.call === String(call)).sort((a, b) => a.sentAt - b.sentAt);
      expect(mine.at(-1)?.status).toBe(200);
      for (let i = 1; i < mine.length; i++) {
        const previous = mine[i - 1] as Attempt;
        expect(previous.status).toBe(429);
        const seconds = Math.max(...(previous.retryAfter ?? "").split(",").map(Number));
        expect(seconds).toBeGreaterThanOrEqual(1);
        expect(previous.reset).not.toBeNull();
        // Timers may fire a fraction of a millisecond early against performance.now().
        expect((mine[i] as Attempt).sentAt - previous.answeredAt).toBeGreaterThanOrEqual(seconds * 1000 - 2);
      }
    }
    expect(client.rateLimit).toMatchObject({ limit: server.rateLimit.maxBurst + 1 });
  });

  it("without retries, the 429 surfaces as a MattermostError with the wait it asks for", async () => {
    const server = mattermost();
    const burster = await throwawayUser(adminClient(), "no-retry");
    const client = createClient({ baseUrl: server.url, token: burster.token, retry: false, rateLimiter: false });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => getMe(client)));
    const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
    expect(refused.length).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled").length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toBeInstanceOf(MattermostError);
      expect(error).toMatchObject({ status: 429, status_code: 429, id: "", serverMessage: "limit exceeded" });
      expect((error as MattermostError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    }
  });
});
