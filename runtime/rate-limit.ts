/**
 * The server's rate limit: reading what it reports, and pacing calls so that none is sent into a 429.
 *
 * What Mattermost does (server/channels/app/ratelimit.go, wired in server/channels/app/server.go and
 * server/channels/web/handlers.go of mattermost/mattermost):
 * - The limiter wraps the whole router (`handler = rateLimiter.RateLimitHandler(handler)` in
 *   server.go): a refused request gets `http.Error(w, "limit exceeded", 429)` and the wrapped handler
 *   never runs. The second limiter, by user id (`UserIdRateLimit` in handlers.go), runs after the
 *   session lookup and before `h.HandleFunc`. Either way a 429 means nothing was applied, so a 429
 *   is retried for every method, POST included.
 * - It is throttled's GCRA (`throttled.NewGCRARateLimiter`): a bucket of `MaxBurst + 1` requests
 *   that refills one request every `1000 / PerSec` ms. Every answer carries `X-Ratelimit-Limit`,
 *   `X-Ratelimit-Remaining` and `X-Ratelimit-Reset` (seconds, rounded up, until the bucket is full
 *   again), and a 429 `Retry-After` (seconds, rounded up). A request with a token passes both
 *   limiters, the token's and its user's, and each adds its own value: `"10, 9"`. The most
 *   restrictive counts.
 *
 * The pacing: a `RateLimiter` keeps a copy of that bucket. Each answer sets how full it is (the
 * server's count, plus every request that may have reached the server after it) and bounds the
 * refill interval from above (`Reset` seconds for the `Limit - Remaining` requests in the bucket,
 * so the estimate is never faster than the server). A call waits in the client, first come first
 * served, while the bucket is full. Before the first answer with these headers, one request goes
 * alone (at most `PROBE_MS`), so a burst at start-up does not go out blind; a server that sends no
 * such headers is not paced.
 */

/** The last rate-limit state the server reported. */
export interface RateLimit {
  /** Requests allowed at once (Mattermost: `MaxBurst + 1`). */
  readonly limit: number;
  /** Requests left right now. */
  readonly remaining: number;
  /** When the budget is whole again, in epoch milliseconds. */
  readonly resetAt: number;
}

/**
 * Paces the requests of the clients that share it (`createClient({ rateLimiter })`): one per token,
 * or per user when several clients or tokens act for the same user. `take` and `done` are what the
 * client calls around each request; programs only read `state`.
 */
export interface RateLimiter {
  /** The rate limit the server last reported, or `undefined` before any limited answer. */
  readonly state: RateLimit | undefined;
  /**
   * Waits until one more request may go (first come, first served), then counts it; resolves with
   * its ticket, rejects with `signal.reason` when the signal aborts. `onWait` is called once when
   * the request has to wait, with the wait expected at that moment in milliseconds. A request
   * that would wait longer than `maxMs` goes at once instead (into the 429 it then gets, whose
   * `Retry-After` says how long the call would have had to wait).
   */
  take(signal?: AbortSignal, onWait?: (ms: number) => void, maxMs?: number): Promise<number>;
  /** The request of `ticket` ended: with the answer's headers and status, or without (no answer). */
  done(ticket: number, headers?: Headers, status?: number): void;
}

/** How long the first request goes alone before the others follow anyway (no answer yet). */
export const PROBE_MS = 1000;

/** The values of a header, one per limiter; `[]` without it. */
function values(headers: Headers, name: string): number[] {
  return (headers.get(name) ?? "").split(",").filter(Boolean).map(Number);
}

/** The rate-limit state in these response headers, or `undefined` when they carry none. */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  const limits = values(headers, "X-Ratelimit-Limit");
  if (limits.length) {
    return {
      limit: Math.min(...limits),
      remaining: Math.min(...values(headers, "X-Ratelimit-Remaining")),
      resetAt: Date.now() + 1000 * Math.max(...values(headers, "X-Ratelimit-Reset")),
    };
  }
}

