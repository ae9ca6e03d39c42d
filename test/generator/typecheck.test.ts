// generated/ compiles under strict settings with TypeScript 5.9 and the native TypeScript 7
// compiler, together with test/types/*.ts, whose @ts-expect-error lines prove the types bite.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";
import { writeOutput } from "../../generator/write.js";
import { realOld } from "../diff/support.js";

function compile(bin: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(packageRoot, "node_modules", bin), "-p", "tsconfig.generated.json"], {
    cwd: packageRoot,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("generated code type-checks", () => {
  it("with TypeScript 5.9 (tsc --noEmit, strict)", () => {
    const { status, output } = compile("typescript/bin/tsc");
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it("with the native TypeScript 7 compiler (tsgo)", () => {
    const { status, output } = compile("@typescript/native-preview/bin/tsgo");
    expect(output).toBe("");
    expect(status).toBe(0);
  });
});

describe("the 2023-06 spec's output type-checks too", () => {
  const dir = mkdtempSync(join(tmpdir(), "mmt-typecheck-2023-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("with the native TypeScript 7 compiler (schemas and inline bodies printed standalone)", async () => {
    const result = await generate({ spec: realOld, overlays: false, catalog: false });
    writeOutput(join(dir, "generated"), result.files);
    mkdirSync(join(dir, "runtime"));
    copyFileSync(join(packageRoot, "runtime", "transport.ts"), join(dir, "runtime", "transport.ts"));
    // Request bodies that take file contents are typed with the runtime's BinaryInput.
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: join(packageRoot, "tsconfig.base.json"),
        compilerOptions: { noEmit: true, types: [] },
        include: ["generated/**/*.ts", "runtime/transport.ts"],
      }),
    );
    const compiled = spawnSync(
      process.execPath,
      [join(packageRoot, "node_modules", "@typescript/native-preview/bin/tsgo"), "-p", "tsconfig.json"],
      { cwd: dir, encoding: "utf8" },
    );
    expect(`${compiled.stdout}${compiled.stderr}`).toBe("");
    expect(compiled.status).toBe(0);
  }, 60_000);
});

describe("the whole project type-checks (generator, runtime, generated, tests, scripts, examples)", () => {
  it("with TypeScript 5.9 and tsconfig.json (strict; @ts-expect-error lines in tests must hold)", () => {
    const result = spawnSync(process.execPath, [join(packageRoot, "node_modules", "typescript/bin/tsc"), "-p", "tsconfig.json"], {
      cwd: packageRoot,
      encoding: "utf8",
    });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  }, 120_000);
});
