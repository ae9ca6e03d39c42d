/**
 * Answers that cannot be what the operation promises (issue 24), each sent by a real node:http
 * server on 127.0.0.1 port 0: every one rejects with an `InvalidResponseError` naming the method,
 * route, status and request id, and the next call on the same client works.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPost, getMe } from "../../generated/endpoints/index.js";
import { InvalidResponseError, MattermostError, createClient } from "../../runtime/index.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let url: string;
let next: Handler | undefined;
let requests = 0;
const good: Handler = (_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end('{"id":"p","username":"alice"}');

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    const handler = next ?? good;
    next = undefined;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = { body: { channel_id: "c", message: "m" } };
const id = "x1y2z3request0id0abcdefghi";

const cases: [string, InvalidResponseError["code"], Handler][] = [
  [
    "a body cut off halfway",
    "RESPONSE_TRUNCATED",
    (_req, res) => {
      res.writeHead(201, { "Content-Type": "application/json", "Content-Length": "200", "X-Request-Id": id });
      res.write('{"id":"p","mess');
      setTimeout(() => res.socket?.destroy(), 20);
    },
  ],
  [
    "invalid JSON",
    "RESPONSE_INVALID_JSON",
    (_req, res) => res.writeHead(201, { "Content-Type": "application/json", "X-Request-Id": id }).end('{"id":"p","mess'),
  ],
  [
    "an HTML page",
    "RESPONSE_CONTENT_TYPE",
    (_req, res) =>
      res.writeHead(201, { "Content-Type": "text/html", "X-Request-Id": id }).end("<html><body>Sign in to continue</body></html>"),
  ],
  ["an empty body", "RESPONSE_EMPTY", (_req, res) => res.writeHead(201, { "Content-Type": "application/json", "X-Request-Id": id }).end()],
];

for (const [what, code, handler] of cases) {
  test(`${what}: ${code}, and the next call works`, async () => {
    const client = createClient({ baseUrl: url, token: "a-token-of-26-characters00" });
    next = handler;
    const error = (await createPost(client, post).catch((caught: unknown) => caught)) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).not.toBeInstanceOf(MattermostError);
    expect(error).toMatchObject({
      name: "InvalidResponseError",
      code,
      method: "POST",
      route: "/api/v4/posts",
      status: 201,
      request_id: id,
    });
    expect(error.message).toContain(`POST /api/v4/posts: 201 answer: `);
    expect(error.message).toContain(id);
    expect(error.message).toContain(`${code}: see docs/errors.md#${code.toLowerCase().replaceAll("_", "-")}`);
    expect(await createPost(client, post)).toMatchObject({ id: "p" });
  });
}

test("a GET whose body is cut is retried (nothing was applied); a POST is not", async () => {
  const client = createClient({ baseUrl: url, token: "t0k3n", retry: { backoffMs: 5 } });
  next = cases[0]![2];
  const before = requests;
  expect(await getMe(client)).toMatchObject({ username: "alice" });
  expect(requests - before).toBe(2);
});

test("a redirect loop stops after 5 redirects with a clear error", async () => {
  const loop: Handler = (req, res) => {
    next = loop;
    res.writeHead(302, { Location: `${req.url}`, "X-Request-Id": id }).end();
  };
  next = loop;
  const before = requests;
  const client = createClient({ baseUrl: url, token: "t0k3n" });
  const error = (await getMe(client).catch((caught: unknown) => caught)) as InvalidResponseError;
  next = undefined;
  expect(error).toBeInstanceOf(InvalidResponseError);
  expect(error).toMatchObject({ code: "TOO_MANY_REDIRECTS", status: 302, method: "GET", route: "/api/v4/users/me" });
  expect(error.message).toContain("more than 5 redirects");
  expect(requests - before).toBe(6);
  expect(await getMe(client)).toMatchObject({ username: "alice" });
});

test("a redirect is followed; credentials do not follow it to another origin", async () => {
  const other = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  const otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
  try {
    const client = createClient({ baseUrl: url, token: "secret-token-value" });
    next = (_req, res) => res.writeHead(307, { Location: `${otherUrl}/elsewhere` }).end();
    expect(await getMe(client)).toEqual({ authorization: null });
    next = (_req, res) => res.writeHead(301, { Location: "/api/v4/users/me" }).end();
    expect(await getMe(client)).toMatchObject({ username: "alice" });
  } finally {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  }
});

test("a 5 MB error message is cut to 1000 characters", async () => {
  const client = createClient({ baseUrl: url, token: "t0k3n", retry: false });
  next = (_req, res) =>
    res
      .writeHead(400, { "Content-Type": "application/json" })
      .end(JSON.stringify({ id: "api.x", message: "m".repeat(5_000_000), detailed_error: "d".repeat(5_000_000) }));
  const error = (await getMe(client).catch((caught: unknown) => caught)) as MattermostError;
  expect(error.serverMessage).toHaveLength(1000);
  expect(error.detailed_error).toHaveLength(1000);
  expect(error.message.length).toBeLessThan(1100);
});
