/**
 * `createMattermostSocket`: the core bound to the generated events and actions. Runs when
 * `generated/` exists (`npm test` generates it first); skipped otherwise, since the binding cannot
 * load without it. Type-only imports are erased, so this file loads either way.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import type { WebSocketEvent } from "../../generated/events.js";
import type { Post } from "../../generated/schemas.js";
import type {
  ListenerMap,
  LostSignal,
  MattermostListeners,
  MattermostSocket,
  SocketErrorSignal,
  TypedSocket,
} from "../../runtime/socket/index.js";
import { MockSocketServer } from "../support/mock-socket-server.js";
import { until } from "./helpers.js";

/** Whether two types are identical (not merely assignable both ways). */
type Equals<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
/** The keys of `A` and `B` whose types are not identical, or that only one of them has. */
type Mismatched<A, B> = {
  [K in keyof A | keyof B]: K extends keyof A & keyof B ? (Equals<A[K], B[K]> extends true ? never : K) : K;
}[keyof A | keyof B];

const generated = existsSync(fileURLToPath(new URL("../../generated/events.ts", import.meta.url)));

describe.skipIf(!generated)("createMattermostSocket", () => {
  let server: MockSocketServer;
  let socket: MattermostSocket;

  beforeEach(async () => {
    server = await MockSocketServer.start();
    const { createMattermostSocket } = await import("../../runtime/socket/index.js");
    socket = createMattermostSocket({ url: `${server.url}/api/v4`, token: "test-token", reconnect: { initialDelayMs: 5, maxDelayMs: 20 } });
  });
  afterEach(async () => {
    await socket.close();
    await server.close();
  });

  it("types its listeners with the generated interface, the same members as the map computed from the union", () => {
    // The interface (what createMattermostSocket's type reads, cheap for the compiler) and the
    // mapped type (what createSocket computes from any union) must not drift apart.
    // The names whose payload types differ between the two, or that only one has: none.
    expectTypeOf<Mismatched<MattermostListeners, ListenerMap<WebSocketEvent>>>().toEqualTypeOf<never>();
    expectTypeOf<keyof MattermostListeners>().toEqualTypeOf<keyof ListenerMap<WebSocketEvent>>();
    // createSocket's socket over the same union accepts the same names.
    expectTypeOf<Parameters<MattermostSocket["on"]>[0]>().toEqualTypeOf<Parameters<TypedSocket<WebSocketEvent, never>["on"]>[0]>();
    const typed: MattermostSocket = socket;
    typed.on("*", (ev) => expectTypeOf(ev).toEqualTypeOf<WebSocketEvent>());
    typed.on("socket:lost", (lost) => expectTypeOf(lost).toEqualTypeOf<LostSignal>());
    typed.once("typing", (ev) => expectTypeOf(ev.event).toEqualTypeOf<"typing">());
    // @ts-expect-error: not an event or signal name
    typed.on("not_an_event", () => undefined);
    // @ts-expect-error: a posted handler does not get a typing event
    typed.on("posted", (ev: WebSocketEvent & { event: "typing" }) => ev);
  });

  it("delivers real events typed and decoded with the generated tables, and reports plugin events", async () => {
    const posts: Post[] = [];
    const errors: SocketErrorSignal[] = [];
    socket.on("posted", (ev) => {
      expectTypeOf(ev.data.post).toEqualTypeOf<Post>();
      posts.push(ev.data.post);
    });
    socket.on("socket:error", (error) => void errors.push(error));
    await socket.ready();
    server.publish("custom_com.example.plugin_ping", {});
    server.publish("posted", {
      channel_display_name: "Town Square",
      channel_name: "town-square",
      channel_type: "O",
      post: JSON.stringify({ id: "p1", message: "hello" }),
      mentions: JSON.stringify(["u1"]),
      sender_name: "@a",
      set_online: true,
      team_id: "t1",
    });
    await until(() => posts.length === 1, "the posted event");
    expect(posts[0]).toEqual({ id: "p1", message: "hello" });
    expect(errors.map((e) => e.code)).toEqual(["unknown_event"]);
    await expect(socket.send("get_statuses_by_ids", { user_ids: ["u1"] })).resolves.toEqual({ u1: "offline" });
  });
});
