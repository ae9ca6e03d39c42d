import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { createPost, deletePost, getMe, getUser, getUsers } from "../../generated/endpoints/index.js";
import { InvalidResponseError, type Middleware, createClient, login, withResponse } from "../../runtime/index.js";
import { type MockMattermost, useMockMattermost } from "../support/mock-mattermost.js";

let mock: MockMattermost;
let token: string;
useMockMattermost((m, t) => {
  mock = m;
  token = t;
});

describe("base URL", () => {
  test.each(["", "/", "/api/v4", "/api/v4/", "//"])("accepts the server address with %j after it", async (suffix) => {
    const client = createClient({ baseUrl: mock.url + suffix, token });
    expect(client.baseUrl).toBe(mock.url);
    await getMe(client);
    expect(mock.requests.at(-1)?.path).toBe("/api/v4/users/me");
  });

  test("keeps a sub-path the server is mounted under", () => {
    expect(createClient({ baseUrl: "https://example.com/chat/api/v4/" }).baseUrl).toBe("https://example.com/chat");
  });
});

describe("arguments", () => {
  test("path parameters go in the path (encoded), the rest in the query, `body` as JSON", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const alice = mock.users[0]!;
    const user = await getUser(client, { user_id: alice.id });
    expect(user.id).toBe(alice.id);
    await getUsers(client, { in_team: "team 1/2", page: 1, per_page: 5, active: true });
    const paged = mock.requests.at(-1)!;
    expect(paged.query).toEqual({ in_team: "team 1/2", page: "1", per_page: "5", active: "true" });
    await createPost(client, { body: { channel_id: "chan", message: "hello", props: { a: [1, 2] } } });
    const created = mock.requests.at(-1)!;
    expect(created.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(created.body.toString())).toEqual({ channel_id: "chan", message: "hello", props: { a: [1, 2] } });
    await expect(getUser(client, { user_id: "a/b" })).rejects.toMatchObject({ status: 404 });
    expect(mock.requests.at(-1)?.path).toBe("/api/v4/users/a%2Fb");
  });

  test("header parameters travel as headers; per-call and client headers are merged", async () => {
    const client = createClient({ baseUrl: mock.url, token, headers: { "Accept-Language": "fr" } });
    await client.call("GET", "/api/v4/system/ping", { "X-Thing": "v", q: 1 }, { headers: { "X-Call": "c" } }, { headers: ["X-Thing"] });
    const request = mock.requests.at(-1)!;
    expect(request.headers).toMatchObject({ "x-thing": "v", "x-call": "c", "accept-language": "fr" });
    expect(request.query).toEqual({ q: "1" });
  });

  test("header names merge whatever their case: the call's replace the client's, and may replace the body's type", async () => {
    mock.override("POST /api/v4/system/ping", () => ({ json: { status: "OK" } }));
    const client = createClient({ baseUrl: mock.url, token, headers: { "X-Thing": "client", "accept-language": "fr" } });
    await client.call(
      "POST",
      "/api/v4/system/ping",
      { body: { a: 1 } },
      { headers: { "x-thing": "call", "Accept-Language": "de", "Content-Type": "application/json; charset=utf-8" } },
    );
    const request = mock.requests.at(-1)!;
    expect(request.headers).toMatchObject({
      "x-thing": "call",
      "accept-language": "de",
      "content-type": "application/json; charset=utf-8",
    });
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
  });

  test("query values: arrays repeat the name, null and undefined are left out, values are encoded", async () => {
    let raw = "";
    mock.override("GET /api/v4/users/{user_id}", ({ req }) => {
      raw = req.url ?? "";
      return { json: {} };
    });
    const client = createClient({ baseUrl: mock.url, token });
    const args = { user_id: "a b", ids: ["x", "y&z"], page: 0, none: null, missing: undefined, empty: [] };
    await client.call("GET", "/api/v4/users/{user_id}", args);
    expect(raw).toBe("/api/v4/users/a%20b?ids=x&ids=y%26z&page=0");
  });

  test("an operation without args takes the options as its second argument", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const controller = new AbortController();
    controller.abort();
    await expect(getMe(client, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("responses", () => {
  test("withResponse hands back the data and the response, and stores nothing on the client", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const { data, response } = await withResponse(getMe, client);
    expect(data.username).toBe("alice");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const [first, second] = await Promise.all([
      withResponse(getUser, client, { user_id: mock.users[1]!.id }),
      withResponse(deletePost, client, { post_id: "missing" }).catch((error: unknown) => error),
    ]);
    expect((first as { data: { username: string } }).data.username).toBe("bob");
    expect(second).toMatchObject({ status: 404 });
    expect(Object.keys(client)).not.toContain("lastResponse");
  });

  test("client.request is call plus the response", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const { data, response } = await client.request<{ status: string }>("GET", "/api/v4/system/ping");
    expect(data).toEqual({ status: "OK" });
    expect(response.ok).toBe(true);
  });

  test("text and empty answers", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    mock.override("GET /api/v4/logs/download", () => ({ text: "line 1\nline 2\n" }));
    mock.override("POST /api/v4/system/ping", () => ({ status: 200 }));
    mock.override("DELETE /api/v4/system/ping", () => ({ status: 200, text: "<html>not json</html>" }));
    expect(await client.call("GET", "/api/v4/logs/download", undefined, undefined, { response: "text" })).toBe("line 1\nline 2\n");
    expect(await client.call("POST", "/api/v4/system/ping", undefined, undefined, { response: "none" })).toBeUndefined();
    // A JSON operation answered with nothing, or with HTML: not what it returns (issue 24).
    await expect(client.call("POST", "/api/v4/system/ping", undefined)).rejects.toMatchObject({ code: "RESPONSE_EMPTY" });
    expect(await client.call("DELETE", "/api/v4/system/ping", undefined, undefined, { response: "none" })).toBeUndefined();
    await expect(client.call("DELETE", "/api/v4/system/ping", undefined)).rejects.toBeInstanceOf(InvalidResponseError);
  });

  test("a JSON body the spec does not document is still returned", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const rows = await client.call("GET", "/api/v4/analytics/old", { name: "post_counts_day" }, undefined, { response: "none" });
    expect(rows).toEqual(expect.arrayContaining([{ name: "2026-03-03", value: 12 }]));
  });
});

