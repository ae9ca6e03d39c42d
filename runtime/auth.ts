/**
 * Signing in and out.
 *
 * - Bearer tokens (personal access tokens, bot tokens, OAuth access tokens): `createClient({ token })`,
 *   or `client.setToken(token)` later (an OAuth refresh, for instance).
 * - Username and password: `login(client, { login_id, password })`. The server answers with the
 *   session token in a `Token` header, which the client keeps for later calls (any login route does
 *   this, the generated `login` too); `logout(client)` ends the session on the server and forgets it.
 * - Web apps on the server's origin: `createClient({ baseUrl, session: "browser" })` uses the session
 *   cookie and sends the CSRF token (see `ClientOptions.session`).
 */
import { login as loginRoute, logout as logoutRoute } from "../generated/endpoints/users.js";
import type { StatusOK, User } from "../generated/schemas.js";
import type { Client } from "./client.js";
import type { CallOptions, Transport } from "./transport.js";

export { getMe } from "../generated/endpoints/users.js";

/** What `login` sends: a username or email and its password, and the MFA code when MFA is on. */
export interface Credentials {
  /** Username, email address, or (for LDAP) the LDAP login id. */
  readonly login_id: string;
  readonly password: string;
  /** The current MFA code, for accounts with multi-factor authentication. */
  readonly token?: string;
  /** Only authenticate against LDAP. */
  readonly ldap_only?: boolean;
  /** A device id for push notifications (mobile apps). */
  readonly device_id?: string;
}

/** Signs in with a password; the client keeps the session token for the calls that follow. */
export function login(client: Transport, credentials: Credentials, init?: CallOptions): Promise<User> {
  return loginRoute(client, { body: credentials }, init);
}

/** Ends the session on the server, then forgets the token locally (even when the server call fails). */
export async function logout(client: Client, init?: CallOptions): Promise<StatusOK> {
  try {
    return await logoutRoute(client, init);
  } finally {
    client.setToken(undefined);
  }
}
