import { describe, expect, test } from "vitest";
import { createPost, deletePost, getMe } from "../../generated/endpoints/index.js";
import { MattermostError, NetworkError, type WaitInfo, createClient } from "../../runtime/index.js";
import { retryDelay, sleep } from "../../runtime/retry.js";
import { type MockMattermost, useMockMattermost, failure } from "../support/mock-mattermost.js";

let mock: MockMattermost;
let token: string;
useMockMattermost((m, t) => {
  mock = m;
  token = t;
});

const post = { body: { channel_id: "chan", message: "hi" } };

describe("429", () => {
  test("a call the limiter knows would be refused waits in the client instead: no 429 is sent", async () => {
    mock.rateLimit = { limit: 2, windowMs: 1000 };
    const waits: WaitInfo[] = [];
    const client = createClient({ baseUrl: mock.url, token, onWait: (info) => waits.push(info) });
    await getMe(client);
    await getMe(client);
    expect(client.rateLimit).toMatchObject({ limit: 2, remaining: 0 });
    expect((await getMe(client)).username).toBe("alice");
    expect(mock.requests).toHaveLength(3);
    // The window ends 1 s after the first request: the third does not leave before.
    expect(mock.requests[2]!.at - mock.requests[0]!.at).toBeGreaterThanOrEqual(1000 - 2);
    expect(waits).toEqual([
      {
        operation: "GET /api/v4/users/me",
        method: "GET",
        route: "/api/v4/users/me",
        ms: expect.any(Number),
        reason: "rate-limit",
        attempt: 0,
      },
    ]);
    expect(waits[0]!.ms).toBeGreaterThan(900);
  });

  test("without the limiter, a 429 waits what Retry-After says, never less, then succeeds", async () => {
    mock.rateLimit = { limit: 2, windowMs: 1000 };
    const waits: WaitInfo[] = [];
    const client = createClient({ baseUrl: mock.url, token, rateLimiter: false, onWait: (info) => waits.push(info) });
    await getMe(client);
    await getMe(client);
    const me = await getMe(client);
    expect(me.username).toBe("alice");
    const [, , limited, retried] = mock.requests;
    expect(mock.requests).toHaveLength(4);
    // The 429 said "Retry-After: 1": nothing may arrive within the second after it was sent.
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000 - 2);
    expect(client.rateLimit).toMatchObject({ limit: 2, remaining: 1 });
    expect(waits).toMatchObject([{ reason: "retry-after", ms: 1000, attempt: 1, status: 429 }]);
  });

  test("a wait longer than maxWaitMs is not started: the 429 is thrown at once", async () => {
    mock.rateLimit = { limit: 1, windowMs: 60_000 };
    for (const rateLimiter of [undefined, false] as const) {
      mock.reset();
      mock.rateLimit = { limit: 1, windowMs: 60_000 };
      const waits: WaitInfo[] = [];
      const client = createClient({
        baseUrl: mock.url,
        token,
        rateLimiter,
        retry: { maxWaitMs: 5_000 },
        onWait: (info) => waits.push(info),
      });
      await getMe(client);
      const started = performance.now();
      const error = (await failure(getMe(client))) as MattermostError;
      // Nor does the limiter hold the call longer than the budget: it goes, and the 429 says how long.
      // No wait was started (none reported), and the call did not sit out its budget.
      expect(waits).toEqual([]);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(MattermostError);
      expect(error.status).toBe(429);
      expect(error.retryAfterMs).toBeGreaterThan(58_000);
      expect(mock.requests).toHaveLength(2);
    }
  });

  test("a 429 is retried for every method, POST included: the limiter refuses before any handler runs", async () => {
    mock.override("POST /api/v4/posts", ({ calls }) =>
      [0, 1, 3].includes(calls)
        ? { status: 429, text: "limit exceeded\n", headers: { "Retry-After": "0" } }
        : { status: 201, json: { id: "p" } },
    );
    const client = createClient({ baseUrl: mock.url, token });
    expect(await createPost(client, post)).toEqual({ id: "p" });
    expect(mock.requests).toHaveLength(3);
    expect(await failure(createPost(client, post, { retry: false }))).toMatchObject({ status: 429 });
    expect(mock.requests).toHaveLength(4);
  });

  test("an invalid Retry-After (abc, -5) falls back to X-Ratelimit-Reset, else to backoff", async () => {
    for (const value of ["abc", "-5"]) {
      mock.reset();
      mock.override("GET /api/v4/users/me", ({ calls }) =>
        calls < 2 ? { status: 429, text: "limit exceeded\n", headers: { "Retry-After": value } } : { json: { ok: true } },
      );
      const waits: WaitInfo[] = [];
      const client = createClient({ baseUrl: mock.url, token, retry: { backoffMs: 100 }, onWait: (info) => waits.push(info) });
      await getMe(client);
      expect(waits.map((wait) => wait.reason)).toEqual(["backoff", "backoff"]);
      const gaps = mock.requests.slice(1).map((request, i) => request.at - mock.requests[i]!.at);
      expect(gaps[0]).toBeGreaterThanOrEqual(50 - 2);
      expect(gaps[1]).toBeGreaterThanOrEqual(100 - 2);
    }
    mock.reset();
    mock.override("GET /api/v4/users/me", ({ calls }) =>
      calls < 1
        ? { status: 429, text: "limit exceeded\n", headers: { "Retry-After": "abc", "X-Ratelimit-Reset": "1" } }
        : { json: { ok: true } },
    );
    const waits: WaitInfo[] = [];
    await getMe(createClient({ baseUrl: mock.url, token, rateLimiter: false, onWait: (info) => waits.push(info) }));
    expect(waits).toMatchObject([{ reason: "reset", ms: 1000 }]);
    expect(mock.requests[1]!.at - mock.requests[0]!.at).toBeGreaterThanOrEqual(1000 - 2);
  });

  test("retry: false turns retries off, for a call or for the client", async () => {
    mock.override("GET /api/v4/users/me", () => ({ status: 429, text: "limit exceeded\n", headers: { "Retry-After": "0" } }));
    const client = createClient({ baseUrl: mock.url, token });
    expect(await failure(getMe(client, { retry: false }))).toMatchObject({ status: 429 });
    expect(mock.requests).toHaveLength(1);
    const never = createClient({ baseUrl: mock.url, token, retry: false });
    expect(await failure(getMe(never))).toMatchObject({ status: 429 });
    expect(mock.requests).toHaveLength(2);
  });
});

