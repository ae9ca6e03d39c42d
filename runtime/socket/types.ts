/**
 * The public types of the WebSocket client: what it is generic over (the event union `E` and the
 * action map `A`), its options, the lifecycle signals and the one listener map that joins them.
 *
 * Nothing here depends on generated code: `runtime/socket/index.ts` binds these to
 * `generated/events.ts` and `generated/actions.ts`.
 */
import type { AppErrorBody } from "../errors.js";
import type { SocketExtensionFactory } from "./extension.js";
import type { ReconnectOptions } from "./reconnect.js";

/** The least a server event must have: its name (the discriminant), its payload and its sequence number. */
export interface EventShape {
  event: string;
  data: unknown;
  seq: number;
}

/** One client action: what the client sends in `data` and what the reply carries in `data`. */
export interface ActionShape {
  request: unknown;
  reply: unknown;
}

/**
 * The constraint on an action map. Written as a mapped type rather than `Record<string, ActionShape>`
 * so that an `interface` (which has no index signature) satisfies it.
 */
export type ActionMap<A> = { [K in keyof A]: ActionShape };

/** The names of the actions of `A`. */
export type ActionName<A extends ActionMap<A>> = keyof A & string;

/** What `send` resolves with: the reply's `data` (`undefined` when the server sent none). */
export type ActionReply<A extends ActionMap<A>, K extends ActionName<A>> = A[K]["reply"];

/** The arguments of `send` after the action name: `data` may be left out when it has no required key. */
export type ActionArgs<A extends ActionMap<A>, K extends ActionName<A>> =
  Record<never, never> extends A[K]["request"]
    ? [data?: A[K]["request"], options?: SendOptions]
    : undefined extends A[K]["request"]
      ? [data?: A[K]["request"], options?: SendOptions]
      : [data: A[K]["request"], options?: SendOptions];

/** Per-call options of `send`. */
export interface SendOptions {
  /** How long to wait for the reply, in milliseconds (default: the socket's `actionTimeoutMs`; 0 waits forever). */
  readonly timeoutMs?: number;
  /** Gives up waiting (the request may still have reached the server): rejects with code `aborted`. */
  readonly signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------
// The transport: the part of the WebSocket API the client uses. Both the browser's `WebSocket` and
// the `ws` package's fit it (checked in test/socket/types.test.ts).
// ---------------------------------------------------------------------------------------------

/** A handler type checked bivariantly, so that implementations with richer event types fit. */
type Handler<T> = { bivarianceHack(event: T): void }["bivarianceHack"];

/** An open or opening WebSocket connection. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ readonly data: unknown }> | null;
  onerror: Handler<unknown> | null;
  onclose: Handler<{ readonly code: number; readonly reason: string }> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: destroys the connection at once, without the closing handshake. */
  terminate?(): void;
}

