/**
 * Type-level tests, checked (not run) by vitest's typecheck mode with the native TypeScript
 * compiler (vitest.config.ts): `npm test` fails when a type is wrong. `@ts-expect-error` lines are
 * calls that must not compile.
 */
import { describe, expectTypeOf, it } from "vitest";
import type WebSocket from "ws";
import type { SocketError } from "../../runtime/socket/errors.js";
import { createSocket } from "../../runtime/socket/socket.js";
import type {
  CloseSignal,
  HelloSignal,
  LostSignal,
  OverflowSignal,
  ReconnectingSignal,
  ResumedSignal,
  SocketErrorSignal,
  WebSocketConstructor,
} from "../../runtime/socket/types.js";
import type { HelloEvent, Post, PostedEvent, TestActions, TestEvent, TickEvent, TypingEvent } from "./helpers.js";

// The socket is never connected: a closed one is enough for type checks.
function closedSocket() {
  const socket = createSocket<TestEvent, TestActions>({ url: "http://127.0.0.1:1", token: "t", WebSocket: NeverOpens });
  void socket.close();
  return socket;
}

class NeverOpens {
  readyState = 0;
  onopen = null;
  onmessage = null;
  onerror = null;
  onclose = null;
  send(): void {}
  close(): void {}
}

describe("types", () => {
  it("narrows the handler's event by name", () => {
    const socket = closedSocket();
    socket.on("posted", (ev) => {
      expectTypeOf(ev).toEqualTypeOf<PostedEvent>();
      expectTypeOf(ev.data.post).toEqualTypeOf<Post>();
      expectTypeOf(ev.data.mentions).toEqualTypeOf<string[] | undefined>();
    });
    socket.once("typing", (ev) => expectTypeOf(ev).toEqualTypeOf<TypingEvent>());
    socket.on("hello", (ev) => expectTypeOf(ev.data.connection_id).toBeString());
    socket.on("*", (ev) => {
      expectTypeOf(ev).toEqualTypeOf<TestEvent>();
      if (ev.event === "tick") expectTypeOf(ev).toEqualTypeOf<TickEvent>();
    });
    const off = socket.on("tick", (ev) => expectTypeOf(ev.data.n).toBeNumber());
    expectTypeOf(off).toEqualTypeOf<() => void>();

    // @ts-expect-error not an event of the map
    socket.on("postd", () => {});
    // @ts-expect-error the handler of "typing" does not get a PostedEvent
    socket.on("typing", (ev: PostedEvent) => ev);
    // @ts-expect-error hello events have no post
    socket.on("hello", (ev: HelloEvent) => ev.data.post);
  });

  it("types the lifecycle signals through the same on()", () => {
    const socket = closedSocket();
    socket.on("socket:hello", (s) => expectTypeOf(s).toEqualTypeOf<HelloSignal>());
    socket.on("socket:resumed", (s) => expectTypeOf(s).toEqualTypeOf<ResumedSignal>());
    socket.on("socket:reconnecting", (s) => expectTypeOf(s).toEqualTypeOf<ReconnectingSignal>());
    socket.on("socket:close", (s) => expectTypeOf(s).toEqualTypeOf<CloseSignal>());
    socket.on("socket:overflow", (s) => expectTypeOf(s).toEqualTypeOf<OverflowSignal<TestEvent>>());
    socket.on("socket:lost", (s) => {
      expectTypeOf(s).toEqualTypeOf<LostSignal>();
      expectTypeOf(s.toSeq).toEqualTypeOf<number | null>();
    });
    socket.on("socket:error", (s) => {
      expectTypeOf(s).toEqualTypeOf<SocketErrorSignal>();
      if (s.code === "decode_failed") {
        expectTypeOf(s.key).toBeString();
        expectTypeOf(s.event).toBeString();
      }
    });
    // @ts-expect-error not a signal
    socket.on("socket:opened", () => {});
  });

  it("types actions: data required only when the request has a required key, reply by action", () => {
    const socket = closedSocket();
    const noop = (): void => {};
    const ping = socket.send("ping");
    ping.catch(noop);
    expectTypeOf(ping).toEqualTypeOf<Promise<TestActions["ping"]["reply"]>>();
    socket.send("get_statuses", {}, { timeoutMs: 100 }).catch(noop);
    socket.send("slow").catch(noop);
    socket.send("user_typing", { channel_id: "c" }).catch(noop);
    const statuses = socket.send("get_statuses_by_ids", { user_ids: ["a"] });
    statuses.catch(noop);
    expectTypeOf(statuses).resolves.toEqualTypeOf<Record<string, "online" | "away" | "dnd" | "offline">>();
    // @ts-expect-error channel_id is required
    socket.send("user_typing").catch(noop);
    // @ts-expect-error wrong data type
    socket.send("user_typing", { channel_id: 1 }).catch(noop);
    // @ts-expect-error not an action of the map
    socket.send("pong").catch(noop);
  });

  it("iterates events of the union", async () => {
    const socket = closedSocket();
    for await (const ev of socket) expectTypeOf(ev).toEqualTypeOf<TestEvent>();
    for await (const ev of socket.events({ bufferSize: 10 })) expectTypeOf(ev).toEqualTypeOf<TestEvent>();
  });

  it("accepts an interface as the action map, and the browser's and ws's WebSocket classes", () => {
    interface InterfaceActions {
      ping: { request: Record<string, never>; reply: { text: string } };
    }
    const socket = createSocket<TestEvent, InterfaceActions>({ url: "http://127.0.0.1:1", token: "t", WebSocket: NeverOpens });
    void socket.close();
    expectTypeOf<typeof WebSocket>().toExtend<WebSocketConstructor>();
    expectTypeOf<typeof globalThis.WebSocket>().toExtend<WebSocketConstructor>();
    expectTypeOf<SocketError["code"]>().toEqualTypeOf<
      "action_failed" | "timeout" | "too_large" | "connection_lost" | "closed" | "aborted"
    >();
  });
});
