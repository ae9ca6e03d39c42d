// Recovery's cost and delivery, with the real recovery code and REST client over real HTTP
// (scripts/bench/recover-scenario.ts): quiet channels cost nothing, an active one a request plus
// one per 200 missed posts, and every missed post is delivered once, in order, marked recovered.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../scripts/bench/recover-scenario.js";

describe("recovery cost", () => {
  it("skips quiet channels by last_post_at and stays within one request per active channel plus one per 200 missed", async () => {
    const missed = [1, 150, 199, 200, 201, 450, 1_000, 0, 0, 0];
    const result = await runScenario({ channels: 40, missed });
    expect(result.channelListRequests).toBe(1);
    // 33 quiet channels (the 30 beyond `missed` and three with 0): not asked.
    expect(Object.keys(result.postRequests)).toHaveLength(7);
    expect(result.requests).toBeLessThanOrEqual(result.budget);
    expect(result.delivered).toBe(result.missed);
    expect(result.duplicates).toBe(0);
    expect(result.inOrder).toBe(true);
    expect(result.allRecoveredMarked).toBe(true);
    expect(result.signal).toMatchObject({ trigger: "restart", posts: result.missed, active: 7, skipped: [] });
    expect(result.signal.requests).toBe(result.requests);
  });

  it("delivers the posts that share the cursor's millisecond, and nothing of the history", async () => {
    // History of odd length: the cursor post's millisecond twin is the first missed post.
    const result = await runScenario({ channels: 3, missed: [5, 3, 2], history: 301 });
    expect(result.delivered).toBe(10);
    expect(result.duplicates).toBe(0);
  });
});
