import { expect, test } from "vitest";
import { readRateLimit, retryAfterMs } from "../../runtime/rate-limit.js";

test("reads the limiter's headers", () => {
  const now = Date.now();
  const state = readRateLimit(new Headers({ "X-Ratelimit-Limit": "11", "X-Ratelimit-Remaining": "4", "X-Ratelimit-Reset": "2" }));
  expect(state).toMatchObject({ limit: 11, remaining: 4 });
  expect(state!.resetAt).toBeGreaterThanOrEqual(now + 2000);
  expect(readRateLimit(new Headers())).toBeUndefined();
});

test("two limiters (token and user) each add their values: the most restrictive counts", () => {
  const state = readRateLimit(
    new Headers([
      ["X-Ratelimit-Limit", "11"],
      ["X-Ratelimit-Limit", "21"],
      ["X-Ratelimit-Remaining", "10"],
      ["X-Ratelimit-Remaining", "3"],
      ["X-Ratelimit-Reset", "1"],
      ["X-Ratelimit-Reset", "4"],
    ]),
  );
  expect(state).toMatchObject({ limit: 11, remaining: 3 });
  expect(state!.resetAt).toBeGreaterThanOrEqual(Date.now() + 3900);
});

test("Retry-After in seconds, repeated, or as an HTTP date", () => {
  expect(retryAfterMs(new Headers({ "Retry-After": "3" }))).toBe(3000);
  expect(retryAfterMs(new Headers({ "Retry-After": "1, 2" }))).toBe(2000);
  expect(retryAfterMs(new Headers({ "Retry-After": "0" }))).toBe(0);
  const date = new Date(Date.now() + 10_000).toUTCString();
  expect(retryAfterMs(new Headers({ "Retry-After": date }))).toBeGreaterThan(8000);
  expect(retryAfterMs(new Headers({ "Retry-After": new Date(Date.now() - 10_000).toUTCString() }))).toBe(0);
  // Neither seconds nor a date: absent, so the retry falls back (issue 24).
  for (const value of ["soon", "abc", "-5", "1e3", ""]) expect(retryAfterMs(new Headers({ "Retry-After": value }))).toBeUndefined();
  expect(retryAfterMs(new Headers())).toBeUndefined();
});