/**
 * How long `Retry-After` asks to wait, in milliseconds: whole seconds (the largest when repeated) or
 * an HTTP date. `undefined` without one, and for a value that is neither (`abc`, `-5`).
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get("Retry-After")?.trim();
  if (!value) return;
  if (/^\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*$/.test(value)) return 1000 * Math.max(...value.split(",").map(Number));
  // An HTTP date starts with the day's name (`Wed, 21 Oct 2015 07:28:00 GMT`).
  const date = /^[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  if (date) return Math.max(0, date - Date.now());
}

/** Creates a limiter; pass it to every client that should share one budget. */
export function createRateLimiter(): RateLimiter {
  let state: RateLimit | undefined;
  /** Requests the server allows at once; 0 before it said. */
  let limit = 0;
  /** Requests in the bucket at time `at`. */
  let level = 0;
  let at = 0;
  /** Milliseconds per request the bucket refills: the smallest upper bound seen. */
  let interval = Number.POSITIVE_INFINITY;
  /** An answer without the headers came first: the server does not limit. */
  let free = false;
  let probeAt = 0;
  let sent = 0;
  const pending = new Set<number>();
  const queue: (() => boolean)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const now = (): number => performance.now();
  const used = (t: number): number => Math.max(0, level - (t - at) / interval);

  /** Milliseconds before one more request may go, `queued` requests ahead of it. */
  function delay(t: number, queued = 0): number {
    if (!limit) return free || !pending.size ? 0 : Math.max(0, probeAt + PROBE_MS - t);
    const over = used(t) + queued + 1 - limit;
    return over > 0 ? over * interval : 0;
  }

  /** Lets the waiting requests go as far as the bucket allows; sets a timer for the rest. */
  function pump(): void {
    clearTimeout(timer);
    timer = undefined;
    while (queue.length) {
      const wait = delay(now());
      if (wait > 0) {
        if (wait < Number.POSITIVE_INFINITY) timer = setTimeout(pump, Math.ceil(wait));
        return;
      }
      (queue.shift() as () => boolean)();
    }
  }

  return {
    get state() {
      return state;
    },
    take(signal, onWait, maxMs = Number.POSITIVE_INFINITY) {
      return new Promise((resolve, reject) => {
        const abort = (): void => {
          queue.splice(queue.indexOf(go), 1);
          reject(signal?.reason);
          pump();
        };
        const go = (): boolean => {
          signal?.removeEventListener("abort", abort);
          const t = now();
          if (!limit && !pending.size) probeAt = t;
          level = used(t) + 1;
          at = t;
          pending.add(sent);
          resolve(sent++);
          return true;
        };
        if (signal?.aborted) return reject(signal.reason);
        const wait = delay(now(), queue.length);
        if ((!wait && !queue.length) || (wait > maxMs && limit)) return void go();
        onWait?.(Number.isFinite(wait) ? Math.ceil(wait) : PROBE_MS);
        signal?.addEventListener("abort", abort);
        queue.push(go);
        pump();
      });
    },
    done(ticket, headers, status) {
      pending.delete(ticket);
      const reading = headers && readRateLimit(headers);
      if (reading) {
        const t = now();
        // A 429 may mean the rate changed: the bound starts again from this answer.
        if (status === 429) interval = Number.POSITIVE_INFINITY;
        const limits = values(headers, "X-Ratelimit-Limit");
        const remaining = values(headers, "X-Ratelimit-Remaining");
        const resets = values(headers, "X-Ratelimit-Reset");
        limits.forEach((each, i) => {
          // The bucket holds more than `each - 1 - left` requests and empties within `reset` seconds.
          const bound = (1000 * (resets[i] ?? 1)) / Math.max(1, each - 1 - (remaining[i] ?? 0));
          if (bound >= 0) interval = Math.min(interval, bound);
        });
        let later = sent - ticket - 1;
        for (const other of pending) if (other < ticket) later++;
        limit = reading.limit;
        level = limit - reading.remaining + later;
        at = t;
        state = reading;
      } else if (headers && !limit) free = true;
      pump();
    },
  };
}
