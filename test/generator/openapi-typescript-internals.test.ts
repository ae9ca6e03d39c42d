// openapi-typescript is used through its internal modules (generator/emit/openapi-ts.ts), so it is
// pinned to one exact version, and a check names what moved when another version is installed.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkOpenApiTypescriptInternals, OPENAPI_TYPESCRIPT_VERSION } from "../../generator/emit/openapi-ts.js";
import { GeneratorError } from "../../generator/errors.js";
import { tempDir } from "../plugins/helpers.js";

const root = join(import.meta.dirname, "..", "..");
const work = tempDir("openapi-ts-internals");
afterAll(() => work.remove());

describe("openapi-typescript internals", () => {
  it("package.json pins the exact version the generator is written against, and that version is installed", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["openapi-typescript"]).toBe(OPENAPI_TYPESCRIPT_VERSION);
    const installed = JSON.parse(readFileSync(join(root, "node_modules", "openapi-typescript", "package.json"), "utf8")) as {
      version: string;
    };
    expect(installed.version).toBe(OPENAPI_TYPESCRIPT_VERSION);
    expect(() => checkOpenApiTypescriptInternals()).not.toThrow();
  });

  it("a version whose internals moved fails with the version, the file, the export and what to do", () => {
    // A stand-in package: one module lost an export, one is gone, the others are as in 7.13.0.
    const pkg = join(work.path, "node_modules", "openapi-typescript");
    mkdirSync(join(pkg, "dist", "lib"), { recursive: true });
    mkdirSync(join(pkg, "dist", "transform"), { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "openapi-typescript", version: "8.0.0" }));
    writeFileSync(join(pkg, "dist", "lib", "ts.cjs"), "exports.astToString = () => '';\n");
    writeFileSync(join(pkg, "dist", "lib", "utils.cjs"), "exports.resolveRef = () => undefined;\n");
    writeFileSync(join(pkg, "dist", "transform", "index.cjs"), "module.exports = function transformSchema() {};\n");
    let caught: unknown;
    try {
      checkOpenApiTypescriptInternals(pathToFileURL(join(work.path, "index.mjs")).href);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GeneratorError);
    const error = caught as GeneratorError;
    expect(error.message).toMatch(/^openapi-typescript 8\.0\.0 does not have the internals this generator uses: /);
    expect(error.message).toContain("dist/lib/utils.cjs no longer exports the function scanDiscriminators");
    expect(error.message).toContain("dist/transform/schema-object.cjs cannot be loaded");
    expect(error.message).not.toContain("astToString");
    expect(error.hint).toContain(`openapi-typescript ${OPENAPI_TYPESCRIPT_VERSION}`);
  });
});
