// Smoke test of the real server the e2e run starts: plain fetch, no generated client.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mattermost } from "./server-facts.js";

interface Me {
  id: string;
  username: string;
  roles: string;
  is_bot?: boolean;
}

function request(path: string, token?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return fetch(`${mattermost().url}${path}`, { ...init, headers });
}

async function me(token: string): Promise<Me> {
  const response = await request("/api/v4/users/me", token);
  expect(response.status).toBe(200);
  return (await response.json()) as Me;
}

/**
 * The numbers in a header. An authenticated request passes two limiters (per token, then per user
 * id), and each adds its own X-RateLimit-* values, so a header may hold "11, 11".
 */
function numbers(value: string | null): number[] {
  return (value ?? "")
    .split(",")
    .map((part) => Number.parseInt(part.trim(), 10))
    .filter((part) => Number.isInteger(part));
}

describe("the real Mattermost server", () => {
  it("answers the ping", async () => {
    const response = await request("/api/v4/system/ping");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status?: string };
    expect(body.status).toBe("OK");
  });

  it("accepts the admin's personal access token", async () => {
    const server = mattermost();
    const user = await me(server.admin.token);
    expect(user.id).toBe(server.admin.id);
    expect(user.roles.split(" ")).toContain("system_admin");
  });

  it("accepts the user's session token", async () => {
    const server = mattermost();
    const user = await me(server.user.token);
    expect(user.id).toBe(server.user.id);
    expect(user.roles.split(" ")).not.toContain("system_admin");
  });

  it("accepts the bot's token", async () => {
    const server = mattermost();
    const bot = await me(server.bot.token);
    expect(bot.id).toBe(server.bot.id);
    expect(bot.is_bot).toBe(true);
  });

  it("has the seeded team and channels", async () => {
    const server = mattermost();
    const response = await request(`/api/v4/channels/${server.channels.private.id}`, server.bot.token);
    expect(response.status).toBe(200);
    const channel = (await response.json()) as { team_id: string; type: string; name: string };
    expect(channel).toMatchObject({ team_id: server.team.id, type: "P", name: server.channels.private.name });
  });

  it("answers a burst beyond the rate limit with 429 and rate-limit headers", async () => {
    const server = mattermost();
    // A throwaway user: the limit counts per token and per user id, so the burst spends nobody
    // else's budget.
    const username = `burst-${randomBytes(4).toString("hex")}`;
    const password = `Aa1!${randomBytes(12).toString("base64url")}`;
    const created = await request("/api/v4/users", server.admin.token, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, email: `${username}@example.com`, password }),
    });
    expect(created.status).toBe(201);
    const login = await request("/api/v4/users/login", undefined, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login_id: username, password }),
    });
    expect(login.status).toBe(200);
    const token = login.headers.get("token") ?? "";
    expect(token).not.toBe("");

    const burst = server.rateLimit.maxBurst * 3;
    const responses = await Promise.all(Array.from({ length: burst }, () => request("/api/v4/users/me", token)));
    const bodies = await Promise.all(responses.map((response) => response.text()));
    const statuses = responses.map((response) => response.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);

    const index = statuses.indexOf(429);
    const limited = responses[index];
    if (!limited) throw new Error("no 429 in the burst");
    // Not a JSON AppError: the limiter answers before Mattermost's handlers, in plain text.
    expect(bodies[index]).toContain("limit exceeded");
    const limit = numbers(limited.headers.get("x-ratelimit-limit"));
    expect(limit.length).toBeGreaterThan(0);
    for (const value of limit) expect(value).toBe(server.rateLimit.maxBurst + 1);
    expect(numbers(limited.headers.get("x-ratelimit-remaining"))).toContain(0);
    expect(numbers(limited.headers.get("x-ratelimit-reset")).length).toBeGreaterThan(0);
    const retryAfter = Math.max(...numbers(limited.headers.get("retry-after")));
    expect(retryAfter).toBeGreaterThanOrEqual(1);

    // After Retry-After the same token gets through again.
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 200));
    const again = await request("/api/v4/users/me", token);
    expect(again.status).toBe(200);
  });
});
