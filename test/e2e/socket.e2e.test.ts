// The WebSocket client against the real server: `createMattermostSocket` as integrators use it,
// with the REST client making things happen.
import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createPost, createUser } from "../../generated/endpoints/index.js";
import type { PostedEvent, TypingEvent } from "../../generated/events.js";
import type { MessageAttachment, Post } from "../../generated/schemas.js";
import {
  type LostSignal,
  type MattermostSocket,
  type MattermostSocketOptions,
  type ResumedSignal,
  type WebSocketConstructor,
  createMattermostSocket,
} from "../../runtime/socket/index.js";
import type { Client } from "../../runtime/index.js";
import type { CloseSignal, HelloSignal, OpenSignal, ReconnectingSignal, SocketErrorSignal } from "../../runtime/socket/index.js";
import { ensureBuilt, start } from "../cli/support.js";
import { adminClient, clientFor, freshChannel, sleep, throwawayUser, uniqueName, waitFor } from "./fixtures.js";
import { mattermost } from "./server-facts.js";
import { startTcpProxy } from "./tcp-proxy.js";

const ID = /^[a-z0-9]{26}$/;

const sockets: MattermostSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
});

/** A socket closed after the test; socket errors fail the test where it checks `errors`. */
function open(options: Partial<MattermostSocketOptions> & { token: string }): { socket: MattermostSocket; errors: string[] } {
  const socket = createMattermostSocket({ url: mattermost().url, ...options });
  const errors: string[] = [];
  socket.on("socket:error", (error) => void errors.push(`${error.code}: ${error.message}`));
  sockets.push(socket);
  return { socket, errors };
}

/** Every frame the socket wrote and read, through a `ws` subclass given as the WebSocket implementation. */
function recordingWebSocket(): { WebSocket: WebSocketConstructor; sent: Record<string, unknown>[]; received: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  const received: Record<string, unknown>[] = [];
  class Recording extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.on("message", (data) => void received.push(JSON.parse(String(data)) as Record<string, unknown>));
    }
    override send(data: unknown, ...rest: unknown[]): void {
      sent.push(JSON.parse(String(data)) as Record<string, unknown>);
      (super.send as (data: unknown, ...rest: unknown[]) => void)(data, ...rest);
    }
  }
  return { WebSocket: Recording, sent, received };
}

