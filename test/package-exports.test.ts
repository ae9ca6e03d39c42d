// Every entry of package.json's `exports` has types, an import and a default, built from a source file
// that exists (dist/X.d.ts and dist/X.js come from X.ts), so a published entry cannot point at nothing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, unknown> };
const entries = Object.entries(manifest.exports).filter(([name]) => name !== "./package.json");

/** The source of a built file, with `*` replaced by one real value (an endpoint file for ./endpoints/*). */
const sourceOf = (built: string): string =>
  join(
    root,
    built
      .replace(/^\.\/dist\//, "")
      .replace("*", "posts")
      .replace(/\.d\.ts$|\.js$/, ".ts"),
  );

describe("package.json exports", () => {
  it.each(entries)("%s has types and an import built from an existing source", (_name, target) => {
    const { types, import: esm, default: fallback } = target as { types?: string; import?: string; default?: string };
    expect(types).toMatch(/^\.\/dist\/.+\.d\.ts$/);
    expect(esm).toMatch(/^\.\/dist\/.+\.js$/);
    // `default` (the same ES module) lets CommonJS code require() it on Node 20.19 and later.
    expect(fallback).toBe(esm);
    expect(Object.keys(target as object)).toEqual(["types", "import", "default"]);
    expect(sourceOf(types ?? "")).toBe(sourceOf(esm ?? ""));
    expect(existsSync(sourceOf(types ?? "")), sourceOf(types ?? "")).toBe(true);
  });

  it("maps every subpath in typesVersions to its types, for TypeScript's older node10 resolution (no exports)", () => {
    const { typesVersions } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      typesVersions: Record<string, Record<string, string[]>>;
    };
    const expected = Object.fromEntries(
      entries
        .filter(([name]) => name !== ".")
        .map(([name, target]) => [name.slice(2), [(target as { types: string }).types]])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect(Object.keys(typesVersions)).toEqual(["*"]);
    expect(typesVersions["*"]).toEqual(expected);
  });

  it("offers one entry per endpoint file, the schemas and openapi-typescript's types apart from the barrel", () => {
    expect(Object.keys(manifest.exports)).toEqual(expect.arrayContaining(["./generated", "./endpoints/*", "./schemas", "./openapi-types"]));
    const index = readFileSync(join(root, "generated", "index.ts"), "utf8");
    // The barrel does not pull in types.ts: a program importing one function must not parse it.
    expect(index).not.toContain("./types.js");
    const files = [
      "schemas.ts",
      "events.ts",
      "actions.ts",
      "operations.ts",
      ...readdirSync(join(root, "generated", "endpoints")).map((file) => `endpoints/${file}`),
    ];
    const importers = files.filter((file) => /from "\.\.?\/types\.js"/.test(readFileSync(join(root, "generated", file), "utf8")));
    expect(importers).toEqual([]);
  });
});

describe("the release check in the entries", () => {
  it("`mattermost-typed` and `mattermost-typed/full` export checkServer, checkServerVersion and generatedFrom", async () => {
    for (const entry of ["../runtime/index.js", "../runtime/full.js"]) {
      const module = (await import(entry)) as Record<string, unknown>;
      expect(typeof module.checkServer, entry).toBe("function");
      expect(typeof module.checkServerVersion, entry).toBe("function");
      expect(module.generatedFrom, entry).toMatchObject({
        release: expect.stringMatching(/^\d+\.\d+\.\d+$/),
        specSha256: expect.any(String),
      });
    }
  });
});
