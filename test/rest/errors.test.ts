import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { build } from "esbuild";
import { afterAll, describe, expect, test } from "vitest";
import { getMe, getUser } from "../../generated/endpoints/index.js";
import { MattermostError, NetworkError, TimeoutError, createClient, login } from "../../runtime/index.js";
import { type MockMattermost, closedPort, useMockMattermost, failure } from "../support/mock-mattermost.js";

let mock: MockMattermost;
let token: string;
useMockMattermost((m, t) => {
  mock = m;
  token = t;
});

describe("MattermostError", () => {
  test("carries the server's error body, the status, the method and the route template", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const error = await failure(getUser(client, { user_id: "nobody-with-this-id" }));
    expect(error).toBeInstanceOf(MattermostError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "MattermostError",
      id: "app.user.missing_account.const",
      serverMessage: "We couldn't find an existing account matching your details.",
      detailed_error: "",
      request_id: expect.stringMatching(/^[a-z0-9]{26}$/),
      status_code: 404,
      status: 404,
      method: "GET",
      route: "/api/v4/users/{user_id}",
      retryAfterMs: undefined,
    });
    const { message } = error as MattermostError;
    expect(message).toBe(
      "GET /api/v4/users/{user_id}: 404 We couldn't find an existing account matching your details. (app.user.missing_account.const)",
    );
    // The route template, never the URL with its values.
    expect(message).not.toContain("nobody-with-this-id");
  });

  test("the plain-text 429 of the rate limiter", async () => {
    mock.rateLimit = { limit: 1, windowMs: 60_000 };
    // Without the limiter, which would hold the second call in the client instead.
    const client = createClient({ baseUrl: mock.url, token, retry: false, rateLimiter: false });
    await getMe(client);
    const error = (await failure(getMe(client))) as MattermostError;
    expect(error).toMatchObject({ status: 429, status_code: 429, id: "", serverMessage: "limit exceeded" });
    expect(error.retryAfterMs).toBeGreaterThan(58_000);
    expect(error.message).toBe("GET /api/v4/users/me: 429 limit exceeded");
  });

  test("an HTML page from a proxy", async () => {
    mock.override("GET /api/v4/users/me", () => ({
      status: 502,
      text: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
      headers: { "Content-Type": "text/html" },
    }));
    const client = createClient({ baseUrl: mock.url, token, retry: false });
    const error = (await failure(getMe(client))) as MattermostError;
    expect(error.message).toBe("GET /api/v4/users/me: 502 Bad Gateway");
    expect(error).toMatchObject({ status: 502, serverMessage: "", id: "" });
  });

  test("an empty body", async () => {
    mock.override("GET /api/v4/users/me", () => ({ status: 500 }));
    const client = createClient({ baseUrl: mock.url, token, retry: false });
    const error = (await failure(getMe(client))) as MattermostError;
    expect(error.message).toBe("GET /api/v4/users/me: 500 Internal Server Error");
    expect(error.status_code).toBe(500);
  });

  test("a long text body is cut", async () => {
    mock.override("GET /api/v4/users/me", () => ({ status: 400, text: "x".repeat(5000) }));
    const client = createClient({ baseUrl: mock.url, token, retry: false });
    const error = (await failure(getMe(client))) as MattermostError;
    expect(error.serverMessage).toHaveLength(1000);
  });
});

describe("secrets stay out of errors", () => {
  test("a CSRF failure's detail holds the session token: it is masked", async () => {
    const user = mock.users[1]!;
    const client = createClient({ baseUrl: mock.url, retry: false });
    await login(client, { login_id: user.username, password: user.password });
    const session = client.getToken()!;
    // A cookie session without the CSRF header, as a page on another origin would send it.
    const cookieClient = createClient({ baseUrl: mock.url, headers: { Cookie: `MMAUTHTOKEN=${session}` }, retry: false });
    const error = (await failure(cookieClient.call("POST", "/api/v4/posts", { body: { channel_id: "c" } }))) as MattermostError;
    expect(error).toMatchObject({ status: 401, id: "api.context.session_expired.app_error" });
    expect(error.detailed_error).toBe("token=*** Appears to be a CSRF attempt");
    for (const text of [error.message, error.stack ?? "", inspect(error), JSON.stringify(error)]) {
      expect(text).not.toContain(session);
    }
  });

  test("a failed login shows neither the password nor the token", async () => {
    const client = createClient({ baseUrl: mock.url, token, retry: false });
    const error = (await failure(login(client, { login_id: "alice", password: "wrong-password-123" }))) as MattermostError;
    expect(error.id).toBe("api.user.login.invalid_credentials_email_username");
    for (const text of [error.message, inspect(error)]) {
      expect(text).not.toContain("wrong-password-123");
      expect(text).not.toContain(token);
    }
  });
});

