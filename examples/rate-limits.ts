/**
 * Handle the server's rate limit (429).
 *
 * The client already paces its calls from the limit the server reports, and retries a 429 for every
 * method (the server refused before doing anything), waiting what `Retry-After` says. What is left
 * to the program: reading the limit, watching the waits, and deciding what to do when a call's
 * budget of waiting runs out.
 *
 *   MATTERMOST_URL=... MATTERMOST_TOKEN=... CHANNEL_ID=... npx tsx examples/rate-limits.ts
 */
import { createPost, getMe } from "../generated/endpoints/index.js";
import { MattermostError, createClient } from "../runtime/index.js";
import { env } from "./env.js";

const client = createClient({
  baseUrl: env("MATTERMOST_URL"),
  token: env("MATTERMOST_TOKEN"),
  // At most 2 minutes of waiting per call, in the queue and before retries.
  retry: { maxWaitMs: 120_000 },
  onWait: ({ operation, ms, reason }) => console.log(`${operation}: waiting ${ms} ms (${reason})`),
});

await getMe(client);
const limit = client.rateLimit;
if (limit) {
  console.log(`${limit.remaining} of ${limit.limit} requests left, window resets at ${new Date(limit.resetAt).toISOString()}`);
}

for (let i = 0; i < 50; i++) {
  try {
    // A 429 is retried for a post too; a dropped connection is not (a replay could post twice).
    await createPost(client, { body: { channel_id: env("CHANNEL_ID"), message: `load test ${i}` } });
  } catch (error) {
    if (error instanceof MattermostError && error.status === 429) {
      const wait = error.retryAfterMs ?? 1000;
      console.log(`still limited after the retries; pausing ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      continue;
    }
    throw error;
  }
}
