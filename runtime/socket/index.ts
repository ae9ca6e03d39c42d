/**
 * The WebSocket client bound to the generated event and action types: `createMattermostSocket`.
 *
 * The generic core (`socket.ts`) knows nothing of Mattermost's events; this file gives it the
 * event union, the action map, and the generated `eventTable` (every event name with its JSON-text
 * keys), from `generated/` (see docs/architecture.md, "WebSocket").
 *
 * @module mattermost-typed/socket
 */
import type { WebSocketActions } from "../../generated/actions.js";
import type { WebSocketEvent, WebSocketEventMap } from "../../generated/events.js";
import { eventTable } from "../../generated/events.js";
import { type EventKeys, parseEventTable } from "./decode.js";
import { type TypedSocket, startSocket } from "./socket.js";
import type { SocketOptions, SocketSignals } from "./types.js";

export { SocketError, type SocketErrorCode } from "./errors.js";
export type { ReconnectOptions } from "./reconnect.js";
export { createSocket, type TypedSocket } from "./socket.js";
export type { EventStream, EventStreamOptions } from "./stream.js";
export type * from "./types.js";
export type { SocketExtension, SocketExtensionFactory, SocketExtensionHost } from "./extension.js";

/** Options of `createMattermostSocket`: those of `createSocket` but the event tables, which come from the generated code. */
export type MattermostSocketOptions = Omit<SocketOptions, "decoders" | "knownEvents">;

/**
 * What `on` accepts on a Mattermost socket, and what each handler gets: every event by name, `"*"`
 * for all of them, and the lifecycle signals. The same members as `ListenerMap<WebSocketEvent>`,
 * written as one interface over the generated `WebSocketEventMap` (a type test holds the two
 * equal): a program's type-check reads a handler's type from it without mapping the 99-event union.
 */
export interface MattermostListeners extends WebSocketEventMap, SocketSignals<WebSocketEvent> {
  "*": WebSocketEvent;
}

/** A socket typed with every Mattermost event and action. */
export type MattermostSocket = TypedSocket<WebSocketEvent, WebSocketActions, MattermostListeners>;

let eventKeys: EventKeys | undefined;

/**
 * Connects to a Mattermost server's WebSocket and keeps the connection: typed events, typed
 * actions, resume after reconnects, and a `socket:lost` signal whenever events may have been missed.
 *
 * ```ts
 * const socket = createMattermostSocket({ url: "https://chat.example.com", token });
 * socket.on("posted", (ev) => console.log(ev.data.post.message)); // post arrives decoded
 * socket.on("socket:lost", () => refetch());
 * await socket.send("user_typing", { channel_id });
 * ```
 */
export function createMattermostSocket(options: MattermostSocketOptions): MattermostSocket {
  eventKeys ??= parseEventTable(eventTable);
  return startSocket<WebSocketEvent, WebSocketActions, MattermostListeners>(options, eventKeys);
}
