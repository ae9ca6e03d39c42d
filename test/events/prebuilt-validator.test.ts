// The catalog schema compiled at build time (scripts/build-generator.mjs writes
// dist/generator/events/catalog-validator.cjs): the built generator uses it, and it judges every
// catalog exactly as ajv compiling the schema at run time does (what running from source uses).
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { load } from "js-yaml";
import { packageRoot } from "../../generator/paths.js";
import * as fromSource from "../../generator/events/schema.js";

type SchemaModule = typeof fromSource;
const built = join(packageRoot, "dist", "generator", "events");
const fromDist = (await import(pathToFileURL(join(built, "schema.js")).href)) as SchemaModule;
const fixtures = join(packageRoot, "test", "fixtures", "events");

/** The real catalog, each fixture, and a few hand-broken copies of the real catalog. */
function catalogs(): [string, unknown][] {
  const real = load(readFileSync(join(packageRoot, "spec", "websocket-events.yaml"), "utf8")) as {
    events: Record<string, unknown>[];
    actions: Record<string, unknown>[];
  };
  const broken = (name: string, change: (copy: typeof real) => void): [string, unknown] => {
    const copy = structuredClone(real);
    change(copy);
    return [name, copy];
  };
  return [
    ["spec/websocket-events.yaml", real],
    ...readdirSync(fixtures)
      .filter((name) => name.endsWith(".yaml") && name !== "bad-syntax.yaml")
      .map((name): [string, unknown] => [name, load(readFileSync(join(fixtures, name), "utf8"))]),
    broken("an event without a name", (copy) => delete copy.events[0]?.name),
    broken("a scope out of the enum", (copy) => Object.assign(copy.events[1] ?? {}, { scope: "galaxy" })),
    broken("an action with an unknown key", (copy) => Object.assign(copy.actions[0] ?? {}, { retries: 3 })),
    ["not an object", ["events"]],
  ];
}

describe("the prebuilt catalog validator", () => {
  it("was built from the schema as it is now", () => {
    const prebuilt = (
      spawnSync(process.execPath, ["-p", `require(${JSON.stringify(join(built, fromSource.PREBUILT_VALIDATOR))}).schemaSha256`], {
        encoding: "utf8",
      }).stdout ?? ""
    ).trim();
    expect(prebuilt).toBe(fromSource.schemaTextSha256(readFileSync(fromSource.catalogSchemaPath(), "utf8")));
  });

  it("gives the same verdict and the same problems as ajv compiling the schema", () => {
    const seen = new Set<boolean>();
    for (const [name, value] of catalogs()) {
      const expected = fromSource.validateCatalogShape(value);
      seen.add(expected.ok);
      expect(fromDist.validateCatalogShape(value), name).toEqual(expected);
    }
    // Both outcomes were compared.
    expect([...seen].sort()).toEqual([false, true]);
  });

  it("is what the built generator uses: a catalog is checked without loading ajv's compiler", () => {
    const script = `
      const { validateCatalogShape } = await import(${JSON.stringify(pathToFileURL(join(built, "schema.js")).href)});
      const { createRequire } = await import("node:module");
      const { readFileSync } = await import("node:fs");
      const { load } = await import("js-yaml");
      const result = validateCatalogShape(load(readFileSync("spec/websocket-events.yaml", "utf8")));
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ ok: result.ok, prebuilt: loaded.some((f) => f.endsWith("catalog-validator.cjs")), ajv: loaded.some((f) => /[\\\\/]ajv[\\\\/]dist[\\\\/]core\\.js$/.test(f)) }));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packageRoot, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, prebuilt: true, ajv: false });
  });
});
