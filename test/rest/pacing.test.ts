/**
 * Pacing (issue 24) against a real node:http server on 127.0.0.1 that limits like Mattermost:
 * throttled's GCRA (`MaxBurst + 1` at once, then one request per `1000 / PerSec` ms), counted twice
 * per token request (token, then user), the headers added once per limiter, comma-joined, and a
 * plain-text 429 with `Retry-After` rounded up to whole seconds (server/channels/app/ratelimit.go).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { getMe } from "../../generated/endpoints/index.js";
import { createClient, createRateLimiter, type WaitInfo } from "../../runtime/index.js";

interface Gcra {
  url: string;
  statuses: number[];
  server: Server;
}

let current: Gcra | undefined;
afterEach(async () => {
  current?.server.closeAllConnections();
  await new Promise((resolve) => current?.server.close(resolve));
  current = undefined;
});

/** A server with Mattermost's limiter: `perSec` and `maxBurst` as in RateLimitSettings. */
async function gcraServer(perSec: number, maxBurst: number): Promise<Gcra> {
  const emission = 1000 / perSec;
  const tolerance = emission * (maxBurst + 1);
  const tats = new Map<string, number>();
  const statuses: number[] = [];
  /** throttled's RateLimit(key, 1): whether refused, and the headers it adds. */
  const limit = (key: string, headers: Record<string, string[]>): boolean => {
    const now = performance.now();
    const tat = Math.max(tats.get(key) ?? now, now);
    const newTat = tat + emission;
    const refused = newTat - tolerance > now;
    const ttl = refused ? tat - now : newTat - now;
    if (!refused) tats.set(key, newTat);
    const next = tolerance - ttl;
    const add = (name: string, value: number): void => {
      headers[name] = [...(headers[name] ?? []), String(value)];
    };
    add("X-RateLimit-Limit", maxBurst + 1);
    add("X-RateLimit-Remaining", next > -emission ? Math.floor(next / emission) : 0);
    add("X-RateLimit-Reset", Math.ceil(ttl / 1000));
    if (refused) add("Retry-After", Math.ceil((newTat - tolerance - now) / 1000));
    return refused;
  };
  const server = createServer((req, res) => {
    req.resume();
    const token = req.headers.authorization ?? "none";
    const headers: Record<string, string[]> = {};
    // The token's limiter around the router, then the user's in the handler (one user here).
    const refused = limit(token, headers) || limit("user", headers);
    for (const [name, values] of Object.entries(headers)) res.setHeader(name, values.join(", "));
    statuses.push(refused ? 429 : 200);
    if (refused) {
      res.writeHead(429, { "Content-Type": "text/plain; charset=utf-8" }).end("limit exceeded\n");
    } else {
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"id":"u","username":"alice"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  current = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, statuses, server };
  return current;
}

test("60 concurrent calls at 20/s, burst 5: all succeed, none is sent into a 429, each wait reported", async () => {
  const server = await gcraServer(20, 5);
  const waits: WaitInfo[] = [];
  const client = createClient({ baseUrl: server.url, token: "token-a", onWait: (info) => waits.push(info) });
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 60 }, () => getMe(client)));
  const elapsed = performance.now() - started;
  expect(results.every((user) => user.username === "alice")).toBe(true);
  expect(server.statuses.filter((status) => status === 429)).toEqual([]);
  expect(server.statuses).toHaveLength(60);
  // 6 at once, then 54 at 20/s: at least 2.7 s; paced, not much slower (generous for a busy machine).
  expect(elapsed).toBeGreaterThan(2600);
  expect(elapsed).toBeLessThan(2700 * 2);
  expect(waits.length).toBeGreaterThan(50);
  expect(waits.every((wait) => wait.reason === "rate-limit" && wait.operation === "GET /api/v4/users/me" && wait.ms >= 0)).toBe(true);
  expect(client.rateLimit).toMatchObject({ limit: 6 });
}, 30_000);

test("two clients with the same token share one limiter: still no 429", async () => {
  const server = await gcraServer(20, 5);
  const limiter = createRateLimiter();
  const a = createClient({ baseUrl: server.url, token: "token-a", rateLimiter: limiter });
  const b = createClient({ baseUrl: server.url, token: "token-a", rateLimiter: limiter });
  await Promise.all(Array.from({ length: 40 }, (_, i) => getMe(i % 2 ? a : b)));
  expect(server.statuses.filter((status) => status === 429)).toEqual([]);
  expect(limiter.state).toMatchObject({ limit: 6 });
}, 30_000);

test("two clients with their own limiters meet 429s, and retry them to success", async () => {
  const server = await gcraServer(20, 5);
  const a = createClient({ baseUrl: server.url, token: "token-a" });
  const b = createClient({ baseUrl: server.url, token: "token-b" });
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => getMe(i % 2 ? a : b)));
  expect(results).toHaveLength(40);
  // Same user, two tokens: the user's limiter refuses what neither client could see coming.
  expect(server.statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
}, 30_000);

test("a call waiting in the queue can be cancelled; the others still go", async () => {
  const server = await gcraServer(5, 1);
  const client = createClient({ baseUrl: server.url, token: "token-a" });
  await Promise.all([getMe(client), getMe(client)]);
  const controller = new AbortController();
  const reason = new Error("not needed any more");
  const queued = getMe(client, { signal: controller.signal });
  const after = getMe(client);
  setTimeout(() => controller.abort(reason), 50);
  await expect(queued).rejects.toBe(reason);
  expect((await after).username).toBe("alice");
  expect(server.statuses).toEqual([200, 200, 200]);
}, 30_000);

test("a server that sends no rate-limit headers is not paced", async () => {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"username":"alice"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  current = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, statuses: [], server };
  const waits: WaitInfo[] = [];
  const client = createClient({ baseUrl: current.url, token: "token-a", onWait: (info) => waits.push(info) });
  await getMe(client);
  await Promise.all(Array.from({ length: 20 }, () => getMe(client)));
  expect(waits).toEqual([]);
  expect(client.rateLimit).toBeUndefined();
});
