// Recovery (issue #25) against the real server: while posts are written steadily into several
// channels, a client process with `recover` and a file cursor store lives through 100 cuts of mixed
// lengths (one far past what the server can replay), a server SIGKILL and restart on the same
// database, its own restart, and a channel it joins during a gap. Then: every post created was
// delivered, once, in each channel's order, and every loss was followed by `socket:recovered`.
//
// The test runs a server of its own (it kills it), with a rate limit that lets four posters write
// about 20 posts a second.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addChannelMember,
  addTeamMember,
  createChannel,
  createPost,
  createUser,
  createUserAccessToken,
  getPostsForChannel,
} from "../../generated/endpoints/index.js";
import type { Post } from "../../generated/schemas.js";
import { type Client, createClient } from "../../runtime/index.js";
import { type RunningMattermostServer, startServer } from "../../scripts/mattermost-server/server.mjs";
import { type TcpProxy, startTcpProxy } from "./tcp-proxy.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Line {
  kind: "posted" | "signal";
  name?: string;
  [key: string]: unknown;
}

/** The client process: its stdout as JSON lines, in order. */
class ClientProcess {
  readonly lines: Line[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  constructor(script: string, url: string, token: string, cursorFile: string, stderr: string[]) {
    this.child = spawn(process.execPath, [script, url, token, cursorFile], { stdio: ["ignore", "pipe", "pipe"] });
    let rest = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      const text = rest + chunk.toString("utf8");
      const parts = text.split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) if (part) this.lines.push(JSON.parse(part) as Line);
    });
    this.child.stderr?.on("data", (chunk: Buffer) => void stderr.push(chunk.toString("utf8")));
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }
  signals(name: string): Line[] {
    return this.lines.filter((line) => line.name === name);
  }
  async stop(): Promise<number | null> {
    this.child.kill("SIGTERM");
    return this.exited;
  }
}

