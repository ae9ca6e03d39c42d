// generated/ compiles under strict settings with TypeScript 5.9 and the native TypeScript 7
// compiler, together with test/types/*.ts, whose @ts-expect-error lines prove the types bite.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";

function compile(bin: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(packageRoot, "node_modules", bin), "-p", "tsconfig.generated.json"], { cwd: packageRoot, encoding: "utf8" });
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

describe("the whole project type-checks (generator, runtime, generated, tests, scripts, examples)", () => {
  it("with TypeScript 5.9 and tsconfig.json (strict; @ts-expect-error lines in tests must hold)", () => {
    const result = spawnSync(process.execPath, [join(packageRoot, "node_modules", "typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: packageRoot, encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  }, 120_000);
});
