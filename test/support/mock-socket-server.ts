/**
 * An in-process WebSocket server that behaves like Mattermost's `/api/v4/websocket` (v11), for fast
 * tests of the socket client over real sockets. What it reproduces, from the server's code
 * (`api4/websocket.go`, `app/platform/web_conn.go`, `web_hub.go`, `websocket_router.go`):
 *
 * - Authentication: an `Authorization: Bearer` header on the upgrade (401 when the token is bad),
 *   or the `authentication_challenge` action (a bad token closes the connection without a reply; no
 *   reply when already authenticated). Unauthenticated connections are closed after `authTimeoutMs`.
 * - Sessions: `hello` (seq 0) with a new `connection_id`; one `seq` counter per session, for events
 *   only; replies carry `seq_reply` and `status` `OK` or `FAIL` with an AppError.
 * - Resume: `?connection_id=&sequence_number=` (the next seq wanted). Only when the upgrade itself
 *   authenticated (header), the session exists and its connection is gone: replay from the
 *   session's buffer of the last `bufferSize` (128) events and no `hello`; nothing when the client
 *   has everything; otherwise a new session with a new `connection_id` and a `hello`.
 * - Client messages over `maxPayload` (8 KiB) close the connection (1009), as the server's read limit does.
 * - Protocol pings every `pingIntervalMs`, if set.
 *
 * Simplification: the real server numbers an event when it writes it (its buffer holds written
 * events, and up to 256 more wait in the send queue of a disconnected session); here an event is
 * numbered and buffered when published, so the resume window is simply the last `bufferSize` events.
 */
import { randomInt } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type RawData, WebSocket, WebSocketServer } from "ws";

export interface MockSocketServerOptions {
  /** Valid tokens and their user ids (default `{ "test-token": "user-1" }`). */
  readonly tokens?: Readonly<Record<string, string>>;
  /** Close unauthenticated connections after this long (default 5 000, as the server's authCheckInterval). */
  readonly authTimeoutMs?: number;
  /** Events kept per session for resuming (default 128, as the server's deadQueueSize). */
  readonly bufferSize?: number;
  /** Protocol pings to each connection (default 0: none; the server sends one every 60 s). */
  readonly pingIntervalMs?: number;
  /** Largest client message, in bytes (default 8 192, as model.SocketMaxMessageSizeKb). */
  readonly maxPayload?: number;
  /** Replay this many events before the one asked for when resuming (for duplicate tests; default 0). */
  readonly replayOverlap?: number;
}

/** What an action handler answers: reply data, an error, or no reply at all. */
export type MockActionResult =
  | { readonly data?: unknown }
  | { readonly error: { readonly id: string; readonly message: string; readonly status_code: number } }
  | "no-reply";

export type MockActionHandler = (data: unknown, connection: MockConnection) => MockActionResult | Promise<MockActionResult>;

/** How the server treated a connection attempt. */
export type MockConnectOutcome = "fresh" | "resumed" | "lossless" | "new_session" | "challenge" | "refused" | "unauthorized";

export interface MockConnectRecord {
  readonly connectionId: string | null;
  readonly sequenceNumber: string | null;
  readonly headerAuth: boolean;
  readonly query: Readonly<Record<string, string>>;
  outcome: MockConnectOutcome;
  /** For `resumed`: how many events were replayed. */
  replayed: number;
}

export interface MockConnection {
  readonly ws: WebSocket;
  userId: string | null;
  session: MockSession | null;
  /** Frozen: reads nothing and writes nothing (a hung server, or a black-holed network). */
  frozen: boolean;
}

export interface MockSession {
  connectionId: string;
  readonly userId: string;
  nextSeq: number;
  readonly buffer: { readonly seq: number; readonly frame: string }[];
  connection: MockConnection | null;
}

export interface MockRequest {
  readonly action: unknown;
  readonly seq: unknown;
  readonly data?: unknown;
}

const SERVER_VERSION = "11.6.0.11.6.0.mockhash.false";

