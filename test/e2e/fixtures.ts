// What the end-to-end tests build on the real server, through the generated client: clients for the
// seeded identities, throwaway users with their own rate-limit budget, and fresh channels and teams
// (the seeded ones stay as they are).
import { randomBytes } from "node:crypto";
import {
  addChannelMember,
  addTeamMember,
  createChannel,
  createTeam,
  createUser,
  createUserAccessToken,
} from "../../generated/endpoints/index.js";
import type { Channel, Team } from "../../generated/schemas.js";
import { type Client, type ClientOptions, createClient } from "../../runtime/index.js";
import { mattermost } from "./server-facts.js";

/**
 * A client of the test server. Retries are generous (the server's limit is low, and every test of
 * the run shares it); POSTs are retried too, which is safe after a 429 (the server did nothing).
 */
export function clientFor(token: string | undefined, options: Partial<ClientOptions> = {}): Client {
  return createClient({ baseUrl: mattermost().url, token, retry: { retries: 10, unsafe: true }, ...options });
}

/** The seeded system admin, with its personal access token. */
export function adminClient(): Client {
  return clientFor(mattermost().admin.token);
}

/** A unique, valid name for users, teams and channels. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

export interface ThrowawayUser {
  readonly id: string;
  readonly username: string;
  /** A personal access token, so the user has a rate-limit budget of its own. */
  readonly token: string;
  /** The password it was created with, for a password login (a browser session). */
  readonly password: string;
}

/** A new user in the seeded team with a personal access token; no login needed (logins share the IP's budget). */
export async function throwawayUser(admin: Client, prefix: string): Promise<ThrowawayUser> {
  const username = uniqueName(prefix);
  const password = `Aa1!${randomBytes(12).toString("base64url")}`;
  const user = await createUser(admin, { body: { username, email: `${username}@example.com`, password } });
  const id = user.id ?? "";
  await addTeamMember(admin, { team_id: mattermost().team.id, body: { team_id: mattermost().team.id, user_id: id } });
  const token = await createUserAccessToken(admin, { user_id: id, body: { description: "mattermost-typed e2e" } });
  if (!token.token) throw new Error(`POST /api/v4/users/{user_id}/tokens answered without a token for ${username}`);
  return { id, username, token: token.token, password };
}

/** A new public channel in `teamId` (default: the seeded team), created by the admin, with `members` added. */
export async function freshChannel(
  admin: Client,
  prefix: string,
  members: readonly string[],
  teamId = mattermost().team.id,
): Promise<Channel> {
  const name = uniqueName(prefix);
  const channel = await createChannel(admin, { body: { team_id: teamId, name, display_name: name, type: "O" } });
  const channel_id = channel.id ?? "";
  if (members.length > 0) await addChannelMember(admin, { channel_id, body: { user_ids: [...members] } });
  return channel;
}

/** A new open team created by the admin (who becomes its only member). */
export function freshTeam(admin: Client, prefix: string): Promise<Team> {
  const name = uniqueName(prefix);
  return createTeam(admin, { body: { name, display_name: name, type: "O" } });
}

/** Resolves once `check` returns something other than `undefined`; rejects after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
