/**
 * One transport connection: the URL (with the resume parameters), the WebSocket implementation,
 * and the two ways of ending a connection.
 */
import { messageOf } from "./errors.js";
import type { WebSocketConstructor, WebSocketLike } from "./types.js";

/**
 * The server's WebSocket endpoint for a server URL: `http(s)` becomes `ws(s)`, and
 * `/api/v4/websocket` is appended unless already there. Throws a `TypeError` for anything else.
 */
export function websocketEndpoint(server: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    // Reported below, with the other unusable URLs.
  }
  const scheme = url?.protocol.replace(/^http/, "ws");
  if (url === undefined || !/^wss?:$/.test(scheme as string)) {
    throw new TypeError(`createSocket: url ${JSON.stringify(server)} is not an absolute http(s) or ws(s) URL`);
  }
  url.protocol = scheme as string;
  url.pathname = url.pathname.replace(/\/+$/, "").replace(/(\/api\/v4(\/websocket)?)?$/, "/api/v4/websocket");
  url.hash = "";
  return url;
}

/**
 * The default implementation: `ws` on Node (which can send the `Authorization` header the server
 * needs to resume sessions), the global `WebSocket` elsewhere, or on a Node-like runtime where `ws`
 * cannot be imported. The specifier is not a literal, so that bundlers leave the import alone (a
 * browser bundle does not get `ws`, a Node bundle imports the installed one).
 */
export async function loadWebSocket(specifier = "ws"): Promise<WebSocketConstructor> {
  const scope = globalThis as { process?: { versions?: { node?: string } }; WebSocket?: unknown };
  let found = scope.WebSocket;
  let failure: unknown = "no global WebSocket";
  try {
    if (scope.process?.versions?.node) {
      const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as { default?: unknown; WebSocket?: unknown };
      found = module.WebSocket ?? module.default;
    }
  } catch (cause) {
    failure = cause;
  }
  if (typeof found === "function") return found as WebSocketConstructor;
  throw new TypeError(`createSocket: no WebSocket (${messageOf(failure)}); install ws or pass options.WebSocket`, { cause: failure });
}

const noop = (): void => {};

/** Ends a connection given up on (dead, timed out, failed) at once, and stops its callbacks. */
export function abortTransport(ws: WebSocketLike, code: number): void {
  // No-ops rather than `null`: `ws` throws on an `error` nobody listens to.
  ws.onopen = ws.onmessage = ws.onerror = ws.onclose = noop;
  // `terminate` (ws only) destroys the connection without the closing handshake.
  if (ws.terminate) ws.terminate();
  else ws.close(code);
}

/**
 * Ends a connection for `close()`: a normal closure (1000) when open, so the server sees a clean
 * goodbye, destroyed after `graceMs` if the server does not answer it; at once otherwise. Resolves
 * once closed. The grace timer does not keep Node alive.
 */
export function closeTransport(ws: WebSocketLike, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      abortTransport(ws, 1000);
      resolve();
    };
    const timer = setTimeout(done, graceMs);
    (timer as { unref?: () => void }).unref?.();
    ws.onopen = ws.onmessage = ws.onerror = noop;
    ws.onclose = done;
    // readyState 1: open.
    if (ws.readyState === 1) ws.close(1000);
    else done();
  });
}

/**
 * Whether the REST API refuses `token`: `GET /api/v4/users/me` next to the WebSocket `endpoint`
 * answers 401. `false` for any other answer, and when it cannot be asked (no `fetch`, the network,
 * a browser's CORS rules, no answer within `timeoutMs`): then the socket goes on as for any other drop.
 * An empty `token` (a browser's cookie session) sends no `Authorization` header but the cookies
 * (`credentials: "include"`): the session cookie is what is checked then. A token is sent without cookies.
 */
export async function tokenRefused(endpoint: URL, token: string, timeoutMs: number): Promise<boolean> {
  try {
    // `/api/v4/websocket` → `/api/v4/users/me`, over http(s), without the query.
    const url = new URL("users/me", endpoint.href.replace(/^ws/, "http"));
    // With a token, no cookies: a cross-origin check would then need the server's CORS to allow credentials.
    const init: RequestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : { credentials: "include" };
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    void response.body?.cancel();
    return response.status === 401;
  } catch {
    return false;
  }
}