let server: RunningMattermostServer;
let work: string;
let script: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "mm-recover-"));
  script = join(work, "recover-client.mjs");
  await build({
    entryPoints: [join(root, "test/e2e/recover-client.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: script,
    external: ["bufferutil", "utf-8-validate"],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: "error",
  });
  server = await startServer({ rateLimit: { perSec: 40, maxBurst: 80 }, report: () => {} });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

function clientOf(token: string): Client {
  return createClient({ baseUrl: server.url, token, retry: { retries: 30, unsafe: true, maxWaitMs: 120_000, backoffMs: 200 } });
}

async function poster(admin: Client, index: number): Promise<{ id: string; client: Client }> {
  const username = `poster${index}-${randomBytes(4).toString("hex")}`;
  const user = await createUser(admin, {
    body: { username, email: `${username}@example.com`, password: `Aa1!${randomBytes(12).toString("base64url")}` },
  });
  await addTeamMember(admin, { team_id: server.team.id, body: { team_id: server.team.id, user_id: user.id } });
  const token = await createUserAccessToken(admin, { user_id: user.id, body: { description: "recovery e2e" } });
  return { id: user.id, client: clientOf(token.token ?? "") };
}

async function channelWith(admin: Client, members: string[]): Promise<string> {
  const name = `recover-${randomBytes(5).toString("hex")}`;
  const channel = await createChannel(admin, { body: { team_id: server.team.id, name, display_name: name, type: "O" } });
  await addChannelMember(admin, { channel_id: channel.id, body: { user_ids: members } });
  return channel.id;
}

/** Every post of a channel, through REST (the truth the deliveries are counted against). */
async function allPosts(admin: Client, channel_id: string): Promise<Post[]> {
  const posts: Post[] = [];
  for (let page = 0; ; page++) {
    const list = await getPostsForChannel(admin, { channel_id, page, per_page: 200 });
    // `order` and `posts` are null when Go leaves them nil (docs/nulls.md).
    const order = list.order ?? [];
    for (const id of order) posts.push(list.posts?.[id] as Post);
    if (order.length < 200) return posts;
  }
}

describe("recovery on the real server", () => {
  it("delivers every post once, in order, across 100 cuts, a server SIGKILL, a client restart and a channel joined in a gap", async () => {
    const admin = clientOf(server.admin.token);
    const userId = server.user.id;
    const posters = await Promise.all([0, 1, 2, 3, 4].map((index) => poster(admin, index)));
    const channels = await Promise.all(posters.slice(0, 4).map((p) => channelWith(admin, [userId, p.id])));
    const proxy: TcpProxy = await startTcpProxy(server.port);
    const cursorFile = join(work, "cursors.json");
    const stderr: string[] = [];
    const processes: ClientProcess[] = [];
    const start = (): ClientProcess => {
      const client = new ClientProcess(script, proxy.url, server.user.token, cursorFile, stderr);
      processes.push(client);
      return client;
    };
    const posterIds = new Set(posters.map((p) => p.id));
    let joined = "";
    try {
      let current = start();
      const waitFor = async (what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> => {
        const deadline = Date.now() + timeoutMs;
        while (!check()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${stderr.join("")}`);
          await sleep(25);
        }
      };
      await waitFor("the first hello", () => current.signals("socket:hello").length > 0);

      // Steady posting: one poster per channel, each post awaited (so a channel's posts have distinct times).
      let posting = true;
      let burst = false;
      let failures = 0;
      const write = async (p: { client: Client }, channel_id: string, label: string): Promise<void> => {
        for (let i = 0; posting; i++) {
          try {
            await createPost(p.client, { body: { channel_id, message: `${label} ${i}` } }, { retry: false });
          } catch {
            failures++; // the server is down or restarting: the post may or may not exist; REST says at the end
            await sleep(200);
          }
          if (!burst) await sleep(150);
        }
      };
      const writers = channels.map((channel_id, index) => write(posters[index] as { client: Client }, channel_id, `c${index}`));

      const lengths = [30, 100, 250, 600, 1_200];
      for (let cut = 0; cut < 100; cut++) {
        // Two cuts far past the server's replay buffer (hundreds of events in the gap): new sessions.
        const long = cut === 20 || cut === 80;
        const length = long ? 9_000 : (lengths[cut % lengths.length] as number);
        if (long) burst = true;
        proxy.cut();
        if (cut === 80) {
          // A channel the user joins while cut off, with posts from then on.
          joined = await channelWith(admin, [userId, posters[4]?.id ?? ""]);
          writers.push(write(posters[4] as { client: Client }, joined, "joined"));
        }
        await sleep(length);
        proxy.restore();
        burst = false;
        await sleep(250);
        if (cut === 40) {
          // The server crashes (SIGKILL) and comes back on the same database. Its loss is one more
          // than those before (the long cut's): wait for that one and its recovery, not for the
          // earlier ones, which a busy client may not have added to yet when the server is back.
          const lostBefore = current.signals("socket:lost").length;
          await server.restart();
          await waitFor("a recovery after the server restart", () => {
            const lost = current.signals("socket:lost").length;
            return lost > lostBefore && current.signals("socket:recovered").reduce((sum, line) => sum + (line.losses as number), 0) >= lost;
          });
        }
        if (cut === 60) {
          // The client process restarts with the same cursor file; posts go on meanwhile.
          expect(await current.stop()).toBe(0);
          await sleep(1_500);
          current = start();
          await waitFor("the recovery after the client restart", () =>
            current.signals("socket:recovered").some((line) => line.trigger === "restart"),
          );
        }
      }
      posting = false;
      await Promise.all(writers);

      // The truth: what REST holds of the posters' posts, per channel, oldest first.
      const created = new Map<string, Post[]>();
      for (const channel_id of [...channels, joined]) {
        const posts = (await allPosts(admin, channel_id)).filter((post) => posterIds.has(post.user_id) && post.type === "");
        created.set(channel_id, posts.reverse());
      }
      const createdIds = new Set([...created.values()].flat().map((post) => post.id));
      const delivered = () =>
        processes.flatMap((p) => p.lines).filter((line) => line.kind === "posted" && posterIds.has(line.user_id as string));
      await waitFor("every created post delivered", () => new Set(delivered().map((line) => line.id)).size >= createdIds.size, 60_000);
      await sleep(500);
      expect(await current.stop()).toBe(0);

      const lines = delivered();
      const ids = lines.map((line) => line.id as string);
      const duplicates = ids.length - new Set(ids).size;
      const missing = [...createdIds].filter((id) => !ids.includes(id));
      const extra = ids.filter((id) => !createdIds.has(id));
      // Per channel, in the order delivered: by create_at, and the same sequence as REST's.
      const outOfOrder: string[] = [];
      for (const [channel_id, posts] of created) {
        const order = lines.filter((line) => line.channel_id === channel_id).map((line) => line.id as string);
        const expected = posts.map((post) => post.id);
        if (order.join() !== expected.join()) outOfOrder.push(channel_id);
      }
      const all = processes.flatMap((p) => p.lines);
      const recovered = all.filter((line) => line.name === "socket:recovered");
      const counts = {
        created: createdIds.size,
        delivered: new Set(ids).size,
        recoveredPosts: lines.filter((line) => line.recovered).length,
        duplicates,
        missing: missing.length,
        extra: extra.length,
        outOfOrder: outOfOrder.length,
        cuts: 100,
        lost: all.filter((line) => line.name === "socket:lost").length,
        newSessions: all.filter((line) => line.name === "socket:lost" && line.reason === "new_session").length,
        resumed: all.filter((line) => line.name === "socket:resumed").length,
        recoveries: recovered.length,
        largestRecovery: Math.max(...recovered.map((line) => line.posts as number)),
        requests: recovered.reduce((sum, line) => sum + (line.requests as number), 0),
        recoveryFailures: all.filter((line) => line.name === "socket:recovery_failed").length,
        postFailures: failures,
      };
      process.stderr.write(`recovery e2e: ${JSON.stringify(counts)}\n`);

      expect(counts.created).toBeGreaterThan(1_000);
      expect({ duplicates, missing: missing.length, extra: extra.length, outOfOrder }).toEqual({
        duplicates: 0,
        missing: 0,
        extra: 0,
        outOfOrder: [],
      });
      expect(counts.newSessions).toBeGreaterThanOrEqual(2);
      expect(counts.largestRecovery).toBeGreaterThan(256);
      // Each process: every loss is covered by a socket:recovered that came after it.
      for (const p of processes) {
        const lostAt = p.lines.flatMap((line, index) => (line.name === "socket:lost" ? [index] : []));
        const recoveredAt = p.lines.flatMap((line, index) => (line.name === "socket:recovered" ? [index] : []));
        const covered = p.lines.filter((line) => line.name === "socket:recovered").reduce((sum, line) => sum + (line.losses as number), 0);
        expect(covered).toBe(lostAt.length);
        if (lostAt.length > 0) expect(Math.max(...recoveredAt)).toBeGreaterThan(Math.max(...lostAt));
      }
      // The second process started from the file: a restart recovery, with the posts made while it was down.
      expect(processes[1]?.signals("socket:recovered").find((line) => line.trigger === "restart")?.posts).toBeGreaterThan(0);
      // The joined channel was found by a recovery, and its posts were delivered.
      expect(recovered.some((line) => Object.hasOwn(line.channels as object, joined))).toBe(true);
      expect(created.get(joined)?.length).toBeGreaterThan(0);
      expect(JSON.parse(readFileSync(cursorFile, "utf8")).version).toBe(1);
    } finally {
      for (const p of processes) if (p.child.exitCode === null) p.child.kill("SIGKILL");
      await proxy.close();
    }
  }, 420_000);
});
