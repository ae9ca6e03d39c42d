/**
 * The WebSocket client, generic over the event union `E` and the action map `A`.
 *
 * Connection lifecycle (each step is one function below):
 *
 *   connect ──► (transport open) opened ──► authenticating ──► hello ──────────► open
 *      ▲          sends authentication_challenge       │      or probe reply (resume)   │
 *      │          and a `ping` probe                   ▼                                ▼
 *      └──── backoff timer ◄──── drop (close, error, ping or connect timeout) ◄────────┘
 *
 * Resume. The server numbers the events of a session (`seq`, hello = 0) and keeps a dropped
 * connection for a while: events it had not written yet wait in its send queue (256; one more
 * drops the session), and it can replay the last 128 it did write (its dead queue; both in
 * server/channels/app/platform/web_conn.go). A reconnect sends `connection_id` and
 * `sequence_number` = the next seq wanted; the server then either replays from there (no `hello`),
 * or, when it cannot (the seq is no longer among the last 128 written, the send queue overflowed,
 * it restarted, or it could not authenticate the upgrade request: browsers cannot send the
 * header), starts a new session with a `hello` carrying a new `connection_id`. Since a successful
 * resume sends nothing at all when nothing was missed, the client writes a `ping` right after the
 * authentication challenge: the server writes any `hello` or replay before that ping's reply, so
 * a reply with no `hello` before it confirms the resume (`socket:resumed`).
 *
 * Decisions. What a seq, a hello, a reply and a close mean, what a connection asks for (the resume
 * URL) and which code it reports are decided in `protocol.ts` (pure functions, one close-reason
 * table); this file keeps the state and acts on the verdicts. A close
 * after the upgrade and before the hello without a close frame (1006) is how the real server
 * refuses a token: the token is checked over REST (`GET /api/v4/users/me`), and a 401 ends the
 * socket (`auth_failed`) instead of reconnecting forever.
 *
 * Delivery. Events are delivered in `seq` order, each once: a seq below the next expected one is a
 * replay of something already delivered and is dropped; a seq above it is a gap, signalled with
 * `socket:lost` before the event is delivered. A new session is signalled the same way. A seq far
 * above it (`MAX_SEQ_JUMP`) is not believed: reported (`sequence_jump`), not delivered, and not
 * followed, so later, correctly numbered events still arrive.
 *
 * Listeners. Handlers of a name run in registration order. A handler removed while an event is
 * being dispatched is not called for it; one added is called from the next event on. A handler
 * that throws, or returns a promise that rejects, is reported (`handler_threw`); the others still run.
 *
 * Actions (`{ action, seq, data }`, replies `{ status, seq_reply, data | error }`). `seq` grows for
 * the life of the socket (from 1: the server rejects 0), so a late reply is never taken for the
 * reply of a newer request. A request made while not ready waits (its timeout running) and is
 * written, in call order, once ready. One already written when the connection drops is rejected
 * with `connection_lost`, never written again: the server may have applied it. Frames over the
 * server's read limit are rejected before sending: the server would close the connection for them.
 *
 * Size. Everything a socket does is reachable from the object `createSocket` returns, so none of it
 * can be tree-shaken: the state lives in the closure's local variables (which minifiers rename,
 * unlike the properties of a class) and the messages are short. One timer serves the connect
 * timeout, the backoff wait and the keepalive, which never run at the same time. The bundle budget
 * is checked by `npm run bench:rest` (scripts/bench/bundle.mjs).
 */
