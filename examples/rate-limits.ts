/**
 * Handle the server's rate limit (429).
 *
 * The client already waits what `Retry-After` says and tries again (GET, HEAD, PUT and DELETE; POST
 * and PATCH when allowed), a bounded number of times. What is left to the program: reading the
 * limit, allowing retries of a post, and deciding what to do when the limit still says no.
 *
 *   MATTERMOST_URL=... MATTERMOST_TOKEN=... CHANNEL_ID=... npx tsx examples/rate-limits.ts
 */
import { createPost, getMe } from "../generated/endpoints/index.js";
import { MattermostError, createClient } from "../runtime/index.js";
import { env } from "./env.js";

const client = createClient({
  baseUrl: env("MATTERMOST_URL"),
  token: env("MATTERMOST_TOKEN"),
  // At most 5 more attempts, and at most 2 minutes of waiting per call.
  retry: { retries: 5, maxWaitMs: 120_000 },
});

await getMe(client);
const limit = client.rateLimit;
if (limit) {
  console.log(`${limit.remaining} of ${limit.limit} requests left, window resets at ${new Date(limit.resetAt).toISOString()}`);
}

for (let i = 0; i < 50; i++) {
  try {
    // A new post is not retried by default: after a dropped connection a replay could post twice.
    // This program accepts that risk, so it allows retries for the call.
    await createPost(client, { body: { channel_id: env("CHANNEL_ID"), message: `load test ${i}` } }, { retry: true });
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
