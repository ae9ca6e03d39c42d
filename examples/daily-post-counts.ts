/**
 * Posts per day over the last days (needs the `manage_system` permission).
 *
 *   MATTERMOST_URL=... MATTERMOST_TOKEN=<admin token> npx tsx examples/daily-post-counts.ts
 */
import { getAnalyticsOld } from "../generated/endpoints/index.js";
import { createClient } from "../runtime/index.js";
import { env } from "./env.js";

const client = createClient({ baseUrl: env("MATTERMOST_URL"), token: env("MATTERMOST_TOKEN") });

// Rows of { name, value }: the day (`YYYY-MM-DD`) and its count. The upstream description documents
// no body for this route; spec/overlays/40-conformance-responses.yaml types it.
const rows = await getAnalyticsOld(client, { name: "post_counts_day" });
for (const { name, value } of rows) console.log(`${name}  ${String(value).padStart(6)}`);
