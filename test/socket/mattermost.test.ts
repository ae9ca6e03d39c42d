/**
 * `createMattermostSocket`: the core bound to the generated events and actions. Runs when
 * `generated/` exists (`npm test` generates it first); skipped otherwise, since the binding cannot
 * load without it. Type-only imports are erased, so this file loads either way.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import type { Post } from "../../generated/schemas.js";
import type { MattermostSocket, SocketErrorSignal } from "../../runtime/socket/index.js";
import { MockSocketServer } from "../support/mock-socket-server.js";
import { until } from "./helpers.js";

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
