// WebSocket catalog differences, on catalogs built in the test (the comparison is pure).
import { describe, expect, it } from "vitest";
import { diffCatalogs } from "../../generator/diff/catalog.js";
import type { Catalog, CatalogField, CatalogEvent, TypeSpec } from "../../generator/events/types.js";

const str: TypeSpec = { kind: "primitive", type: "string", array: false, nullable: false };
const num: TypeSpec = { kind: "primitive", type: "number", array: false, nullable: false };
const field = (name: string, type: TypeSpec, optional = false): CatalogField => ({ name, type, optional, per_recipient: false });
const event = (name: string, data: CatalogField[] | "unknown"): CatalogEvent => ({
  name,
  description: "d",
  scope: "channel",
  emitted: true,
  data,
  variants: [],
});
const catalog = (parts: Partial<Catalog>): Catalog => ({
  file: "c.yaml",
  server_version: "1",
  events: [],
  actions: [],
  shapes: [],
  ...parts,
});

describe("diffCatalogs", () => {
  const before = catalog({
    events: [event("gone", []), event("posted", [field("channel_id", str), field("count", num), field("mentions", str, true)])],
    actions: [{ name: "user_typing", description: "d", requires_auth: true, request: [field("channel_id", str)], reply: null }],
  });
  const after = catalog({
    events: [
      event("fresh", []),
      event("posted", [field("channel_id", str, true), field("count", str), field("mentions", str), field("team_id", str)]),
    ],
    actions: [
      {
        name: "user_typing",
        description: "d",
        requires_auth: true,
        request: [field("channel_id", str), field("parent_id", str)],
        reply: null,
      },
    ],
  });
  const changes = diffCatalogs(before, after);
  const find = (subject: string, kind: string, at?: string) =>
    changes.find((c) => c.subject === subject && c.kind === kind && (at === undefined || c.at === at));

  it("reports events added and removed", () => {
    expect(find("fresh", "event-added")).toMatchObject({ section: "events", breaking: false });
    expect(find("gone", "event-removed")).toMatchObject({ section: "events", breaking: true });
  });

  it("classifies event data keys as read by consumers", () => {
    expect(find("posted", "field-optional", "data.channel_id")?.breaking).toBe(true);
    expect(find("posted", "field-required", "data.mentions")?.breaking).toBe(false);
    expect(find("posted", "type-changed", "data.count")).toMatchObject({ breaking: true, before: "number", after: "string" });
    expect(find("posted", "field-added", "data.team_id")?.breaking).toBe(false);
  });

  it("classifies action request keys as built by consumers", () => {
    expect(find("user_typing", "field-added", "request.parent_id")).toMatchObject({ section: "actions", breaking: true });
  });

  it("finds nothing between a catalog and itself", () => {
    expect(diffCatalogs(after, after)).toEqual([]);
  });
});