/** A WebSocket constructor. The third argument is honored by `ws` (headers) and ignored by browsers. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/** Options of `createSocket`. */
export interface SocketOptions {
  /**
   * The server: `https://chat.example.com`, with or without `/api/v4` (a sub-path install such as
   * `https://example.com/chat` works); `ws:`/`wss:` URLs and a full `.../api/v4/websocket` are kept.
   */
  readonly url: string;
  /**
   * A personal access token, bot token or session token, or a function returning one (called before
   * each connection attempt, so it can refresh). Sent in the `authentication_challenge` action and,
   * where the platform allows it (Node with `ws`), as `Authorization: Bearer`, which the server needs
   * to resume a session after a reconnect.
   *
   * In a browser, `""` on the server's own origin after a cookie login (`createClient({ session:
   * "browser" })` and `login`): the session cookie authenticates the upgrade, and reconnects resume.
   * A token in a browser cannot resume: the browser's `WebSocket` cannot send a header, so the token
   * only goes in after the upgrade, and the server does not attach a reconnect it could not
   * authenticate to the old session. Every reconnect then starts a new session, signalled with
   * `socket:lost` (`new_session`): refetch, or pass `recover`.
   */
  readonly token: string | (() => string | Promise<string>);
  /** For each event name, the `data` keys whose values arrive as JSON text and are parsed before handlers see them. */
  readonly decoders?: Readonly<Record<string, readonly string[] | undefined>>;
  /**
   * The event names the event type `E` describes. An event with another name (a plugin's
   * `custom_<plugin>_<event>`, or one from a newer server) is not given to handlers: it is reported
   * as a `socket:error` with code `unknown_event`, frame included. Absent: every name is accepted.
   */
  readonly knownEvents?: Iterable<string>;
  /** The WebSocket implementation (default: `ws` on Node, loaded on first connect; the global `WebSocket` elsewhere). */
  readonly WebSocket?: WebSocketConstructor;
  /** Reconnection backoff (see `ReconnectOptions` for the defaults). */
  readonly reconnect?: Partial<ReconnectOptions>;
  /** How often a `ping` action checks that the connection is alive, in milliseconds (default 30 000; 0 disables it). */
  readonly pingIntervalMs?: number;
  /** How long a `ping` may go unanswered before the connection counts as dropped, in milliseconds (default 10 000). */
  readonly pongTimeoutMs?: number;
  /** Default reply timeout of `send`, in milliseconds (default 30 000; 0 waits forever). */
  readonly actionTimeoutMs?: number;
  /** Longest time from starting a connection attempt to being ready (hello, or resume confirmed), in milliseconds (default 30 000). */
  readonly connectTimeoutMs?: number;
  /** Default buffer size of async iteration (`events()`, `for await`), in events (default 1 024). */
  readonly bufferSize?: number;
  /** Ask the server for `should_ack` on `posted` events (the `posted_ack=true` query parameter). */
  readonly postedAck?: boolean;
  /**
   * Recovery of what the socket missed, through REST: `recover: recovery({ client, ... })` from
   * `mattermost-typed/recover` (see docs/api/mattermost-typed/recover.md). Absent: losses are only signalled.
   */
  readonly recover?: SocketExtensionFactory;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle signals, delivered through `on` under names that no server event can have.
// ---------------------------------------------------------------------------------------------

/** Why a connection ended before `close()`. */
export type DropReason =
  /** The connection closed: by the server, a proxy or the network (1006 = no close frame). */
  | { readonly kind: "closed"; readonly code: number; readonly reason: string }
  /** No reply to a keepalive `ping` within `pongTimeoutMs`, or an error reply to it. */
  | { readonly kind: "ping_failed"; readonly message: string }
  /** Not ready within `connectTimeoutMs`. */
  | { readonly kind: "connect_timeout"; readonly timeoutMs: number }
  /** The connection could not be started or written to (see the `socket:error` before it). */
  | { readonly kind: "error"; readonly message: string }
  /** The server refused the session (see the `socket:error` with code `auth_failed` before it). */
  | { readonly kind: "auth_failed"; readonly message: string };

/** `socket:open`: the transport is open; authentication starts. */
export interface OpenSignal {
  /** The URL connected to (it never holds the token). */
  readonly url: string;
  /** Consecutive failed attempts before this one (0 on a healthy first try). */
  readonly attempt: number;
  /** Whether this attempt asks the server to resume a session (`connection_id` and `sequence_number` sent). */
  readonly resuming: boolean;
}

/** `socket:hello`: a new server session started (first connection, or a resume the server could not honor). */
export interface HelloSignal {
  readonly connectionId: string;
  /** `<version>.<build number>.<config hash>.<licensed>` as the server sends it. */
  readonly serverVersion: string;
  readonly serverHostname: string | undefined;
  /** `true` for the first session of this socket; `false` when it replaces one (a `socket:lost` came before). */
  readonly first: boolean;
}

/** `socket:resumed`: after a reconnect, the server kept the session and replayed what was missed. */
export interface ResumedSignal {
  readonly connectionId: string;
  /** Events the server replayed during the handshake (from its send queue, up to 256, and its dead queue, the last 128 written) (delivered before this signal). */
  readonly replayed: number;
  /** Time from the drop to the resume, in milliseconds. */
  readonly disconnectedMs: number;
}

/** `socket:reconnecting`: the connection dropped or an attempt failed; the next attempt is scheduled. */
export interface ReconnectingSignal {
  /** The attempt about to be made (1 for the first after a drop). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: DropReason;
}

/**
 * `socket:lost`: events may have been missed and cannot be replayed. Refetch whatever state you
 * keep from events (unread counts, posts of open channels) for the time since `disconnectedAt`.
 */
export interface LostSignal {
  /**
   * `new_session`: the server could not resume and started a new session: the next event was no
   * longer among the last 128 it wrote (its dead queue), more than 256 events waited while the
   * client was away (its send queue overflowed), the close said the stream was broken, it restarted, it still held the old connection open (a drop it has not
   * noticed yet), or the reconnect was not authenticated by header (browsers). How many events
   * were missed, if any, is unknown.
   * `sequence_gap`: the server skipped sequence numbers; exactly `fromSeq`..`toSeq` are missing.
   */
  readonly reason: "new_session" | "sequence_gap";
  /** The first missing sequence number, in the numbering of `previousConnectionId`'s session. */
  readonly fromSeq: number;
  /** The last missing one, or `null` when unknown (a new session: everything from `fromSeq` on is gone). */
  readonly toSeq: number | null;
  readonly previousConnectionId: string;
  readonly connectionId: string;
  /** When the connection dropped (epoch milliseconds), or `null` for a gap on a live connection. */
  readonly disconnectedAt: number | null;
  /** How long it was disconnected, in milliseconds (0 for a gap on a live connection). */
  readonly disconnectedMs: number;
}

/** `socket:close`: the socket is closed for good; no event, signal or reconnect follows. */
export interface CloseSignal {
  /**
   * `closed`: `close()` was called. `gave_up`: `reconnect.maxAttempts` attempts failed in a row, or
   * a close that retrying cannot mend (see `CLOSE_CODES`). `auth_failed`: the server refused the
   * token (a `socket:error` with code `auth_failed` came before).
   */
  readonly reason: "closed" | "gave_up" | "auth_failed";
  /** For `gave_up` and `auth_failed`: why the last attempt failed. */
  readonly lastDrop: DropReason | undefined;
}

/** An event frame the client did not hand to handlers, as received. */
export interface RawEventFrame {
  readonly event: string;
  readonly data: unknown;
  readonly seq: number;
  readonly broadcast?: unknown;
}

/** `socket:error`: something went wrong that did not stop the socket. Branch on `code`. */
export type SocketErrorSignal =
  /** A frame that is not JSON, not an object, binary, or neither an event nor a reply. Skipped. */
  | { readonly code: "malformed_frame"; readonly message: string; readonly raw: string | null; readonly cause: unknown }
  /**
   * A JSON-text field (`decoders`) that does not parse. The event is NOT given to handlers (its type
   * promises the decoded value); `raw` is the whole frame as received.
   */
  | {
      readonly code: "decode_failed";
      readonly message: string;
      readonly event: string;
      readonly key: string;
      readonly seq: number;
      readonly raw: string;
      readonly cause: unknown;
    }
  /** An event whose name is not in `knownEvents` (a plugin event, or a newer server). Not given to handlers. */
  | { readonly code: "unknown_event"; readonly message: string; readonly event: string; readonly frame: RawEventFrame }
  /** A handler threw, or the promise it returned rejected. The other handlers still ran. */
  | { readonly code: "handler_threw"; readonly message: string; readonly listener: string; readonly cause: unknown }
  /** The transport failed to open or reported an error; a reconnect follows. */
  | { readonly code: "transport"; readonly message: string; readonly cause: unknown }
  /**
   * The server refused the token: HTTP 401 on the upgrade, an error reply to the authentication
   * challenge, or (how the real server refuses one) a connection closed without a close frame
   * after the upgrade, before the hello, when `GET /api/v4/users/me` then answers 401 to the token.
   * The socket closes (`socket:close` with reason `auth_failed`); it does not retry.
   */
  | { readonly code: "auth_failed"; readonly message: string; readonly serverError: AppErrorBody | undefined }
  /**
   * An event numbered far past the next one expected (more than 1 024 ahead, `MAX_SEQ_JUMP`): a number
   * not to be believed. The event is not given to handlers (`frame` holds it) and numbering goes on
   * from `expected`, so later, correctly numbered events are delivered. If the next event continues
   * from it, the server really numbers from there: a `socket:lost` (`sequence_gap`) follows.
   */
  | {
      readonly code: "sequence_jump";
      readonly message: string;
      readonly seq: number;
      readonly expected: number;
      readonly frame: RawEventFrame;
    }
  /** The `token` function threw or rejected; a reconnect follows. */
  | { readonly code: "token_failed"; readonly message: string; readonly cause: unknown };

/** The error codes of `socket:error`. */
export type SocketErrorSignalCode = SocketErrorSignal["code"];

/** `socket:overflow`: an `events()` stream's buffer was full; its oldest event was dropped and is handed over here. */
export interface OverflowSignal<E> {
  /** The event dropped from the stream (handlers registered with `on` got it). */
  readonly dropped: E;
  /** Events this stream has dropped so far. */
  readonly droppedTotal: number;
  readonly bufferSize: number;
}

/** The lifecycle signals, by listener name. */
export interface SocketSignals<E> {
  "socket:open": OpenSignal;
  "socket:hello": HelloSignal;
  "socket:resumed": ResumedSignal;
  "socket:reconnecting": ReconnectingSignal;
  "socket:lost": LostSignal;
  "socket:close": CloseSignal;
  "socket:error": SocketErrorSignal;
  "socket:overflow": OverflowSignal<E>;
}

/** The names of the lifecycle signals. */
export type SocketSignalName = keyof SocketSignals<unknown>;

/** Server events by name: each name maps to its own member of the union. */
// A key remapping over the union's members, not `Extract` per name: the same type, with about 15
// times fewer instantiations for the 99-event union (type-check time is a benchmark of issue 9).
export type EventsByName<E extends EventShape> = { [M in E as M["event"]]: M };

/** Everything `on` listens to: each event by name, `"*"` for every event, and the lifecycle signals. */
export type ListenerMap<E extends EventShape> = EventsByName<E> & { "*": E } & SocketSignals<E>;

/** A name `on` accepts. */
export type ListenerName<E extends EventShape> = keyof ListenerMap<E> & string;

/** A handler for `name`: it gets the narrowed event or signal. A returned promise that rejects is reported like a throw. */
export type Listener<E extends EventShape, N extends ListenerName<E>> = (payload: ListenerMap<E>[N]) => unknown;

/** `Listener` for a socket whose listener map `M` is given (`TypedSocket`'s third parameter). */
export type ListenerOf<M, N extends keyof M> = (payload: M[N]) => unknown;

/** Removes the handler it was returned for. Calling it again does nothing. */
export type Unsubscribe = () => void;

/** Where the socket is. */
export type SocketState =
  /** Getting the token and opening the transport. */
  | "connecting"
  /** Open; waiting for `hello` or the confirmation of a resume. */
  | "authenticating"
  /** Ready: actions are sent at once, keepalive runs. */
  | "open"
  /** Waiting before the next attempt. */
  | "reconnecting"
  /** Closed for good. */
  | "closed";
