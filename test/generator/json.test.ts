// generator/json.ts: the object test, deep equality and JSON pointers that every stage shares,
// on small values and on the real v11.6.0 document (its routes hold `/`, `{` and `}`).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as json from "../../generator/json.js";
import { loadSpec } from "../../generator/load.js";

const v11 = join(import.meta.dirname, "..", "..", "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml");

describe("isRecord", () => {
  it("is true for objects only, not arrays or null", () => {
    expect([{}, { a: 1 }, [], null, "object", undefined].map(json.isRecord)).toEqual([true, true, false, false, false, false]);
  });
});

describe("deepEqual", () => {
  it("compares objects whatever their key order, and lists in order", () => {
    const pairs: [unknown, unknown][] = [
      [
        { a: 1, b: { c: [1, 2] } },
        { b: { c: [1, 2] }, a: 1 },
      ],
      [{ a: 1 }, { a: 1, b: undefined }],
      [{ a: undefined }, { b: undefined }],
      [
        [1, 2],
        [2, 1],
      ],
      [
        [1, 2],
        [1, 2, 3],
      ],
      [[], {}],
      [null, {}],
      ["1", 1],
    ];
    expect(pairs.map(([a, b]) => json.deepEqual(a, b))).toEqual([true, false, false, false, false, false, false, false]);
  });

  it("with scalarListsAsSets, compares lists of plain values as sets, and other lists in order", () => {
    const pairs: [unknown, unknown][] = [
      [{ required: ["id", "name"] }, { required: ["name", "id"] }],
      [
        ["a", "b"],
        ["a", "c"],
      ],
      [["a", "b"], ["a"]],
      [
        [{ a: 1 }, { b: 2 }],
        [{ b: 2 }, { a: 1 }],
      ],
      [[{ enum: [1, 2] }], [{ enum: [2, 1] }]],
    ];
    expect(pairs.map(([a, b]) => json.deepEqual(a, b, { scalarListsAsSets: true }))).toEqual([true, false, false, false, true]);
  });
});

describe("JSON pointers", () => {
  it("escapes ~ and / in a segment, and back", () => {
    expect(json.escapePointerSegment("/api/v4/users/{user_id}")).toBe("~1api~1v4~1users~1{user_id}");
    expect(json.escapePointerSegment("a~/b")).toBe("a~0~1b");
    expect(json.unescapePointerSegment("a~0~1b")).toBe("a~/b");
    // ~01 is an escaped ~ followed by 1, not a /.
    expect(json.unescapePointerSegment("~01")).toBe("~1");
    for (const key of ["~1", "a/b/c", "~", "plain"]) expect(json.unescapePointerSegment(json.escapePointerSegment(key))).toBe(key);
  });

  it("reads a $ref segment URI-decoded, then unescaped", () => {
    expect(json.refSegmentKey("~1api~1v4~1users~1%7Buser_id%7D")).toBe("/api/v4/users/{user_id}");
    expect(json.refSegmentKey("a%20b")).toBe("a b");
    expect(json.schemaPointer("Team/Member")).toBe("#/components/schemas/Team~1Member");
  });

  it("resolves own keys and array indexes, nothing else", () => {
    const document = { components: { schemas: { "a/b": { type: "string" }, list: [{ x: 1 }] } } };
    const refs = ["a~1b", "list/0/x", "list/first", "missing", "toString"].map((ref) => `#/components/schemas/${ref}`);
    expect(refs.map((ref) => json.resolvePointer(document, ref))).toEqual([{ type: "string" }, 1, undefined, undefined, undefined]);
    expect(json.resolvePointer(document, "other.yaml#/components")).toBeUndefined();
  });

  it("reads a path of keys", () => {
    const paths: (string | number)[][] = [["a", 0, "b"], ["a", "0", "b"], ["a", 0, "b", "c"], []];
    expect(paths.map((path) => json.readPath({ a: [{ b: 2 }] }, path))).toEqual([2, 2, undefined, { a: [{ b: 2 }] }]);
  });
});

describe("on the real v11.6.0 document", () => {
  let document: Record<string, unknown>;
  beforeAll(async () => {
    document = (await loadSpec(v11)).document;
  });

  it("resolves every route through an escaped pointer, and every schema through schemaPointer", () => {
    const paths = document.paths as Record<string, unknown>;
    const routes = Object.keys(paths);
    expect(routes.length).toBeGreaterThan(400);
    for (const route of routes) expect(json.resolvePointer(document, `#/paths/${json.escapePointerSegment(route)}`)).toBe(paths[route]);
    const schemas = json.readPath(document, ["components", "schemas"]) as Record<string, unknown>;
    for (const name of Object.keys(schemas)) expect(json.resolvePointer(document, json.schemaPointer(name))).toBe(schemas[name]);
    expect(json.resolvePointer(document, "#/paths/~1api~1v4~1users~1%7Buser_id%7D/get/operationId")).toBe("GetUser");
  });
});
