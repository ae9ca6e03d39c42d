/**
 * The error `send()` and `ready()` reject with. Problems that do not end a call (a bad frame, a
 * throwing handler) are not errors thrown anywhere: they are `socket:error` signals (see `types.ts`).
 *
 * Like the REST errors (`runtime/errors.ts`), `instanceof` compares a brand stored under the same
 * global symbol instead of prototypes, so it works across bundled copies of this module.
 */
import type { AppErrorBody } from "../errors.js";

const BRAND = Symbol.for("mattermost-typed.error");

/** Why a `send()` or `ready()` did not succeed. */
export type SocketErrorCode =
  /** The server answered `status: "FAIL"`; see `serverError`. */
  | "action_failed"
  /** No reply within the timeout. The server may still have acted on the request. */
  | "timeout"
  /** The message is larger than the server accepts (8 KiB); it was not sent. */
  | "too_large"
  /** The connection dropped after the request was sent and before the reply; it is not sent again. */
  | "connection_lost"
  /** The socket was closed (`close()`, or it gave up reconnecting). */
  | "closed"
  /** The caller's signal aborted. */
  | "aborted";

/** A `send()` or `ready()` that did not succeed. Branch on `code`. */
export class SocketError extends Error {
  static override [Symbol.hasInstance](value: unknown): value is SocketError {
    return (value as { [BRAND]?: string } | null)?.[BRAND] === "SocketError";
  }

  declare readonly code: SocketErrorCode;
  /** The action, or `null` for `ready()`. */
  declare readonly action: string | null;
  /** The request's `seq`, or `null` when it never got one. */
  declare readonly seq: number | null;
  /** For `action_failed`: the server's error (`id` is stable, e.g. `api.web_socket_router.bad_action.app_error`). */
  declare readonly serverError: AppErrorBody | undefined;

  constructor(
    code: SocketErrorCode,
    action: string | null,
    seq: number | null,
    message: string,
    options?: { readonly cause?: unknown; readonly serverError?: AppErrorBody },
  ) {
    // `Error` takes `cause` from the options when they have one, and ignores the rest.
    super(message, options);
    Object.assign(this, { code, action, seq, serverError: options?.serverError });
  }
}

// The name and the brand live on the prototype, so they are not printed with each error.
Object.assign(SocketError.prototype, { name: "SocketError", [BRAND]: "SocketError" });

/** A `SocketError` whose message starts with the call: `send("ping"): ...` or `ready(): ...`. */
export function callError(
  code: SocketErrorCode,
  action: string | null,
  seq: number | null,
  detail: string,
  options?: { readonly cause?: unknown; readonly serverError?: AppErrorBody },
): SocketError {
  return new SocketError(code, action, seq, `${action === null ? "ready()" : `send("${action}")`}: ${detail}`, options);
}

/** The message of a thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `value` when it is a number from `min` to `max`; otherwise throws a `RangeError` naming the option. */
export function checkRange(name: string, value: number, min: number, max = 2 ** 31 - 1): number {
  if (!(value >= min && value <= max)) throw new RangeError(`${name} is ${value}; expected a number from ${min} to ${max}`);
  return value;
}
