// Hand-made specs for each edge case: what is legal but unusual generates, overlays apply or fail
// loudly when stale (test/generator/overlay-states.test.ts has every state), and fragments combine in upstream's order.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { queryJsonPath } from "../../generator/jsonpath.js";
import { generatorFailure } from "../support/generator-failure.js";

const fixtures = join(import.meta.dirname, "..", "fixtures");
const spec = (name: string): string => join(fixtures, "specs", name);

const failure = generatorFailure;

describe("legal but unusual input", () => {
  it("generates recursive schemas, operations with no success response, JSON without schema, binary and text", async () => {
    const result = await generate({ spec: spec("unusual.yaml"), overlays: false, catalog: false });
    const byName = new Map(result.model.operations.map((op) => [op.name, op]));
    expect(byName.get("pingQuietly")?.response).toMatchObject({ kind: "none", status: undefined });
    expect(byName.get("getNoSchema")?.response).toMatchObject({ kind: "json", hasSchema: false });
    expect(byName.get("downloadExport")?.response.kind).toBe("binary");
    expect(byName.get("getReadme")?.response.kind).toBe("text");
    expect(byName.get("uploadThing")?.body).toMatchObject({ kind: "multipart", required: true });
    const code = [...result.files.values()].join("\n");
    expect(code).toContain("export function pingQuietly(client: Transport, init?: CallOptions): Promise<void>");
    expect(code).toContain("export function getNoSchema(client: Transport, init?: CallOptions): Promise<unknown>");
    expect(code).toMatch(
      /export function downloadExport<A extends BinaryAs = "blob">\(client: Transport, init\?: CallOptions & \{ readonly as\?: A \}\): Promise<BinaryResult<A>>/,
    );
    expect(code).toContain('{ response: "binary" }');
    expect(code).toContain('{ body: "multipart" }');
    expect(result.files.get("types.ts")).toContain('children?: components["schemas"]["Node"][]');
  });

  it("combines a folder of fragments in order and maps lines back to each fragment", async () => {
    const result = await generate({ spec: spec("fragments"), overlays: false, catalog: false });
    expect(result.model.operations.map((op) => op.name)).toEqual(["getThing", "listThings"]);
    const warning = result.warnings.find((w) => w.kind === "undeclared-path-parameter");
    expect(warning?.locations[0]).toEqual({ file: expect.stringMatching(/fragments\/things\.yaml$/), line: 9 });
  });
});

describe("overlays", () => {
  it("applies update actions, filters included, and counts them", async () => {
    const result = await generate({ spec: spec("minimal.yaml"), overlays: join(fixtures, "overlays-ok"), catalog: false });
    expect(result.summary.overlayActions).toBe(2);
    expect(result.files.get("types.ts")).toMatch(/Thing: \{\n\s+id: string;/);
    expect(result.model.operations[0]?.deprecated).toBe(true);
  });

  it("with --strict-overlays, fails on an action whose target matches nothing, naming the overlay file and line", async () => {
    const error = await failure(
      generate({ spec: spec("minimal.yaml"), overlays: join(fixtures, "overlays-stale"), catalog: false, strictOverlays: true }),
    );
    expect(error.code).toBe("OVERLAY_STALE");
    expect(error.message).toMatch(/overlays-stale\/10-stale\.yaml:10: not in this release: this release has no route \/api\/v4\/gone/);
  });
});

describe("duplicates that cannot be merged safely", () => {
  it("is an error naming both places", async () => {
    const error = await failure(generate({ spec: spec("conflict.yaml"), overlays: false, catalog: false }));
    expect(error.code).toBe("DUPLICATE_CONFLICT");
    expect(error.message).toMatch(/conflict\.yaml:6 and .*conflict\.yaml:12/);
  });
});

// Names (camelName and the others): test/generator/naming.test.ts.
describe("paths", () => {
  it("selects JSONPath nodes, with filters and recursive descent", () => {
    const doc = { paths: { "/a": { get: { operationId: "A" }, post: { operationId: "B" } } } };
    expect(queryJsonPath(doc, "$.paths['/a'][?(@.operationId == 'B')]").map((m) => m.key)).toEqual(["post"]);
    expect(queryJsonPath(doc, "$..operationId").map((m) => m.value)).toEqual(["A", "B"]);
    expect(() => queryJsonPath(doc, "$.paths[")).toThrow(/position/);
  });
});
