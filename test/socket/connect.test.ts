import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { websocketEndpoint } from "../../runtime/socket/connection.js";
import { backoffDelay, resolveReconnect } from "../../runtime/socket/reconnect.js";
import type { CloseSignal, WebSocketConstructor } from "../../runtime/socket/types.js";
import { MockSocketServer } from "../support/mock-socket-server.js";
import { type TestSocket, delay, recordSignals, testSocket, until } from "./helpers.js";

/** `ws` without the headers option: authenticates with the challenge only, as a browser does. */
class HeaderlessWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
  }
}

let server: MockSocketServer;
const sockets: TestSocket[] = [];
function track(socket: TestSocket): TestSocket {
  sockets.push(socket);
  return socket;
}

beforeEach(async () => {
  server = await MockSocketServer.start({ authTimeoutMs: 200 });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  await server.close();
});

describe("authentication and hello", () => {
  it("authenticates with the header and the challenge, then gets hello (seq 0) with the connection id", async () => {
    const socket = track(testSocket(server.url));
    const signals = recordSignals(socket);
    const hellos: unknown[] = [];
    socket.on("hello", (ev) => void hellos.push(ev));
    expect(socket.state).toBe("connecting");
    await socket.ready();
    expect(socket.state).toBe("open");
    const session = [...server.sessions.values()][0];
    expect(socket.connectionId).toBe(session?.connectionId);
    expect(socket.lastSeq).toBe(0);
    expect(hellos).toHaveLength(1);
    expect(signals.map((s) => s.name)).toEqual(["socket:open", "socket:hello"]);
    expect(signals[1]?.payload).toMatchObject({
      connectionId: session?.connectionId,
      serverVersion: expect.stringMatching(/^11\.6\.0/),
      first: true,
    });
    expect(server.connects[0]).toMatchObject({ headerAuth: true, connectionId: null, outcome: "fresh" });
    // The challenge is sent even with the header (the server ignores it then), followed by the probe.
    await until(() => server.requests.length >= 2, "the client's first messages");
    expect(server.requests.map((r) => r.action)).toEqual(["authentication_challenge", "ping"]);
    expect(server.requests[0]?.data).toEqual({ token: "test-token" });
  });

  it("authenticates with the challenge alone where headers cannot be sent (browsers)", async () => {
    const socket = track(testSocket(server.url, { WebSocket: HeaderlessWebSocket as unknown as WebSocketConstructor }));
    await socket.ready();
    expect(server.connects[0]).toMatchObject({ headerAuth: false, outcome: "challenge" });
    expect(socket.connectionId).toMatch(/^[a-z0-9]{26}$/);
  });

  it("calls a token function before each attempt", async () => {
    let calls = 0;
    const socket = track(
      testSocket(server.url, {
        token: async () => {
          calls++;
          return "test-token";
        },
      }),
    );
    await socket.ready();
    server.terminateAll();
    await until(() => calls === 2 && socket.state === "open", "the reconnect");
  });

  it("a token refused on the upgrade (401): auth_failed, then closed for good, no retry", async () => {
    const socket = track(testSocket(server.url, { token: "wrong" }));
    const signals = recordSignals(socket);
    const closed = new Promise<CloseSignal>((resolve) => socket.once("socket:close", resolve));
    expect(await closed).toMatchObject({ reason: "auth_failed", lastDrop: { kind: "auth_failed" } });
    const errors = signals.filter((s) => s.name === "socket:error").map((s) => s.payload);
    expect(errors).toMatchObject([{ code: "auth_failed" }]);
    expect(signals.some((s) => s.name === "socket:reconnecting")).toBe(false);
    expect(server.connects).toHaveLength(1);
    expect(socket.state).toBe("closed");
    await expect(socket.ready()).rejects.toMatchObject({ code: "closed" });
  });

  it("a challenge token refused the real server's way (closed without a frame, no hello): checked over REST, then auth_failed and closed", async () => {
    const socket = track(testSocket(server.url, { token: "wrong", WebSocket: HeaderlessWebSocket as unknown as WebSocketConstructor }));
    const signals = recordSignals(socket);
    const closed = new Promise<CloseSignal>((resolve) => socket.once("socket:close", resolve));
    expect(await closed).toEqual({
      reason: "auth_failed",
      lastDrop: { kind: "auth_failed", message: "GET /api/v4/users/me answered 401" },
    });
    expect(signals.some((s) => s.name === "socket:hello")).toBe(false);
    const errors = signals.filter((s) => s.name === "socket:error").map((s) => s.payload);
    expect(errors).toMatchObject([{ code: "auth_failed", message: expect.stringMatching(/users\/me answered 401/) }]);
    expect(signals.some((s) => s.name === "socket:reconnecting")).toBe(false);
    expect(server.connects).toHaveLength(1);
  });

  it("a connection closed without a frame before the hello, with a token the REST API accepts, is retried", async () => {
    let cut = 0;
    server.onAccept = (connection) => {
      if (cut++ === 0) connection.ws.terminate();
    };
    // Without the header, the mock writes no hello before the challenge: the cut comes before it.
    const socket = track(testSocket(server.url, { WebSocket: HeaderlessWebSocket as unknown as WebSocketConstructor }));
    const signals = recordSignals(socket);
    await socket.ready();
    expect(signals.filter((s) => s.name === "socket:reconnecting")).toMatchObject([
      { payload: { reason: { kind: "closed", code: 1006 } } },
    ]);
    expect(signals.some((s) => s.name === "socket:error")).toBe(false);
    expect(server.connects).toHaveLength(2);
  });

  it("the mock closes connections that never authenticate", async () => {
    const raw = new WebSocket(`${server.url.replace("http", "ws")}/api/v4/websocket`);
    const closed = new Promise<number>((resolve) => raw.on("close", (code) => resolve(code)));
    const started = Date.now();
    expect(await closed).toBe(1006);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("gives up after maxAttempts failures in a row", async () => {
    await server.close();
    server = await MockSocketServer.start();
    server.refuseConnections(true);
    const socket = track(testSocket(server.url, { reconnect: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } }));
    const signals = recordSignals(socket);
    await until(() => socket.state === "closed", "giving up");
    expect(signals.filter((s) => s.name === "socket:reconnecting")).toHaveLength(3);
    expect(signals.at(-1)).toMatchObject({ name: "socket:close", payload: { reason: "gave_up", lastDrop: { kind: "error" } } });
    await expect(socket.ready()).rejects.toMatchObject({ code: "closed" });
  });

  it("close() during the first connection attempt ends everything", async () => {
    const socket = track(testSocket(server.url));
    const signals = recordSignals(socket);
    const ready = socket.ready().catch((e: unknown) => e);
    await socket.close();
    expect(await ready).toMatchObject({ code: "closed" });
    expect(socket.state).toBe("closed");
    expect(signals.map((s) => s.name)).toEqual(["socket:close"]);
    await delay(30);
    expect(signals.map((s) => s.name)).toEqual(["socket:close"]);
    expect(await socket.close()).toBeUndefined();
  });
});

describe("URLs", () => {
  it("derives the websocket endpoint from a server URL", () => {
    expect(websocketEndpoint("https://chat.example.com").href).toBe("wss://chat.example.com/api/v4/websocket");
    expect(websocketEndpoint("http://localhost:8065/").href).toBe("ws://localhost:8065/api/v4/websocket");
    expect(websocketEndpoint("https://example.com/chat/api/v4/").href).toBe("wss://example.com/chat/api/v4/websocket");
    expect(websocketEndpoint("wss://example.com/api/v4/websocket").href).toBe("wss://example.com/api/v4/websocket");
    expect(() => websocketEndpoint("ftp://example.com")).toThrow(/url "ftp:\/\/example\.com" is not an absolute http\(s\) or ws\(s\) URL/);
    expect(() => websocketEndpoint("chat.example.com")).toThrow(/url "chat\.example\.com" is not an absolute/);
  });

  it("asks for posted_ack when postedAck is set, and sends no resume parameters on a first connection", async () => {
    const socket = track(testSocket(server.url, { postedAck: true }));
    await socket.ready();
    expect(server.connects[0]?.query).toEqual({ posted_ack: "true" });
  });
});

describe("backoff", () => {
  it("grows by the factor up to the cap, with jitter below the nominal delay", () => {
    const policy = resolveReconnect({ initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0.5 });
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(policy, n, () => 0))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(50);
    expect(resolveReconnect(undefined).maxAttempts).toBe(Number.POSITIVE_INFINITY);
    expect(() => resolveReconnect({ jitter: 2 })).toThrow(/reconnect\.jitter/);
  });
});
