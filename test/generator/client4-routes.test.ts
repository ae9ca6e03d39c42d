// scripts/client4-routes.mjs: the routes @mattermost/client calls, matched against the model. It runs
// the real Client4 of node_modules against recorders and loads the pinned spec with our overlays, so
// what it reports is what a maintainer re-measures with `node scripts/client4-routes.mjs`.
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without declarations
import { client4Calls, uncoveredRoutes } from "../../scripts/client4-routes.mjs";

interface Route {
  method: string;
  path: string;
  callers: string[];
}

const added = [
  "POST /api/v4/drafts",
  "GET /api/v4/users/me/teams/{}/drafts",
  "DELETE /api/v4/users/me/channels/{}/drafts/{}",
  "POST /api/v4/channels/members/me/mark_read",
  "GET /api/v4/posts/{}/edit_history",
  "GET /api/v4/posts/{}/info",
  "GET /api/v4/system/onboarding/complete",
  "POST /api/v4/system/onboarding/complete",
  "GET /api/v4/system/schema/version",
  "POST /api/v4/users/login/desktop_token",
  "POST /api/v4/users/notify-admin",
  "POST /api/v4/channels/{}/convert_to_channel",
  "POST /api/v4/channels/stats/member_count",
  "GET /api/v4/usage/teams",
];

describe("scripts/client4-routes.mjs", () => {
  it("records Client4's requests without sending any", async () => {
    const calls: { caller: string; method: string; url: string }[] = await client4Calls();
    expect(calls.length).toBeGreaterThan(400);
    expect(calls).toContainEqual({ caller: "getMe", method: "GET", url: "http://client4.invalid/api/v4/users/me" });
    expect(calls.find((call) => call.caller === "getPostEditHistory")?.url).toBe("http://client4.invalid/api/v4/posts/{a0}/edit_history");
  }, 60_000);

  it("finds the routes our overlays add covered, and only routes this server lacks or that live outside /api/v4 uncovered", async () => {
    const withOverlays: { called: number; covered: number; uncovered: Route[] } = await uncoveredRoutes();
    const upstream: { uncovered: Route[] } = await uncoveredRoutes({ overlays: false });
    const key = (route: Route) => `${route.method} ${route.path}`;
    const before = new Set(upstream.uncovered.map(key));
    const after = new Set(withOverlays.uncovered.map(key));
    for (const route of added) {
      expect(before.has(route), `${route} is missing upstream`).toBe(true);
      expect(after.has(route), `${route} has an operation now`).toBe(false);
    }
    expect(withOverlays.covered + withOverlays.uncovered.length).toBe(withOverlays.called);
    // The ones left: docs/client4-routes.md lists them with why.
    expect(withOverlays.uncovered.filter((route) => route.path.startsWith("/api/v4/")).length).toBeLessThanOrEqual(16);
    expect(withOverlays.uncovered.find((route) => route.path === "/api/v4/recaps/mark_viewed")?.callers).toEqual(["markRecapsAsViewed"]);
  }, 60_000);
});
