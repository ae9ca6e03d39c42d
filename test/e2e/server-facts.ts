// How end-to-end tests reach the real server that test/e2e/global-setup.ts started.
//
//   import { mattermost } from "./server-facts.js";
//   const server = mattermost();           // url, admin, user, bot, team, channels, rateLimit
//   fetch(`${server.url}/api/v4/users/me`, { headers: { Authorization: `Bearer ${server.admin.token}` } });
import { inject } from "vitest";
import type { MattermostServerFacts } from "../../scripts/mattermost-server/server.mjs";

export type { MattermostServerFacts } from "../../scripts/mattermost-server/server.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    mattermost: MattermostServerFacts;
  }
}

/** The facts of the running server; throws when the tests were not started by the e2e config. */
export function mattermost(): MattermostServerFacts {
  const facts = inject("mattermost");
  if (!facts) {
    throw new Error("no Mattermost server: run the end-to-end tests with `npm run test:e2e` (vitest.e2e.config.ts)");
  }
  return facts;
}
