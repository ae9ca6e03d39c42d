/**
 * The errors a call can end with.
 *
 * - `MattermostError`: the server answered with an error status (its JSON error body, or whatever
 *   text a proxy or the rate limiter sent instead).
 * - `NetworkError`: no answer at all (connection refused or reset, DNS or TLS failure).
 * - `TimeoutError`: the client's timeout elapsed before the answer was complete.
 * - `InvalidResponseError`: the server answered with a success status, but not what the operation
 *   returns (a cut body, invalid JSON, another content type, an empty body), or redirected more than
 *   5 times; `code` says which (docs/errors.md#invalid-responses).
 * - A cancelled call rejects with the caller's `signal.reason` (by default a `DOMException`
 *   named `AbortError`), untouched.
 *
 * `instanceof` works across copies of this module (two entry points bundled separately, or two
 * versions of the package): classes compare a brand stored under a global symbol, not prototypes.
 * Messages never hold credentials: they name the route template, not the URL, and the client masks
 * its secrets (token, password) by value in every text of the errors it throws (see `redact`).
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

/** Whether a value is one of this module's errors (of any copy of it). */
const ours = (value: unknown): boolean => !!(value as { [BRAND]?: string } | null)?.[BRAND];

/** Names a class: its `name` and its brand, both on the prototype (so not printed with each error). */
function brand(errorClass: abstract new (...args: never[]) => Error, name: string): void {
  Object.assign(errorClass.prototype, { name, [BRAND]: name });
}

/** The longest text kept from the server (a message, a detail, a plain-text body). */
const MAX_TEXT = 1000;

/** The server's request id: in its JSON error body, else in the `X-Request-Id` header; `""` when absent. */
const requestId = (response: Response, json: AppErrorBody = {}): string => json.request_id ?? response.headers.get("X-Request-Id") ?? "";

/** The server answered with an error status. */
export class MattermostError extends BrandedError {
  /** Stable server error id to branch on, e.g. `api.context.permissions.app_error`; `""` when the body had none. */
  declare readonly id: string;
  /** The server's own message (localized by the server), or the text of a non-JSON body, cut to 1000 characters; `message` adds the call and status. */
  declare readonly serverMessage: string;
  /** The server's detail (only servers in developer mode fill it), cut to 1000 characters, with `token=` values masked. */
  declare readonly detailed_error: string;
  /** The server's request id (body, else `X-Request-Id`), to find the call in its logs; `""` when absent. */
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
    const text = typeof body === "string" && body[0] !== "<" ? body.trim() : "";
    const serverMessage = `${json.message ?? text}`.slice(0, MAX_TEXT);
    const { status } = response;
    super(method, route, `${status} ${serverMessage || response.statusText}${json.id ? ` (${json.id})` : ""}`, {
      id: json.id ?? "",
      serverMessage,
      detailed_error: `${json.detailed_error ?? ""}`.slice(0, MAX_TEXT).replace(/token=[^\s"',;&]+/gi, "token=***"),
      request_id: requestId(response, json),
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

/** What an `InvalidResponseError` found wrong; each has its section in docs/errors.md. */
export type InvalidResponseCode =
  | "RESPONSE_TRUNCATED"
  | "RESPONSE_INVALID_JSON"
  | "RESPONSE_CONTENT_TYPE"
  | "RESPONSE_EMPTY"
  | "TOO_MANY_REDIRECTS";

const WHAT: Record<InvalidResponseCode, string> = {
  RESPONSE_TRUNCATED: "the body ended before it was complete",
  RESPONSE_INVALID_JSON: "the body is not valid JSON",
  RESPONSE_CONTENT_TYPE: "the body is not JSON but",
  RESPONSE_EMPTY: "the body is empty, where the operation returns one",
  TOO_MANY_REDIRECTS: "more than 5 redirects",
};

/**
 * The server answered, but not with what the operation returns: a body cut off halfway, invalid
 * JSON, another content type (an HTML page from a proxy or a sign-in portal), an empty body where
 * the operation returns one, or more than 5 redirects. A success status does not mean the call
 * did nothing: a POST may have been applied. The message ends with the code and its section of
 * docs/errors.md.
 */
export class InvalidResponseError extends BrandedError {
  /** What was wrong, to branch on. */
  declare readonly code: InvalidResponseCode;
  /** The HTTP status of the answer (of the last redirect, for `TOO_MANY_REDIRECTS`). */
  declare readonly status: number;
  /** The answer's `X-Request-Id`, to find the call in the server's logs; `""` when absent. */
  declare readonly request_id: string;
  /** The answer's `Content-Type`; `""` when absent. */
  declare readonly contentType: string;

  constructor(method: HttpMethod, route: string, code: InvalidResponseCode, response: Response, cause?: unknown) {
    const { status } = response;
    const contentType = response.headers.get("Content-Type") ?? "";
    const request_id = requestId(response);
    super(
      method,
      route,
      `${status} answer: ${WHAT[code]}${code === "RESPONSE_CONTENT_TYPE" ? ` ${contentType}` : ""}${
        request_id ? ` (request id ${request_id})` : ""
      } (${code}: see docs/errors.md#${code.toLowerCase().replace(/_/g, "-")})`,
      { code, status, request_id, contentType },
      cause,
    );
  }
}
brand(InvalidResponseError, "InvalidResponseError");

/**
 * Masks secrets by value (each occurrence, also URL- or JSON-encoded, becomes `***`) in every text
 * an error of the client renders: `message`, `stack`, `serverMessage`, `detailed_error`, and the
 * same along its `cause` chain; errors that are not the client's own pass untouched. The `"METHOD route: "` head of a message stays as it is. Secrets
 * shorter than 4 characters are left alone (they would mask ordinary words).
 */
export function redact<E>(error: E, secrets: Iterable<string>): E {
  // Only the client's own errors: a caller's abort reason or a middleware's error stay theirs.
  if (!ours(error)) return error;
  const list = [...secrets]
    .flatMap((secret) => (secret.length < 4 ? [] : [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]))
    .sort((a, b) => b.length - a.length);
  for (let item: unknown = error, depth = 0; item instanceof Error && depth < 5; item = item.cause, depth++) {
    const fields = item as unknown as Record<string, unknown>;
    const head = ours(item) ? `${fields.method} ${fields.route}: ` : "\0";
    // `stack` first: it is formatted from the message on first read.
    for (const key of ["stack", "message", "serverMessage", "detailed_error"]) {
      const text = fields[key];
      if (typeof text === "string") {
        const found = text.indexOf(head);
        const keep = found >= 0 && found <= item.name.length + 2 ? found + head.length : 0;
        // A getter-only field (a DOMException's) is left as it is.
        Reflect.set(fields, key, text.slice(0, keep) + list.reduce((done, secret) => done.split(secret).join("***"), text.slice(keep)));
      }
    }
  }
  return error;
}
