// The REST check of a token after a refused-looking drop (`tokenRefused`, runtime/socket/connection.ts),
// against a real HTTP server on 127.0.0.1 port 0 that records what it received and answers what
// the test says. An empty token is a browser's cookie session: no `Authorization` header at all.
import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenRefused, websocketEndpoint } from "../../runtime/socket/connection.js";

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

let server: Server;
let base = "";
let status = 200;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push({ method: request.method, url: request.url, headers: request.headers });
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(status === 401 ? { id: "api.context.session_expired.app_error", status_code: 401 } : { id: "u1" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Asks the check once, answering `answer`, and returns the verdict with the one request the server saw. */
async function check(token: string, answer: number, path = ""): Promise<{ refused: boolean; request: Received }> {
  status = answer;
  received.length = 0;
  const refused = await tokenRefused(websocketEndpoint(`${base}${path}`), token, 5_000);
  expect(received).toHaveLength(1);
  return { refused, request: received[0] as Received };
}

describe("tokenRefused", () => {
  it("sends the token as a Bearer header to GET /api/v4/users/me, without the socket's query", async () => {
    const endpoint = websocketEndpoint(base);
    endpoint.searchParams.set("connection_id", "abc");
    endpoint.searchParams.set("sequence_number", "7");
    status = 200;
    received.length = 0;
    expect(await tokenRefused(endpoint, "tok-123", 5_000)).toBe(false);
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe("GET");
    expect(received[0]?.url).toBe("/api/v4/users/me");
    expect(received[0]?.headers.authorization).toBe("Bearer tok-123");
  });

  it("with an empty token (a cookie session) sends no Authorization header at all", async () => {
    const { refused, request } = await check("", 200);
    expect(refused).toBe(false);
    expect(request.url).toBe("/api/v4/users/me");
    expect(Object.keys(request.headers)).not.toContain("authorization");
  });

  it("says refused only for a 401, for a token and for a cookie session alike", async () => {
    expect((await check("tok-123", 401)).refused).toBe(true);
    expect((await check("", 401)).refused).toBe(true);
    expect((await check("tok-123", 403)).refused).toBe(false);
    expect((await check("", 500)).refused).toBe(false);
  });

  it("keeps a sub-path install's prefix", async () => {
    const { request } = await check("", 200, "/chat");
    expect(request.url).toBe("/chat/api/v4/users/me");
  });

  it("is false when nothing answers", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await tokenRefused(websocketEndpoint(`http://127.0.0.1:${port}`), "", 5_000)).toBe(false);
  });
});
