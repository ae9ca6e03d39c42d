/**
 * How long to wait before the next connection attempt: exponential backoff with jitter and a cap,
 * forever unless `maxAttempts` says otherwise. Pure functions; the socket owns the timer.
 */
import { checkRange } from "./errors.js";

/** Reconnection backoff. The wait before attempt n is `min(maxDelayMs, initialDelayMs * factor^(n-1))`, minus up to `jitter` of it at random. */
export interface ReconnectOptions {
  /** Wait before the first attempt after a drop, in milliseconds (default 500). */
  readonly initialDelayMs: number;
  /** Longest wait, in milliseconds (default 30 000; at least `initialDelayMs`). */
  readonly maxDelayMs: number;
  /** Growth of the wait per failed attempt, at least 1 (default 2). */
  readonly factor: number;
  /** Fraction of each wait taken off at random, 0 to 1, so that clients of a restarted server spread out (default 0.5). */
  readonly jitter: number;
  /** Failed attempts in a row before giving up with `socket:close` `gave_up` (default `Infinity`: never). */
  readonly maxAttempts: number;
}

/** The options with defaults filled in; throws a `RangeError` naming the option for a value out of range. */
export function resolveReconnect(options?: Partial<ReconnectOptions>): ReconnectOptions {
  const { initialDelayMs = 500, maxDelayMs = 30_000, factor = 2, jitter = 0.5, maxAttempts = Infinity } = options ?? {};
  const name = "createSocket: reconnect.";
  return {
    initialDelayMs: checkRange(`${name}initialDelayMs`, initialDelayMs, 0),
    maxDelayMs: checkRange(`${name}maxDelayMs`, maxDelayMs, initialDelayMs),
    factor: checkRange(`${name}factor`, factor, 1),
    jitter: checkRange(`${name}jitter`, jitter, 0, 1),
    maxAttempts: checkRange(`${name}maxAttempts`, maxAttempts, 0, Infinity),
  };
}

/** The wait before attempt `attempt` (1-based), in milliseconds. `random` returns a number in [0, 1). */
export function backoffDelay(policy: ReconnectOptions, attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1)) * (1 - policy.jitter * random()));
}
