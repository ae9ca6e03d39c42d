/**
 * `mattermost-typed/recover`: recovery of what the socket missed, through REST. Its own entry, so
 * that a bundle without recovery carries none of it (test/socket/bundle.test.ts).
 *
 * ```ts
 * import { createClient } from "mattermost-typed";
 * import { createMattermostSocket } from "mattermost-typed/socket";
 * import { recovery } from "mattermost-typed/recover";
 * const client = createClient({ baseUrl, token });
 * const socket = createMattermostSocket({ url: baseUrl, token, recover: recovery({ client }) });
 * socket.on("posted", (ev) => handle(ev.data.post)); // unchanged: missed posts come here too, ev.recovered === true
 * socket.on("socket:recovered", (done) => console.log(`${done.posts} missed posts delivered`));
 * ```
 *
 * @module mattermost-typed/recover
 */
import type { RecoveredSignal, RecoveryFailedSignal } from "./recovery.js";

export { type ChannelCursor, type CursorState, type CursorStore, memoryCursorStore } from "./cursors.js";
export { type RecoveredChannel, type RecoveredSignal, type RecoveryFailedSignal, type RecoveryOptions, recovery } from "./recovery.js";

// With this entry imported, `on` knows the signals recovery emits, and events say whether they were recovered.
declare module "../socket/types.js" {
  interface SocketSignals<E> {
    /** A recovery finished: what it fetched was delivered before this signal (counts per channel). */
    "socket:recovered": RecoveredSignal;
    /** A request of a recovery failed; it is retried (held events wait). */
    "socket:recovery_failed": RecoveryFailedSignal;
  }
}

declare module "../../generated/events.js" {
  interface WebSocketEventBase {
    /** `true` on a `posted` or `post_edited` event that recovery fetched through REST (its `seq` is -1); absent on events from the wire. */
    recovered?: true;
  }
}
