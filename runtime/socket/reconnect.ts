/**
 * How long to wait before the next connection attempt: exponential backoff with jitter and a cap,
 * forever unless `maxAttempts` says otherwise. Pure functions; the socket owns the timer.
 */

/** Reconnection backoff. The wait before attempt n is `min(maxDelayMs, initialDelayMs * factor^(n-1))`, minus up to `jitter` of it at random. */
export interface ReconnectOptions {
  /** Wait before the first attempt after a drop, in milliseconds (default 500). */
  readonly initialDelayMs: number;
  /** Longest wait, in milliseconds (default 30 000). */
  readonly maxDelayMs: number;
  /** Growth of the wait per failed attempt (default 2). */
  readonly factor: number;
  /** Fraction of each wait taken off at random, 0 to 1, so that clients of a restarted server spread out (default 0.5). */
  readonly jitter: number;
  /** Failed attempts in a row before giving up with `socket:close` `gave_up` (default `Infinity`: never). */
  readonly maxAttempts: number;
}

const defaults: ReconnectOptions = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: Number.POSITIVE_INFINITY,
};

/** The options with defaults filled in; throws a `RangeError` naming the option for a value out of range. */
export function resolveReconnect(options: Partial<ReconnectOptions> | undefined): ReconnectOptions {
  const resolved = { ...defaults, ...options };
  check("initialDelayMs", resolved.initialDelayMs, resolved.initialDelayMs >= 0 && Number.isFinite(resolved.initialDelayMs));
  check("maxDelayMs", resolved.maxDelayMs, resolved.maxDelayMs >= resolved.initialDelayMs && Number.isFinite(resolved.maxDelayMs));
  check("factor", resolved.factor, resolved.factor >= 1 && Number.isFinite(resolved.factor));
  check("jitter", resolved.jitter, resolved.jitter >= 0 && resolved.jitter <= 1);
  check("maxAttempts", resolved.maxAttempts, resolved.maxAttempts >= 0);
  return resolved;
}

function check(name: keyof ReconnectOptions, value: number, ok: boolean): void {
  if (!ok) {
    throw new RangeError(
      `createSocket: reconnect.${name} is ${value}; expected ${name === "jitter" ? "a number from 0 to 1" : name === "factor" ? "a finite number >= 1" : name === "maxDelayMs" ? "a finite number >= initialDelayMs" : "a number >= 0"}`,
    );
  }
}

/** The wait before attempt `attempt` (1-based), in milliseconds. `random` returns a number in [0, 1). */
export function backoffDelay(policy: ReconnectOptions, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - policy.jitter * random()));
}