describe("isolation and secrets", () => {
  test("two clients with different tokens, in parallel, never mix", async () => {
    const bobToken = mock.addToken(mock.users[1]!.id);
    const alice = createClient({ baseUrl: mock.url, token });
    const bob = createClient({ baseUrl: mock.url, token: bobToken });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => getMe(i % 2 ? bob : alice)));
    expect(results.map((user) => user.username)).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? "bob" : "alice")));
    for (const request of mock.requests) {
      const expected = request.userId === mock.users[1]!.id ? bobToken : token;
      expect(request.headers.authorization).toBe(`Bearer ${expected}`);
    }
    await login(bob, { login_id: "carol", password: "carol-password-1", token: "123456" });
    expect((await getMe(bob)).username).toBe("carol");
    expect((await getMe(alice)).username).toBe("alice");
  });

  test("util.inspect, JSON.stringify and String never show the token", () => {
    const secret = "s3cr3t-token-value-abcdefgh";
    const client = createClient({ baseUrl: mock.url, token: secret });
    const shown = [inspect(client), inspect(client, { showHidden: true, depth: 10 }), JSON.stringify(client), String(client)];
    for (const text of shown) expect(text).not.toContain(secret);
    expect(inspect(client)).toContain("[redacted]");
    expect(inspect(createClient({ baseUrl: mock.url }))).toContain("token: none");
  });

  test("the token can be replaced and read back", async () => {
    const client = createClient({ baseUrl: mock.url });
    expect(client.getToken()).toBeUndefined();
    client.setToken(token);
    expect((await getMe(client)).username).toBe("alice");
    client.setToken(undefined);
    await getMe(client).catch(() => undefined);
    expect(mock.requests.at(-1)?.headers.authorization).toBeUndefined();
  });
});

