// Moved operations on a small hand-made pair (test/fixtures/diff/moves-old.yaml → moves-new.yaml):
// each way of pairing a removal with an addition, and the pairs that must not be made.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffModels } from "../../generator/diff/compare.js";
import { formatText } from "../../generator/diff/format.js";
import type { ApiDiff, Change } from "../../generator/diff/types.js";
import { fixtures, loadInput } from "./support.js";

let diff: ApiDiff;

beforeAll(async () => {
  diff = diffModels(await loadInput(join(fixtures, "moves-old.yaml")), await loadInput(join(fixtures, "moves-new.yaml")));
});

const find = (subject: string, kind: Change["kind"]): Change | undefined =>
  diff.changes.find((change) => change.subject === subject && change.kind === kind);

describe("moved operations", () => {
  it("pairs the same operationId on another route, and says calls need no change", () => {
    expect(find("GET /widgets/{widget_id}/public", "operation-moved")).toEqual({
      section: "operations",
      kind: "operation-moved",
      breaking: false,
      group: "widgets",
      subject: "GET /widgets/{widget_id}/public",
      name: "getWidgetPublic",
      before: "GET /api/v4/widgets/{widget_id}/public",
      after: "GET /widgets/{widget_id}/public",
      reason:
        "moved from `GET /api/v4/widgets/{widget_id}/public` (same operationId): the function `getWidgetPublic` keeps its name and arguments, so calls need no change (regenerate to call the new route)",
    });
    expect(diff.changes.filter((change) => change.subject.includes("/public") && change.kind !== "operation-moved")).toEqual([]);
  });

  it("matches path parameters by name when a move reorders them", () => {
    const subject = "GET /api/v4/users/{user_id}/teams/{team_id}/widgets";
    expect(find(subject, "operation-moved")?.breaking).toBe(false);
    expect(diff.changes.filter((change) => change.subject === subject).map((change) => change.kind)).toEqual(["operation-moved"]);
  });

  it("pairs the same function name under another operationId, with the renamed path parameter", () => {
    const subject = "GET /api/v4/widgets/{id}/statistics";
    expect(find(subject, "operation-moved")).toMatchObject({
      breaking: true,
      before: "GET /api/v4/widgets/{widget_id}/stats",
      reason: expect.stringContaining("(same function name): callers of `getWidgetStats` must pass `id` instead of `widget_id`"),
    });
    expect(find(subject, "parameter-renamed")).toMatchObject({ before: "widget_id", after: "id", breaking: true });
    expect(find(subject, "operation-renamed")).toMatchObject({ before: "get_widget_stats", after: "GetWidgetStats", breaking: false });
  });

  it("pairs a method change on one route when one name extends the other, listing what callers change", () => {
    const subject = "POST /api/v4/widgets/{widget_id}/colors";
    expect(find(subject, "operation-moved")).toMatchObject({
      breaking: true,
      before: "GET /api/v4/widgets/{widget_id}/colors",
      reason:
        "moved from `GET /api/v4/widgets/{widget_id}/colors` (same route, related name, method GET → POST): callers of `listWidgetColors` must call `listWidgetColorsPost` instead; drop the query parameter `names`; pass a `body` (json)",
    });
    expect(find("GET /api/v4/widgets/{widget_id}/colors", "operation-removed")).toBeUndefined();
  });

  it("does not pair unrelated names on one route (unpin went, pin came)", () => {
    expect(find("DELETE /api/v4/widgets/{widget_id}/pin", "operation-removed")?.name).toBe("unpinWidget");
    expect(find("POST /api/v4/widgets/{widget_id}/pin", "operation-added")?.name).toBe("pinWidget");
  });

  it("does not pair when a route lost two operations and gained two", () => {
    for (const method of ["GET", "DELETE"]) expect(find(`${method} /api/v4/widgets/{widget_id}/tags`, "operation-removed")).toBeDefined();
    for (const method of ["PUT", "POST"]) expect(find(`${method} /api/v4/widgets/{widget_id}/tags`, "operation-added")).toBeDefined();
  });

  it("counts moves apart from additions, removals and changes", () => {
    expect(diff.summary.operations).toEqual({ added: 3, removed: 3, changed: 2, renamed: 2, moved: 4, deprecated: 0 });
  });

  it("lists the moves that break nothing in the text summary too", () => {
    const text = formatText(diff);
    expect(text).toContain("4 moved");
    expect(text).toContain(
      "moved:\n  GET /api/v4/users/{user_id}/teams/{team_id}/widgets (getMemberWidgets): moved from GET /api/v4/teams/{team_id}/members/{user_id}/widgets",
    );
  });
});