export class MockSocketServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every connection attempt, in order. */
  readonly connects: MockConnectRecord[] = [];
  /** Every client message, in order of arrival. */
  readonly requests: MockRequest[] = [];
  readonly sessions = new Map<string, MockSession>();
  readonly connections = new Set<MockConnection>();
  /** Called once a connection is set up (after its hello or replay was written). */
  onAccept: ((connection: MockConnection, record: MockConnectRecord) => void) | undefined;
  private readonly handlers = new Map<string, MockActionHandler>();
  private readonly tokens: ReadonlyMap<string, string>;
  private refusing = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    private readonly options: MockSocketServerOptions,
  ) {
    const { port } = http.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.tokens = new Map(Object.entries(options.tokens ?? { "test-token": "user-1" }));
    http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  static async start(options: MockSocketServerOptions = {}): Promise<MockSocketServer> {
    const tokens = new Map(Object.entries(options.tokens ?? { "test-token": "user-1" }));
    const http = createServer((request, response) => {
      // The REST API's check of a token, which the client asks when a connection closes the way
      // the real server closes one whose token it refuses.
      if (request.url === "/api/v4/users/me") {
        const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "")?.[1];
        const userId = token === undefined ? undefined : tokens.get(token);
        response.writeHead(userId === undefined ? 401 : 200, { "Content-Type": "application/json" });
        response.end(
          JSON.stringify(userId === undefined ? { id: "api.context.session_expired.app_error", status_code: 401 } : { id: userId }),
        );
        return;
      }
      response.writeHead(404).end();
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 8 * 1024 });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    return new MockSocketServer(http, wss, options);
  }

  /** Overrides or adds an action. */
  handle(action: string, handler: MockActionHandler): void {
    this.handlers.set(action, handler);
  }

  /** Publishes an event to every session, connected or waiting to be resumed. Returns the seqs used. */
  publish(event: string, data: Record<string, unknown>, broadcast: Record<string, unknown> = {}): number[] {
    return [...this.sessions.values()].map((session) => this.emit(session, event, data, broadcast));
  }

  /** Sends a raw text frame to every connected session (no seq). */
  publishRaw(text: string): void {
    for (const connection of this.connections) {
      if (connection.session !== null && !connection.frozen) connection.ws.send(text);
    }
  }

  /** Skips `count` sequence numbers in every session, as if those events were lost. */
  skipSeq(count: number): void {
    for (const session of this.sessions.values()) session.nextSeq += count;
  }

  /** Kills every connection at once, without a close frame (the client sees 1006). Sessions stay resumable. */
  terminateAll(): void {
    for (const connection of [...this.connections]) this.detach(connection, () => connection.ws.terminate());
  }

  /** Current connections stop reading and writing; new ones are normal. */
  freeze(): void {
    for (const connection of this.connections) connection.frozen = true;
  }

  /** Answer upgrades with 503 while `on`. */
  refuseConnections(on: boolean): void {
    this.refusing = on;
  }

  /** Forgets every session, as a restarted server would. */
  forgetSessions(): void {
    this.sessions.clear();
  }

  async close(): Promise<void> {
    this.refusing = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const connection of [...this.connections]) connection.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // --- connecting ----------------------------------------------------------------------------

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://localhost");
    const query = Object.fromEntries(url.searchParams);
    const header = request.headers.authorization;
    const record: MockConnectRecord = {
      connectionId: url.searchParams.get("connection_id"),
      sequenceNumber: url.searchParams.get("sequence_number"),
      headerAuth: header !== undefined,
      query,
      outcome: "fresh",
      replayed: 0,
    };
    this.connects.push(record);
    if (this.refusing) {
      record.outcome = "refused";
      reject(socket, 503, "Service Unavailable");
      return;
    }
    if (!/^\/api\/v4\/websocket\/?$/.test(url.pathname)) {
      reject(socket, 404, "Not Found");
      return;
    }
    let userId: string | null = null;
    if (header !== undefined) {
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
      userId = token === undefined ? null : (this.tokens.get(token) ?? null);
      if (userId === null) {
        record.outcome = "unauthorized";
        reject(socket, 401, "Unauthorized");
        return;
      }
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, userId, url.searchParams, record));
  }

  private accept(ws: WebSocket, userId: string | null, query: URLSearchParams, record: MockConnectRecord): void {
    const connection = this.setUp(ws, userId, query, record);
    this.onAccept?.(connection, record);
  }

  private setUp(ws: WebSocket, userId: string | null, query: URLSearchParams, record: MockConnectRecord): MockConnection {
    const connection: MockConnection = { ws, userId, session: null, frozen: false };
    this.connections.add(connection);
    ws.on("message", (raw, isBinary) => this.receive(connection, raw, isBinary));
    ws.on("close", () => this.detach(connection, () => {}));
    ws.on("error", () => {});
    const pingIntervalMs = this.options.pingIntervalMs ?? 0;
    if (pingIntervalMs > 0) {
      const timer = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN && !connection.frozen) ws.ping();
      }, pingIntervalMs);
      ws.on("close", () => clearInterval(timer));
    }

    if (userId === null) {
      // Authenticates later, with the challenge: no session (and so no resume) before that.
      record.outcome = "challenge";
      const timer = this.timer(() => {
        if (connection.userId === null) ws.terminate();
      }, this.options.authTimeoutMs ?? 5_000);
      ws.on("close", () => clearTimeout(timer));
      return connection;
    }
    const connectionId = query.get("connection_id") ?? "";
    const session = connectionId === "" ? undefined : this.sessions.get(connectionId);
    if (session === undefined || session.userId !== userId || session.connection !== null) {
      // Unknown, another user's, or still attached to a connection the server has not seen close.
      this.startSession(connection);
      return connection;
    }
    const sequence = Number(query.get("sequence_number") ?? Number.NaN);
    if (!Number.isInteger(sequence) || sequence < 0) {
      ws.close();
      return connection;
    }
    session.connection = connection;
    connection.session = session;
    const index = session.buffer.findIndex((entry) => entry.seq === sequence);
    if (index >= 0) {
      record.outcome = "resumed";
      for (const entry of session.buffer.slice(Math.max(0, index - (this.options.replayOverlap ?? 0)))) {
        ws.send(entry.frame);
        record.replayed++;
      }
    } else if (sequence === session.nextSeq) {
      record.outcome = "lossless";
    } else {
      record.outcome = "new_session";
      this.sessions.delete(session.connectionId);
      session.connectionId = newId();
      session.nextSeq = 0;
      session.buffer.length = 0;
      this.sessions.set(session.connectionId, session);
      this.hello(session);
    }
    return connection;
  }

  private startSession(connection: MockConnection): void {
    const session: MockSession = {
      connectionId: newId(),
      userId: connection.userId as string,
      nextSeq: 0,
      buffer: [],
      connection,
    };
    this.sessions.set(session.connectionId, session);
    connection.session = session;
    this.hello(session);
  }

  private hello(session: MockSession): void {
    this.emit(
      session,
      "hello",
      { server_version: SERVER_VERSION, connection_id: session.connectionId, server_hostname: "mock" },
      { user_id: session.userId },
    );
  }

  private emit(session: MockSession, event: string, data: Record<string, unknown>, broadcast: Record<string, unknown>): number {
    const seq = session.nextSeq++;
    const frame = JSON.stringify({
      event,
      data,
      broadcast: { omit_users: null, user_id: "", channel_id: "", team_id: "", connection_id: "", omit_connection_id: "", ...broadcast },
      seq,
    });
    session.buffer.push({ seq, frame });
    if (session.buffer.length > (this.options.bufferSize ?? 128)) session.buffer.shift();
    const connection = session.connection;
    if (connection !== null && !connection.frozen && connection.ws.readyState === WebSocket.OPEN) connection.ws.send(frame);
    return seq;
  }

  private detach(connection: MockConnection, end: () => void): void {
    if (!this.connections.delete(connection)) return;
    if (connection.session?.connection === connection) connection.session.connection = null;
    end();
  }

  // --- actions -------------------------------------------------------------------------------

  private receive(connection: MockConnection, raw: RawData, isBinary: boolean): void {
    if (connection.frozen) return;
    let request: MockRequest;
    try {
      if (isBinary) throw new Error("msgpack is not supported by the mock");
      request = JSON.parse(rawText(raw)) as MockRequest;
    } catch {
      // The server stops reading and closes on a frame it cannot decode.
      connection.ws.terminate();
      return;
    }
    this.requests.push(request);
    const { action, seq } = request;
    if (typeof action !== "string" || action === "") {
      this.fail(connection, seq, 400, "api.web_socket_router.no_action.app_error", "No websocket action.");
      return;
    }
    if (typeof seq !== "number" || seq <= 0) {
      this.fail(connection, seq, 400, "api.web_socket_router.bad_seq.app_error", "Invalid sequence for WebSocket message.");
      return;
    }
    if (action === "authentication_challenge") {
      if (connection.userId !== null) return;
      const token = (request.data as { token?: unknown } | undefined)?.token;
      const userId = typeof token === "string" ? this.tokens.get(token) : undefined;
      if (userId === undefined) {
        connection.ws.terminate();
        return;
      }
      connection.userId = userId;
      this.startSession(connection);
      this.reply(connection, seq, { status: "OK", seq_reply: seq });
      return;
    }
    if (connection.userId === null && action !== "presence") {
      this.fail(connection, seq, 401, "api.web_socket_router.not_authenticated.app_error", "You are not authenticated.");
      return;
    }
    const handler = this.handlers.get(action) ?? builtins[action];
    if (handler === undefined) {
      this.fail(connection, seq, 500, "api.web_socket_router.bad_action.app_error", "Unknown action.");
      return;
    }
    const result = handler(request.data, connection);
    if (result instanceof Promise) void result.then((settled) => this.answer(connection, seq, settled));
    else this.answer(connection, seq, result);
  }

  private answer(connection: MockConnection, seq: number, result: MockActionResult): void {
    if (result === "no-reply") return;
    if ("error" in result) {
      this.fail(connection, seq, result.error.status_code, result.error.id, result.error.message);
      return;
    }
    this.reply(
      connection,
      seq,
      result.data === undefined ? { status: "OK", seq_reply: seq } : { status: "OK", seq_reply: seq, data: result.data },
    );
  }

  private fail(connection: MockConnection, seq: unknown, status: number, id: string, message: string): void {
    const reply: Record<string, unknown> = { status: "FAIL" };
    if (typeof seq === "number" && seq !== 0) reply.seq_reply = seq;
    reply.error = { id, message, detailed_error: "", request_id: "", status_code: status };
    this.reply(connection, seq, reply);
  }

  private reply(connection: MockConnection, _seq: unknown, body: Record<string, unknown>): void {
    if (!connection.frozen && connection.ws.readyState === WebSocket.OPEN) connection.ws.send(JSON.stringify(body));
  }

  private timer(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, ms);
    this.timers.add(timer);
    return timer;
  }
}

const builtins: Readonly<Record<string, MockActionHandler>> = {
  ping: () => ({ data: { text: "pong", version: "11.6.0", server_time: Date.now(), node_id: "" } }),
  presence: () => ({}),
  user_typing: (data): MockActionResult =>
    typeof (data as { channel_id?: unknown } | undefined)?.channel_id === "string"
      ? {}
      : { error: { id: "api.websocket_handler.invalid_param.app_error", message: "Invalid channel_id parameter.", status_code: 400 } },
  user_update_active_status: () => ({}),
  posted_notify_ack: () => ({}),
  get_statuses: () => ({ data: {} }),
  get_statuses_by_ids: (data) => {
    const ids = (data as { user_ids?: unknown } | undefined)?.user_ids;
    if (!Array.isArray(ids) || ids.length === 0) {
      return { error: { id: "api.websocket_handler.invalid_param.app_error", message: "Invalid user_ids parameter.", status_code: 400 } };
    }
    return { data: Object.fromEntries(ids.map((id) => [String(id), "offline"])) };
  },
};

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString("utf8");
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString("utf8");
  return raw.toString("utf8");
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A 26-character id like the server's `model.NewId()`. */
function newId(): string {
  let id = "";
  for (let i = 0; i < 26; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}