describe("middleware", () => {
  test("sees every attempt without credentials, may add headers, and never sees the Token header", async () => {
    const seen: { method: string; route: string; attempt: number; authorization: string | null; status?: number; token?: string | null }[] =
      [];
    const tracing: Middleware = {
      onRequest({ request, method, route, attempt }) {
        seen.push({ method, route, attempt, authorization: request.headers.get("Authorization") });
        const headers = new Headers(request.headers);
        headers.set("traceparent", `00-${"1".repeat(32)}-${"2".repeat(16)}-01`);
        return new Request(request, { headers });
      },
      onResponse({ response, request }) {
        const entry = seen.at(-1)!;
        entry.status = response.status;
        entry.token = response.headers.get("Token");
        expect(request.headers.get("Authorization")).toBeNull();
      },
    };
    const client = createClient({ baseUrl: mock.url, token, middleware: [tracing], retry: { backoffMs: 1 } });
    mock.override("GET /api/v4/users/me", ({ calls, user }) =>
      calls === 0 ? { status: 503, json: { id: "x", message: "busy" } } : { json: { username: user?.username } },
    );
    await getMe(client);
    const user = await login(client, { login_id: "bob", password: "bob-password-1" });
    expect(user.username).toBe("bob");
    expect(seen).toEqual([
      { method: "GET", route: "/api/v4/users/me", attempt: 0, authorization: null, status: 503, token: null },
      { method: "GET", route: "/api/v4/users/me", attempt: 1, authorization: null, status: 200, token: null },
      { method: "POST", route: "/api/v4/users/login", attempt: 0, authorization: null, status: 201, token: null },
    ]);
    expect(mock.requests.slice(0, 2).map((request) => request.headers.traceparent)).toEqual([
      expect.stringMatching(/^00-/),
      expect.stringMatching(/^00-/),
    ]);
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  test("sees JSON bodies with passwords and tokens masked, while the server gets the real ones", async () => {
    const bodies: string[] = [];
    const client = createClient({
      baseUrl: mock.url,
      middleware: [{ onRequest: async ({ request }) => void bodies.push(await request.clone().text()) }],
    });
    await login(client, { login_id: "carol", password: "carol-password-1", token: "123456" });
    expect(bodies).toEqual(['{"login_id":"carol","password":"***","token":"***"}']);
    expect(JSON.parse(mock.requests[0]!.body.toString())).toEqual({ login_id: "carol", password: "carol-password-1", token: "123456" });
    await client
      .call("PUT", "/api/v4/users/{user_id}/password", { user_id: "u", body: { current_password: "a", new_password: "b" } })
      .catch(() => undefined);
    expect(bodies[1]).toBe('{"current_password":"***","new_password":"***"}');
  });

  test("other bodies are sent as they are, streams included, and not shown to middleware", async () => {
    const seen: (string | null)[] = [];
    const client = createClient({
      baseUrl: mock.url,
      token,
      middleware: [{ onRequest: async ({ request }) => void seen.push(request.body && (await request.clone().text())) }],
    });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed "));
        controller.enqueue(new TextEncoder().encode("bytes"));
        controller.close();
      },
    });
    const result = await client.call<{ file_infos: { size: number }[] }>(
      "POST",
      "/api/v4/files",
      { channel_id: "c", filename: "s.txt", body: stream },
      undefined,
      { body: "multipart" },
    );
    expect(result.file_infos[0]?.size).toBe(14);
    expect(seen).toEqual([null]);
  });

  test("onRequest may answer without the network; onError sees failures", async () => {
    const errors: unknown[] = [];
    const client = createClient({
      baseUrl: mock.url,
      retry: false,
      middleware: [
        { onRequest: ({ route }) => (route === "/api/v4/system/ping" ? Response.json({ status: "cached" }) : undefined) },
        { onError: ({ error }) => void errors.push(error) },
      ],
      fetch: () => Promise.reject(new TypeError("fetch failed")),
    });
    expect(await client.call("GET", "/api/v4/system/ping", undefined)).toEqual({ status: "cached" });
    await expect(getMe(client)).rejects.toMatchObject({ name: "NetworkError" });
    expect(errors).toHaveLength(1);
  });
});

describe("rate limit state", () => {
  test("is readable after any answer that carries the headers", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    expect(client.rateLimit).toBeUndefined();
    mock.rateLimit = { limit: 10, windowMs: 60_000 };
    const before = Date.now();
    await getMe(client);
    await getMe(client);
    expect(client.rateLimit).toMatchObject({ limit: 10, remaining: 8 });
    expect(client.rateLimit!.resetAt).toBeGreaterThan(before);
    expect(client.rateLimit!.resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
    const other = createClient({ baseUrl: mock.url, token });
    expect(other.rateLimit).toBeUndefined();
  });
});