import type { AppErrorBody } from "../errors.js";
import { abortTransport, closeTransport, loadWebSocket, tokenRefused, websocketEndpoint } from "./connection.js";
import { type EventKeys, decodeFields, eventKeysOf } from "./decode.js";
import { type SocketErrorCode, callError, checkRange, messageOf } from "./errors.js";
import { backoffDelay, resolveReconnect } from "./reconnect.js";
import { PING_TIMEOUT_CODE, closeCodeOf, connectUrl, judgeDrop, judgeHello, judgeReply, judgeSeq, upgradeRefused } from "./protocol.js";
import { type EventStream, type EventStreamOptions, createEventStream } from "./stream.js";
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
  ListenerMap,
  ListenerOf,
  RawEventFrame,
  SendOptions,
  SocketErrorSignal,
  SocketOptions,
  SocketSignalName,
  SocketSignals,
  SocketState,
  Unsubscribe,
  WebSocketLike,
} from "./types.js";

/**
 * The WebSocket client. Create one with `createSocket` (or `createMattermostSocket` for the generated types).
 *
 * `M` maps each name `on` accepts to what its handlers get; by default it is computed from `E`
 * (`ListenerMap<E>`). `createMattermostSocket` passes a plain interface with the same members
 * instead (`MattermostListeners`): the compiler then reads the handler's type from one interface
 * rather than mapping the whole event union at every program's first `on` call.
 */
export interface TypedSocket<E extends EventShape, A extends ActionMap<A>, M extends object = ListenerMap<E>> extends AsyncIterable<E> {
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
  on<N extends keyof M & string>(name: N, handler: ListenerOf<M, N>): Unsubscribe;
  /** Like `on`, for the next occurrence only. */
  once<N extends keyof M & string>(name: N, handler: ListenerOf<M, N>): Unsubscribe;
  /** Removes a handler added with `on` or `once` (its first registration under `name`). */
  off<N extends keyof M & string>(name: N, handler: ListenerOf<M, N>): void;

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
  return startSocket(options, eventKeysOf(options.decoders, options.knownEvents));
}

/** The server's read limit for one client message (`model.SocketMaxMessageSizeKb`), in bytes. */
export const MAX_CLIENT_MESSAGE_BYTES = 8 * 1024;

type Handler = (payload: unknown) => unknown;

interface Entry {
  readonly fn: Handler;
  readonly once: boolean;
  removed?: boolean;
}

/** Resolves with `value` when `code` is `null`, else rejects with a `SocketError` of `code` whose detail is `value`. */
type Settle = (code: SocketErrorCode | null, value?: unknown, serverError?: AppErrorBody) => void;

interface Pending {
  readonly frame: string;
  sent: boolean;
  readonly settle: Settle;
}

/**
 * `createSocket` with the event names and JSON-text keys already compiled (`createMattermostSocket`
 * passes the generated table; `options.decoders` and `options.knownEvents` are not read).
 */
