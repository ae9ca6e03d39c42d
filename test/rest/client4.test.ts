/**
 * The same scenarios through this client and through the official one (`@mattermost/client`'s
 * Client4), against the mock server: both must send equivalent requests (method, path, query,
 * the headers that matter, body) and get the same results.
 *
 * Normalization, so that only real differences fail:
 * - `Authorization`: the scheme case-insensitively (Client4 writes `BEARER`), the token replaced by
 *   the user it belongs to (two logins give two different session tokens for the same user).
 * - Query and JSON body fields whose value is `""` are dropped: Client4 sends `sort=`, `team_id=`,
 *   and `token: ""`, `deviceId: ""` at login, which the server treats as absent.
 * - `Content-Type` is compared without its parameters (multipart boundaries differ).
 * - Query parameters a row lists in `client4Extra` are dropped from Client4's side: the webapp's
 *   collapsed-threads flags, which the API description does not define.
 * - `X-Requested-With: XMLHttpRequest` is compared in the browser-session row only: Client4 always
 *   sends it, this client only with `session: "browser"`, where the server reads it.
 */
import { Client4, ClientError } from "@mattermost/client";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  createPost,
  deletePost,
  getAnalyticsOld,
  getMe,
  getPostsForChannel,
  getUser,
  login as generatedLogin,
  getUsers,
  uploadFile,
} from "../../generated/endpoints/index.js";
import { type Client, MattermostError, createClient, login, logout, withResponse } from "../../runtime/index.js";
import { type MockMattermost, type RecordedRequest, startMockMattermost } from "../support/mock-mattermost.js";

