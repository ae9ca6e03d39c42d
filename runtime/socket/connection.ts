/**
 * One transport connection: the URL (with the resume parameters), the WebSocket implementation,
 * opening with the credentials, and the two ways of ending it.
 */
import type { WebSocketConstructor, WebSocketLike } from "./types.js";

/** `readyState` values of the WebSocket API. */
export const OPEN = 1;
export const CLOSED = 3;

/**
 * The server's WebSocket endpoint for a server URL: `http(s)` becomes `ws(s)`, and
 * `/api/v4/websocket` is appended unless already there. Throws a `TypeError` for anything else.
 */
export function websocketEndpoint(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch (cause) {
    throw new TypeError(`createSocket: url ${JSON.stringify(server)} is not an absolute URL; pass e.g. "https://chat.example.com"`, { cause });
  }
  const scheme = { "http:": "ws:", "https:": "wss:", "ws:": "ws:", "wss:": "wss:" }[url.protocol];
  if (scheme === undefined) {
    throw new TypeError(`createSocket: url ${JSON.stringify(server)} has scheme ${url.protocol}; use http(s) or ws(s)`);
  }
  url.protocol = scheme;
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith("/api/v4/websocket") ? path : `${path.replace(/\/api\/v4$/, "")}/api/v4/websocket`;
  url.hash = "";
  return url;
}

/** What a connection attempt asks of the server, as query parameters. */
export interface ConnectParams {
  /** The session to resume, with the next sequence number wanted from it. */
  readonly resume: { readonly connectionId: string; readonly sequenceNumber: number } | null;
  readonly postedAck: boolean;
  /** The close code that ended the previous connection, for the server's metrics. */
  readonly disconnectErrCode: number | null;
}

export function connectUrl(endpoint: URL, params: ConnectParams): string {
  const url = new URL(endpoint);
  if (params.resume !== null) {
    url.searchParams.set("connection_id", params.resume.connectionId);
    url.searchParams.set("sequence_number", String(params.resume.sequenceNumber));
  }
  if (params.postedAck) url.searchParams.set("posted_ack", "true");
  if (params.disconnectErrCode !== null) url.searchParams.set("disconnect_err_code", String(params.disconnectErrCode));
  return url.href;
}

/**
 * The default implementation: `ws` on Node (which can send the `Authorization` header the server
 * needs to resume sessions), the global `WebSocket` elsewhere, or on a Node-like runtime where `ws`
 * cannot be imported. `ws` is imported through a variable so that browser bundlers never follow it.
 */
export async function loadWebSocket(): Promise<WebSocketConstructor> {
  const scope = globalThis as { process?: { versions?: { node?: string } }; WebSocket?: WebSocketConstructor };
  let failure: unknown;
  if (typeof scope.process?.versions?.node === "string") {
    const specifier = "ws";
    try {
      const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as { default?: unknown; WebSocket?: unknown };
      const exported = module.WebSocket ?? module.default;
      if (typeof exported === "function") return exported as WebSocketConstructor;
      failure = new TypeError('the "ws" package exports no WebSocket class');
    } catch (cause) {
      failure = cause;
    }
  }
  if (typeof scope.WebSocket === "function") return scope.WebSocket;
  throw new TypeError(
    `createSocket: no WebSocket implementation: ${failure === undefined ? "this platform has no global WebSocket" : `the "ws" package could not be loaded (${failure instanceof Error ? failure.message : String(failure)})`}; install ws@8 or pass options.WebSocket`,
    { cause: failure },
  );
}

export function openTransport(Ctor: WebSocketConstructor, url: string, token: string): WebSocketLike {
  return new Ctor(url, undefined, { headers: { Authorization: `Bearer ${token}` } });
}

const noop = (): void => {};

/** Stops every callback of `ws` (with no-ops rather than `null`: `ws` throws on an `error` nobody listens to). */
function silence(ws: WebSocketLike): void {
  ws.onopen = noop;
  ws.onmessage = noop;
  ws.onerror = noop;
  ws.onclose = noop;
}

/** Ends a connection given up on (dead, timed out, failed): at once where possible. */
export function abortTransport(ws: WebSocketLike, code: number): void {
  silence(ws);
  try {
    if (typeof ws.terminate === "function") ws.terminate();
    else ws.close(code);
  } catch {
    // Already closed, or an implementation that refuses the code: nothing left to end.
  }
}

/**
 * Ends a connection for `close()`: a normal closure (1000) when open, so the server sees a clean
 * goodbye; destroyed after `graceMs` if the server does not answer the close. Resolves once closed.
 * The grace timer does not keep Node alive.
 */
export function closeTransport(ws: WebSocketLike, graceMs: number): Promise<void> {
  silence(ws);
  if (ws.readyState === CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      ws.onclose = noop;
      resolve();
    };
    const timer = setTimeout(() => {
      abortTransport(ws, 1000);
      done();
    }, graceMs);
    (timer as { unref?: () => void }).unref?.();
    ws.onclose = done;
    try {
      if (ws.readyState === OPEN || typeof ws.terminate !== "function") ws.close(1000);
      else ws.terminate();
    } catch {
      done();
    }
  });
}