describe("no answer", () => {
  test("a closed port is a NetworkError, with fetch's error as the cause", async () => {
    const client = createClient({ baseUrl: await closedPort(), token, retry: false });
    const error = (await failure(getMe(client))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(MattermostError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ name: "NetworkError", method: "GET", route: "/api/v4/users/me" });
    expect(error.message).toBe("GET /api/v4/users/me: no answer (ECONNREFUSED)");
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.message).not.toContain(token);
  });

  test("a server that never answers is a TimeoutError after timeoutMs", async () => {
    mock.override("GET /api/v4/users/me", () => undefined);
    const client = createClient({ baseUrl: mock.url, token, timeoutMs: 150 });
    const started = performance.now();
    const error = (await failure(getMe(client))) as TimeoutError;
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ name: "TimeoutError", timeoutMs: 150, route: "/api/v4/users/me" });
    expect(elapsed).toBeGreaterThanOrEqual(145);
    // The server never answers: without the 150 ms timeout the call would hang (a bound for a loaded machine).
    expect(elapsed).toBeLessThan(10_000);
    // Timeouts are not retried: one request.
    expect(mock.requests).toHaveLength(1);
  });

  test("the timeout covers a body that stops halfway", async () => {
    mock.override("GET /api/v4/users/me", ({ res }) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      res.write('{"id":');
      return undefined;
    });
    const client = createClient({ baseUrl: mock.url, token, timeoutMs: 100 });
    expect(await failure(getMe(client))).toBeInstanceOf(TimeoutError);
  });

  test("a per-call timeout overrides the client's; 0 disables it", async () => {
    mock.override("GET /api/v4/users/me", ({ res }) => {
      setTimeout(() => res.writeHead(200, { "Content-Type": "application/json" }).end('{"username":"late"}'), 200);
      return undefined;
    });
    const client = createClient({ baseUrl: mock.url, token, timeoutMs: 50 });
    expect(await failure(getMe(client))).toMatchObject({ timeoutMs: 50 });
    expect(await failure(getMe(client, { timeoutMs: 80 }))).toMatchObject({ timeoutMs: 80 });
    expect(await getMe(client, { timeoutMs: 0 })).toEqual({ username: "late" });
    expect(await getMe(client, { timeoutMs: 1000 })).toEqual({ username: "late" });
  });

  test("by default there is no timeout, and fetch gets no signal unless the call has one", async () => {
    mock.override("GET /api/v4/users/me", ({ res }) => {
      setTimeout(() => res.writeHead(200, { "Content-Type": "application/json" }).end('{"username":"late"}'), 300);
      return undefined;
    });
    const signals: (AbortSignal | null | undefined)[] = [];
    const spy: typeof fetch = (input, init) => {
      signals.push(init?.signal);
      return fetch(input, init);
    };
    const client = createClient({ baseUrl: mock.url, token, fetch: spy });
    expect(await getMe(client)).toEqual({ username: "late" });
    expect(await getMe(client, { signal: new AbortController().signal })).toEqual({ username: "late" });
    expect(await failure(getMe(client, { timeoutMs: 50 }))).toMatchObject({ name: "TimeoutError", timeoutMs: 50 });
    expect(signals.map((signal) => signal instanceof AbortSignal)).toEqual([false, true, true]);
  });

  test("aborting rejects with the signal's reason, distinct from a timeout", async () => {
    mock.override("GET /api/v4/users/me", () => undefined);
    const client = createClient({ baseUrl: mock.url, token, timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(getMe(client, { signal: controller.signal }));
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toBeInstanceOf(TimeoutError);
    const reason = new Error("user left the page");
    const second = new AbortController();
    setTimeout(() => second.abort(reason), 20);
    expect(await failure(getMe(client, { signal: second.signal }))).toBe(reason);
    // The client's timeout still applies when the call has a signal.
    const third = new AbortController();
    expect(await failure(getMe(client, { signal: third.signal, timeoutMs: 60 }))).toBeInstanceOf(TimeoutError);
  });
});

