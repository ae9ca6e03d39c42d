/**
 * Read the current user, with a personal access token or a bot token.
 *
 *   MATTERMOST_URL=https://chat.example.com MATTERMOST_TOKEN=... npx tsx examples/current-user.ts
 */
import { getMe } from "../generated/endpoints/index.js";
import { createClient, withResponse } from "../runtime/index.js";
import { env } from "./env.js";

const client = createClient({ baseUrl: env("MATTERMOST_URL"), token: env("MATTERMOST_TOKEN") });

const me = await getMe(client);
console.log(`${me.username} (${me.id}), roles: ${me.roles}`);

// The same call with the HTTP response, for its headers.
const { response } = await withResponse(getMe, client);
console.log(`server version: ${response.headers.get("X-Version-Id")}`);
