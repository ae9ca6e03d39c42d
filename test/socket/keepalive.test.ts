import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import type { ReconnectingSignal, WebSocketConstructor } from "../../runtime/socket/types.js";
import { MockSocketServer } from "../support/mock-socket-server.js";
import { type TestSocket, recordSignals, testSocket, until } from "./helpers.js";

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
    // Five of its pings answered (however long a loaded machine takes), on the one connection.
    await until(() => server.requests.filter((r) => r.action === "ping").length >= 6, "five keepalive pings");
    await socket.send("ping");
    expect(socket.state).toBe("open");
    expect(server.connects).toHaveLength(1);
    expect(signals.map((s) => s.name)).toEqual(["socket:open", "socket:hello"]);
  });

  it("detects a server that stops answering, treats it as a drop and reconnects", async () => {
    server = await MockSocketServer.start();
    // Counts the pings written while the server is frozen (it reads nothing then, so cannot count them).
    let frozen = false;
    let pingsWhileFrozen = 0;
    class CountingWebSocket extends WebSocket {
      override send(frame: string): void {
        if (frozen && frame.includes('"action":"ping"')) pingsWhileFrozen++;
        super.send(frame);
      }
    }
    socket = testSocket(server.url, {
      pingIntervalMs: 30,
      pongTimeoutMs: 60,
      WebSocket: CountingWebSocket as unknown as WebSocketConstructor,
    });
    const signals = recordSignals(socket);
    await socket.ready();
    frozen = true;
    server.freeze();
    await until(() => signals.some((s) => s.name === "socket:reconnecting"), "the dead connection to be noticed");
    frozen = false;
    const reconnecting = signals.find((s) => s.name === "socket:reconnecting")?.payload as ReconnectingSignal;
    expect(reconnecting.reason).toMatchObject({ kind: "ping_failed", message: expect.stringMatching(/no reply within 60 ms/) });
    // The first unanswered ping is what ends the connection, whatever the wall clock says.
    expect(pingsWhileFrozen).toBe(1);
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
