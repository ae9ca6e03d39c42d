// etc/api/*.api.md is API Extractor's report of each hand-written entry point (scripts/api-report.mjs),
// committed so that a change to what users import shows in review. `npm run api:report -- --check`
// fails when the code and the report differ; this runs it, and shows that it does fail.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";

// @ts-expect-error: a plain JavaScript module without declarations.
const script = (await import("../../scripts/api-report.mjs")) as { entries: { name: string; subpath: string }[] };

const work = mkdtempSync(join(tmpdir(), "mmt-api-report-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function check(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const run = await promisify(execFile)(process.execPath, [join(packageRoot, "scripts", "api-report.mjs"), "--check", ...extra], {
      cwd: packageRoot,
      encoding: "utf8",
    });
    return { code: 0, stdout: run.stdout, stderr: run.stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("etc/api (API Extractor)", () => {
  const reports = join(packageRoot, "etc", "api");

  it("has one report per hand-written entry of package.json `exports`, and no other file", () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { exports: Record<string, unknown> };
    // The generated entries follow the spec; the output snapshot pins them, not a report.
    const generated = ["./generated", "./endpoints/*", "./schemas", "./openapi-types", "./package.json"];
    const handWritten = Object.keys(pkg.exports).filter((subpath) => !generated.includes(subpath));
    expect(script.entries.map((entry) => entry.subpath).sort()).toEqual(handWritten.sort());
    expect(readdirSync(reports).sort()).toEqual(script.entries.map((entry) => `${entry.name}.api.md`).sort());
  });

  it("names a declaration re-exported from generated/ without spelling out its spec-derived signature", () => {
    const runtime = readFileSync(join(reports, "runtime.api.md"), "utf8");
    expect(runtime).toContain("export { getMe }");
    expect(runtime).not.toMatch(/^export function getMe/m);
    expect(runtime).toMatch(/^export function createClient\(options: ClientOptions\): Client;$/m);
    expect(runtime).not.toMatch(/\.cache\//);
  });

  it("`npm run api:report -- --check` agrees with the committed reports, and fails naming an entry whose report differs", async () => {
    // A committed report that no longer matches the code: a copy with one signature removed.
    const tampered = join(work, "api");
    cpSync(reports, tampered, { recursive: true });
    const socket = join(tampered, "socket.api.md");
    const text = readFileSync(socket, "utf8");
    const without = text.replace(/^export function createMattermostSocket\(.*\n/m, "");
    expect(without).not.toBe(text);
    writeFileSync(socket, without);

    const [clean, stale] = await Promise.all([check(), check("--reports", tampered)]);
    expect(clean.stderr).toBe("");
    expect(clean.stdout).toBe(`etc/api is up to date (${script.entries.length} entry points).\n`);
    expect(clean.code).toBe(0);

    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("socket.api.md (mattermost-typed/socket)");
    expect(stale.stderr).not.toContain("runtime.api.md");
    expect(stale.stderr).toContain("Run `npm run api:report`");
    // --check writes nothing.
    expect(readFileSync(socket, "utf8")).toBe(without);
  }, 300_000);
});
