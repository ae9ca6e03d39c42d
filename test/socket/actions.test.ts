import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { SocketError } from "../../runtime/socket/errors.js";
import { MAX_CLIENT_MESSAGE_BYTES } from "../../runtime/socket/socket.js";
import type { MockSocketServer } from "../support/mock-socket-server.js";
import { type TestSocket, recordSignals, until, useServerAndSocket } from "./helpers.js";

let server: MockSocketServer;
let socket: TestSocket;

useServerAndSocket((started, opened) => {
  server = started;
  socket = opened;
});

describe("actions", () => {
  it("resolves with the reply's data, matched by seq_reply", async () => {
    await socket.ready();
    const [pong, statuses, typing] = await Promise.all([
      socket.send("ping"),
      socket.send("get_statuses_by_ids", { user_ids: ["u1", "u2"] }),
      socket.send("user_typing", { channel_id: "c".repeat(26) }),
    ]);
    expect(pong).toMatchObject({ text: "pong", version: "11.6.0", node_id: "" });
    expect(statuses).toEqual({ u1: "offline", u2: "offline" });
    expect(typing).toBeUndefined();
    const sent = server.requests.filter((r) => r.action !== "authentication_challenge");
    expect(new Set(sent.map((r) => r.seq)).size).toBe(sent.length);
  });

  it("rejects with action_failed and the server's error on a FAIL reply", async () => {
    await socket.ready();
    const error = await socket.send("get_statuses_by_ids", { user_ids: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SocketError);
    expect(error).toMatchObject({
      code: "action_failed",
      action: "get_statuses_by_ids",
      serverError: { id: "api.websocket_handler.invalid_param.app_error", status_code: 400 },
    });
    expect((error as Error).message).toMatch(/failed on the server: Invalid user_ids parameter\. \(400 api\.websocket_handler/);
    // An unknown action is a FAIL 500 from the router.
    await expect(socket.send("slow")).rejects.toMatchObject({
      code: "action_failed",
      serverError: { id: "api.web_socket_router.bad_action.app_error" },
    });
  });

  it("rejects with timeout when no reply comes, and ignores the late reply", async () => {
    let release: (() => void) | undefined;
    server.handle("slow", () => new Promise((resolve) => (release = () => resolve({ data: "late" }))));
    await socket.ready();
    await expect(socket.send("slow", {}, { timeoutMs: 50 })).rejects.toMatchObject({ code: "timeout", action: "slow" });
    release?.();
    await expect(socket.send("ping")).resolves.toMatchObject({ text: "pong" });
  });

  it("rejects pending actions with closed when the socket closes", async () => {
    server.handle("slow", () => "no-reply");
    await socket.ready();
    const pending = socket.send("slow", {}, { timeoutMs: 0 }).catch((e: unknown) => e);
    await until(() => server.requests.some((r) => r.action === "slow"), "the request to arrive");
    await socket.close();
    expect(await pending).toMatchObject({ code: "closed" });
    await expect(socket.send("ping")).rejects.toMatchObject({ code: "closed" });
  });

  it("rejects a message over 8 KiB before sending it; the connection stays up", async () => {
    const signals = recordSignals(socket);
    await socket.ready();
    const error = await socket.send("slow", { value: "é".repeat(4_100) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "too_large" });
    expect((error as Error).message).toMatch(/over the server's limit of 8192/);
    expect(server.requests.some((r) => r.action === "slow")).toBe(false);
    // Just under the limit goes through (the server answers FAIL bad_action for this unknown action).
    const frameOverhead = JSON.stringify({ action: "slow", seq: 10, data: { value: "" } }).length;
    await expect(socket.send("slow", { value: "x".repeat(MAX_CLIENT_MESSAGE_BYTES - frameOverhead) })).rejects.toMatchObject({
      code: "action_failed",
    });
    expect(socket.state).toBe("open");
    expect(signals.some((s) => s.name === "socket:reconnecting")).toBe(false);
  });

  it("the mock closes the connection on a client message over 8 KiB (1009), as the server does", async () => {
    const raw = new WebSocket(`${server.url.replace("http", "ws")}/api/v4/websocket`, { headers: { Authorization: "Bearer test-token" } });
    await new Promise((resolve) => raw.once("message", resolve));
    const closed = new Promise<number>((resolve) => raw.on("close", (code) => resolve(code)));
    raw.on("error", () => {});
    raw.send(JSON.stringify({ action: "ping", seq: 1, data: { pad: "x".repeat(MAX_CLIENT_MESSAGE_BYTES) } }));
    expect(await closed).toBe(1009);
  });

  it("queues actions while disconnected and sends them once reconnected", async () => {
    await socket.ready();
    server.refuseConnections(true);
    server.terminateAll();
    await until(() => socket.state === "reconnecting", "the drop");
    const queued = socket.send("get_statuses");
    server.refuseConnections(false);
    await expect(queued).resolves.toEqual({});
  });

  it("rejects with connection_lost an action sent before the connection dropped", async () => {
    server.handle("slow", () => "no-reply");
    await socket.ready();
    const pending = socket.send("slow", {}, { timeoutMs: 0 });
    await until(() => server.requests.some((r) => r.action === "slow"), "the request to arrive");
    server.terminateAll();
    await expect(pending).rejects.toMatchObject({ code: "connection_lost", action: "slow" });
    await socket.ready();
    // Not sent again on the new connection.
    expect(server.requests.filter((r) => r.action === "slow")).toHaveLength(1);
  });

  it("an aborted signal rejects with aborted", async () => {
    server.handle("slow", () => "no-reply");
    await socket.ready();
    const controller = new AbortController();
    const pending = socket.send("slow", {}, { signal: controller.signal });
    controller.abort(new Error("user left"));
    await expect(pending).rejects.toMatchObject({ code: "aborted", cause: new Error("user left") });
  });
});