describe("transient failures", () => {
  test("502, 503 and 504 are retried with exponential backoff and jitter, a bounded number of times", async () => {
    const statuses = [502, 503, 504, 503];
    mock.override("GET /api/v4/users/me", ({ calls }) => ({ status: statuses[calls] ?? 200, json: { id: "x", message: "m" } }));
    const client = createClient({ baseUrl: mock.url, token, retry: { retries: 3, backoffMs: 40 } });
    const error = (await failure(getMe(client))) as MattermostError;
    expect(error.status).toBe(503);
    expect(mock.requests).toHaveLength(4);
    const gaps = mock.requests.slice(1).map((request, i) => request.at - mock.requests[i]!.at);
    gaps.forEach((gap, attempt) => {
      const full = 40 * 2 ** attempt;
      expect(gap).toBeGreaterThanOrEqual(full / 2 - 2);
      expect(gap).toBeLessThan(full + 60);
    });
  });

  test("500, 400 and 404 are not retried", async () => {
    for (const status of [500, 400, 404]) {
      mock.reset();
      mock.override("GET /api/v4/users/me", () => ({ status, json: { id: "x", message: "m" } }));
      const client = createClient({ baseUrl: mock.url, token, retry: { backoffMs: 1 } });
      expect(await failure(getMe(client))).toMatchObject({ status });
      expect(mock.requests).toHaveLength(1);
    }
  });

  test("idempotent methods are retried after a reset connection; POST is not", async () => {
    const reset = ({ calls, req }: { calls: number; req: import("node:http").IncomingMessage }) => {
      if (calls === 0) {
        req.socket.destroy();
        return undefined;
      }
      return { json: { status: "OK" } };
    };
    mock.override("GET /api/v4/users/me", reset);
    mock.override("DELETE /api/v4/posts/{post_id}", reset);
    mock.override("POST /api/v4/posts", reset);
    const client = createClient({ baseUrl: mock.url, token, retry: { backoffMs: 5 } });
    expect(await getMe(client)).toEqual({ status: "OK" });
    expect(await deletePost(client, { post_id: "p" })).toEqual({ status: "OK" });
    const error = await failure(createPost(client, post));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ method: "POST", route: "/api/v4/posts" });
    expect(mock.requests.map((request) => request.method)).toEqual(["GET", "GET", "DELETE", "DELETE", "POST"]);
  });

  test("a 503 with Retry-After waits what it says", async () => {
    mock.override("GET /api/v4/users/me", ({ calls }) =>
      calls === 0 ? { status: 503, text: "busy", headers: { "Retry-After": "1" } } : { json: { ok: true } },
    );
    const client = createClient({ baseUrl: mock.url, token, retry: { backoffMs: 1 } });
    await getMe(client);
    expect(mock.requests[1]!.at - mock.requests[0]!.at).toBeGreaterThanOrEqual(998);
  });
});

