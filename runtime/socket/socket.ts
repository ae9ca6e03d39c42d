/**
 * The WebSocket client, generic over the event union `E` and the action map `A`.
 *
 * Connection lifecycle (each step is one method below):
 *
 *   connect ──► (transport open) handleOpen ──► authenticating ──► hello ──────────► open
 *      ▲          sends authentication_challenge       │      or probe reply (resume)   │
 *      │          and a `ping` probe                   ▼                                ▼
 *      └──── backoff timer ◄──── drop (close, error, ping or connect timeout) ◄────────┘
 *
 * Resume. The server numbers the events of a session (`seq`, hello = 0) and keeps the last 128 it
 * wrote. A reconnect sends `connection_id` and `sequence_number` = the next seq wanted; the server
 * then either replays from there (no `hello`), or, when it cannot (the seq left its buffer, it
 * restarted, or it could not authenticate the upgrade request: browsers cannot send the header),
 * starts a new session with a `hello` carrying a new `connection_id`. Since a successful resume
 * sends nothing at all when nothing was missed, the client writes a `ping` right after the
 * authentication challenge: the server writes any `hello` or replay before that ping's reply, so
 * a reply with no `hello` before it confirms the resume (`socket:resumed`).
 *
 * Delivery. Events are delivered in `seq` order, each once: a seq below the next expected one is a
 * replay of something already delivered and is dropped; a seq above it is a gap, signalled with
 * `socket:lost` before the event is delivered. A new session is signalled the same way.
 */
import type { AppErrorBody } from "../errors.js";
import { ActionTable, type FrameWriter, aborted } from "./actions.js";
import { abortTransport, closeTransport, connectUrl, loadWebSocket, openTransport, websocketEndpoint } from "./connection.js";
import { type DecoderTable, compileDecoders, decodeFields } from "./decode.js";
import { SocketError } from "./errors.js";
import { Keepalive } from "./keepalive.js";
import { ListenerRegistry } from "./listeners.js";
import { type ReconnectOptions, backoffDelay, resolveReconnect } from "./reconnect.js";
import { EventStream, type EventStreamOptions } from "./stream.js";
import type {
  ActionArgs,
  ActionMap,
  ActionName,
  ActionReply,
  ActionShape,
  CloseSignal,
  DropReason,
  EventShape,
  HelloSignal,
  Listener,
  ListenerName,
  RawEventFrame,
  SocketErrorSignal,
  SocketOptions,
  SocketSignalName,
  SocketSignals,
  SocketState,
  Unsubscribe,
  WebSocketConstructor,
  WebSocketLike,
} from "./types.js";

/** The WebSocket client. Create one with `createSocket` (or `createMattermostSocket` for the generated types). */
export interface TypedSocket<E extends EventShape, A extends ActionMap<A>> extends AsyncIterable<E> {
  /** Where the connection is; see `SocketState`. */
  readonly state: SocketState;
  /** The server session (from `hello`), kept across resumed reconnects; `null` before the first `hello`. */
  readonly connectionId: string | null;
  /** The `seq` of the last event received in the current session, or `null` before any. */
  readonly lastSeq: number | null;

  /**
   * Calls `handler` for each event named `name` (narrowed to its type), for every event (`"*"`), or
   * for a lifecycle signal (`"socket:lost"`, ...). Returns the function that unsubscribes it.
   */
  on<N extends ListenerName<E>>(name: N, handler: Listener<E, N>): Unsubscribe;
  /** Like `on`, for the next occurrence only. */
  once<N extends ListenerName<E>>(name: N, handler: Listener<E, N>): Unsubscribe;
  /** Removes a handler added with `on` or `once` (its first registration under `name`). */
  off<N extends ListenerName<E>>(name: N, handler: Listener<E, N>): void;

  /** The events as an async iterator with a bounded buffer (see `EventStream` for the overflow policy). */
  events(options?: EventStreamOptions): EventStream<E>;
  /** `for await (const ev of socket)`: the same as iterating `socket.events()`. */
  [Symbol.asyncIterator](): EventStream<E>;

  /**
   * Sends an action and resolves with the reply's `data`. While disconnected, the request waits for
   * the next connection (its timeout running). Rejects with a `SocketError`: `action_failed` (the
   * server answered FAIL), `timeout`, `too_large` (over 8 KiB, not sent), `connection_lost` (dropped
   * after sending; not retried), `closed`, `aborted`.
   */
  send<K extends ActionName<A>>(action: K, ...args: ActionArgs<A, K>): Promise<ActionReply<A, K>>;

