/**
 * An in-process HTTP server that behaves like Mattermost's REST API on the routes the REST tests
 * touch, over a real socket (node:http on 127.0.0.1, port 0). What it reproduces, from the server's
 * code (`web/handlers.go`, `app/ratelimit.go`, `api4/user.go`, `api4/post.go`, `api4/file.go`):
 *
 * - Errors: the `model.AppError` body `{ id, message, detailed_error, request_id, status_code }`
 *   with `Content-Type: application/json`, and the `X-Request-Id` header.
 * - Authentication: `Authorization: Bearer <token>` (the scheme case-insensitively, as the server
 *   accepts Client4's `BEARER`), or the `MMAUTHTOKEN` cookie; with a cookie, every request that is
 *   not a GET must carry `X-CSRF-Token` equal to the session's CSRF token, else 401
 *   `api.context.session_expired.app_error` whose detail holds `token=<the token>` (as the server's
 *   does, in developer mode). Like the server without `ExperimentalStrictCSRFEnforcement` (its
 *   default), `X-Requested-With: XMLHttpRequest` is accepted instead unless `strictCsrf` is set.
 * - Login answers 201 with the user, the session token in a `Token` header and the `MMAUTHTOKEN`,
 *   `MMUSERID` and `MMCSRF` cookies; MFA accounts need `token`; logout revokes the session.
 * - A rate limiter (when `rateLimit` is set), per token or address, that sends `X-Ratelimit-Limit`,
 *   `X-Ratelimit-Remaining` and `X-Ratelimit-Reset` on every answer, and on a 429 `Retry-After` and
 *   the plain-text body `limit exceeded` (the limiter's `http.Error`). The window here is fixed and
 *   enforced exactly: a request that comes back before `Retry-After` is refused again.
 * - Paged routes: `per_page` capped at 200 like `web/params.go`; post lists with the cursor rules of
 *   `AddCursorIdsForPostList` (`prev_post_id` / `next_post_id`).
 * - Files: multipart upload (`channel_id`, `files`, `client_ids`) or one raw body with `channel_id` and
 *   `filename` in the query; the download route answers the stored bytes.
 *
 * Every request is recorded (method, path, query, headers, raw body, arrival time) for assertions;
 * `override` replaces a route's behaviour for one test (faults, hangs, resets, proxy pages).
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, beforeEach } from "vitest";

export interface MockUser {
  id: string;
  username: string;
  email: string;
  password: string;
  /** The MFA code this account requires at login, if any. */
  mfa?: string;
  roles: string;
}

export interface MockPost {
  id: string;
  channel_id: string;
  user_id: string;
  message: string;
  create_at: number;
  update_at: number;
  root_id: string;
  props: Record<string, unknown>;
  file_ids: string[];
}

export interface MockFile {
  id: string;
  name: string;
  mime_type: string;
  channel_id: string;
  bytes: Buffer;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** `performance.now()` when the request arrived. */
  readonly at: number;
  /** The user the request authenticated as, if any. */
  readonly userId: string | undefined;
}

/** What a handler may answer; `undefined` means the handler wrote (or deliberately never writes) the answer. */
export interface MockReply {
  status?: number;
  json?: unknown;
  text?: string;
  bytes?: Buffer;
  headers?: Record<string, string | string[]>;
}

export interface MockContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly request: RecordedRequest;
  /** Path parameters of the matched route template. */
  readonly params: Readonly<Record<string, string>>;
  readonly user: MockUser | undefined;
  /** How many requests this override has handled before this one. */
  readonly calls: number;
}

export type MockHandler = (context: MockContext) => MockReply | undefined | Promise<MockReply | undefined>;

export interface MockMattermost {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly users: MockUser[];
  readonly posts: MockPost[];
  readonly files: Map<string, MockFile>;
  /** token → user id, for personal access and bot tokens and sessions. */
  readonly tokens: Map<string, string>;
  /**
   * A fixed-window limiter; `undefined` (default) turns it off. With `fromFull`, the window ends
   * `windowMs` after the request that filled it instead of after its first one, so that request
   * `limit + 1` is refused however slowly a loaded machine sends the first `limit`.
   */
  rateLimit: { limit: number; windowMs: number; fromFull?: boolean } | undefined;
  /** Require the CSRF header of cookie sessions even with `X-Requested-With` (default false, as the server). */
  strictCsrf: boolean;
  /** Replaces a route (`"GET /api/v4/users/{user_id}"`) until `reset`. */
  override(route: string, handler: MockHandler): void;
  /** Creates a personal access token for a user. */
  addToken(userId: string): string;
  /** Adds `count` posts to a channel, one millisecond apart, oldest first; returns them. */
  addPosts(channelId: string, count: number): MockPost[];
  /** Forgets recorded requests, overrides and limiter state. */
  reset(): void;
  close(): Promise<void>;
}

