/**
 * Page through a channel's posts, newest first, and stop after a while.
 *
 *   MATTERMOST_URL=... MATTERMOST_TOKEN=... CHANNEL_ID=... npx tsx examples/channel-history.ts
 */
import { getPostsForChannel } from "../generated/endpoints/index.js";
import { createClient, paginatePosts } from "../runtime/index.js";
import { env } from "./env.js";

const client = createClient({ baseUrl: env("MATTERMOST_URL"), token: env("MATTERMOST_TOKEN") });

// Stops by itself at the channel's first post; the signal stops it after 30 seconds whatever happens.
const signal = AbortSignal.timeout(30_000);
let count = 0;
for await (const post of paginatePosts(client, getPostsForChannel, { channel_id: env("CHANNEL_ID") }, { signal })) {
  const when = new Date(post.create_at ?? 0).toISOString();
  console.log(`${when}  ${post.user_id}  ${(post.message ?? "").slice(0, 60)}`);
  if (++count === 1000) break; // leaving the loop sends no further request
}
