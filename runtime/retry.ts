/**
 * When and how long to wait before trying a call again.
 *
 * - 429: wait what the server says (`Retry-After`), else back off.
 * - 502, 503, 504 and network errors (connection refused or reset): exponential backoff with jitter,
 *   or the server's `Retry-After` when the answer carries one. Timeouts and aborts are not retried.
 * - Only idempotent methods (GET, HEAD, PUT, DELETE) unless the call (`init.retry: true`) or the
 *   client (`retry.unsafe`) allows POST and PATCH; `init.retry: false` turns retries off for a call.
 * - Bounded twice: at most `retries` more attempts, and at most `maxWaitMs` of waiting in total. A wait
 *   that would cross the bound is not started: the call fails at once with the last error.
 * - Every wait ends early, rejecting with `signal.reason`, when the call's signal aborts.
 */
import { retryAfterMs } from "./rate-limit.js";
import type { HttpMethod } from "./transport.js";

/** Retry policy of a client (`createClient({ retry })`); `retry: false` disables retries. */
export interface RetryOptions {
  /** Attempts after the first one (default 3). */
  readonly retries?: number;
  /** Most time spent waiting between the attempts of one call, in milliseconds (default 60 000). */
  readonly maxWaitMs?: number;
  /** First backoff delay for transient failures, in milliseconds (default 500), doubled per attempt, with jitter. */
  readonly backoffMs?: number;
  /** Also retry POST and PATCH (default false): for calls where a replay is harmless. */
  readonly unsafe?: boolean;
}

/**
 * The wait before attempt `attempt + 1`, in milliseconds, or `undefined` to give up.
 * `response` is absent after a network error; `allow` is the call's `init.retry`.
 */
export function retryDelay(
  options: RetryOptions | false,
  allow: boolean | undefined,
  method: HttpMethod,
  response: Response | undefined,
  attempt: number,
  waited: number,
): number | undefined {
  const status = response?.status ?? 502; // no answer at all counts as a 502
  if (
    options &&
    allow !== false &&
    attempt < (options.retries ?? 3) &&
    (allow || options.unsafe || (method !== "POST" && method !== "PATCH")) &&
    (status === 429 || (status > 501 && status < 505))
  ) {
    const delay = (response && retryAfterMs(response.headers)) ?? (options.backoffMs ?? 500) * 2 ** attempt * (0.5 + Math.random() / 2);
    if (waited + delay <= (options.maxWaitMs ?? 60_000)) return delay;
  }
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      signal?.aborted ? reject(signal.reason) : resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.aborted ? done() : signal?.addEventListener("abort", done);
  });
}
