/**
 * The one seam between the socket and what can be plugged into it (recovery, `runtime/recover/`).
 * Types only: a socket created without `recover` runs no extension code and its bundle holds none.
 *
 * The socket calls the factory once, when it is created, with itself and two functions. The
 * extension learns of losses through the socket's own signals (`socket:lost`, `socket:hello`,
 * `socket:close`) and sees each event read from the wire before the handlers do: it may take the
 * event (to hand it over later, or to drop a duplicate), and it may deliver events of its own.
 */
import type { EventShape } from "./types.js";

/** What a socket hands its extension. */
export interface SocketExtensionHost {
  /** Subscribes to an event or signal, like the socket's `on`. */
  on(name: string, handler: (payload: never) => unknown): () => void;
  /** Hands an event to the handlers of its name and of `"*"` (and so to `events()` streams), as if it came from the wire. */
  deliver(frame: EventShape): void;
  /** Emits a lifecycle signal to its handlers. */
  signal(name: string, payload: unknown): void;
  /** Closes the socket for good (for an extension that cannot go on, e.g. a store it cannot write). */
  close(): Promise<void>;
}

/** What an extension does with the events the socket reads. */
export interface SocketExtension {
  /**
   * Called for each decoded event before any handler sees it. `true`: the extension took it (it
   * delivers it later with `deliver`, or drops it); `false`: the socket delivers it now.
   */
  intercept(frame: EventShape): boolean;
}

/** Creates the extension of one socket (`SocketOptions.recover`). */
export type SocketExtensionFactory = (host: SocketExtensionHost) => SocketExtension;
