// Each kind of change on a small hand-made pair (test/fixtures/diff/old.yaml → new.yaml).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffModels, routeKey } from "../../generator/diff/compare.js";
import type { ApiDiff, Change } from "../../generator/diff/types.js";
import { fixtures, loadInput } from "./support.js";

let diff: ApiDiff;

beforeAll(async () => {
  diff = diffModels(await loadInput(join(fixtures, "old.yaml")), await loadInput(join(fixtures, "new.yaml")));
});

function find(subject: string, kind: Change["kind"], at?: string): Change | undefined {
  return diff.changes.find((change) => change.subject === subject && change.kind === kind && (at === undefined || change.at === at));
}

describe("operations", () => {
  it("keys operations by method and route with positional path parameters", () => {
    expect(routeKey("get", "/api/v4/widgets/{widget_id}")).toBe("GET /api/v4/widgets/{}");
  });

  it("reports added and removed operations", () => {
    expect(find("GET /api/v4/gadgets/{gadget_id}/usage", "operation-added")).toMatchObject({
      breaking: false,
      name: "getGadgetUsage",
      group: "gadgets",
    });
    expect(find("GET /api/v4/gadgets/{gadget_id}/stats", "operation-removed")).toMatchObject({ breaking: true, name: "getGadgetStats" });
    expect(diff.summary.operations).toMatchObject({ added: 1, removed: 1, renamed: 1, deprecated: 1 });
  });

  it("reports a renamed path parameter as a parameter change, not a removal", () => {
    expect(find("GET /api/v4/widgets/{id}", "parameter-renamed")).toMatchObject({
      breaking: true,
      before: "widget_id",
      after: "id",
      at: "path.id",
    });
    expect(diff.changes.filter((change) => change.subject.includes("{widget_id}"))).toEqual([]);
    expect(find("GET /api/v4/widgets/{id}", "parameter-removed")).toBeUndefined();
  });

  it("reports a renamed operationId on the same route as a breaking rename", () => {
    expect(find("DELETE /api/v4/widgets/{id}", "operation-renamed")).toMatchObject({
      breaking: true,
      before: "RemoveWidget",
      after: "DeleteWidget",
      name: "deleteWidget",
    });
    expect(find("DELETE /api/v4/widgets/{id}", "operation-removed")).toBeUndefined();
  });

  it("classifies parameter changes", () => {
    const list = "GET /api/v4/widgets";
    expect(find(list, "parameter-removed", "query.legacy_filter")?.breaking).toBe(true);
    expect(find(list, "parameter-added", "query.team_id")?.breaking).toBe(true);
    expect(find(list, "parameter-added", "query.per_page")?.breaking).toBe(false);
    expect(find(list, "parameter-optional", "query.sort")?.breaking).toBe(false);
    expect(find(list, "type-changed", "query.page")).toMatchObject({ breaking: true, before: "number", after: "string" });
    expect(find(list, "operation-deprecated")?.breaking).toBe(false);
  });

  it("classifies request body changes", () => {
    const create = "POST /api/v4/widgets";
    expect(find(create, "field-required", "body.name")?.breaking).toBe(true);
    expect(find(create, "field-removed", "body.size")?.breaking).toBe(true);
    expect(find(create, "field-added", "body.owner_id")?.breaking).toBe(false);
    expect(find(create, "enum-values-removed", "body.color")).toMatchObject({ breaking: true, before: '"green"' });
    expect(find(create, "enum-values-added", "body.color")).toMatchObject({ breaking: false, after: '"purple"' });
  });

  it("follows $refs to differently named schemas and compares them structurally", () => {
    expect(find("GET /api/v4/widgets/{id}", "type-changed", "response.label")).toMatchObject({
      breaking: true,
      before: "string",
      after: "number",
    });
    expect(find("GET /api/v4/widgets/{id}", "field-removed")).toBeUndefined();
  });

  it("leaves a shared named schema's changes to the schema section", () => {
    expect(diff.changes.filter((change) => change.section === "operations" && change.at?.startsWith("response[]"))).toEqual([]);
  });
});

describe("schemas", () => {
  it("reports added, removed and changed schemas field by field", () => {
    expect(find("Cog", "schema-added")?.breaking).toBe(false);
    expect(find("Sprocket", "schema-removed")?.breaking).toBe(true);
    expect(find("Widget", "type-changed", "archived")).toMatchObject({ breaking: true, before: "boolean", after: "string" });
    expect(find("Widget", "field-required", "name")?.breaking).toBe(true);
    expect(find("Widget", "field-added", "tags")?.breaking).toBe(false);
    expect(find("Widget", "enum-values-removed", "state")?.breaking).toBe(true);
    expect(find("Widget", "enum-values-added", "state")?.breaking).toBe(false);
  });

  it("treats integer and number as the same TypeScript type", () => {
    expect(find("Widget", "type-changed", "weight")).toBeUndefined();
  });

  it("ends on a recursive schema (Widget.parent → Widget)", () => {
    expect(diff.changes.some((change) => change.at?.startsWith("parent"))).toBe(false);
  });
});

describe("the whole diff", () => {
  it("is sorted and deterministic", async () => {
    const again = diffModels(await loadInput(join(fixtures, "old.yaml")), await loadInput(join(fixtures, "new.yaml")));
    expect(again).toEqual(diff);
    expect(diff.version).toBe(1);
    expect(diff.summary.breaking).toBe(diff.changes.filter((change) => change.breaking).length);
  });

  it("finds nothing between a spec and itself", async () => {
    const same = await loadInput(join(fixtures, "new.yaml"));
    expect(diffModels(same, same).changes).toEqual([]);
  });

  it("gives every change a one-line reason", () => {
    for (const change of diff.changes) expect(change.reason).toMatch(/^[^\n]+$/);
  });
});