  /** Resolves when the socket is ready (at once if it is); rejects with a `SocketError` `closed` or `aborted`. */
  ready(options?: { readonly signal?: AbortSignal }): Promise<void>;

  /**
   * Closes for good, from any state (connecting, waiting to reconnect, open). At once: pending
   * `send`s and `ready`s reject with `closed`, iterators end, timers stop, `socket:close` is
   * emitted. The promise resolves when the transport is closed (after at most a second).
   */
  close(): Promise<void>;
}

/**
 * Creates a socket and starts connecting. Attach handlers right away: nothing is delivered before
 * the current task ends.
 *
 * ```ts
 * const socket = createSocket<MyEvent, MyActions>({ url: "https://chat.example.com", token });
 * socket.on("posted", (ev) => console.log(ev.data.post.message));
 * socket.on("socket:lost", (lost) => refetchSince(lost.disconnectedAt));
 * ```
 */
export function createSocket<E extends EventShape, A extends ActionMap<A> = Record<never, ActionShape>>(
  options: SocketOptions,
): TypedSocket<E, A> {
  return new Socket<E, A>(options);
}

const defaults = {
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  actionTimeoutMs: 30_000,
  connectTimeoutMs: 30_000,
  bufferSize: 1_024,
};

/** How long `close()` waits for the server to answer the closing handshake before destroying the connection. */
const CLOSE_GRACE_MS = 1_000;
/** The close code for a connection given up after a failed ping (the server's `clientPingTimeoutErrCode`). */
const PING_TIMEOUT_CODE = 4000;

interface Handshake {
  readonly authSeq: number;
  readonly probeSeq: number;
  /** Events received during the handshake (the server's replay, when resuming). */
  replayed: number;
}

interface ReadyWaiter {
  readonly resolve: () => void;
  readonly reject: (error: SocketError) => void;
}

class Socket<E extends EventShape, A extends ActionMap<A>> implements TypedSocket<E, A> {
  private readonly endpoint: URL;
  private readonly token: SocketOptions["token"];
  private readonly decoders: DecoderTable | null;
  private readonly known: ReadonlySet<string> | null;
  private readonly policy: ReconnectOptions;
  private readonly postedAck: boolean;
  private readonly pongTimeoutMs: number;
  private readonly actionTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly bufferSize: number;
  private readonly listeners: ListenerRegistry;
  private readonly actions = new ActionTable();
  private readonly keepalive: Keepalive;
  private WebSocketClass: WebSocketConstructor | undefined;

  private stateValue: SocketState = "connecting";
  /** Bumped whenever a connection attempt ends: callbacks of older attempts compare and do nothing. */
  private generation = 0;
  private transport: WebSocketLike | null = null;
  private writer: FrameWriter | null = null;
  private handshake: Handshake | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failed attempts in a row. */
  private attempt = 0;
  private connectionIdValue: string | null = null;
  /** The next `seq` expected in the current session. */
  private nextSeq = 0;
  /** When the last drop happened, until the next connection is ready; `null` while connected. */
  private disconnectedAt: number | null = null;
  private lastCloseCode: number | null = null;
  private closing: Promise<void> | undefined;
  private readonly readyWaiters = new Set<ReadyWaiter>();
  private readonly streams = new Set<EventStream<E>>();

  constructor(options: SocketOptions) {
    this.endpoint = websocketEndpoint(options.url);
    if (typeof options.token !== "string" && typeof options.token !== "function") {
      throw new TypeError("createSocket: token must be a string or a function returning one");
    }
    this.token = options.token;
    this.decoders = compileDecoders(options.decoders);
    this.known = options.knownEvents === undefined ? null : new Set(options.knownEvents);
    this.policy = resolveReconnect(options.reconnect);
    this.postedAck = options.postedAck === true;
    this.WebSocketClass = options.WebSocket;
    const pingIntervalMs = numberOption("pingIntervalMs", options.pingIntervalMs, defaults.pingIntervalMs, 0);
    this.pongTimeoutMs = numberOption("pongTimeoutMs", options.pongTimeoutMs, defaults.pongTimeoutMs, 1);
    this.actionTimeoutMs = numberOption("actionTimeoutMs", options.actionTimeoutMs, defaults.actionTimeoutMs, 0);
    this.connectTimeoutMs = numberOption("connectTimeoutMs", options.connectTimeoutMs, defaults.connectTimeoutMs, 1);
    this.bufferSize = numberOption("bufferSize", options.bufferSize, defaults.bufferSize, 1);
    this.listeners = new ListenerRegistry((name, error) => {
      // A throwing error handler is not reported again (that could loop).
      if (name !== "socket:error") {
        this.reportError({ code: "handler_threw", message: `a "${name}" handler threw: ${messageOf(error)}`, listener: name, cause: error });
      }
    });
    this.keepalive = new Keepalive(
      pingIntervalMs,
      () => this.actions.request("ping", undefined, this.pongTimeoutMs, undefined),
      (error) => this.drop(this.generation, { kind: "ping_failed", message: messageOf(error) }),
    );
    void this.connect();
  }

