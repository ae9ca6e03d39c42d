import { describe, expect, it } from "vitest";
import type { SocketErrorSignal } from "../../runtime/socket/types.js";
import type { MockSocketServer } from "../support/mock-socket-server.js";
import { type PostedEvent, type TestEvent, type TestSocket, recordSignals, until, useServerAndSocket } from "./helpers.js";

let server: MockSocketServer;
let socket: TestSocket;

useServerAndSocket((started, opened) => {
  server = started;
  socket = opened;
});

const post = { id: "p1", channel_id: "c1", message: "hi" };

function errorsOf(signals: { name: string; payload: unknown }[]): SocketErrorSignal[] {
  return signals.filter((s) => s.name === "socket:error").map((s) => s.payload as SocketErrorSignal);
}

describe("dispatch", () => {
  it("decodes the JSON-text fields before handlers see them, and keeps other fields as sent", async () => {
    const got: PostedEvent[] = [];
    socket.on("posted", (ev) => void got.push(ev));
    await socket.ready();
    server.publish("posted", { post: JSON.stringify(post), mentions: JSON.stringify(["u1"]), channel_type: "O", sender_name: "@a" });
    server.publish("posted", { post: JSON.stringify(post), channel_type: "D" });
    await until(() => got.length === 2, "two posted events");
    expect(got[0]?.data).toEqual({ post, mentions: ["u1"], channel_type: "O", sender_name: "@a" });
    expect(got[1]?.data).toEqual({ post, channel_type: "D" });
    expect(got[0]?.broadcast).toMatchObject({ channel_id: "", omit_users: null });
  });

  it("reports an undecodable field as decode_failed with event and key, skips that event, and goes on", async () => {
    const signals = recordSignals(socket);
    const got: PostedEvent[] = [];
    socket.on("posted", (ev) => void got.push(ev));
    await socket.ready();
    const [seq] = server.publish("posted", { post: "{not json", channel_type: "O" });
    server.publish("posted", { post: JSON.stringify(post), channel_type: "O" });
    await until(() => got.length === 1, "the next posted event");
    const [error] = errorsOf(signals);
    expect(error).toMatchObject({ code: "decode_failed", event: "posted", key: "post", seq });
    expect(error?.code === "decode_failed" && JSON.parse(error.raw).data.post).toBe("{not json");
    expect(got[0]?.data.post).toEqual(post);
    expect(socket.state).toBe("open");
  });

  it("reports malformed frames and unknown events, and the socket survives them", async () => {
    const signals = recordSignals(socket);
    const ticks: number[] = [];
    socket.on("tick", (ev) => void ticks.push(ev.data.n));
    await socket.ready();
    server.publishRaw("{oops");
    server.publishRaw("[1,2]");
    server.publishRaw('{"hello":"world"}');
    server.publish("custom_com.example.plugin_refresh", { x: 1 });
    server.publish("tick", { n: 1 });
    await until(() => ticks.length === 1, "the tick after the bad frames");
    const errors = errorsOf(signals);
    expect(errors.map((e) => e.code)).toEqual(["malformed_frame", "malformed_frame", "malformed_frame", "unknown_event"]);
    expect(errors[0]).toMatchObject({ raw: "{oops" });
    expect(errors[3]).toMatchObject({ event: "custom_com.example.plugin_refresh", frame: { data: { x: 1 } } });
    // The unknown event still counted in the sequence: no gap was reported for it.
    expect(signals.some((s) => s.name === "socket:lost")).toBe(false);
    expect(socket.state).toBe("open");
  });

  it("a throwing handler (or a rejected promise) is reported; the other handlers still run", async () => {
    const signals = recordSignals(socket);
    const seen: string[] = [];
    socket.on("tick", () => {
      throw new Error("boom");
    });
    socket.on("tick", async () => {
      throw new Error("async boom");
    });
    socket.on("tick", () => void seen.push("second"));
    socket.on("*", (ev) => {
      if (ev.event === "tick") seen.push("star");
    });
    socket.on("socket:error", () => {
      throw new Error("an error handler that throws is not reported again");
    });
    await socket.ready();
    server.publish("tick", { n: 1 });
    await until(() => errorsOf(signals).length === 2, "two handler errors");
    expect(seen).toEqual(["second", "star"]);
    expect(errorsOf(signals)).toMatchObject([
      { code: "handler_threw", listener: "tick", message: 'a "tick" handler threw: boom' },
      { code: "handler_threw", listener: "tick", message: 'a "tick" handler threw: async boom' },
    ]);
    expect(socket.state).toBe("open");
  });

  it("once() fires once; off() and the returned function unsubscribe", async () => {
    const seen: string[] = [];
    const a = (ev: { data: { n: number } }): void => void seen.push(`a${ev.data.n}`);
    socket.once("tick", (ev) => void seen.push(`once${ev.data.n}`));
    socket.on("tick", a);
    const stop = socket.on("tick", (ev) => {
      seen.push(`b${ev.data.n}`);
      stop();
    });
    await socket.ready();
    server.publish("tick", { n: 1 });
    await until(() => seen.length === 3, "the first tick");
    socket.off("tick", a);
    server.publish("tick", { n: 2 });
    server.publish("tick", { n: 3 });
    // The reply comes after both ticks: had a removed handler run, it would show by now.
    await socket.send("ping");
    expect(seen).toEqual(["once1", "a1", "b1"]);
  });
});

describe("async iteration", () => {
  it("for await yields every event in order and ends when the socket closes", async () => {
    await socket.ready();
    const got: number[] = [];
    const loop = (async () => {
      for await (const ev of socket) if (ev.event === "tick") got.push(ev.data.n);
    })();
    for (let n = 0; n < 100; n++) server.publish("tick", { n });
    await until(() => got.length === 100, "100 ticks");
    await socket.close();
    await loop;
    expect(got).toEqual([...Array(100).keys()]);
  });

  it("drops the oldest event on overflow and hands it to socket:overflow", async () => {
    const overflow: number[] = [];
    socket.on("socket:overflow", (s) => {
      if (s.dropped.event === "tick") overflow.push(s.dropped.data.n);
    });
    await socket.ready();
    const stream = socket.events({ bufferSize: 4 });
    for (let n = 0; n < 10; n++) server.publish("tick", { n });
    await until(() => stream.dropped === 6, "six drops");
    const got: TestEvent[] = [];
    for (let i = 0; i < 4; i++) {
      const next = await stream.next();
      if (!next.done) got.push(next.value);
    }
    expect(got.map((ev) => (ev.event === "tick" ? ev.data.n : -1))).toEqual([6, 7, 8, 9]);
    expect(overflow).toEqual([0, 1, 2, 3, 4, 5]);
    await stream.return();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it("an aborted signal ends the loop without an error, and unsubscribes", async () => {
    await socket.ready();
    const controller = new AbortController();
    const got: number[] = [];
    const loop = (async () => {
      for await (const ev of socket.events({ signal: controller.signal })) {
        if (ev.event === "tick") got.push(ev.data.n);
        if (got.length === 3) controller.abort();
      }
    })();
    for (let n = 0; n < 10; n++) server.publish("tick", { n });
    await loop;
    expect(got).toEqual([0, 1, 2]);
  });
});