describe("cancellation", () => {
  test("aborting during a wait rejects at once with the signal's reason and sends nothing more", async () => {
    mock.rateLimit = { limit: 1, windowMs: 30_000 };
    const client = createClient({ baseUrl: mock.url, token });
    await getMe(client);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    // The second call waits in the client's queue (the limiter knows the budget is spent).
    const started = performance.now();
    const error = await failure(getMe(client, { signal: controller.signal }));
    // At the abort, not at the end of the 30 s window (a bound for a loaded machine, far from both).
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error).toMatchObject({ name: "AbortError" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mock.requests).toHaveLength(1);
  });

  test("an already aborted signal sends nothing", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const reason = new Error("stop");
    await expect(getMe(client, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(mock.requests).toHaveLength(0);
  });

  test("sleep: resolves after the time, rejects with the reason when aborted before or during", async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    await expect(sleep(10_000, AbortSignal.abort("before"))).rejects.toBe("before");
    const controller = new AbortController();
    setTimeout(() => controller.abort("during"), 20);
    await expect(sleep(10_000, controller.signal)).rejects.toBe("during");
  });
});

describe("retryDelay", () => {
  const response = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

  test("follows the rules of retry.ts", () => {
    expect(retryDelay({}, undefined, "GET", response(429, { "Retry-After": "3" }), 0, 0)).toEqual([3000, "retry-after"]);
    expect(retryDelay({}, undefined, "GET", response(429, { "Retry-After": "3" }), 10, 0)).toBeUndefined();
    expect(retryDelay({ retries: 12 }, undefined, "GET", response(429, { "Retry-After": "3" }), 10, 0)).toEqual([3000, "retry-after"]);
    expect(retryDelay({}, undefined, "GET", response(429, { "Retry-After": "3" }), 0, 58_000)).toBeUndefined();
    const date = new Date(Date.now() + 5000).toUTCString();
    expect(retryDelay({}, undefined, "HEAD", response(429, { "Retry-After": date }), 0, 0)?.[0]).toBeGreaterThan(3000);
    expect(retryDelay({}, undefined, "POST", response(429, { "X-Ratelimit-Reset": "2, 1" }), 0, 0)).toEqual([2000, "reset"]);
    expect(retryDelay({}, undefined, "POST", response(429), 0, 0)?.[1]).toBe("backoff");
    expect(retryDelay({}, undefined, "PATCH", response(503), 0, 0)).toBeUndefined();
    expect(retryDelay({}, undefined, "POST", undefined, 0, 0)).toBeUndefined();
    expect(retryDelay({}, true, "PATCH", response(503), 0, 0)?.[0]).toBeGreaterThanOrEqual(250);
    expect(retryDelay({}, false, "GET", response(503), 0, 0)).toBeUndefined();
    expect(retryDelay(false, true, "GET", response(503), 0, 0)).toBeUndefined();
    expect(retryDelay({}, undefined, "PUT", undefined, 0, 0)?.[0]).toBeLessThanOrEqual(500);
    expect(retryDelay({}, undefined, "DELETE", response(501), 0, 0)).toBeUndefined();
    for (let i = 0; i < 50; i++) {
      const [delay] = retryDelay({ backoffMs: 100 }, undefined, "GET", response(502), 2, 0)!;
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });
});
