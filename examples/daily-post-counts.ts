/**
 * Posts per day over the last days (needs the `manage_system` permission).
 *
 *   MATTERMOST_URL=... MATTERMOST_TOKEN=<admin token> npx tsx examples/daily-post-counts.ts
 */
import { getAnalyticsOld } from "../generated/endpoints/index.js";
import { createClient } from "../runtime/index.js";
import { env } from "./env.js";

/** One row of the analytics answer: a day (`YYYY-MM-DD`) and its count. */
interface DailyCount {
  name: string;
  value: number;
}

const client = createClient({ baseUrl: env("MATTERMOST_URL"), token: env("MATTERMOST_TOKEN") });

// The API description documents no body for this route, so its result is typed `void`; the server
// answers rows of { name, value }, which the client returns as they come.
const rows = (await getAnalyticsOld(client, { name: "post_counts_day" })) as unknown as DailyCount[];
for (const { name, value } of rows) console.log(`${name}  ${String(value).padStart(6)}`);
