/**
 * When and how long to wait before trying a call again.
 *
 * - 429, for every method: Mattermost's limiter refuses before any handler runs (see
 *   `rate-limit.ts`), so nothing was applied. The wait is `Retry-After`, else `X-Ratelimit-Reset`,
 *   else backoff; a `Retry-After` that is no number of seconds or date (`abc`, `-5`) counts as absent.
 * - 502, 503, 504, no answer (connection refused or reset) and a body cut off halfway: only for
 *   GET, HEAD, PUT and DELETE, unless the call (`init.retry: true`) or the client (`retry.unsafe`)
 *   allows POST and PATCH, since the server may have applied them. The wait is `Retry-After`, else
 *   exponential backoff with jitter. Timeouts and aborts are not retried.
 * - The budget is time: at most `maxWaitMs` of waiting per call, in the rate limiter's queue and
 *   before retries together; a wait that would cross it is not started and the call fails at once
 *   with the last error. `retries` bounds the attempts overall, whatever time is left.
 * - `init.retry: false` turns retries off for a call, `retry: false` for the client.
 * - Every wait ends early, rejecting with `signal.reason`, when the call's signal aborts.
 */
import { retryAfterMs } from "./rate-limit.js";
import type { HttpMethod } from "./transport.js";

/** Retry policy of a client (`createClient({ retry })`); `retry: false` disables retries. */
export interface RetryOptions {
  /** Most attempts after the first one, the overall bound (default 10). */
  readonly retries?: number;
  /** Most time one call spends waiting, in the rate limiter's queue and between attempts, in milliseconds (default 60 000). */
  readonly maxWaitMs?: number;
  /** First backoff delay, in milliseconds (default 500), doubled per attempt, with jitter. */
  readonly backoffMs?: number;
  /** Also retry POST and PATCH after a failure the server may have applied (default false): for calls where a replay is harmless. */
  readonly unsafe?: boolean;
}

/** Why a call waits: the rate limiter's queue, or before a retry (the header it honours, or backoff). */
export type WaitReason = "rate-limit" | "retry-after" | "reset" | "backoff";

/**
 * The wait before attempt `attempt + 1` and its reason, or `undefined` to give up. `response` is
 * absent after no answer or a cut body; `allow` is the call's `init.retry`; `waited` the time the
 * call already waited.
 */
export function retryDelay(
  options: RetryOptions | false,
  allow: boolean | undefined,
  method: HttpMethod,
  response: Response | undefined,
  attempt: number,
  waited: number,
): [ms: number, reason: WaitReason] | undefined {
  const status = response?.status ?? 502; // no answer at all counts as a 502
  if (
    options &&
    allow !== false &&
    attempt < (options.retries ?? 10) &&
    (status === 429 || (status > 501 && status < 505 && (allow || options.unsafe || (method !== "POST" && method !== "PATCH"))))
  ) {
    const headers = response?.headers;
    const after = headers && retryAfterMs(headers);
    const reset = status === 429 && Math.max(...(headers?.get("X-Ratelimit-Reset") ?? "").split(",").map(Number));
    const found: [number, WaitReason] | undefined =
      after !== undefined ? [after, "retry-after"] : reset && reset > 0 ? [1000 * reset, "reset"] : undefined;
    const wait = found ?? [(options.backoffMs ?? 500) * 2 ** attempt * (0.5 + Math.random() / 2), "backoff"];
    if (waited + wait[0] <= (options.maxWaitMs ?? 60_000)) return wait;
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
