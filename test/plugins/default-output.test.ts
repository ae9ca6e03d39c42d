// Without a config, the plugins write what the emitters wrote before plugins existed, byte for byte:
// checked against the old emit stage composed here by hand from the same emitters, on the real
// v11.6.0 spec (with its overlays and event catalog) and on a fixture without a catalog. The one
// file added since, `release.ts` (#19), is checked apart: every file that existed stays the same.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { banner } from "../../generator/emit/banner.js";
import { emitEndpoints } from "../../generator/emit/endpoints.js";
import { emitEvents } from "../../generator/emit/events.js";
import { OUTPUT_README } from "../../generator/emit/index.js";
import { decideNames } from "../../generator/naming.js";
import { schemaPrinter } from "../../generator/emit/openapi-ts.js";
import { emitOperations } from "../../generator/emit/operations.js";
import { emitRelease } from "../../generator/emit/release.js";
import { emitSchemas } from "../../generator/emit/schemas.js";
import { emitTypes } from "../../generator/emit/types.js";
import { generate, loadModel, type GenerateOptions } from "../../generator/generate.js";
import { generatorVersion } from "../../generator/paths.js";
import { spec, tempDir } from "./helpers.js";

/**
 * The emit stage without plugins, one emitter after the other (as generator/emit/index.ts was at
 * 34ee126, with today's emitter signatures; types.ts is no longer re-exported by the index).
 */
async function emitBeforePlugins(options: GenerateOptions): Promise<Map<string, string>> {
  const { spec: loaded, model, catalog, inputsSha256 } = await loadModel(options);
  const text = banner({ generatorVersion, specLocation: loaded.location, specSha256: loaded.sha256, inputsSha256 });
  const names = decideNames(model);
  const files = new Map<string, string>();
  files.set("README.md", OUTPUT_README);
  files.set("types.ts", emitTypes(loaded.document, text));
  const printer = schemaPrinter(loaded.document, names.schema);
  files.set("schemas.ts", emitSchemas(model, loaded.document, names, printer, text));
  files.set("operations.ts", emitOperations(model, text));
  for (const [name, content] of emitEndpoints(model, names, printer, text).files) files.set(name, content);
  const exports = [
    'export * from "./endpoints/index.js";',
    'export * from "./schemas.js";',
    'export { operations, type OperationInfo, type OperationName } from "./operations.js";',
  ];
  if (catalog !== undefined) {
    const events = emitEvents(catalog.catalog, { banner: text, schemaNames: new Set(names.schema.keys()), schemaAliases: names.schema });
    files.set("events.ts", events["events.ts"]);
    files.set("actions.ts", events["actions.ts"]);
    exports.push('export * from "./events.js";', 'export * from "./actions.js";');
  }
  files.set("index.ts", `${text}\n${exports.join("\n")}\n`);
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The file added since: `generatedFrom`, with the release the generator found (none for a fixture). */
async function withRelease(options: GenerateOptions, release: string | null): Promise<Map<string, string>> {
  const files = await emitBeforePlugins(options);
  const { spec: loaded, inputsSha256 } = await loadModel(options);
  const text = banner({ generatorVersion, specLocation: loaded.location, specSha256: loaded.sha256, inputsSha256 });
  files.set("release.ts", emitRelease({ release, specSha256: loaded.sha256, inputsSha256, generatorVersion }, text));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const hashes = (files: ReadonlyMap<string, string>): [string, string][] =>
  [...files].map(([name, text]) => [name, createHash("sha256").update(text).digest("hex")]);

const work = tempDir("default-output");
afterAll(() => work.remove());

describe("default output: the core plugins write today's output byte for byte", () => {
  it("on the real v11.6.0 spec, with overlays and the event catalog", async () => {
    const expected = await withRelease({}, "11.6.0");
    const actual = await generate({});
    expect(actual.files.get("release.ts")).toContain('release: "11.6.0",');
    expect([...actual.files.keys()]).toEqual([...expected.keys()]);
    expect(hashes(actual.files)).toEqual(hashes(expected));
    expect(actual.files.has("events.ts") && actual.files.has("actions.ts")).toBe(true);
    expect(actual.summary.operations).toBeGreaterThan(500);

    // The same with a config that names every core plugin: naming one only configures it.
    const config = join(work.path, "core.config.json");
    writeFileSync(
      config,
      JSON.stringify({ plugins: ["types", "schemas", "operations", "endpoints", "events", "index", "readme", "release"] }),
    );
    const configured = await generate({ config });
    expect(configured.config?.file).toBe(config);
    expect(hashes(configured.files)).toEqual(hashes(expected));
  });

  it("on a fixture without a catalog (the events plugin writes nothing)", async () => {
    const options = { spec: spec("unusual.yaml"), overlays: false, catalog: false } as const;
    const expected = await withRelease(options, null);
    const actual = await generate(options);
    expect(actual.files.has("events.ts")).toBe(false);
    expect([...actual.files]).toEqual([...expected]);
  });
});
