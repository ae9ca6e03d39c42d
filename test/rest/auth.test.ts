import { afterEach, describe, expect, test } from "vitest";
import * as generated from "../../generated/endpoints/index.js";
import { createPost, getMe } from "../../generated/endpoints/index.js";
import * as runtime from "../../runtime/index.js";
import { MattermostError, createClient, login, logout, withResponse } from "../../runtime/index.js";
import { type MockMattermost, useMockMattermost, failure } from "../support/mock-mattermost.js";

let mock: MockMattermost;
useMockMattermost(
  (m) => {
    mock = m;
  },
  { withToken: false },
);

describe("bearer tokens", () => {
  test("personal access, bot and OAuth tokens go in Authorization: Bearer", async () => {
    const token = mock.addToken(mock.users[1]!.id);
    const client = createClient({ baseUrl: mock.url, token });
    expect((await getMe(client)).username).toBe("bob");
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(mock.requests[0]?.headers["x-requested-with"]).toBeUndefined();
  });

  test("a revoked token gives the server's 401", async () => {
    const client = createClient({ baseUrl: mock.url, token: "revoked-token" });
    expect(await failure(getMe(client))).toMatchObject({ status: 401, id: "api.context.session_expired.app_error" });
  });
});

describe("login and logout", () => {
  test("login keeps the session token from the Token header, and hides the header", async () => {
    const client = createClient({ baseUrl: mock.url });
    const user = await login(client, { login_id: "bob@example.com", password: "bob-password-1" });
    expect(user.username).toBe("bob");
    const session = client.getToken();
    expect(session).toMatch(/^[a-z0-9]{26}$/);
    expect(mock.tokens.get(session!)).toBe(user.id);
    expect(JSON.parse(mock.requests[0]!.body.toString())).toEqual({ login_id: "bob@example.com", password: "bob-password-1" });
    expect((await getMe(client)).username).toBe("bob");
    expect(mock.requests[1]?.headers.authorization).toBe(`Bearer ${session}`);
    // The generated login does the same, and the Token header never reaches the caller.
    const other = createClient({ baseUrl: mock.url });
    const { response } = await withResponse(generated.login, other, { body: { login_id: "alice", password: "alice-password-1" } });
    expect(response.status).toBe(201);
    expect(response.headers.get("Token")).toBeNull();
    expect((await getMe(other)).username).toBe("alice");
  });

  test("MFA accounts need the code", async () => {
    const client = createClient({ baseUrl: mock.url, retry: false });
    const error = await failure(login(client, { login_id: "carol", password: "carol-password-1" }));
    expect(error).toBeInstanceOf(MattermostError);
    expect(error).toMatchObject({ status: 401, id: "mfa.validate_token.authenticate.app_error" });
    expect(client.getToken()).toBeUndefined();
    await login(client, { login_id: "carol", password: "carol-password-1", token: "123456" });
    expect((await getMe(client)).username).toBe("carol");
  });

  test("a failed login leaves the current token in place", async () => {
    const token = mock.addToken(mock.users[0]!.id);
    const client = createClient({ baseUrl: mock.url, token });
    await failure(login(client, { login_id: "bob", password: "nope" }));
    expect(client.getToken()).toBe(token);
  });

  test("logout ends the session on the server and forgets the token", async () => {
    const client = createClient({ baseUrl: mock.url });
    await login(client, { login_id: "alice", password: "alice-password-1" });
    const session = client.getToken()!;
    await logout(client);
    expect(client.getToken()).toBeUndefined();
    expect(mock.tokens.has(session)).toBe(false);
    expect(mock.requests.at(-1)).toMatchObject({ method: "POST", path: "/api/v4/users/logout" });
    await failure(getMe(client));
    expect(mock.requests.at(-1)?.headers.authorization).toBeUndefined();
    // The old token no longer works anywhere.
    expect(await failure(getMe(createClient({ baseUrl: mock.url, token: session })))).toMatchObject({ status: 401 });
  });

  test("logout forgets the token even when the server call fails", async () => {
    mock.override("POST /api/v4/users/logout", () => ({ status: 500, json: { id: "x", message: "down" } }));
    const client = createClient({ baseUrl: mock.url, token: mock.addToken(mock.users[0]!.id) });
    expect(await failure(logout(client))).toMatchObject({ status: 500 });
    expect(client.getToken()).toBeUndefined();
  });

  test("getMe is the generated operation, re-exported", () => {
    expect(runtime.getMe).toBe(generated.getMe);
  });
});