export function startSocket<E extends EventShape, A extends ActionMap<A>, M extends object = ListenerMap<E>>(
  options: SocketOptions,
  eventKeys: EventKeys,
): TypedSocket<E, A, M> {
  const endpoint = websocketEndpoint(options.url);
  const { token, postedAck } = options;
  if (typeof token !== "string" && typeof token !== "function") throw new TypeError("createSocket: token must be a string or a function");
  const policy = resolveReconnect(options.reconnect);
  const option = (
    name: "pingIntervalMs" | "pongTimeoutMs" | "actionTimeoutMs" | "connectTimeoutMs" | "bufferSize",
    fallback: number,
    min: number,
  ): number => checkRange(`createSocket: ${name}`, options[name] ?? fallback, min);
  const pingIntervalMs = option("pingIntervalMs", 30_000, 0);
  const pongTimeoutMs = option("pongTimeoutMs", 10_000, 1);
  const actionTimeoutMs = option("actionTimeoutMs", 30_000, 0);
  const connectTimeoutMs = option("connectTimeoutMs", 30_000, 1);
  const bufferSize = option("bufferSize", 1_024, 1);
  let WebSocketClass = options.WebSocket;

  let state: SocketState = "connecting";
  /** Bumped whenever a connection attempt ends: callbacks of older attempts compare and do nothing. */
  let generation = 0;
  let transport: WebSocketLike | undefined;
  /** The connect timeout, the backoff wait or the next keepalive ping, depending on the state. */
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The `seq` of the last action frame; the handshake's `ping` probe has `probeSeq`, its challenge one less. */
  let actionSeq = 0;
  let probeSeq = 0;
  /** Events received during the handshake (the server's replay, when resuming). */
  let replayed = 0;
  /** Failed attempts in a row. */
  let attempt = 0;
  let connectionId: string | null = null;
  /** The next `seq` expected in the current session. */
  let nextSeq = 0;
  /** The seq after the last one not believed (`judgeSeq`'s `jump`), until the next event. */
  let suspect: number | null = null;
  /** Whether the next connection must not ask to resume (`judgeDrop`'s `new_session`), until ready. */
  let fresh = false;
  /** The token of the current attempt. */
  let tokenValue = "";
  /** When the last drop happened, until the next connection is ready; `null` while connected. */
  let disconnectedAt: number | null = null;
  let lastCloseCode: number | null = null;
  let closing: Promise<void> | undefined;
  /** Writes a frame on the current connection; `false` when it could not. */
  let write = (_frame: string): boolean => false;
  // Handler lists are replaced, never changed, so a dispatch in progress goes through a stable one.
  const handlers = new Map<string, readonly Entry[]>();
  // In `seq` order (a Map keeps insertion order): the waiting ones are written in call order.
  const pending = new Map<number, Pending>();
  const readyWaiters = new Set<Settle>();

  /** How long the socket has been without a ready connection (0 while it has one). */
  const disconnectedMs = (): number => (disconnectedAt === null ? 0 : Date.now() - disconnectedAt);

  // --- listeners -----------------------------------------------------------------------------

  const listen = (name: string, fn: unknown, once: boolean): Unsubscribe => {
    if (typeof fn !== "function") throw new TypeError(`on("${name}"): the handler is not a function`);
    const entry: Entry = { fn: fn as Handler, once };
    handlers.set(name, [...(handlers.get(name) ?? []), entry]);
    return () => unlisten(name, entry);
  };
  const unlisten = (name: string, entry: Entry | undefined): void => {
    if (entry && !entry.removed) {
      entry.removed = true;
      const rest = (handlers.get(name) as readonly Entry[]).filter((other) => other !== entry);
      if (rest.length > 0) handlers.set(name, rest);
      else handlers.delete(name);
    }
  };
  const emit = (name: string, payload: unknown): void => {
    const list = handlers.get(name);
    if (list) {
      for (const entry of list) {
        if (entry.removed) continue;
        if (entry.once) unlisten(name, entry);
        try {
          const result = entry.fn(payload) as PromiseLike<unknown> | undefined;
          if (typeof result?.then === "function") result.then(undefined, (error: unknown) => threw(name, error));
        } catch (error) {
          threw(name, error);
        }
      }
    }
  };
  const threw = (name: string, error: unknown): void => {
    // A throwing error handler is not reported again (that could loop).
    if (name !== "socket:error")
      report({ code: "handler_threw", message: `a "${name}" handler threw: ${messageOf(error)}`, listener: name, cause: error });
  };
  const deliver = (frame: object): void => {
    emit((frame as EventShape).event, frame);
    emit("*", frame);
  };
  const signal = emit as <N extends SocketSignalName>(name: N, payload: SocketSignals<E>[N]) => void;
  const report = (error: SocketErrorSignal): void => emit("socket:error", error);

  // --- actions -------------------------------------------------------------------------------

  /**
   * The promise of a `send` (`action`) or of `ready()` (`action` null). `start` gets `settle`, which
   * resolves it (`code` null) or rejects it with a `SocketError`, and ends its timeout, its abort
   * listener and whatever `start` returned to undo.
   */
  const wait = (
    action: string | null,
    seq: number | null,
    timeoutMs: number,
    abortSignal: AbortSignal | undefined,
    start: (settle: Settle) => (() => void) | void,
  ): Promise<unknown> =>
    new Promise((resolve, reject) => {
      let undo: (() => void) | void;
      const timeout = timeoutMs > 0 ? setTimeout(() => settle("timeout", `no reply within ${timeoutMs} ms`), timeoutMs) : undefined;
      const settle: Settle = (code, value, serverError) => {
        undo?.();
        clearTimeout(timeout);
        abortSignal?.removeEventListener("abort", onAbort);
        if (code)
          reject(callError(code, action, seq, value as string, code === "aborted" ? { cause: abortSignal?.reason } : { serverError }));
        else resolve(value);
      };
      const onAbort = (): void => settle("aborted", "aborted");
      if (abortSignal?.aborted) onAbort();
      else {
        abortSignal?.addEventListener("abort", onAbort);
        undo = start(settle);
      }
    });

  const request = (action: string, data: unknown, timeoutMs: number, abortSignal?: AbortSignal): Promise<unknown> => {
    const seq = ++actionSeq;
    const frame = JSON.stringify({ action, seq, data });
    const bytes = new TextEncoder().encode(frame).length;
    return wait(action, seq, timeoutMs, abortSignal, (settle) => {
      if (bytes > MAX_CLIENT_MESSAGE_BYTES)
        return settle("too_large", `${bytes} bytes, over the server's limit of ${MAX_CLIENT_MESSAGE_BYTES}; not sent`);
      pending.set(seq, { frame, sent: state === "open" && write(frame), settle });
      return () => pending.delete(seq);
    });
  };

  /** Rejects the requests already written (`sentOnly`), or all of them. */
  const rejectPending = (sentOnly: boolean, code: SocketErrorCode, detail: string): void => {
    for (const entry of pending.values()) if (entry.sent || !sentOnly) entry.settle(code, detail);
  };

  // --- connection lifecycle ------------------------------------------------------------------

  const connect = async (): Promise<void> => {
    const current = ++generation;
    state = "connecting";
    timer = setTimeout(() => drop(current, { kind: "connect_timeout", timeoutMs: connectTimeoutMs }), connectTimeoutMs);
    let value: string;
    try {
      value = typeof token === "function" ? await token() : token;
      if (typeof value !== "string") throw new TypeError(`it returned ${typeof value}`);
    } catch (cause) {
      return failed(current, "token_failed", `token function failed: ${messageOf(cause)}`, cause);
    }
    try {
      WebSocketClass ??= await loadWebSocket();
    } catch (cause) {
      // No implementation will appear by waiting: give up at once.
      return failed(current, "transport", messageOf(cause), cause, true);
    }
    if (current !== generation) return;
    tokenValue = value;
    const url = connectUrl(endpoint, resuming() ? connectionId : null, nextSeq, postedAck, lastCloseCode);
    let ws: WebSocketLike;
    try {
      ws = transport = new WebSocketClass(url, [], { headers: { Authorization: `Bearer ${value}` } });
    } catch (cause) {
      return failed(current, "transport", `could not open ${url}: ${messageOf(cause)}`, cause);
    }
    ws.onopen = () => opened(current, ws, value, url);
    ws.onmessage = (event) => {
      if (current === generation) receive(current, event.data);
    };
    ws.onerror = (event: { message?: string; error?: unknown } | null) => {
      const message = event?.message || "WebSocket error";
      if (upgradeRefused(message)) refused(current, message);
      else failed(current, "transport", message, event?.error ?? event);
    };
    ws.onclose = (event) => drop(current, { kind: "closed", code: event.code, reason: event.reason });
  };

  /** A step of attempt `current` failed: report it and retry with backoff, or give up (`giveUp`). */
  const failed = (current: number, code: "token_failed" | "transport", message: string, cause: unknown, giveUp?: boolean): void => {
    if (current === generation) {
      report({ code, message, cause });
      const reason: DropReason = { kind: "error", message };
      if (giveUp) void close("gave_up", reason);
      else drop(current, reason);
    }
  };

  /**
   * The server refused the token (401 on the upgrade, an error reply to the handshake, or 401 from
   * the REST check): report it and close for good.
   */
  const refused = (current: number, detail: string, serverError?: AppErrorBody): void => {
    if (current === generation) {
      report({ code: "auth_failed", message: `the server refused the token: ${detail}`, serverError });
      void close("auth_failed", { kind: "auth_failed", message: detail });
    }
  };

  /** Whether a connection now asks the server to resume the session. */
  const resuming = (): boolean => connectionId !== null && !fresh;

  const opened = (current: number, ws: WebSocketLike, value: string, url: string): void => {
    if (current !== generation) return;
    state = "authenticating";
    replayed = 0;
    probeSeq = actionSeq += 2;
    write = (frame) => {
      try {
        if (current === generation) ws.send(frame);
        return current === generation;
      } catch (cause) {
        // Dropped on a later tick, so that no caller is re-entered half-way through a write.
        queueMicrotask(() => drop(current, { kind: "error", message: `write failed: ${messageOf(cause)}` }));
        return false;
      }
    };
    signal("socket:open", { url, attempt, resuming: resuming() });
    // The challenge gets no reply when the upgrade request already authenticated (Authorization
    // header); the probe's reply comes after whatever the server writes first (hello or replay).
    if (write(JSON.stringify({ action: "authentication_challenge", seq: probeSeq - 1, data: { token: value } }))) {
      write(JSON.stringify({ action: "ping", seq: probeSeq }));
    }
  };

  /** Ends what runs now: the timer and the transport (aborted with `code`, or closed). */
  const stop = (code?: number): Promise<void> => {
    generation++;
    clearTimeout(timer);
    const ws = transport;
    transport = undefined;
    if (ws && code) abortTransport(ws, code);
    return ws && !code ? closeTransport(ws, 1_000) : Promise.resolve();
  };

  /** The connection attempt `current` ended: schedule the next one, or give up (`judgeDrop` decides). */
  const drop = (current: number, reason: DropReason): void => {
    if (current !== generation || state === "closed") return;
    const verdict = judgeDrop(reason, state);
    const pingFailed = reason.kind === "ping_failed";
    void stop(pingFailed ? PING_TIMEOUT_CODE : 1000);
    rejectPending(true, "connection_lost", "connection lost before the reply; not sent again");
    if (disconnectedAt === null && connectionId !== null) disconnectedAt = Date.now();
    lastCloseCode = closeCodeOf(reason);
    if (verdict === "give_up") return void close("gave_up", reason);
    if (verdict === "new_session") fresh = true;
    const waiting = generation;
    state = "reconnecting";
    if (verdict !== "check_token") return void retry(waiting, reason);
    // The real server's way of refusing a token; the REST API tells it from a network failure.
    void tokenRefused(endpoint, tokenValue, connectTimeoutMs).then((refusedToken) =>
      refusedToken ? refused(waiting, "GET /api/v4/users/me answered 401") : retry(waiting, reason),
    );
  };

  /** Schedules the next attempt after a drop (`waiting` is the generation it belongs to), or gives up after `maxAttempts`. */
  const retry = (waiting: number, reason: DropReason): void => {
    if (waiting !== generation) return;
    if (++attempt > policy.maxAttempts) return void close("gave_up", reason);
    const delayMs = backoffDelay(policy, attempt);
    timer = setTimeout(() => {
      if (waiting === generation) void connect();
    }, delayMs);
    signal("socket:reconnecting", { attempt, delayMs, reason });
  };

  /** The handshake is over: a new session (`hello`) or a resumed one. */
  const becomeReady = (current: number, hello: HelloSignal | null): void => {
    clearTimeout(timer);
    state = "open";
    attempt = 0;
    fresh = false;
    lastCloseCode = null;
    const downMs = disconnectedMs();
    disconnectedAt = null;
    keepalive(current);
    for (const entry of pending.values()) {
      if (!entry.sent) entry.sent = write(entry.frame);
      if (!entry.sent) break;
    }
    if (hello) signal("socket:hello", hello);
    else signal("socket:resumed", { connectionId: connectionId as string, replayed, disconnectedMs: downMs });
    if (current === generation) for (const settle of readyWaiters) settle(null);
  };

  /**
   * While ready, a `ping` action every `pingIntervalMs`, with `pongTimeoutMs` for its reply. A ping
   * that fails (no reply in time, or an error reply) means the connection is dead even if no close
   * came: that is how a silently dropped TCP connection or a hung server shows. An action (not a
   * protocol-level ping) works on every platform and proves the server's application answers.
   */
  const keepalive = (current: number): void => {
    if (pingIntervalMs > 0) {
      timer = setTimeout(() => {
        request("ping", undefined, pongTimeoutMs).then(
          () => current === generation && keepalive(current),
          (error: Error) => drop(current, { kind: "ping_failed", message: error.message }),
        );
      }, pingIntervalMs);
    }
  };

  const close = (reason: CloseSignal["reason"], lastDrop?: DropReason): Promise<void> => {
    if (!closing) {
      closing = stop();
      state = "closed";
      rejectPending(false, "closed", "socket closed");
      for (const settle of readyWaiters) settle("closed", "socket closed");
      signal("socket:close", { reason, lastDrop });
    }
    return closing;
  };

  // --- frames --------------------------------------------------------------------------------

  const malformed = (message: string, raw: string | null, cause?: unknown): void =>
    report({ code: "malformed_frame", message: `frame skipped: ${message}`, raw, cause });

  const receive = (current: number, data: unknown): void => {
    if (typeof data !== "string") {
      malformed("binary", null, data);
      return;
    }
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(data) ?? {};
    } catch (cause) {
      malformed(`not JSON (${messageOf(cause)})`, data, cause);
      return;
    }
    const { event: name, seq, seq_reply: replyTo } = frame;
    if (typeof name === "string" && typeof seq === "number") receiveEvent(current, frame, name, seq, data);
    else if (name === undefined && typeof replyTo === "number") receiveReply(current, frame, replyTo);
    else malformed("neither event and seq nor seq_reply", data);
  };

  const receiveEvent = (current: number, frame: Record<string, unknown>, name: string, seq: number, raw: string): void => {
    let hello: HelloSignal | null | undefined = null;
    if (name === "hello") {
      hello = judgeHello(frame.data, seq, connectionId, nextSeq);
      if (hello === undefined) malformed("hello without connection_id", null, frame);
      else if (hello) {
        // A new session, numbered from this hello: what the old one still had to send is lost.
        if (!hello.first) lost("new_session", null, hello.connectionId);
        connectionId = hello.connectionId;
        nextSeq = seq;
        suspect = null;
      }
    }
    if (current !== generation) return;
    const verdict = judgeSeq(seq, nextSeq, suspect);
    const skipped = (why: string): string => `event "${name}" (seq ${seq}) not delivered: ${why}`;
    if (verdict === "replay") return;
    if (verdict === "jump") {
      suspect = seq + 1;
      return void report({
        code: "sequence_jump",
        message: skipped(`seq not believed (${nextSeq} expected)`),
        seq,
        expected: nextSeq,
        frame: frame as unknown as RawEventFrame,
      });
    }
    suspect = null;
    if (verdict === "gap") {
      lost("sequence_gap", seq - 1, connectionId ?? "");
      if (current !== generation) return;
    }
    nextSeq = seq + 1;
    if (state === "authenticating" && !hello) replayed++;
    const keys = eventKeys(name);
    const failure = keys && decodeFields(frame.data, keys);
    if (!keys) {
      report({
        code: "unknown_event",
        message: skipped("unknown name"),
        event: name,
        frame: frame as unknown as RawEventFrame,
      });
    } else if (failure) {
      const [key, cause] = failure;
      report({
        code: "decode_failed",
        message: skipped(`data.${key} is not JSON (${messageOf(cause)})`),
        event: name,
        key,
        seq,
        raw,
        cause,
      });
    } else if (!extension?.intercept(frame as unknown as EventShape)) deliver(frame);
    if (hello && current === generation) {
      if (state === "authenticating") becomeReady(current, hello);
      else signal("socket:hello", hello);
    }
  };

  /** Events `nextSeq`..`toSeq` (`null`: all the old session had) are lost; `id` is the session they are lost to. */
  const lost = (reason: "new_session" | "sequence_gap", toSeq: number | null, id: string): void =>
    signal("socket:lost", {
      reason,
      fromSeq: nextSeq,
      toSeq,
      previousConnectionId: connectionId ?? "",
      connectionId: id,
      disconnectedAt,
      disconnectedMs: disconnectedMs(),
    });

  const receiveReply = (current: number, frame: Record<string, unknown>, seq: number): void => {
    const error = (frame.error ?? undefined) as AppErrorBody | undefined;
    const ok = frame.status === "OK";
    const verdict = judgeReply(seq, ok, state === "authenticating", probeSeq, resuming());
    if (verdict === "refused") refused(current, error?.message ?? `status ${frame.status}`, error);
    else if (verdict === "resumed") becomeReady(current, null);
    else if (verdict === "action")
      pending
        .get(seq)
        ?.settle(
          ok ? null : "action_failed",
          ok ? frame.data : `failed on the server: ${error?.message} (${error?.status_code} ${error?.id})`,
          error,
        );
  };

  // --- the socket ----------------------------------------------------------------------------

  const events = (streamOptions?: EventStreamOptions): EventStream<E> => {
    const size = checkRange("events(): bufferSize", streamOptions?.bufferSize ?? bufferSize, 1);
    const stream = createEventStream<E>(
      size,
      (push, end) => {
        const unsubscribe = [listen("*", push, false), listen("socket:close", end, false)];
        return () => unsubscribe.map((fn) => fn());
      },
      (dropped, droppedTotal) => signal("socket:overflow", { dropped, droppedTotal, bufferSize: size }),
      streamOptions?.signal,
    );
    if (state === "closed") stream.end();
    return stream;
  };

  const send = (action: string, data?: unknown, sendOptions?: SendOptions): Promise<unknown> =>
    state === "closed"
      ? Promise.reject(callError("closed", action, null, "socket closed"))
      : request(action, data, sendOptions?.timeoutMs ?? actionTimeoutMs, sendOptions?.signal);

  const socket: TypedSocket<E, A, M> = {
    get state() {
      return state;
    },
    get connectionId() {
      return connectionId;
    },
    get lastSeq() {
      return connectionId === null || nextSeq === 0 ? null : nextSeq - 1;
    },
    on: (name, handler) => listen(name, handler, false),
    once: (name, handler) => listen(name, handler, true),
    off: (name, handler) =>
      unlisten(
        name,
        handlers.get(name)?.find((entry) => entry.fn === handler),
      ),
    events,
    [Symbol.asyncIterator]: () => events(),
    send: send as TypedSocket<E, A, M>["send"],
    ready: (readyOptions) =>
      wait(null, null, 0, readyOptions?.signal, (settle) => {
        if (state === "open") return settle(null);
        if (state === "closed") return settle("closed", "socket closed");
        readyWaiters.add(settle);
        return () => readyWaiters.delete(settle);
      }) as Promise<void>,
    close: () => close("closed"),
  };
  // Recovery (runtime/recover/), when asked for: the one extension point, see extension.ts.
  const extension = options.recover?.({ on: (name, handler) => listen(name, handler, false), deliver, signal: emit, close: socket.close });
  void connect();
  return socket;
}