describe("the WebSocket on the real server", () => {
  it("says hello with the session's connection id and the server's version", async () => {
    const server = mattermost();
    const { socket, errors } = open({ token: server.user.token });
    const hellos: { seq: number; connectionId: string; version: string }[] = [];
    socket.on(
      "hello",
      (event) => void hellos.push({ seq: event.seq, connectionId: event.data.connection_id, version: event.data.server_version }),
    );
    const signal = new Promise<{ connectionId: string; serverVersion: string; first: boolean }>((resolve) =>
      socket.once("socket:hello", resolve),
    );
    await socket.ready();
    const hello = await signal;
    expect(hello.first).toBe(true);
    expect(hello.connectionId).toMatch(ID);
    expect(hello.serverVersion).toBe(server.serverVersion);
    expect(hellos).toEqual([{ seq: 0, connectionId: hello.connectionId, version: hello.serverVersion }]);
    expect(socket.connectionId).toBe(hello.connectionId);
    expect(socket.state).toBe("open");
    expect(errors).toEqual([]);
  });

  it("delivers `posted` with the post decoded, equal to the post created", async () => {
    const server = mattermost();
    const admin = adminClient();
    const channel = await freshChannel(admin, "posted", [server.user.id]);
    const { socket, errors } = open({ token: server.user.token });
    const posted: PostedEvent[] = [];
    socket.on("posted", (event) => void posted.push(event));
    await socket.ready();

    const attachment: MessageAttachment = {
      fallback: "build 7 passed",
      color: "good",
      title: "Build 7",
      fields: [{ title: "Tests", value: 812 }],
    };
    const created = await createPost(admin, {
      body: { channel_id: channel.id ?? "", message: "hello @e2e-user", props: { attachments: [attachment] } },
    });
    const event = await waitFor("the posted event", () => posted.find((candidate) => candidate.data.post.id === created.id));

    // Sent as JSON text on the wire; handlers get the object.
    expect(typeof event.data.post).toBe("object");
    expect(event.data.post).toEqual(created);
    expect(event.data).toMatchObject({ channel_type: "O", channel_name: channel.name, channel_display_name: channel.display_name });
    expect(event.data.mentions).toEqual([server.user.id]);
    expect(event.broadcast.channel_id).toBe(channel.id);
    expect(errors).toEqual([]);
  });

  it("shows a second user `typing` after the first sends `user_typing`", async () => {
    const server = mattermost();
    const channel = server.channels.public;
    const first = open({ token: server.admin.token });
    const second = open({ token: server.user.token });
    const typing: TypingEvent[] = [];
    const ownTyping: TypingEvent[] = [];
    second.socket.on("typing", (event) => void typing.push(event));
    first.socket.on("typing", (event) => void ownTyping.push(event));
    await Promise.all([first.socket.ready(), second.socket.ready()]);

    // The action's reply carries no data.
    expect(await first.socket.send("user_typing", { channel_id: channel.id })).toBeUndefined();
    const event = await waitFor("the typing event", () => typing.find((candidate) => candidate.data.user_id === server.admin.id));
    expect(event.data).toEqual({ parent_id: "", user_id: server.admin.id });
    expect(event.broadcast.channel_id).toBe(channel.id);
    expect(event.broadcast.omit_users).toEqual({ [server.admin.id]: true });
    // The typist is left out; a ping round trip later, nothing has come.
    await first.socket.send("ping");
    expect(ownTyping).toEqual([]);
    expect([...first.errors, ...second.errors]).toEqual([]);
  });

  it("answers get_statuses and get_statuses_by_ids, each reply to its own request (seq)", async () => {
    // Users of their own: a socket of the same user closed by an earlier test makes the server set
    // that user offline a moment later, whatever connected since.
    const admin = adminClient();
    const watcher = await throwawayUser(admin, "status");
    const recorder = recordingWebSocket();
    const { socket, errors } = open({ token: watcher.token, WebSocket: recorder.WebSocket });
    await socket.ready();

    // Connecting makes the user online; the server records it a moment after the hello.
    const mine = await (async () => {
      for (let tries = 0; ; tries++) {
        const reply = await socket.send("get_statuses_by_ids", { user_ids: [watcher.id] });
        if (reply[watcher.id] === "online" || tries === 50) return reply;
        await sleep(50);
      }
    })();
    expect(mine).toEqual({ [watcher.id]: "online" });

    // A user who never connected nor called anything is offline.
    const username = uniqueName("quiet");
    const password = `Aa1!${randomBytes(12).toString("base64url")}`;
    const quiet = await createUser(admin, { body: { username, email: `${username}@example.com`, password } });
    const quietId = quiet.id ?? "";

    // Three requests at once: each reply goes to its own request.
    const [both, alone, all] = await Promise.all([
      socket.send("get_statuses_by_ids", { user_ids: [watcher.id, quietId] }),
      socket.send("get_statuses_by_ids", { user_ids: [quietId] }),
      socket.send("get_statuses"),
    ]);
    expect(both).toEqual({ [watcher.id]: "online", [quietId]: "offline" });
    expect(alone).toEqual({ [quietId]: "offline" });
    // get_statuses: the users the server has a status for in memory; offline ones are left out.
    expect(all[watcher.id]).toBe("online");
    expect(all[quietId]).toBeUndefined();
    expect(Object.values(all).every((status) => ["online", "away", "dnd", "ooo"].includes(status))).toBe(true);

    // On the wire: every action the client sent got exactly one reply with its seq, seqs never reused.
    const actions = recorder.sent.filter((frame) => frame.action === "get_statuses" || frame.action === "get_statuses_by_ids");
    const seqs = actions.map((frame) => frame.seq as number);
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const seq of seqs) {
      const replies = recorder.received.filter((frame) => frame.seq_reply === seq);
      expect(replies, `replies to seq ${seq}`).toHaveLength(1);
      expect(replies[0]?.status).toBe("OK");
    }
    expect(errors).toEqual([]);
  });

  it("resumes after the connection is cut under it while posts keep coming: each post once, in order", async () => {
    const server = mattermost();
    const admin = adminClient();
    // The posts come from a user of their own, so their pace is not slowed by other tests' budgets.
    const poster = await throwawayUser(admin, "poster");
    const channel = await freshChannel(admin, "resume", [server.user.id, poster.id]);
    const channel_id = channel.id ?? "";
    const proxy = await startTcpProxy(server.port);
    try {
      const { socket, errors } = open({
        url: proxy.url,
        token: server.user.token,
        reconnect: { initialDelayMs: 100, maxDelayMs: 300, jitter: 0 },
      });
      const received: Post[] = [];
      const lost: LostSignal[] = [];
      const resumed: ResumedSignal[] = [];
      const seqs: number[] = [];
      socket.on("*", (event) => void seqs.push(event.seq));
      // The channel's own system messages (members added) are posted asynchronously: left out.
      socket.on("posted", (event) => {
        if (event.data.post.channel_id === channel_id && event.data.post.type === "") received.push(event.data.post);
      });
      socket.on("socket:lost", (signal) => void lost.push(signal));
      socket.on("socket:resumed", (signal) => void resumed.push(signal));
      await socket.ready();
      const connectionId = socket.connectionId;

      // A steady stream of posts (about 8 a second, under the poster's limit).
      const postingClient = clientFor(poster.token);
      const created: Post[] = [];
      const count = 24;
      let cut = false;
      const posting = (async () => {
        for (let i = 0; i < count; i++) {
          created.push(await createPost(postingClient, { body: { channel_id, message: `stream ${i}` } }));
          await sleep(120);
        }
      })();

      // Cut once a few posts have arrived; stay down for a second while posts keep coming.
      await waitFor("the first posts", () => (received.length >= 5 ? true : undefined));
      const before = received.length;
      proxy.cut();
      cut = true;
      await sleep(1000);
      const createdWhileDown = created.length;
      proxy.restore();
      await posting;
      await waitFor("every post", () => (received.length >= count ? true : undefined), 15_000);
      await sleep(300); // room for a duplicate to show up, if one were coming

      expect(cut).toBe(true);
      expect(createdWhileDown - before).toBeGreaterThanOrEqual(4);
      expect(proxy.accepted).toBeGreaterThanOrEqual(2);
      expect(resumed).toHaveLength(1);
      expect(resumed[0]?.connectionId).toBe(connectionId);
      expect(resumed[0]?.replayed).toBeGreaterThan(0);
      expect(lost).toEqual([]);
      expect(socket.connectionId).toBe(connectionId);
      expect(received.map((post) => post.id)).toEqual(created.map((post) => post.id));
      expect(received.map((post) => post.message)).toEqual(created.map((_, i) => `stream ${i}`));
      // The session's events, numbered without a gap or a repeat.
      expect(seqs).toEqual(seqs.map((_, i) => i));
      // Only transport errors from the refused reconnects while the proxy was down.
      expect(errors.filter((error) => !error.startsWith("transport:"))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe("a token the real server refuses", () => {
  // Shaped like the tokens the server issues (26 lowercase letters and digits), but unknown to it.
  const refused = "zz9wrongtokenzz9wrongtoken";

  it("ends the socket with auth_failed: the upgrade is accepted, closed without a frame (1006) before any hello, and not retried", async () => {
    const server = mattermost();
    const proxy = await startTcpProxy(server.port);
    try {
      const { socket, errors } = open({ url: proxy.url, token: refused, reconnect: { initialDelayMs: 50, maxDelayMs: 100, jitter: 0 } });
      const opens: OpenSignal[] = [];
      const drops: ReconnectingSignal[] = [];
      const failures: SocketErrorSignal[] = [];
      let hellos = 0;
      socket.on("socket:open", (signal) => void opens.push(signal));
      socket.on("socket:reconnecting", (signal) => void drops.push(signal));
      socket.on("socket:error", (error) => void failures.push(error));
      socket.on("socket:hello", () => void hellos++);
      const closed = await new Promise<CloseSignal>((resolve) => socket.once("socket:close", resolve));
      const connections = proxy.accepted;
      await sleep(1_000); // room for a reconnect loop to show, if there were one

      // The server's way: the transport opened, then a close without a close frame, and no hello.
      expect(hellos).toBe(0);
      expect(drops.every((drop) => drop.reason.kind === "closed" && drop.reason.code === 1006)).toBe(true);
      expect(closed).toEqual({ reason: "auth_failed", lastDrop: { kind: "auth_failed", message: "GET /api/v4/users/me answered 401" } });
      expect(failures).toMatchObject([{ code: "auth_failed" }]);
      expect(errors[0]).toMatch(/^auth_failed: the server refused the token: GET \/api\/v4\/users\/me answered 401$/);
      expect(socket.state).toBe("closed");
      // One attempt: the REST check answered 401 before any retry was scheduled. The proxy saw two
      // connections: the WebSocket's and the REST check's (same host, so through the proxy too).
      expect(drops).toEqual([]);
      expect(opens).toHaveLength(1);
      expect(connections).toBe(2);
      expect(proxy.accepted).toBe(connections);
      await expect(socket.ready()).rejects.toMatchObject({ code: "closed" });
    } finally {
      await proxy.close();
    }
  });

  describe("listen", () => {
    beforeAll(async () => {
      await ensureBuilt();
    }, 180_000);

    it("exits 4 (docs/cli.md: the server refused the token), without printing the token", async () => {
      const child = start(["listen"], { MATTERMOST_URL: mattermost().url, MATTERMOST_TOKEN: refused });
      const timer = setTimeout(() => child.child.kill("SIGKILL"), 30_000);
      const { code } = await child.exited;
      clearTimeout(timer);
      expect(code).toBe(4);
      expect(child.stderr).toMatch(/socket auth_failed: the server refused the token/);
      expect(child.stderr).toMatch(/closed: the server refused the token/);
      expect(`${child.stdout}${child.stderr}`).not.toContain(refused);
    });

    it("a good token still connects (exit 0 on SIGTERM)", async () => {
      const child = start(["listen"], { MATTERMOST_URL: mattermost().url, MATTERMOST_TOKEN: mattermost().user.token });
      await child.waitFor(/connected to .*: session [a-z0-9]{26}/, "stderr", 20_000);
      child.child.kill("SIGTERM");
      expect((await child.exited).code).toBe(0);
    });
  });
});

/**
 * The resume window, at both of its edges. The server keeps a dropped connection for a while: the
 * events it had not written yet stay in its send queue (256), and it can replay the last 128 it
 * did write (its dead queue; `sendQueueSize` and `deadQueueSize` in
 * server/channels/app/platform/web_conn.go). A 257th event queued while the client is away drops
 * the connection (web_hub.go: a full send queue closes and removes it); a resume asking for an
 * event no longer among the last 128 written starts a new session.
 */
describe("the resume window on the real server", () => {
  interface Outcome {
    readonly posts: readonly Post[];
    readonly created: readonly string[];
    readonly resumed: readonly ResumedSignal[];
    readonly lost: readonly LostSignal[];
    readonly hellos: readonly HelloSignal[];
  }

  /** Posts `count` posts into `channel_id` from `posters`, each posting its share in turn; resolves with the ids. */
  async function postMany(posters: readonly Client[], channel_id: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      posters.map(async (client) => {
        while (next < count) {
          const n = next++;
          const post = await createPost(client, { body: { channel_id, message: `window ${n}` } });
          ids.push(post.id ?? "");
        }
      }),
    );
    return ids;
  }

  /**
   * A listener of its own in a channel of its own, four posters; `whileAway` takes the listener's
   * connection away (a cut, or a stall then a cut) while `count` posts are made, then it comes back.
   */
  async function away(count: number, how: "cut" | "stall"): Promise<Outcome> {
    const server = mattermost();
    const admin = adminClient();
    const listener = await throwawayUser(admin, "window");
    const posters = await Promise.all([0, 1, 2, 3].map(() => throwawayUser(admin, "wposter")));
    const channel = await freshChannel(admin, "window", [listener.id, ...posters.map((poster) => poster.id)]);
    const channel_id = channel.id ?? "";
    // The channel's system messages (members added) are posted asynchronously: let them pass first.
    await sleep(1_500);
    const proxy = await startTcpProxy(server.port);
    try {
      const { socket } = open({
        url: proxy.url,
        token: listener.token,
        pingIntervalMs: 0,
        reconnect: { initialDelayMs: 200, maxDelayMs: 500, jitter: 0 },
      });
      const posts: Post[] = [];
      const resumed: ResumedSignal[] = [];
      const lost: LostSignal[] = [];
      const hellos: HelloSignal[] = [];
      socket.on("posted", (event) => {
        if (event.data.post.channel_id === channel_id && event.data.post.type === "") posts.push(event.data.post);
      });
      socket.on("socket:resumed", (signal) => void resumed.push(signal));
      socket.on("socket:lost", (signal) => void lost.push(signal));
      socket.on("socket:hello", (signal) => void hellos.push(signal));
      await socket.ready();
      await sleep(300);

      if (how === "cut") {
        // The server sees the connection go and stops writing: what comes waits in its send queue.
        proxy.cut();
        await waitFor("the drop", () => (socket.state !== "open" ? true : undefined));
      } else {
        // The server goes on writing (into its dead queue); nothing reaches the client.
        proxy.stall();
      }
      const clients = posters.map((poster) => clientFor(poster.token));
      const created = await postMany(clients, channel_id, count);
      await sleep(1_500); // the hub queues or writes each broadcast a moment after the post
      if (how === "stall") {
        expect(posts.length, "posts delivered through the stall").toBe(0);
        proxy.cut();
        await waitFor("the drop", () => (socket.state !== "open" ? true : undefined));
      }
      proxy.restore();
      await waitFor("ready again", () => (resumed.length + lost.length > 0 && socket.state === "open" ? true : undefined), 20_000);
      await sleep(500);
      return { posts, created, resumed, lost, hellos };
    } finally {
      await proxy.close();
    }
  }

  const sorted = (ids: readonly string[]): string[] => [...ids].sort();

  /** One resume replayed every post made while away, in the one session. */
  const expectAllBack = ({ posts, created, resumed, lost, hellos }: Outcome, count: number): void => {
    expect(lost).toEqual([]);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.replayed).toBeGreaterThanOrEqual(count);
    expect(hellos).toHaveLength(1);
    expect(sorted(posts.map((post) => post.id ?? ""))).toEqual(sorted(created));
  };

  /** No resume: a second hello, a new session, and the client said what was lost. */
  const expectLost = ({ resumed, lost, hellos }: Outcome): void => {
    expect(resumed).toEqual([]);
    expect(lost).toMatchObject([{ reason: "new_session", toSeq: null }]);
    expect(hellos).toHaveLength(2);
    expect(hellos[1]?.first).toBe(false);
  };

  it("send queue, under 256: 240 posts made while the connection is cut all come back on resume", async () => {
    expectAllBack(await away(240, "cut"), 240);
  }, 120_000);

  it("send queue, over 256: with 280 posts made while cut, the server drops the session; the client says lost", async () => {
    const result = await away(280, "cut");
    expectLost(result);
    expect(result.posts.length).toBeLessThan(280);
  }, 120_000);

  it("dead queue, under 128: 110 posts the server wrote into a stalled connection are replayed on resume", async () => {
    expectAllBack(await away(110, "stall"), 110);
  }, 120_000);

  it("dead queue, over 128: after 150 posts written into a stalled connection, the server cannot replay; the client says lost", async () => {
    const result = await away(150, "stall");
    expectLost(result);
    expect(result.posts).toEqual([]);
  }, 120_000);
});