describe("a call that ends early stops its request", () => {
  /**
   * Makes GET /api/v4/users/me hang; resolves with the time the server saw the connection close, or
   * `Infinity` when it stays open for 10 s (the call itself ended long before: its request was left open).
   */
  function hangAndWatch(): Promise<number> {
    return new Promise((resolve) => {
      mock.override("GET /api/v4/users/me", ({ res }) => {
        res.once("close", () => resolve(performance.now()));
        setTimeout(() => resolve(Number.POSITIVE_INFINITY), 10_000).unref();
        return undefined;
      });
    });
  }

  test("a timeout aborts the request, not only the promise", async () => {
    const closed = hangAndWatch();
    const client = createClient({ baseUrl: mock.url, token, timeoutMs: 100 });
    expect(await failure(getMe(client))).toBeInstanceOf(TimeoutError);
    // The server sees the connection go (within 10 s), while the request is still waiting for its answer.
    expect(await closed).toBeLessThan(Number.POSITIVE_INFINITY);
  });

  test("the call's signal aborts the request, also with the timeout off", async () => {
    for (const timeoutMs of [5000, 0]) {
      const closed = hangAndWatch();
      const client = createClient({ baseUrl: mock.url, token, timeoutMs });
      const controller = new AbortController();
      const reason = new Error(`stop ${timeoutMs}`);
      setTimeout(() => controller.abort(reason), 50);
      expect(await failure(getMe(client, { signal: controller.signal }))).toBe(reason);
      expect(await closed).toBeLessThan(Number.POSITIVE_INFINITY);
    }
  });
});

describe("instanceof across copies of the runtime", () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("an error from one bundled entry point is an instance of the other's classes", async () => {
    dir = await mkdtemp(join(tmpdir(), "mattermost-typed-errors-"));
    const root = new URL("../../runtime/", import.meta.url).pathname;
    for (const entry of ["index", "full"]) {
      await build({
        entryPoints: [join(root, `${entry}.ts`)],
        bundle: true,
        format: "esm",
        platform: "neutral",
        outfile: join(dir, `${entry}.mjs`),
        logLevel: "silent",
      });
    }
    type Runtime = typeof import("../../runtime/index.js");
    const core = (await import(pathToFileURL(join(dir, "index.mjs")).href)) as Runtime;
    const full = (await import(pathToFileURL(join(dir, "full.mjs")).href)) as Runtime;
    expect(core.MattermostError).not.toBe(full.MattermostError);
    expect(core.MattermostError).not.toBe(MattermostError);

    const client = full.createClient({ baseUrl: mock.url, token, retry: false });
    const error = await failure(client.call("GET", "/api/v4/users/{user_id}", { user_id: "x" }));
    for (const runtime of [core, full]) {
      expect(error instanceof runtime.MattermostError).toBe(true);
      expect(error instanceof runtime.NetworkError).toBe(false);
      expect(error instanceof runtime.TimeoutError).toBe(false);
    }
    expect(error instanceof MattermostError).toBe(true);
    const network = await failure(core.createClient({ baseUrl: await closedPort(), retry: false }).call("GET", "/", undefined));
    expect(network instanceof full.NetworkError).toBe(true);
    expect(network instanceof NetworkError).toBe(true);
    expect(network instanceof full.MattermostError).toBe(false);
    expect(new Error("x") instanceof MattermostError).toBe(false);
    expect((null as unknown) instanceof MattermostError).toBe(false);
    expect({ name: "MattermostError" } instanceof MattermostError).toBe(false);
  });
});
