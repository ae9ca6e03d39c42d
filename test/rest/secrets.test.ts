/**
 * Secrets are masked by value (issue 24): whatever token shape the server issues, and the password
 * after `login`, never appear in any text an error renders: message, serverMessage, detailed_error,
 * stack, cause, util.inspect, JSON. The server here quotes back whatever it is sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getMe } from "../../generated/endpoints/index.js";
import { createClient, login, NetworkError } from "../../runtime/index.js";

let server: Server;
let url: string;
let password = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const token = (req.headers.authorization ?? "").replace("Bearer ", "");
      if (req.url === "/api/v4/users/login") {
        password = JSON.parse(body).password;
        res.writeHead(200, { "Content-Type": "application/json", Token: "session-token-issued-by-login" }).end('{"id":"u"}');
        return;
      }
      if (req.url === "/api/v4/users/me") {
        // A 401 quoting the token (as handlers.go does in developer mode) and the password.
        res.writeHead(401, { "Content-Type": "application/json" }).end(
          JSON.stringify({
            id: "api.context.session_expired.app_error",
            message: `Invalid session ${token}; password was ${password}`,
            detailed_error: `token=${token} pw=${encodeURIComponent(password)}`,
            status_code: 401,
          }),
        );
        return;
      }
      // A plain-text 500 with the token in it.
      res.writeHead(500, { "Content-Type": "text/plain" }).end(`panic: bad session ${token}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Every text an error renders. */
const renderings = (error: unknown): string[] => {
  const e = error as Error & Record<string, unknown>;
  return [
    e.message,
    String(e.serverMessage ?? ""),
    String(e.detailed_error ?? ""),
    e.stack ?? "",
    inspect(error, { depth: 5 }),
    JSON.stringify(error),
    String(error),
    inspect(e.cause, { depth: 5 }),
  ];
};

// What the server issues: a 26-character id (sessions, personal access and bot tokens, OAuth), a
// hyphenated UUID shape, a long hex string, base64url with - and _, and one with regex characters.
const shapes = [
  "8kh5jjrqxpgqjfu9w1ii1ywa9o",
  "3f2b1c9e-7d4a-4b8e-9a61-0c5d2e7f8a90",
  "a3f1e9c07b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a",
  "Zx-9_kQ2-vP8_tR4-mN6_w",
  "t.o+k*e?n(1)",
];

for (const token of shapes) {
  test(`the token ${token} is masked by value in a 401 and a plain-text 500`, async () => {
    const client = createClient({ baseUrl: url, token, retry: false });
    const unauthorized = await getMe(client).catch((error: unknown) => error);
    const crashed = await client.call("GET", "/api/v4/system/ping", undefined).catch((error: unknown) => error);
    for (const error of [unauthorized, crashed]) {
      for (const text of renderings(error)) expect(text).not.toContain(token);
    }
    expect((unauthorized as Error).message).toContain("Invalid session ***");
    expect((crashed as Error).message).toBe("GET /api/v4/system/ping: 500 panic: bad session ***");
  });
}

test("after login, neither the password nor the session token appear, also URL-encoded", async () => {
  const client = createClient({ baseUrl: url, retry: false });
  const secret = "correct horse/battery+staple";
  await login(client, { login_id: "alice", password: secret });
  expect(client.getToken()).toBe("session-token-issued-by-login");
  const error = await getMe(client).catch((caught: unknown) => caught);
  for (const text of renderings(error)) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(text).not.toContain("session-token-issued-by-login");
  }
  expect((error as Error).message).toContain("password was ***");
});

test("a token in the cause of a NetworkError is masked there too", async () => {
  const token = shapes[1]!;
  const failing: typeof fetch = () => Promise.reject(new TypeError(`connect failed for Bearer ${token}`));
  const client = createClient({ baseUrl: url, token, fetch: failing, retry: false });
  const error = await getMe(client).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(NetworkError);
  for (const text of renderings(error)) expect(text).not.toContain(token);
  expect(String((error as Error).cause)).toContain("Bearer ***");
});