let mock: MockMattermost;
beforeAll(async () => {
  mock = await startMockMattermost();
  mock.addPosts("town-square", 80);
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

interface Normalized {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

function withoutEmpty(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ""));
}

async function normalize(request: RecordedRequest, options: { extra?: readonly string[]; browser?: boolean }): Promise<Normalized> {
  const headers: Record<string, string> = {};
  const authorization = request.headers.authorization;
  if (authorization) {
    const [scheme = "", token = ""] = authorization.split(" ");
    const user = mock.users.find((candidate) => candidate.id === mock.tokens.get(token));
    headers.authorization = `${scheme.toLowerCase()} @${user?.username ?? "unknown token"}`;
  }
  const type = request.headers["content-type"];
  if (type) headers["content-type"] = type.split(";")[0] ?? "";
  for (const name of options.browser ? ["x-csrf-token", "x-requested-with", "cookie"] : ["x-csrf-token"]) {
    const value = request.headers[name];
    if (value) headers[name] = value;
  }
  let body: unknown;
  if (type?.startsWith("multipart/form-data")) {
    const form = await new Response(new Uint8Array(request.body), { headers: { "content-type": type } }).formData();
    body = await Promise.all(
      [...form].map(async ([name, value]) =>
        typeof value === "string" ? [name, value] : [name, { name: value.name, type: value.type, text: await value.text() }],
      ),
    );
  } else if (request.body.length) {
    const parsed: unknown = JSON.parse(request.body.toString());
    body = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? withoutEmpty(parsed as Record<string, unknown>) : parsed;
  }
  const query = withoutEmpty(request.query) as Record<string, string>;
  for (const name of options.extra ?? []) delete query[name];
  return { method: request.method, path: request.path, query, headers, body };
}

interface Scenario {
  readonly name: string;
  readonly ours: (client: Client) => Promise<unknown>;
  readonly theirs: (client: Client4) => Promise<unknown>;
  /** Query parameters Client4 adds that the API description does not define. */
  readonly client4Extra?: readonly string[];
  /** Compare the results too (when they do not hold fresh ids). */
  readonly sameResult?: boolean;
}

const crtFlags = ["skipFetchThreads", "collapsedThreads", "collapsedThreadsExtended"];
const alice = () => mock.users[0]!;
const bob = () => mock.users[1]!;
const channelPosts = () => mock.posts.filter((post) => post.channel_id === "town-square");
const file = () => new File(["report contents\n"], "report.txt", { type: "text/plain" });

const scenarios: Scenario[] = [
  { name: "get the current user", ours: (c) => getMe(c), theirs: (c) => c.getMe(), sameResult: true },
  {
    name: "get a user",
    ours: (c) => getUser(c, { user_id: bob().id }),
    theirs: (c) => c.getUser(bob().id),
    sameResult: true,
  },
  {
    name: "list a team's users, one page",
    ours: (c) => getUsers(c, { in_team: "team-1", page: 1, per_page: 60 }),
    theirs: (c) => c.getProfilesInTeam("team-1", 1, 60),
    sameResult: true,
  },
  {
    name: "create a post with props",
    ours: (c) => createPost(c, { body: { channel_id: "town-square", message: "deploy done", props: { from_bot: "true" } } }),
    theirs: (c) => c.createPost({ channel_id: "town-square", message: "deploy done", props: { from_bot: "true" } } as never),
  },
  {
    name: "delete a post",
    ours: (c) => deletePost(c, { post_id: "deleted0post0id0abcdefghij" }).catch(() => "gone"),
    theirs: (c) => c.deletePost("deleted0post0id0abcdefghij").catch(() => "gone"),
  },
  {
    name: "a page of a channel's posts",
    ours: (c) => getPostsForChannel(c, { channel_id: "town-square", page: 0, per_page: 30 }),
    theirs: (c) => c.getPosts("town-square", 0, 30),
    client4Extra: crtFlags,
    sameResult: true,
  },
  {
    name: "posts before a post",
    ours: (c) => getPostsForChannel(c, { channel_id: "town-square", before: channelPosts()[40]!.id, page: 0, per_page: 30 }),
    theirs: (c) => c.getPostsBefore("town-square", channelPosts()[40]!.id, 0, 30),
    client4Extra: crtFlags,
    sameResult: true,
  },
  {
    name: "posts after a post",
    ours: (c) => getPostsForChannel(c, { channel_id: "town-square", after: channelPosts()[10]!.id, page: 0, per_page: 30 }),
    theirs: (c) => c.getPostsAfter("town-square", channelPosts()[10]!.id, 0, 30),
    client4Extra: crtFlags,
    sameResult: true,
  },
  {
    name: "posts changed since a time",
    ours: (c) => getPostsForChannel(c, { channel_id: "town-square", since: channelPosts()[70]!.update_at }),
    theirs: (c) => c.getPostsSince("town-square", channelPosts()[70]!.update_at),
    client4Extra: crtFlags,
    sameResult: true,
  },
  {
    name: "upload a file (multipart)",
    ours: (c) => uploadFile(c, { body: { channel_id: "town-square", files: file() } }),
    theirs: (c) => {
      const form = new FormData();
      form.append("channel_id", "town-square");
      form.append("files", file());
      return c.uploadFile(form);
    },
  },
  {
    name: "daily post counts",
    ours: (c) => getAnalyticsOld(c, { name: "post_counts_day" }),
    theirs: (c) => c.getAnalytics("post_counts_day"),
    sameResult: true,
  },
];

function clients(token: string): { ours: Client; theirs: Client4 } {
  const theirs = new Client4();
  theirs.setUrl(mock.url);
  theirs.setToken(token);
  return { ours: createClient({ baseUrl: mock.url, token, retry: false }), theirs };
}

/** Runs `run` and returns the requests it made, normalized. */
async function requestsOf(run: () => Promise<unknown>, options: { extra?: readonly string[]; browser?: boolean } = {}) {
  const before = mock.requests.length;
  const result = await run();
  const made = mock.requests.slice(before);
  return { result, requests: await Promise.all(made.map((request) => normalize(request, options))) };
}

describe("equivalent requests, this client and Client4", () => {
  test.each(scenarios)("$name", async (scenario) => {
    const token = mock.addToken(alice().id);
    const { ours, theirs } = clients(token);
    const mine = await requestsOf(() => scenario.ours(ours));
    const official = await requestsOf(() => scenario.theirs(theirs), { extra: scenario.client4Extra });
    expect(mine.requests).toHaveLength(1);
    expect(mine.requests).toEqual(official.requests);
    if (scenario.sameResult) expect(mine.result).toEqual(official.result);
  });

  test("login, a call with the session, logout, a call without it", async () => {
    const ours = createClient({ baseUrl: mock.url, retry: false });
    const theirs = new Client4();
    theirs.setUrl(mock.url);
    const run = async (steps: (() => Promise<unknown>)[]) => {
      const made = [];
      for (const step of steps) made.push(await requestsOf(() => step().catch((error: unknown) => error)));
      return made;
    };
    const mine = await run([
      () => login(ours, { login_id: "bob", password: bob().password }),
      () => getMe(ours),
      () => logout(ours),
      () => getMe(ours),
    ]);
    const official = await run([
      () => theirs.login("bob", bob().password),
      () => theirs.getMe(),
      () => theirs.logout(),
      () => theirs.getMe(),
    ]);
    expect(mine.map((step) => step.requests)).toEqual(official.map((step) => step.requests));
    expect(mine[0]?.requests[0]?.body).toEqual({ login_id: "bob", password: bob().password });
    expect(mine[1]?.requests[0]?.headers.authorization).toBe("bearer @bob");
    expect(mine[3]?.requests[0]?.headers.authorization).toBeUndefined();
    expect(mine[0]?.result).toEqual(official[0]?.result);
    expect(mine[3]?.result).toBeInstanceOf(MattermostError);
    expect(official[3]?.result).toBeInstanceOf(ClientError);
  });

  test("the same server error, as each client reports it", async () => {
    const { ours, theirs } = clients(mock.addToken(alice().id));
    const mine = (await getUser(ours, { user_id: "missing" }).catch((error: unknown) => error)) as MattermostError;
    const official = (await theirs.getUser("missing").catch((error: unknown) => error)) as ClientError;
    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /api/v4/users/missing",
      "GET /api/v4/users/missing",
    ]);
    expect(mine).toMatchObject({ status: 404, id: official.server_error_id, serverMessage: official.message });
    expect(official.status_code).toBe(mine.status_code);
  });
});