describe("browser session", () => {
  /** A tiny browser: a cookie jar for the server's origin, and `document.cookie` without HttpOnly cookies. */
  function browser() {
    const jar = new Map<string, { value: string; httpOnly: boolean }>();
    const seen: Request[] = [];
    const document = {
      get cookie() {
        return [...jar]
          .filter(([, c]) => !c.httpOnly)
          .map(([name, c]) => `${name}=${c.value}`)
          .join("; ");
      },
    };
    const fetchLikeABrowser = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      seen.push(request.clone());
      const headers = new Headers(request.headers);
      if (request.credentials === "include" && jar.size) {
        headers.set("Cookie", [...jar].map(([name, c]) => `${name}=${c.value}`).join("; "));
      }
      const response = await fetch(new Request(request, { headers }));
      for (const line of response.headers.getSetCookie()) {
        const [pair = "", ...attributes] = line.split(";");
        const [name = "", value = ""] = pair.trim().split("=");
        jar.set(name, { value, httpOnly: attributes.some((a) => a.trim().toLowerCase() === "httponly") });
      }
      return response;
    };
    return { jar, seen, document, fetch: fetchLikeABrowser };
  }

  const globals = globalThis as { document?: unknown };
  afterEach(() => {
    delete globals.document;
  });

  test("sends cookies, X-Requested-With, and the MMCSRF cookie as X-CSRF-Token on every non-GET", async () => {
    const page = browser();
    globals.document = page.document;
    const client = createClient({ baseUrl: mock.url, session: "browser", fetch: page.fetch });
    await login(client, { login_id: "alice", password: "alice-password-1" });
    // The session lives in the cookies, not in the client.
    expect(client.getToken()).toBeUndefined();
    expect(page.jar.get("MMAUTHTOKEN")?.httpOnly).toBe(true);
    const csrf = page.jar.get("MMCSRF")!.value;

    expect((await getMe(client)).username).toBe("alice");
    const post = await createPost(client, { body: { channel_id: "c", message: "from the web app" } });
    expect(post.message).toBe("from the web app");

    const [loginRequest, meRequest, postRequest] = mock.requests;
    for (const request of [loginRequest, meRequest, postRequest]) {
      expect(request?.headers["x-requested-with"]).toBe("XMLHttpRequest");
      expect(request?.headers.authorization).toBeUndefined();
    }
    expect(meRequest?.headers["x-csrf-token"]).toBeUndefined();
    expect(meRequest?.headers.cookie).toContain("MMAUTHTOKEN=");
    expect(postRequest?.headers["x-csrf-token"]).toBe(csrf);
    expect(page.seen.every((request) => request.credentials === "include")).toBe(true);
  });

  test("without the CSRF cookie a POST is refused, as a server with strict CSRF enforcement does", async () => {
    mock.strictCsrf = true;
    const page = browser();
    const client = createClient({ baseUrl: mock.url, session: "browser", fetch: page.fetch, retry: false });
    await login(client, { login_id: "alice", password: "alice-password-1" });
    // No `document`: the CSRF cookie cannot be read.
    const error = await failure(createPost(client, { body: { channel_id: "c", message: "x" } }));
    expect(error).toMatchObject({ status: 401, id: "api.context.session_expired.app_error" });
    expect((error as MattermostError).detailed_error).not.toContain(page.jar.get("MMAUTHTOKEN")!.value);
  });
});
