/**
 * The errors a call can end with.
 *
 * - `MattermostError`: the server answered with an error status (its JSON error body, or whatever
 *   text a proxy or the rate limiter sent instead).
 * - `NetworkError`: no answer at all (connection refused or reset, DNS or TLS failure).
 * - `TimeoutError`: the client's timeout elapsed before the answer was complete.
 * - A cancelled call rejects with the caller's `signal.reason` (by default a `DOMException`
 *   named `AbortError`), untouched.
 *
 * `instanceof` works across copies of this module (two entry points bundled separately, or two
 * versions of the package): classes compare a brand stored under a global symbol, not prototypes.
 * Messages never hold credentials: they name the route template, not the URL.
 */
import { retryAfterMs } from "./rate-limit.js";
import type { HttpMethod } from "./transport.js";

const BRAND = Symbol.for("mattermost-typed.error");

/** The JSON error body of the Mattermost server (`model.AppError`). */
export interface AppErrorBody {
  readonly id?: string;
  readonly message?: string;
  readonly detailed_error?: string;
  readonly request_id?: string;
  readonly status_code?: number;
}

/** What the three errors share: where the call went, and the brand `instanceof` checks. */
abstract class BrandedError extends Error {
  /** The HTTP method of the call. */
  declare readonly method: HttpMethod;
  /** The route template, e.g. `/api/v4/users/{user_id}` (never the URL, whose values may be private). */
  declare readonly route: string;

  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `instanceof` asks about, not BrandedError
    return (value as { [BRAND]?: string } | null)?.[BRAND] === (this.prototype as { [BRAND]?: string })[BRAND];
  }

  constructor(method: HttpMethod, route: string, detail: string, fields?: object, cause?: unknown) {
    super(`${method} ${route}: ${detail}`, cause ? { cause } : undefined);
    Object.assign(this, { method, route }, fields);
  }
}

/** Names a class: its `name` and its brand, both on the prototype (so not printed with each error). */
function brand(errorClass: abstract new (...args: never[]) => Error, name: string): void {
  Object.assign(errorClass.prototype, { name, [BRAND]: name });
}

/** The server answered with an error status. */
export class MattermostError extends BrandedError {
  /** Stable server error id to branch on, e.g. `api.context.permissions.app_error`; `""` when the body had none. */
  declare readonly id: string;
  /** The server's own message (localized by the server), or the text of a non-JSON body; `message` adds the call and status. */
  declare readonly serverMessage: string;
  /** The server's detail (only servers in developer mode fill it), with `token=` values masked. */
  declare readonly detailed_error: string;
  /** The server's request id, to find the call in its logs; `""` when absent. */
  declare readonly request_id: string;
  /** The status the server wrote in its body; the HTTP status when the body had none. */
  declare readonly status_code: number;
  /** The HTTP status. */
  declare readonly status: number;
  /** How long the server asked to wait (`Retry-After` of a 429 or 503), in milliseconds. */
  declare readonly retryAfterMs: number | undefined;

  /** `body` is the response body as parsed: the JSON error, a string, or `undefined` when empty. */
  constructor(method: HttpMethod, route: string, response: Response, body: unknown) {
    const json: AppErrorBody = body && typeof body === "object" ? body : {};
    // A plain-text body (`limit exceeded` from the rate limiter) is the message; an HTML page is not.
    const text = typeof body === "string" && body[0] !== "<" ? body.trim().slice(0, 200) : "";
    const serverMessage = json.message ?? text;
    const { status } = response;
    super(method, route, `${status} ${serverMessage || response.statusText}${json.id ? ` (${json.id})` : ""}`, {
      id: json.id ?? "",
      serverMessage,
      detailed_error: (json.detailed_error ?? "").replace(/token=\w+/gi, "token=***"),
      request_id: json.request_id ?? "",
      status_code: json.status_code ?? status,
      status,
      retryAfterMs: retryAfterMs(response.headers),
    });
  }
}
brand(MattermostError, "MattermostError");

/** The request got no answer: connection refused or reset, DNS or TLS failure. `cause` is fetch's error. */
export class NetworkError extends BrandedError {
  constructor(method: HttpMethod, route: string, cause: unknown) {
    const error = cause as { message?: string; cause?: { code?: string } };
    super(method, route, `no answer (${error.cause?.code ?? error.message})`, undefined, cause);
  }
}
brand(NetworkError, "NetworkError");

/** The client's timeout elapsed before the answer was complete. */
export class TimeoutError extends BrandedError {
  /** The timeout that elapsed, in milliseconds. */
  declare readonly timeoutMs: number;

  constructor(method: HttpMethod, route: string, timeoutMs: number) {
    super(method, route, `no answer within ${timeoutMs} ms`, { timeoutMs });
  }
}
brand(TimeoutError, "TimeoutError");
