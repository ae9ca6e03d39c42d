import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import type { ReconnectingSignal } from "../../runtime/socket/types.js";
import { MockSocketServer } from "../support/mock-socket-server.js";
import { type TestSocket, delay, recordSignals, testSocket, until } from "./helpers.js";

let server: MockSocketServer;
let socket: TestSocket;

afterEach(async () => {
  await socket.close();
  await server.close();
});

describe("keepalive", () => {
  it("keeps a healthy connection open, answering the server's pings and getting replies to its own", async () => {
    server = await MockSocketServer.start({ pingIntervalMs: 10 });
    socket = testSocket(server.url, { pingIntervalMs: 20, pongTimeoutMs: 100 });
    const signals = recordSignals(socket);
    await socket.ready();
    await delay(200);
    expect(socket.state).toBe("open");
    expect(server.requests.filter((r) => r.action === "ping").length).toBeGreaterThanOrEqual(5);
    expect(signals.map((s) => s.name)).toEqual(["socket:open", "socket:hello"]);
  });

  it("detects a server that stops answering, treats it as a drop and reconnects", async () => {
    server = await MockSocketServer.start();
    socket = testSocket(server.url, { pingIntervalMs: 30, pongTimeoutMs: 60 });
    const signals = recordSignals(socket);
    await socket.ready();
    const frozenAt = Date.now();
    server.freeze();
    await until(() => signals.some((s) => s.name === "socket:reconnecting"), "the dead connection to be noticed", 2_000);
    const detectedAfter = Date.now() - frozenAt;
    const reconnecting = signals.find((s) => s.name === "socket:reconnecting")?.payload as ReconnectingSignal;
    expect(reconnecting.reason).toMatchObject({ kind: "ping_failed", message: expect.stringMatching(/no reply within 60 ms/) });
    expect(detectedAfter).toBeLessThan(30 + 60 + 150);
    await until(() => socket.state === "open", "the reconnect");
    // Resumed, or a new session if the server had not yet seen the old connection close: either is signalled.
    expect(signals.some((s) => s.name === "socket:resumed" || s.name === "socket:lost")).toBe(true);
    expect(server.connects.at(-1)?.query.disconnect_err_code).toBe("4000");
  });

  it("a connection that never completes the handshake times out and is retried", async () => {
    server = await MockSocketServer.start();
    // A server that accepts the upgrade and then says nothing.
    const silent = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => silent.once("listening", resolve));
    const { port } = silent.address() as AddressInfo;
    socket = testSocket(`http://127.0.0.1:${port}`, { connectTimeoutMs: 50 });
    const signals = recordSignals(socket);
    await until(() => signals.filter((s) => s.name === "socket:reconnecting").length >= 2, "two timed-out attempts");
    expect(signals.filter((s) => s.name === "socket:open").length).toBeGreaterThanOrEqual(2);
    expect((signals.find((s) => s.name === "socket:reconnecting")!.payload as ReconnectingSignal).reason).toEqual({
      kind: "connect_timeout",
      timeoutMs: 50,
    });
    await socket.close();
    for (const client of silent.clients) client.terminate();
    await new Promise((resolve) => silent.close(resolve));
  });
});
