// Seeds a fresh Mattermost server through its HTTP API with plain fetch: the first user (who
// becomes system admin), tokens, a second user, a bot, a team and two channels.
//
// Secrets (passwords, tokens) are returned to the caller and never put into messages.

import { randomBytes } from "node:crypto";

export class MattermostApiError extends Error {
  constructor(method, route, status, body) {
    const id = typeof body?.id === "string" ? body.id : undefined;
    const detail = typeof body?.message === "string" ? body.message : typeof body === "string" ? body.trim() : "";
    const requestId = typeof body?.request_id === "string" ? ` (request_id ${body.request_id})` : "";
    super(`${method} ${route} answered ${status}${id ? ` ${id}` : ""}${detail ? `: ${detail}` : ""}${requestId}`);
    this.name = "MattermostApiError";
    this.status = status;
    this.serverId = id;
    this.method = method;
    this.route = route;
  }
}

/** A password that passes any PasswordSettings: upper, lower, digit, symbol, 26 characters. */
export function randomPassword() {
  return `Aa1!${randomBytes(16).toString("base64url")}`;
}

/**
 * A small JSON client for one server. Retries 429 answers after `Retry-After` (the bootstrap runs
 * under the same rate limit as the tests), up to `maxRetries` times.
 */
export function createApi(baseUrl, { maxRetries = 20 } = {}) {
  async function request(method, route, { token, body, params } = {}) {
    const url = new URL(route, baseUrl);
    for (const [key, value] of Object.entries(params ?? {})) url.searchParams.set(key, String(value));
    const headers = { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status === 429 && attempt < maxRetries) {
        const seconds = Number.parseFloat(response.headers.get("retry-after") ?? "1");
        await sleep(Math.min(Number.isFinite(seconds) ? seconds : 1, 5) * 1000 + 50);
        continue;
      }
      let parsed = text;
      if (text && (response.headers.get("content-type") ?? "").includes("json")) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      if (!response.ok) throw new MattermostApiError(method, route, response.status, parsed);
      return { status: response.status, headers: response.headers, body: parsed };
    }
  }
  return { request };
}

/**
 * Creates the fixtures every end-to-end test can count on.
 * @param {string} baseUrl
 * @param {(line: string) => void} report
 */
export async function bootstrapServer(baseUrl, report) {
  const api = createApi(baseUrl);
  const password = { admin: randomPassword(), user: randomPassword() };

  // 1. The first user of a fresh server becomes its system admin.
  const adminUser = (
    await api.request("POST", "/api/v4/users", {
      body: { username: "e2e-admin", email: "e2e-admin@example.com", password: password.admin, first_name: "E2E", last_name: "Admin" },
    })
  ).body;
  if (typeof adminUser.roles !== "string" || !adminUser.roles.split(" ").includes("system_admin")) {
    throw new Error(
      `the first user was created without the system_admin role (roles: ${JSON.stringify(adminUser.roles)}); is the database really fresh?`,
    );
  }
  const adminSession = await login(api, "e2e-admin", password.admin);

  // 2. A personal access token for the admin; everything after this uses it.
  const adminToken = (
    await api.request("POST", `/api/v4/users/${adminUser.id}/tokens`, {
      token: adminSession,
      body: { description: "mattermost-typed e2e admin" },
    })
  ).body.token;
  const asAdmin = (method, route, body) => api.request(method, route, { token: adminToken, body }).then((r) => r.body);

  // 3. A regular user, logged in.
  const user = await asAdmin("POST", "/api/v4/users", {
    username: "e2e-user",
    email: "e2e-user@example.com",
    password: password.user,
    first_name: "E2E",
    last_name: "User",
  });
  const userSession = await login(api, "e2e-user", password.user);

  // 4. A bot with its own token.
  const bot = await asAdmin("POST", "/api/v4/bots", {
    username: "e2e-bot",
    display_name: "E2E Bot",
    description: "mattermost-typed end-to-end tests",
  });
  const botToken = (await asAdmin("POST", `/api/v4/users/${bot.user_id}/tokens`, { description: "mattermost-typed e2e bot" })).token;

  // 5. A team with everyone in it, a public and a private channel with everyone in them.
  const team = await asAdmin("POST", "/api/v4/teams", { name: "e2e-team", display_name: "E2E Team", type: "O" });
  for (const member of [user.id, bot.user_id]) {
    await asAdmin("POST", `/api/v4/teams/${team.id}/members`, { team_id: team.id, user_id: member });
  }
  const publicChannel = await asAdmin("POST", "/api/v4/channels", {
    team_id: team.id,
    name: "e2e-public",
    display_name: "E2E Public",
    type: "O",
  });
  const privateChannel = await asAdmin("POST", "/api/v4/channels", {
    team_id: team.id,
    name: "e2e-private",
    display_name: "E2E Private",
    type: "P",
  });
  for (const channel of [publicChannel, privateChannel]) {
    for (const member of [user.id, bot.user_id]) {
      await asAdmin("POST", `/api/v4/channels/${channel.id}/members`, { user_id: member });
    }
  }
  report(`seeded: admin, user, bot, team ${team.name}, channels ${publicChannel.name} and ${privateChannel.name}`);

  return {
    admin: {
      id: adminUser.id,
      username: adminUser.username,
      email: adminUser.email,
      password: password.admin,
      token: adminToken,
      sessionToken: adminSession,
    },
    user: {
      id: user.id,
      username: user.username,
      email: user.email,
      password: password.user,
      token: userSession,
    },
    bot: { id: bot.user_id, username: bot.username, token: botToken },
    team: { id: team.id, name: team.name, displayName: team.display_name },
    channels: {
      public: { id: publicChannel.id, name: publicChannel.name, displayName: publicChannel.display_name },
      private: { id: privateChannel.id, name: privateChannel.name, displayName: privateChannel.display_name },
    },
  };
}

/** Logs in with a password; the session token comes back in the `Token` header. */
async function login(api, loginId, password) {
  const response = await api.request("POST", "/api/v4/users/login", { body: { login_id: loginId, password } });
  const token = response.headers.get("token");
  if (!token) throw new Error(`POST /api/v4/users/login for ${loginId} answered ${response.status} without a Token header`);
  return token;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