/** A Mattermost-shaped id: 26 lower-case letters and digits. */
export function newId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(26), (b) => alphabet[b % 36]).join("");
}

function appError(status: number, id: string, message: string, detailed_error = "", request_id = newId()): MockReply {
  return { status, json: { id, message, detailed_error, request_id, status_code: status }, headers: { "X-Request-Id": request_id } };
}

function sanitize(user: MockUser): Record<string, unknown> {
  const { password: _password, mfa, ...rest } = user;
  return { ...rest, mfa_active: Boolean(mfa), create_at: 1_700_000_000_000, update_at: 1_700_000_000_000, delete_at: 0 };
}

/** Route templates of the built-in routes, matched in order. */
type Route = readonly [method: string, template: string, handler: MockHandler];

function match(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${template.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    })}$`,
  );
  const found = pattern.exec(path);
  return found ? Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? "")])) : undefined;
}

export async function startMockMattermost(): Promise<MockMattermost> {
  const users: MockUser[] = [
    { id: newId(), username: "alice", email: "alice@example.com", password: "alice-password-1", roles: "system_user system_admin" },
    { id: newId(), username: "bob", email: "bob@example.com", password: "bob-password-1", roles: "system_user" },
    { id: newId(), username: "carol", email: "carol@example.com", password: "carol-password-1", mfa: "123456", roles: "system_user" },
  ];
  for (let i = 0; i < 447; i++) {
    users.push({ id: newId(), username: `user${i}`, email: `user${i}@example.com`, password: `pw-${i}`, roles: "system_user" });
  }
  const teamUsers = new Set(users.filter((_, i) => i % 2 === 0).map((user) => user.id));
  const tokens = new Map<string, string>();
  /** Cookie sessions: token → CSRF token. */
  const csrfOf = new Map<string, string>();
  const posts: MockPost[] = [];
  const files = new Map<string, MockFile>();
  const requests: RecordedRequest[] = [];
  const overrides = new Map<string, { handler: MockHandler; calls: number }>();
  let window = { start: Number.NEGATIVE_INFINITY, used: 0 };
  let clock = 1_700_000_000_000;

  const mock: MockMattermost = {
    url: "",
    requests,
    users,
    posts,
    files,
    tokens,
    rateLimit: undefined,
    strictCsrf: false,
    override(route, handler) {
      overrides.set(route, { handler, calls: 0 });
    },
    addToken(userId) {
      const token = newId();
      tokens.set(token, userId);
      return token;
    },
    addPosts(channelId, count) {
      const user = users[0] as MockUser;
      const added = Array.from({ length: count }, (_, i): MockPost => {
        clock += 1;
        return {
          id: newId(),
          channel_id: channelId,
          user_id: user.id,
          message: `message ${i}`,
          create_at: clock,
          update_at: clock,
          root_id: "",
          props: {},
          file_ids: [],
        };
      });
      posts.push(...added);
      return added;
    },
    reset() {
      requests.length = 0;
      overrides.clear();
      window = { start: Number.NEGATIVE_INFINITY, used: 0 };
      mock.rateLimit = undefined;
      mock.strictCsrf = false;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  function authenticate(req: IncomingMessage, method: string): { user?: MockUser; error?: MockReply } {
    const header = req.headers.authorization ?? "";
    let token = /^bearer\s+(\S+)$/i.exec(header)?.[1];
    let fromCookie = false;
    if (!token) {
      token = /(?:^|;\s*)MMAUTHTOKEN=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
      fromCookie = token !== undefined;
    }
    if (!token) return {};
    const userId = tokens.get(token);
    const user = users.find((candidate) => candidate.id === userId);
    if (!user) {
      return {
        error: appError(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.", `token=${token}`),
      };
    }
    const csrfPassed =
      req.headers["x-csrf-token"] === csrfOf.get(token) || (!mock.strictCsrf && req.headers["x-requested-with"] === "XMLHttpRequest");
    if (fromCookie && method !== "GET" && !csrfPassed) {
      return {
        error: appError(
          401,
          "api.context.session_expired.app_error",
          "Invalid or expired session, please login again.",
          `token=${token} Appears to be a CSRF attempt`,
        ),
      };
    }
    return { user };
  }

  function requireUser(context: MockContext): MockUser | MockReply {
    return context.user ?? appError(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.");
  }

  function perPage(query: Readonly<Record<string, string>>, fallback = 60): number {
    const value = Number.parseInt(query.per_page ?? "", 10);
    return Number.isNaN(value) || value < 0 ? fallback : Math.min(value, 200);
  }

  function postList(channelPosts: MockPost[], selected: MockPost[], query: Readonly<Record<string, string>>) {
    // Newest first, as the server orders `order`.
    const ordered = [...selected].sort((a, b) => b.create_at - a.create_at);
    const byTime = [...channelPosts].sort((a, b) => a.create_at - b.create_at);
    const neighbour = (post: MockPost | undefined, step: number): string => {
      if (!post) return "";
      return byTime[byTime.indexOf(post) + step]?.id ?? "";
    };
    const page = Number.parseInt(query.page ?? "0", 10) || 0;
    const per = perPage(query);
    let next = neighbour(ordered[0], 1);
    let prev = neighbour(ordered[ordered.length - 1], -1);
    if (query.since) {
      next = "";
      prev = "";
    } else if (query.after) {
      if (page === 0) prev = query.after;
      if (ordered.length < per) next = "";
    } else if (query.before) {
      if (page === 0) next = query.before;
      if (ordered.length < per) prev = "";
    }
    return {
      order: ordered.map((post) => post.id),
      posts: Object.fromEntries(ordered.map((post) => [post.id, post])),
      next_post_id: next,
      prev_post_id: prev,
      has_next: Boolean(next),
    };
  }

  const routes: Route[] = [
    [
      "POST",
      "/api/v4/users/login",
      async ({ request }) => {
        const body = JSON.parse(request.body.toString() || "{}") as Record<string, string>;
        const user = users.find((candidate) => candidate.username === body.login_id || candidate.email === body.login_id);
        if (!user || user.password !== body.password) {
          return appError(401, "api.user.login.invalid_credentials_email_username", "Enter a valid email or username and/or password.");
        }
        if (user.mfa && body.token !== user.mfa) {
          return appError(401, "mfa.validate_token.authenticate.app_error", "Invalid MFA token.");
        }
        const token = newId();
        const csrf = newId();
        tokens.set(token, user.id);
        csrfOf.set(token, csrf);
        return {
          status: 201,
          json: sanitize(user),
          headers: {
            Token: token,
            "Set-Cookie": [`MMAUTHTOKEN=${token}; Path=/; HttpOnly`, `MMUSERID=${user.id}; Path=/`, `MMCSRF=${csrf}; Path=/`],
          },
        };
      },
    ],
    [
      "POST",
      "/api/v4/users/logout",
      ({ req }) => {
        const token =
          /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ??
          /(?:^|;\s*)MMAUTHTOKEN=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
        if (token) {
          tokens.delete(token);
          csrfOf.delete(token);
        }
        return { status: 200, json: { status: "OK" } };
      },
    ],
    [
      "GET",
      "/api/v4/users/me",
      (context) => {
        const user = requireUser(context);
        return "id" in user ? { json: sanitize(user) } : user;
      },
    ],
    [
      "GET",
      "/api/v4/users/{user_id}",
      (context) => {
        const me = requireUser(context);
        if (!("id" in me)) return me;
        const user = users.find((candidate) => candidate.id === context.params.user_id);
        return user
          ? { json: sanitize(user) }
          : appError(404, "app.user.missing_account.const", "We couldn't find an existing account matching your details.");
      },
    ],
    [
      "GET",
      "/api/v4/users",
      (context) => {
        const me = requireUser(context);
        if (!("id" in me)) return me;
        const { query } = context.request;
        const page = Number.parseInt(query.page ?? "0", 10) || 0;
        const per = perPage(query);
        const selected = query.in_team ? users.filter((user) => teamUsers.has(user.id)) : users;
        return { json: selected.slice(page * per, page * per + per).map(sanitize) };
      },
    ],
    [
      "POST",
      "/api/v4/posts",
      (context) => {
        const me = requireUser(context);
        if (!("id" in me)) return me;
        const body = JSON.parse(context.request.body.toString() || "{}") as Partial<MockPost>;
        if (!body.channel_id) {
          return appError(400, "api.context.invalid_body_param.app_error", "Invalid or missing post in request body.");
        }
        clock += 1;
        const post: MockPost = {
          id: newId(),
          channel_id: body.channel_id,
          user_id: me.id,
          message: body.message ?? "",
          create_at: clock,
          update_at: clock,
          root_id: body.root_id ?? "",
          props: body.props ?? {},
          file_ids: body.file_ids ?? [],
        };
        posts.push(post);
        return { status: 201, json: post };
      },
    ],
    [
      "DELETE",
      "/api/v4/posts/{post_id}",
      (context) => {
        const me = requireUser(context);
        if (!("id" in me)) return me;
        const index = posts.findIndex((post) => post.id === context.params.post_id);
        if (index < 0) return appError(404, "app.post.get.app_error", "Unable to get the post.");
        posts.splice(index, 1);
        return { json: { status: "OK" } };
      },
    ],
    [
      "GET",
      "/api/v4/channels/{channel_id}/posts",
      (context) => {
        const me = requireUser(context);
        if (!("id" in me)) return me;
        const { query } = context.request;
        const channelPosts = posts.filter((post) => post.channel_id === context.params.channel_id);
        const newestFirst = [...channelPosts].sort((a, b) => b.create_at - a.create_at);
        const page = Number.parseInt(query.page ?? "0", 10) || 0;
        const per = perPage(query);
        let selected: MockPost[];
        if (query.since) {
          selected = channelPosts.filter((post) => post.update_at > Number(query.since)).slice(0, 1000);
        } else if (query.after) {
          const anchor = channelPosts.find((post) => post.id === query.after);
          const later = newestFirst.filter((post) => anchor && post.create_at > anchor.create_at).reverse();
          selected = later.slice(page * per, page * per + per);
        } else if (query.before) {
          const anchor = channelPosts.find((post) => post.id === query.before);
          const earlier = newestFirst.filter((post) => anchor && post.create_at < anchor.create_at);
          selected = earlier.slice(page * per, page * per + per);
        } else {
          selected = newestFirst.slice(page * per, page * per + per);
        }
        return { json: postList(channelPosts, selected, query) };
      },
    ],
    [
      "POST",
      "/api/v4/files",
      async (context) => {
        const me = requireUser(context);
        if (!("id" in me)) return me;
        const { request } = context;
        const type = request.headers["content-type"] ?? "";
        const stored: MockFile[] = [];
        let clientIds: string[] = [];
        if (type.startsWith("multipart/form-data")) {
          const form = await new Response(new Uint8Array(request.body), { headers: { "content-type": type } }).formData();
          const channelId = form.get("channel_id") ?? request.query.channel_id;
          if (typeof channelId !== "string" || !channelId) {
            return appError(400, "api.file.upload_file.multipart.app_error", "Unable to upload file(s). Missing channel_id.");
          }
          clientIds = form.getAll("client_ids").map(String);
          for (const part of form.getAll("files")) {
            if (typeof part === "string") continue;
            stored.push({
              id: newId(),
              name: part.name,
              mime_type: part.type,
              channel_id: channelId,
              bytes: Buffer.from(await part.arrayBuffer()),
            });
          }
        } else {
          const { channel_id, filename } = request.query;
          if (!channel_id || !filename) {
            return appError(400, "api.file.upload_file.incorrect_channelId.app_error", "Unable to upload the file. Incorrect channel ID.");
          }
          stored.push({ id: newId(), name: filename, mime_type: type, channel_id, bytes: request.body });
        }
        if (stored.length === 0) return appError(400, "api.file.upload_file.no_file.app_error", "No file under 'files' in request.");
        for (const file of stored) files.set(file.id, file);
        return {
          status: 201,
          json: {
            file_infos: stored.map((file) => ({
              id: file.id,
              name: file.name,
              size: file.bytes.length,
              mime_type: file.mime_type,
              channel_id: file.channel_id,
              user_id: me.id,
            })),
            client_ids: clientIds,
          },
        };
      },
    ],
    [
      "GET",
      "/api/v4/files/{file_id}",
      (context) => {
        const me = requireUser(context);
        if (!("id" in me)) return me;
        const file = files.get(context.params.file_id ?? "");
        if (!file) return appError(404, "app.file_info.get.app_error", "Unable to get the file info.");
        return {
          bytes: file.bytes,
          headers: {
            "Content-Type": file.mime_type || "application/octet-stream",
            "Content-Disposition": `attachment;filename="${file.name}"`,
          },
        };
      },
    ],
    [
      "GET",
      "/api/v4/analytics/old",
      (context) => {
        const me = requireUser(context);
        if (!("id" in me)) return me;
        if (!me.roles.includes("system_admin")) {
          return appError(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
        }
        if (context.request.query.name === "post_counts_day") {
          return {
            json: [
              { name: "2026-03-03", value: 12 },
              { name: "2026-03-02", value: 7 },
              { name: "2026-03-01", value: 0 },
            ],
          };
        }
        return { json: [{ name: "channel_open_count", value: 4 }] };
      },
    ],
    ["GET", "/api/v4/system/ping", () => ({ json: { status: "OK" } })],
  ];

  function send(res: ServerResponse, reply: MockReply): void {
    const headers: Record<string, string | string[]> = { ...reply.headers };
    let body: Buffer | string = "";
    if (reply.json !== undefined) {
      headers["Content-Type"] ??= "application/json";
      body = JSON.stringify(reply.json);
    } else if (reply.text !== undefined) {
      headers["Content-Type"] ??= "text/plain; charset=utf-8";
      body = reply.text;
    } else if (reply.bytes) {
      body = reply.bytes;
    }
    res.writeHead(reply.status ?? 200, headers);
    res.end(body);
  }

  /** The fixed-window limiter: headers for every answer, or the 429 answer. */
  function limit(res: ServerResponse): MockReply | undefined {
    const config = mock.rateLimit;
    if (!config) return undefined;
    const now = performance.now();
    if (now - window.start >= config.windowMs) window = { start: now, used: 0 };
    if (config.fromFull && window.used < config.limit) window.start = now;
    const resetMs = window.start + config.windowMs - now;
    const reset = String(Math.ceil(resetMs / 1000));
    res.setHeader("X-Ratelimit-Limit", String(config.limit));
    if (window.used >= config.limit) {
      res.setHeader("X-Ratelimit-Remaining", "0");
      res.setHeader("X-Ratelimit-Reset", reset);
      return { status: 429, text: "limit exceeded\n", headers: { "Retry-After": reset } };
    }
    window.used += 1;
    res.setHeader("X-Ratelimit-Remaining", String(config.limit - window.used));
    res.setHeader("X-Ratelimit-Reset", reset);
    return undefined;
  }

  const server: Server = createServer(async (req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const auth = authenticate(req, method);
    const request: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)])),
      body: Buffer.concat(chunks),
      at,
      userId: auth.user?.id,
    };
    requests.push(request);
    try {
      const limited = limit(res);
      if (limited) return send(res, limited);
      for (const [route, entry] of overrides) {
        const [routeMethod, template] = route.split(" ") as [string, string];
        const params = routeMethod === method ? match(template, url.pathname) : undefined;
        if (!params) continue;
        const reply = await entry.handler({ req, res, request, params, user: auth.user, calls: entry.calls++ });
        if (reply) send(res, reply);
        return;
      }
      if (auth.error) return send(res, auth.error);
      for (const [routeMethod, template, handler] of routes) {
        const params = routeMethod === method ? match(template, url.pathname) : undefined;
        if (!params) continue;
        const reply = await handler({ req, res, request, params, user: auth.user, calls: 0 });
        if (reply) send(res, reply);
        return;
      }
      send(res, appError(404, "api.context.404.app_error", "Sorry, we could not find the page."));
    } catch (error) {
      send(res, appError(500, "mock.internal", String(error)));
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  (mock as { url: string }).url = `http://127.0.0.1:${port}`;
  // Connections kept alive by the clients must not hold `close` up.
  const close = mock.close;
  mock.close = () => {
    server.closeAllConnections();
    return close();
  };
  return mock;
}

/** A port on 127.0.0.1 where nothing listens (listened on, then closed). */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * Starts one mock server for a test file and resets it before each test; `onReset` receives the
 * server and, unless `withToken` is false, a fresh token of its first user:
 * `useMockMattermost((m, t) => { mock = m; token = t; });`
 */
export function useMockMattermost(onReset: (mock: MockMattermost, token: string) => void, options: { withToken?: boolean } = {}): void {
  let mock: MockMattermost | undefined;
  beforeAll(async () => {
    mock = await startMockMattermost();
  });
  afterAll(() => mock?.close());
  beforeEach(() => {
    if (mock === undefined) throw new Error("the mock server did not start");
    mock.reset();
    onReset(mock, options.withToken === false ? "" : mock.addToken(mock.users[0]!.id));
  });
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}
