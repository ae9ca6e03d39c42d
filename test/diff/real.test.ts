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

  it("reports a method change as a move (set_unread went from PUT to POST, same operationId)", () => {
    const route = "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}";
    expect(find(`POST ${route}`, "operation-moved")).toMatchObject({
      breaking: false,
      name: "setThreadUnreadByPostId",
      before: `PUT ${route}`,
      reason: expect.stringContaining("(same operationId, method PUT → POST): the function `setThreadUnreadByPostId` keeps its name"),
    });
    expect(find(`PUT ${route}`, "operation-removed")).toBeUndefined();
    expect(find(`POST ${route}`, "operation-added")).toBeUndefined();
  });

  it("reports getFilePublic and listCommandAutocompleteSuggestions as moved, not gone", () => {
    // 2023-06 has GetFilePublic under /api/v4/files/... and ListCommandAutocompleteSuggestions
    // without /api/v4; v11.6.0 has both operationIds on the other path, with the same parameters.
    expect(find("GET /files/{file_id}/public", "operation-moved")).toMatchObject({
      breaking: false,
      name: "getFilePublic",
      before: "GET /api/v4/files/{file_id}/public",
      after: "GET /files/{file_id}/public",
    });
    expect(find("GET /api/v4/teams/{team_id}/commands/autocomplete_suggestions", "operation-moved")).toMatchObject({
      breaking: false,
      name: "listCommandAutocompleteSuggestions",
      before: "GET /teams/{team_id}/commands/autocomplete_suggestions",
    });
    const gone = diff.changes.filter((change) => change.kind === "operation-removed").map((change) => change.name);
    expect(gone).not.toContain("getFilePublic");
    expect(gone).not.toContain("listCommandAutocompleteSuggestions");
  });

  it("reports the ancillary permissions GET → POST as a move that callers must adapt to", () => {
    // 2023-06: GET with query subsection_permissions (GetAncillaryPermissions); v11.6.0: only POST
    // on the same route with a string-array body (GetAncillaryPermissionsPost).
    expect(find("POST /api/v4/permissions/ancillary", "operation-moved")).toMatchObject({
      breaking: true,
      before: "GET /api/v4/permissions/ancillary",
      reason:
        "moved from `GET /api/v4/permissions/ancillary` (same route, related name, method GET → POST): callers of `getAncillaryPermissions` must call `getAncillaryPermissionsPost` instead; drop the query parameter `subsection_permissions`; pass a `body` (json)",
    });
  });

  it("reports operations added in v11.6.0", () => {
    expect(find("POST /api/v4/recaps", "operation-added")?.name).toBe("createRecap");
    expect(find("POST /api/v4/posts/{post_id}/move", "operation-added")?.name).toBe("moveThread");
    expect(find("POST /api/v4/users/login/sso/code-exchange", "operation-added")).toBeDefined();
    // 133 routes only in v11.6.0 and 17 only in 2023-06, of which 4 pairs are moves.
    expect(diff.summary.operations).toMatchObject({ added: 129, removed: 13, moved: 4 });
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

  it("finds the same moves the other way round (v11.6.0 → 2023-06)", async () => {
    const back = diffModels(await loadInput(realNew), await loadInput(realOld));
    // In the diff's order: by tag (commands, files, permissions, threads), then route.
    const moves = back.changes.filter((change) => change.kind === "operation-moved");
    expect(moves.map((change) => `${change.name}: ${change.before} → ${change.after}`)).toEqual([
      "listCommandAutocompleteSuggestions: GET /api/v4/teams/{team_id}/commands/autocomplete_suggestions → GET /teams/{team_id}/commands/autocomplete_suggestions",
      "getFilePublic: GET /files/{file_id}/public → GET /api/v4/files/{file_id}/public",
      "getAncillaryPermissions: POST /api/v4/permissions/ancillary → GET /api/v4/permissions/ancillary",
      "setThreadUnreadByPostId: POST /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id} → PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}",
    ]);
    expect(back.summary.operations).toMatchObject({ added: 13, removed: 129, moved: 4 });
  });

  it("compares the two full specs in well under a second", () => {
    expect(diffMs).toBeLessThan(1000);
  });
});