  get state(): SocketState {
    return this.stateValue;
  }

  get connectionId(): string | null {
    return this.connectionIdValue;
  }

  get lastSeq(): number | null {
    return this.connectionIdValue === null || this.nextSeq === 0 ? null : this.nextSeq - 1;
  }

  // --- listeners -----------------------------------------------------------------------------

  on<N extends ListenerName<E>>(name: N, handler: Listener<E, N>): Unsubscribe {
    return this.listeners.add(name, checkHandler(name, handler) as (payload: unknown) => unknown, false);
  }

  once<N extends ListenerName<E>>(name: N, handler: Listener<E, N>): Unsubscribe {
    return this.listeners.add(name, checkHandler(name, handler) as (payload: unknown) => unknown, true);
  }

  off<N extends ListenerName<E>>(name: N, handler: Listener<E, N>): void {
    this.listeners.remove(name, handler as (payload: unknown) => unknown);
  }

  events(options?: EventStreamOptions): EventStream<E> {
    const stream = new EventStream<E>(
      options?.bufferSize ?? this.bufferSize,
      (push) => this.listeners.add("*", push as (payload: unknown) => unknown, false),
      (dropped, droppedTotal, source) => this.signal("socket:overflow", { dropped, droppedTotal, bufferSize: source.bufferSize }),
      (source) => this.streams.delete(source),
      options?.signal,
    );
    if (this.stateValue === "closed") stream.end();
    else if (!stream.ended) this.streams.add(stream);
    return stream;
  }

  [Symbol.asyncIterator](): EventStream<E> {
    return this.events();
  }

  // --- actions -------------------------------------------------------------------------------

  send<K extends ActionName<A>>(action: K, ...args: ActionArgs<A, K>): Promise<ActionReply<A, K>> {
    const [data, options] = args;
    if (this.stateValue === "closed") {
      return Promise.reject(new SocketError("closed", action, null, `send("${action}"): the socket is closed`));
    }
    return this.actions.request(action, data, options?.timeoutMs ?? this.actionTimeoutMs, options?.signal) as Promise<ActionReply<A, K>>;
  }

