// Issue 24 against the real server and its limiter (10/s, burst 10): 200 concurrent mixed calls by
// one user, POSTs among them, all succeed; the client paces them instead of sending them into 429s.
import { describe, expect, it } from "vitest";
import { createPost, getChannel, getMe, getPostsForChannel, getUser } from "../../generated/endpoints/index.js";
import { createClient, type Middleware, type WaitInfo } from "../../runtime/index.js";
import { adminClient, freshChannel, throwawayUser } from "./fixtures.js";
import { mattermost } from "./server-facts.js";

describe("rate limit", () => {
  it("200 concurrent mixed calls by one user: 0 failures, the 429s counted", async () => {
    const server = mattermost();
    const admin = adminClient();
    const user = await throwawayUser(admin, "paced");
    const channel = await freshChannel(admin, "paced", [user.id]);
    let limited = 0;
    const counter: Middleware = { onResponse: ({ response }) => void (response.status === 429 && limited++) };
    const waits: WaitInfo[] = [];
    // The library's defaults: no retry options, POSTs not marked safe.
    const client = createClient({ baseUrl: server.url, token: user.token, middleware: [counter], onWait: (info) => waits.push(info) });
    const channel_id = channel.id ?? "";
    const calls = Array.from({ length: 200 }, (_, i) => {
      switch (i % 5) {
        case 0:
          return getMe(client);
        case 1:
          return getUser(client, { user_id: user.id });
        case 2:
          return createPost(client, { body: { channel_id, message: `paced ${i}` } });
        case 3:
          return getPostsForChannel(client, { channel_id, per_page: 5 });
        default:
          return getChannel(client, { channel_id });
      }
    });
    const started = performance.now();
    const outcomes = await Promise.allSettled(calls);
    const seconds = (performance.now() - started) / 1000;
    const failures = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(failures.map((failure) => String((failure as PromiseRejectedResult).reason))).toEqual([]);
    // The server lets burst + 1 through at once, then perSec per second: the rest waited in the client.
    expect(waits.filter((wait) => wait.reason === "rate-limit").length).toBeGreaterThan(150);
    const posts = await getPostsForChannel(client, { channel_id, per_page: 200 });
    expect(Object.values(posts.posts ?? {}).filter((post) => post.message?.startsWith("paced "))).toHaveLength(40);
    console.info(`[rate-limit e2e] 200 calls in ${seconds.toFixed(1)} s, ${limited} answers were 429`);
  }, 120_000);
});
