/**
 * Reading the rate limit the server reports.
 *
 * Mattermost's limiter (throttled) sends `X-Ratelimit-Limit`, `X-Ratelimit-Remaining` and
 * `X-Ratelimit-Reset` (seconds until the window resets) on every limited route, and `Retry-After`
 * (seconds) with a 429 whose body is the plain text `limit exceeded`. A request with a token passes
 * two limiters (the token's and its user's), each adding its own values, so a header may read
 * `"11, 11"`: the most restrictive value counts.
 */

/** The last rate-limit state the server reported to a client. */
export interface RateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Requests left in the current window. */
  readonly remaining: number;
  /** When the window resets, in epoch milliseconds. */
  readonly resetAt: number;
}

/** The numbers of a header that each limiter may have added to. */
function values(headers: Headers, name: string): number[] {
  return (headers.get(name) ?? "0").split(",").map(Number);
}

/** The rate-limit state in these response headers, or `undefined` when they carry none. */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  if (headers.has("X-Ratelimit-Limit")) {
    return {
      limit: Math.min(...values(headers, "X-Ratelimit-Limit")),
      remaining: Math.min(...values(headers, "X-Ratelimit-Remaining")),
      resetAt: Date.now() + 1000 * Math.max(...values(headers, "X-Ratelimit-Reset")),
    };
  }
}

/** How long `Retry-After` (seconds or an HTTP date) asks to wait, in milliseconds; `undefined` without one. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get("Retry-After");
  if (value) return Math.max(0, 1000 * Math.max(...values(headers, "Retry-After")) || Date.parse(value) - Date.now()) || 0;
}
