// generator/json.ts: the object test, deep equality and JSON pointers that every stage shares,
// on small values and on the real v11.6.0 document (its routes hold `/`, `{` and `}`).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  deepEqual,
  escapePointerSegment,
  isRecord,
  readPath,
  refSegmentKey,
  resolvePointer,
  schemaPointer,
  unescapePointerSegment,
} from "../../generator/json.js";
import { loadSpec } from "../../generator/load.js";

const v11 = join(import.meta.dirname, "..", "..", "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml");

describe("isRecord", () => {
  it("is true for objects only, not arrays or null", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord("object")).toBe(false);
    expect(isRecord(undefined)).toBe(false);
  });
});

describe("deepEqual", () => {
  it("compares objects whatever their key order, and lists in order", () => {
    expect(deepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual("1", 1)).toBe(false);
  });

  it("with scalarListsAsSets, compares lists of plain values as sets, and other lists in order", () => {
    const options = { scalarListsAsSets: true };
    expect(deepEqual({ required: ["id", "name"] }, { required: ["name", "id"] }, options)).toBe(true);
    expect(deepEqual(["a", "b"], ["a", "c"], options)).toBe(false);
    expect(deepEqual(["a", "b"], ["a"], options)).toBe(false);
    expect(deepEqual([{ a: 1 }, { b: 2 }], [{ b: 2 }, { a: 1 }], options)).toBe(false);
    expect(deepEqual([{ enum: [1, 2] }], [{ enum: [2, 1] }], options)).toBe(true);
  });
});

describe("JSON pointers", () => {
  it("escapes ~ and / in a segment, and back", () => {
    expect(escapePointerSegment("/api/v4/users/{user_id}")).toBe("~1api~1v4~1users~1{user_id}");
    expect(escapePointerSegment("a~/b")).toBe("a~0~1b");
    expect(unescapePointerSegment("a~0~1b")).toBe("a~/b");
    // ~01 is an escaped ~ followed by 1, not a /.
    expect(unescapePointerSegment("~01")).toBe("~1");
    for (const key of ["~1", "a/b/c", "~", "plain"]) expect(unescapePointerSegment(escapePointerSegment(key))).toBe(key);
  });

  it("reads a $ref segment URI-decoded, then unescaped", () => {
    expect(refSegmentKey("~1api~1v4~1users~1%7Buser_id%7D")).toBe("/api/v4/users/{user_id}");
    expect(refSegmentKey("a%20b")).toBe("a b");
    expect(schemaPointer("Team/Member")).toBe("#/components/schemas/Team~1Member");
  });

  it("resolves own keys and array indexes, nothing else", () => {
    const document = { components: { schemas: { "a/b": { type: "string" }, list: [{ x: 1 }] } } };
    expect(resolvePointer(document, "#/components/schemas/a~1b")).toEqual({ type: "string" });
    expect(resolvePointer(document, "#/components/schemas/list/0/x")).toBe(1);
    expect(resolvePointer(document, "#/components/schemas/list/first")).toBeUndefined();
    expect(resolvePointer(document, "#/components/schemas/missing")).toBeUndefined();
    expect(resolvePointer(document, "#/components/schemas/toString")).toBeUndefined();
    expect(resolvePointer(document, "other.yaml#/components")).toBeUndefined();
  });

  it("reads a path of keys", () => {
    expect(readPath({ a: [{ b: 2 }] }, ["a", 0, "b"])).toBe(2);
    expect(readPath({ a: [{ b: 2 }] }, ["a", "0", "b"])).toBe(2);
    expect(readPath({ a: 1 }, ["a", "b"])).toBeUndefined();
    expect(readPath({ a: 1 }, [])).toEqual({ a: 1 });
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
    for (const route of routes) expect(resolvePointer(document, `#/paths/${escapePointerSegment(route)}`)).toBe(paths[route]);
    const schemas = readPath(document, ["components", "schemas"]) as Record<string, unknown>;
    for (const name of Object.keys(schemas)) expect(resolvePointer(document, schemaPointer(name))).toBe(schemas[name]);
    expect(resolvePointer(document, "#/paths/~1api~1v4~1users~1%7Buser_id%7D/get/operationId")).toBe("GetUser");
  });
});