  ready(options?: { readonly signal?: AbortSignal }): Promise<void> {
    if (this.stateValue === "open") return Promise.resolve();
    if (this.stateValue === "closed") return Promise.reject(new SocketError("closed", null, null, "ready(): the socket is closed"));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(aborted(null, null, signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => settle(aborted(null, null, signal as AbortSignal));
      const settle = (error?: SocketError): void => {
        this.readyWaiters.delete(waiter);
        signal?.removeEventListener("abort", onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const waiter: ReadyWaiter = { resolve: () => settle(), reject: settle };
      this.readyWaiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown({ reason: "closed", lastDrop: undefined });
    return this.closing;
  }

  // --- connection lifecycle ------------------------------------------------------------------

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.stateValue = "connecting";
    this.connectTimer = setTimeout(() => {
      this.drop(generation, { kind: "connect_timeout", timeoutMs: this.connectTimeoutMs });
    }, this.connectTimeoutMs);

    let token: string;
    try {
      token = typeof this.token === "function" ? await this.token() : this.token;
      if (typeof token !== "string") throw new TypeError(`it returned ${typeof token}, not a string`);
    } catch (cause) {
      if (generation !== this.generation) return;
      this.reportError({ code: "token_failed", message: `the token function failed: ${messageOf(cause)}; retrying with backoff`, cause });
      this.drop(generation, { kind: "error", message: `token function failed: ${messageOf(cause)}` });
      return;
    }
    if (generation !== this.generation) return;

    let WebSocketClass = this.WebSocketClass;
    if (WebSocketClass === undefined) {
      try {
        WebSocketClass = this.WebSocketClass = await loadWebSocket();
      } catch (cause) {
        if (generation !== this.generation) return;
        // No implementation will appear by waiting: give up at once.
        const message = messageOf(cause);
        this.reportError({ code: "transport", message, cause });
        this.closing ??= this.shutdown({ reason: "gave_up", lastDrop: { kind: "error", message } });
        return;
      }
      if (generation !== this.generation) return;
    }

    const resume = this.connectionIdValue === null ? null : { connectionId: this.connectionIdValue, sequenceNumber: this.nextSeq };
    const url = connectUrl(this.endpoint, { resume, postedAck: this.postedAck, disconnectErrCode: this.lastCloseCode });
    let ws: WebSocketLike;
    try {
      ws = openTransport(WebSocketClass, url, token);
    } catch (cause) {
      this.reportError({ code: "transport", message: `could not open ${url}: ${messageOf(cause)}`, cause });
      this.drop(generation, { kind: "error", message: messageOf(cause) });
      return;
    }
    this.transport = ws;
    ws.onopen = () => this.handleOpen(generation, ws, token, url, resume !== null);
    ws.onmessage = (event) => {
      if (generation === this.generation) this.handleFrame(generation, event.data);
    };
    ws.onerror = (event) => this.handleTransportError(generation, event);
    ws.onclose = (event) => this.drop(generation, { kind: "closed", code: event.code, reason: event.reason });
  }

  private handleOpen(generation: number, ws: WebSocketLike, token: string, url: string, resuming: boolean): void {
    if (generation !== this.generation) return;
    this.stateValue = "authenticating";
    const handshake: Handshake = { authSeq: this.actions.allocateSeq(), probeSeq: this.actions.allocateSeq(), replayed: 0 };
    this.handshake = handshake;
    this.writer = (frame) => {
      if (generation !== this.generation) return false;
      try {
        ws.send(frame);
        return true;
      } catch (cause) {
        // Dropped on a later tick, so that no caller is re-entered half-way through a write.
        queueMicrotask(() => this.drop(generation, { kind: "error", message: `write failed: ${messageOf(cause)}` }));
        return false;
      }
    };
    this.signal("socket:open", { url, attempt: this.attempt, resuming });
    if (generation !== this.generation) return;
    // The challenge gets no reply when the upgrade request already authenticated (Authorization
    // header); the probe's reply comes after whatever the server writes first (hello or replay).
    if (this.writer(this.actions.encode("authentication_challenge", handshake.authSeq, { token }))) {
      this.writer(this.actions.encode("ping", handshake.probeSeq, undefined));
    }
  }

  private handleTransportError(generation: number, event: unknown): void {
    if (generation !== this.generation) return;
    const detail = (event as { message?: unknown; error?: unknown } | null) ?? {};
    const message = typeof detail.message === "string" && detail.message !== "" ? detail.message : "WebSocket error";
    // `ws` reports a refused upgrade as "Unexpected server response: 401"; browsers say nothing.
    if (/server response: 401\b/.test(message)) {
      this.reportError({
        code: "auth_failed",
        message: `the server refused the token (${message}); check the token, retrying with backoff`,
        serverError: undefined,
      });
      this.drop(generation, { kind: "auth_failed", message });
      return;
    }
    this.reportError({ code: "transport", message, cause: detail.error ?? event });
    this.drop(generation, { kind: "error", message });
  }

  /** The connection attempt `generation` ended: schedule the next one, or give up. */
  private drop(generation: number, reason: DropReason): void {
    if (generation !== this.generation || this.stateValue === "closed") return;
    this.generation++;
    const ws = this.transport;
    this.transport = null;
    this.writer = null;
    if (ws !== null) abortTransport(ws, reason.kind === "ping_failed" ? PING_TIMEOUT_CODE : 1000);
    this.keepalive.stop();
    this.clearConnectTimer();
    this.handshake = null;
    this.actions.detach();
    if (this.disconnectedAt === null && this.connectionIdValue !== null) this.disconnectedAt = Date.now();
    this.lastCloseCode = reason.kind === "closed" ? reason.code : reason.kind === "ping_failed" ? PING_TIMEOUT_CODE : null;

    this.attempt++;
    if (this.attempt > this.policy.maxAttempts) {
      this.closing ??= this.shutdown({ reason: "gave_up", lastDrop: reason });
      return;
    }
    const delayMs = backoffDelay(this.policy, this.attempt);
    this.stateValue = "reconnecting";
    const waiting = this.generation;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (waiting === this.generation) void this.connect();
    }, delayMs);
    this.signal("socket:reconnecting", { attempt: this.attempt, delayMs, reason });
  }

  /** The handshake is over: a new session (`hello`) or a resumed one. */
  private becomeReady(generation: number, hello: HelloSignal | null): void {
    const handshake = this.handshake;
    this.handshake = null;
    this.clearConnectTimer();
    this.stateValue = "open";
    this.attempt = 0;
    this.lastCloseCode = null;
    const disconnectedAt = this.disconnectedAt;
    this.disconnectedAt = null;
    this.keepalive.start();
    if (this.writer !== null) this.actions.attach(this.writer);
    if (hello !== null) this.signal("socket:hello", hello);
    else {
      this.signal("socket:resumed", {
        connectionId: this.connectionIdValue as string,
        replayed: handshake?.replayed ?? 0,
        disconnectedMs: disconnectedAt === null ? 0 : Date.now() - disconnectedAt,
      });
    }
    if (generation !== this.generation) return;
    for (const waiter of [...this.readyWaiters]) waiter.resolve();
  }

  private shutdown(signal: CloseSignal): Promise<void> {
    this.generation++;
    this.stateValue = "closed";
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.clearConnectTimer();
    this.keepalive.stop();
    this.handshake = null;
    const ws = this.transport;
    this.transport = null;
    this.writer = null;
    const closed = ws === null ? Promise.resolve() : closeTransport(ws, CLOSE_GRACE_MS);
    this.actions.close();
    const closedError = new SocketError("closed", null, null, "ready(): the socket was closed");
    for (const waiter of [...this.readyWaiters]) waiter.reject(closedError);
    for (const stream of [...this.streams]) stream.end();
    this.signal("socket:close", signal);
    return closed;
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  // --- frames --------------------------------------------------------------------------------

  private handleFrame(generation: number, data: unknown): void {
    if (typeof data !== "string") {
      this.reportError({ code: "malformed_frame", message: "a binary frame arrived; the server sends JSON text only. Skipped", raw: null, cause: data });
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch (cause) {
      this.reportError({ code: "malformed_frame", message: `a frame is not JSON (${messageOf(cause)}). Skipped`, raw: data, cause });
      return;
    }
    if (typeof frame === "object" && frame !== null) {
      const message = frame as Record<string, unknown>;
      const name = message.event;
      if (typeof name === "string") {
        if (typeof message.seq === "number") {
          this.handleEvent(generation, message, name, message.seq, data);
          return;
        }
      } else if (typeof message.seq_reply === "number") {
        this.handleReply(generation, message, message.seq_reply);
        return;
      }
    }
    this.reportError({
      code: "malformed_frame",
      message: "a frame is neither an event (event, seq) nor a reply (seq_reply). Skipped",
      raw: data,
      cause: undefined,
    });
  }

  private handleEvent(generation: number, message: Record<string, unknown>, name: string, seq: number, raw: string): void {
    let hello: HelloSignal | null = null;
    if (name === "hello") {
      hello = this.acceptHello(message, seq);
      if (generation !== this.generation) return;
    }
    if (seq !== this.nextSeq) {
      // Below: a replay of an event already delivered. Above: the server skipped some.
      if (seq < this.nextSeq) return;
      this.reportGap(seq);
      if (generation !== this.generation) return;
    }
    this.nextSeq = seq + 1;
    if (this.handshake !== null && hello === null) this.handshake.replayed++;
    if (this.deliverable(message, name, seq, raw)) {
      this.listeners.emit(name, message);
      this.listeners.emit("*", message);
    }
    if (hello !== null && generation === this.generation) {
      if (this.handshake !== null) this.becomeReady(generation, hello);
      else this.signal("socket:hello", hello);
    }
  }

  /** Known name, and every JSON-text field decoded; otherwise reported and not delivered. */
  private deliverable(message: Record<string, unknown>, name: string, seq: number, raw: string): boolean {
    if (this.known !== null && !this.known.has(name)) {
      this.reportError({
        code: "unknown_event",
        message: `event "${name}" (seq ${seq}) is not one the event types describe (a plugin event, or a newer server); not delivered to handlers`,
        event: name,
        frame: message as unknown as RawEventFrame,
      });
      return false;
    }
    const keys = this.decoders?.get(name);
    if (keys !== undefined) {
      const failure = decodeFields(message.data, keys);
      if (failure !== undefined) {
        this.reportError({
          code: "decode_failed",
          message: `event "${name}" (seq ${seq}): data.${failure.key} is not valid JSON text (${messageOf(failure.cause)}); not delivered to handlers, the frame is in raw`,
          event: name,
          key: failure.key,
          seq,
          raw,
          cause: failure.cause,
        });
        return false;
      }
    }
    return true;
  }

  /**
   * A `hello`: if it starts a new session (a new `connection_id`, or numbering restarted), switch
   * to it, signalling `socket:lost` when it replaces one. Returns the signal to emit once the hello
   * itself is delivered, or `null` when it changes nothing.
   */
  private acceptHello(message: Record<string, unknown>, seq: number): HelloSignal | null {
    const data = typeof message.data === "object" && message.data !== null ? (message.data as Record<string, unknown>) : {};
    const id = data.connection_id;
    if (typeof id !== "string" || id === "") {
      this.reportError({ code: "malformed_frame", message: "a hello event has no connection_id; the session cannot be resumed later", raw: null, cause: message });
      return null;
    }
    const previous = this.connectionIdValue;
    if (previous === id && seq >= this.nextSeq) return null;
    if (previous !== null) {
      const disconnectedAt = this.disconnectedAt;
      this.signal("socket:lost", {
        reason: "new_session",
        fromSeq: this.nextSeq,
        toSeq: null,
        previousConnectionId: previous,
        connectionId: id,
        disconnectedAt,
        disconnectedMs: disconnectedAt === null ? 0 : Date.now() - disconnectedAt,
      });
    }
    this.connectionIdValue = id;
    this.nextSeq = seq;
    return {
      connectionId: id,
      serverVersion: typeof data.server_version === "string" ? data.server_version : "",
      serverHostname: typeof data.server_hostname === "string" ? data.server_hostname : undefined,
      first: previous === null,
    };
  }

  private reportGap(seq: number): void {
    const disconnectedAt = this.disconnectedAt;
    const id = this.connectionIdValue ?? "";
    this.signal("socket:lost", {
      reason: "sequence_gap",
      fromSeq: this.nextSeq,
      toSeq: seq - 1,
      previousConnectionId: id,
      connectionId: id,
      disconnectedAt,
      disconnectedMs: disconnectedAt === null ? 0 : Date.now() - disconnectedAt,
    });
  }

  private handleReply(generation: number, message: Record<string, unknown>, seq: number): void {
    const handshake = this.handshake;
    if (handshake !== null && (seq === handshake.probeSeq || seq === handshake.authSeq)) {
      if (message.status !== "OK") {
        const serverError = typeof message.error === "object" && message.error !== null ? (message.error as AppErrorBody) : undefined;
        const detail = serverError?.message ?? `status ${String(message.status)}`;
        this.reportError({ code: "auth_failed", message: `the server refused the session: ${detail}; retrying with backoff`, serverError });
        this.drop(generation, { kind: "auth_failed", message: detail });
        return;
      }
      // The probe's reply with no hello before it: the server resumed the session. (On a first
      // connection the hello always comes first, so there is nothing to do here.)
      if (seq === handshake.probeSeq && this.connectionIdValue !== null) this.becomeReady(generation, null);
      return;
    }
    this.actions.settle(seq, message);
  }

  // --- signals -------------------------------------------------------------------------------

  private signal<N extends SocketSignalName>(name: N, payload: SocketSignals<E>[N]): void {
    this.listeners.emit(name, payload);
  }

  private reportError(error: SocketErrorSignal): void {
    this.listeners.emit("socket:error", error);
  }
}

function numberOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < min) {
    throw new RangeError(`createSocket: ${name} is ${String(value)}; expected a number >= ${min}`);
  }
  return value;
}

function checkHandler<T>(name: string, handler: T): T {
  if (typeof handler !== "function") throw new TypeError(`on("${name}", handler): handler must be a function`);
  return handler;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