describe("browser session, this client and Client4", () => {
  const globals = globalThis as { document?: unknown };
  afterEach(() => {
    delete globals.document;
  });

  test("cookies, X-Requested-With and the CSRF token on a POST", async () => {
    // A login as the web app makes it: the session and CSRF token come back as cookies.
    const { response } = await withResponse(generatedLogin, createClient({ baseUrl: mock.url }), {
      body: { login_id: "alice", password: alice().password },
    });
    const cookies = Object.fromEntries(response.headers.getSetCookie().map((line) => line.split(";")[0]!.split("=") as [string, string]));
    const csrf = cookies.MMCSRF!;
    globals.document = { cookie: `MMUSERID=${alice().id}; MMCSRF=${csrf}` };
    const cookie = `MMAUTHTOKEN=${cookies.MMAUTHTOKEN}; MMCSRF=${csrf}`;

    const ours = createClient({ baseUrl: mock.url, session: "browser", headers: { Cookie: cookie }, retry: false });
    const theirs = new Client4();
    theirs.setUrl(mock.url);
    theirs.setHeader("Cookie", cookie);
    const options = { browser: true };
    const body = { channel_id: "town-square", message: "from the page" };
    const mine = [
      await requestsOf(() => getMe(ours).catch((error: unknown) => error), options),
      await requestsOf(() => createPost(ours, { body }).catch((error: unknown) => error), options),
    ];
    const official = [
      await requestsOf(() => theirs.getMe().catch((error: unknown) => error), options),
      await requestsOf(() => theirs.createPost(body as never).catch((error: unknown) => error), options),
    ];
    expect(mine.map((step) => step.requests)).toEqual(official.map((step) => step.requests));
    expect(mine.map((step) => step.result)).toEqual([expect.objectContaining({ username: "alice" }), expect.objectContaining(body)]);
    expect(official.map((step) => step.result)).toEqual([expect.objectContaining({ username: "alice" }), expect.objectContaining(body)]);
    expect(mine[0]?.requests[0]?.headers).toEqual({ "x-requested-with": "XMLHttpRequest", cookie });
    expect(mine[1]?.requests[0]?.headers).toMatchObject({ "x-csrf-token": csrf, "x-requested-with": "XMLHttpRequest" });
  });
});
