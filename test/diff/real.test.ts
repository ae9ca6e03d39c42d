// The real 2023-06 → v11.6.0 pair. The expected facts were read off the two YAML files with a
// throwaway script, independently of the diff code (see the comments on each).
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { diffModels } from "../../generator/diff/compare.js";
import type { ApiDiff, Change } from "../../generator/diff/types.js";
import { loadInput, realNew, realOld } from "./support.js";

let diff: ApiDiff;
let diffMs: number;

describe.skipIf(!existsSync(realOld) || !existsSync(realNew))("2023-06 → v11.6.0", () => {
  beforeAll(async () => {
    const before = await loadInput(realOld);
    const after = await loadInput(realNew);
    const started = performance.now();
    diff = diffModels(before, after);
    diffMs = performance.now() - started;
  });

  const find = (subject: string, kind: Change["kind"]): Change | undefined =>
    diff.changes.find((change) => change.subject === subject && change.kind === kind);

  it("counts the operations of both sides", () => {
    expect(diff.old.operations).toBe(425);
    expect(diff.new.operations).toBe(541);
  });

  it("reports the removed insights routes (absent from the v11.6.0 paths)", () => {
    for (const route of [
      "GET /api/v4/teams/{team_id}/top/reactions",
      "GET /api/v4/users/me/top/reactions",
      "GET /api/v4/teams/{team_id}/top/channels",
      "GET /api/v4/users/me/top/dms",
    ]) {
      expect(find(route, "operation-removed"), route).toMatchObject({ breaking: true });
    }
    expect(find("GET /api/v4/teams/{team_id}/top/reactions", "operation-removed")?.name).toBe("getTopReactionsForTeam");
  });

  it("reports a method change as a removal plus an addition (set_unread moved from PUT to POST)", () => {
    const route = "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}";
    expect(find(`PUT ${route}`, "operation-removed")).toBeDefined();
    expect(find(`POST ${route}`, "operation-added")).toBeDefined();
  });

  it("reports operations added in v11.6.0", () => {
    expect(find("POST /api/v4/recaps", "operation-added")?.name).toBe("createRecap");
    expect(find("POST /api/v4/posts/{post_id}/move", "operation-added")?.name).toBe("moveThread");
    expect(find("POST /api/v4/users/login/sso/code-exchange", "operation-added")).toBeDefined();
    expect(diff.summary.operations.added).toBe(133);
    expect(diff.summary.operations.removed).toBe(17);
  });

  it("reports the operationId renamed on PUT /api/v4/users/sessions/device", () => {
    // 2023-06: AttachDeviceId; v11.6.0: AttachDeviceExtraProps, same method and route.
    expect(find("PUT /api/v4/users/sessions/device", "operation-renamed")).toMatchObject({
      breaking: true,
      before: "AttachDeviceId",
      after: "AttachDeviceExtraProps",
      name: "attachDeviceExtraProps",
    });
  });

  it("reports schema changes: removed insights schemas, Timezone.useAutomaticTimezone retyped", () => {
    for (const name of ["TopReaction", "TopReactionList", "SlackAttachment"]) expect(find(name, "schema-removed"), name).toBeDefined();
    for (const name of ["ScheduledPost", "ChannelBookmark", "MessageAttachment"]) expect(find(name, "schema-added"), name).toBeDefined();
    expect(diff.changes.find((change) => change.subject === "Timezone" && change.at === "useAutomaticTimezone")).toMatchObject({
      kind: "type-changed",
      breaking: true,
      before: "boolean",
      after: "string",
    });
    expect(diff.summary.schemas).toMatchObject({ added: 58, removed: 12 });
  });

  it("compares the two full specs in well under a second", () => {
    expect(diffMs).toBeLessThan(1000);
  });
});
