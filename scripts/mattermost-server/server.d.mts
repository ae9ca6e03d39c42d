// Types of server.mjs, for the TypeScript end-to-end tests.

export interface RateLimitFacts {
  /** Sustained requests per second per key. */
  perSec: number;
  /** Extra requests allowed at once: `maxBurst + 1` pass in a burst. */
  maxBurst: number;
  /** Requests with a token are counted per token and per user id. */
  varyByUser: boolean;
  /** Requests without a token are counted per client IP. */
  varyByRemoteAddr: boolean;
}

export interface UserFacts {
  id: string;
  username: string;
  email: string;
  password: string;
  /** For the admin: a personal access token. For the user: a session token from a login. */
  token: string;
}

export interface AdminFacts extends UserFacts {
  /** The session token of the admin's password login (the personal access token is `token`). */
  sessionToken: string;
}

export interface BotFacts {
  /** The bot's user id. */
  id: string;
  username: string;
  /** A personal access token of the bot. */
  token: string;
}

export interface NamedFacts {
  id: string;
  name: string;
  displayName: string;
}

/** Everything a test needs to know about the running server; plain JSON. */
export interface MattermostServerFacts {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** The server's `X-Version-Id` header, e.g. "11.4.0.<build>...". */
  serverVersion: string | null;
  /** The Go module version the binary was built from (null when a binary was given). */
  build: { module: string | null; version: string | null; commit: string | null };
  /** The first user; system admin. */
  admin: AdminFacts;
  /** A regular user, member of the team and both channels. */
  user: UserFacts;
  /** A bot, member of the team and both channels. */
  bot: BotFacts;
  /** An open team holding the admin, the user and the bot. */
  team: NamedFacts;
  channels: { public: NamedFacts; private: NamedFacts };
  rateLimit: RateLimitFacts;
  dbName: string;
  runDir: string;
  logDir: string;
  /** Milliseconds from creating the database to a seeded server. */
  startedInMs: number;
}

export interface StartServerOptions {
  /** A prebuilt `mattermost` binary (next to `../i18n` and `../templates`). Default: $MATTERMOST_SERVER_BINARY, else build. */
  binary?: string;
  /** Module version, commit or branch to build (see build.mjs). */
  ref?: string;
  /** Default: a free port. */
  port?: number;
  /** Default: $PGHOST/$PGPORT/$PGUSER, else 127.0.0.1:5432 as postgres. */
  postgres?: { host?: string; port?: number; user?: string };
  /** Default: 10 per second, burst 10, per user and per remote address. */
  rateLimit?: Partial<RateLimitFacts>;
  /** Deep-merged into the generated config.json. */
  config?: Record<string, unknown>;
  /** How long to wait for the ping after starting the process. Default: 240 000 ms. */
  startTimeoutMs?: number;
  /** Keep the database and temp dir after stop (default: $MATTERMOST_E2E_KEEP === "1"). */
  keep?: boolean;
  /** Progress lines. Default: stderr with a "[mattermost-server]" prefix. */
  report?: (line: string) => void;
}

export interface RunningMattermostServer extends MattermostServerFacts {
  /** The same facts as a plain object, for `provide()` or a JSON file. */
  facts: MattermostServerFacts;
  /** SIGKILL the server (a crash: no shutdown) and start it again on the same config, database and port; resolves once it answers ping. */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s), drop the database, remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export function startServer(options?: StartServerOptions): Promise<RunningMattermostServer>;

/** Refreshes the post statistics (`post_counts_day` analytics) of a running server's database; the server does it nightly. */
export function refreshServerPostStats(facts: Pick<MattermostServerFacts, "dbName">): Promise<void>;
