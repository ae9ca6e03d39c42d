// The WebSocket client against the real server: `createMattermostSocket` as integrators use it,
// with the REST client making things happen.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
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
