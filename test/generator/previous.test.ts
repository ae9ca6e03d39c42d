// `generate` ends with what changed in the API since the previous output, read from its banner.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { banner } from "../../generator/emit/banner.js";
import { packageRoot } from "../../generator/paths.js";
import { compareWithPrevious, formatPreviousComparison } from "../../generator/previous.js";
import { runCli } from "../support/cli.js";

const pair = join(packageRoot, "test", "fixtures", "diff");
const shared = join(packageRoot, "..", "shared", "mattermost-api");

const run = (args: string[], cwd: string) => runCli(args, { cwd });

const generate = (spec: string, cwd: string, ...extra: string[]) =>
  run(["generate", "--spec", spec, "--out", "out", "--no-overlays", "--no-catalog", ...extra], cwd);

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "mmt-previous-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  copyFileSync(join(pair, "old.yaml"), join(dir, "old.yaml"));
  copyFileSync(join(pair, "new.yaml"), join(dir, "new.yaml"));
  return dir;
}

describe("generate over a previous output", () => {
  it("ends with the counts and the breaking changes, the same the diff command finds", async () => {
    const dir = project("upgrade");
    expect((await generate("old.yaml", dir, "--quiet")).code).toBe(0);
    const upgrade = await generate("new.yaml", dir);
    expect(upgrade.code).toBe(0);
    const diff = JSON.parse((await run(["diff", "old.yaml", "new.yaml", "--format", "json"], dir)).stdout) as {
      summary: { breaking: number; operations: { added: number; removed: number; renamed: number } };
    };
    const line = upgrade.stdout.split("\n").find((text) => text.startsWith("changes since the previous output"));
    expect(line).toBe(
      `changes since the previous output (old.yaml → new.yaml): ${diff.summary.operations.added} operations added, ${diff.summary.operations.removed} operations removed, ${diff.summary.operations.renamed} operations renamed, 4 operations changed, 2 schemas added, 2 schemas removed, 1 schemas changed; ${diff.summary.breaking} breaking:`,
    );
    // The rename is reported as one, with the old and new function names.
    expect(upgrade.stdout).toContain("operationId RemoveWidget is now DeleteWidget");
    expect(upgrade.stdout).toContain("full report: mattermost-typed diff old.yaml new.yaml --format markdown");
  });

  it("finds the previous spec when run from another folder, and shows both specs from there", async () => {
    const dir = project("elsewhere");
    const sub = join(dir, "tools");
    mkdirSync(sub);
    expect((await generate("old.yaml", dir, "--quiet")).code).toBe(0);
    // The banner names the spec from the output folder's parent, not from where generate ran.
    expect(readFileSync(join(dir, "out", "index.ts"), "utf8")).toContain(" * Spec: old.yaml (sha256 ");
    const upgrade = await run(["generate", "--spec", "../new.yaml", "--out", "../out", "--no-overlays", "--no-catalog"], sub);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain("changes since the previous output (../old.yaml → ../new.yaml): ");
    expect(readFileSync(join(dir, "out", "index.ts"), "utf8")).toContain(" * Spec: new.yaml (sha256 ");
    renameSync(join(dir, "new.yaml"), join(dir, "moved.yaml"));
    const gone = await run(["generate", "--spec", "../old.yaml", "--out", "../out", "--no-overlays", "--no-catalog"], sub);
    expect(gone.stdout).toContain("unknown (its spec ../new.yaml cannot be read: it is no longer there)");
  });

  it("says nothing when the spec did not change, or with --no-diff", async () => {
    const dir = project("same");
    await generate("old.yaml", dir, "--quiet");
    expect((await generate("old.yaml", dir)).stdout).not.toContain("changes since");
    rmSync(join(dir, "out"), { recursive: true });
    await generate("old.yaml", dir, "--quiet");
    expect((await generate("new.yaml", dir, "--no-diff")).stdout).not.toContain("changes since");
  });

  it("reports the comparison in --json", async () => {
    const dir = project("json");
    await generate("old.yaml", dir, "--quiet");
    const result = await generate("new.yaml", dir, "--json");
    const summary = JSON.parse(result.stdout) as { previous: { kind: string; summary: { breaking: number }; breaking: unknown[] } };
    expect(summary.previous.kind).toBe("diff");
    expect(summary.previous.breaking).toHaveLength(summary.previous.summary.breaking);
  });

  it("says when the previous spec is gone or was edited in place, and still generates", async () => {
    const dir = project("gone");
    await generate("old.yaml", dir, "--quiet");
    renameSync(join(dir, "old.yaml"), join(dir, "moved.yaml"));
    const gone = await generate("new.yaml", dir);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toContain("changes since the previous output: unknown (its spec old.yaml cannot be read: it is no longer there)");

    const edited = project("edited");
    await generate("old.yaml", edited, "--quiet");
    writeFileSync(join(edited, "old.yaml"), `${readFileSync(join(edited, "old.yaml"), "utf8")}\n# edited\n`);
    const result = await generate("new.yaml", edited);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("its spec old.yaml was changed in place since");
  });
});

describe("on the real 2023-06 → v11.6.0 upgrade", () => {
  it("finds the operations added, removed and renamed between the releases", async () => {
    const oldSpec = join(shared, "2023-06", "mattermost-openapi-v4.yaml");
    const newSpec = join(shared, "v11.6.0", "mattermost-openapi-v4.yaml");
    const out = join(work, "real-out");
    mkdirSync(out);
    const sha = createHash("sha256").update(readFileSync(oldSpec)).digest("hex");
    writeFileSync(join(out, "index.ts"), banner({ generatorVersion: "0.0.0", specLocation: oldSpec, specSha256: sha, inputsSha256: sha }));
    const newSha = createHash("sha256").update(readFileSync(newSpec)).digest("hex");
    const comparison = await compareWithPrevious(out, { spec: newSpec, specSha256: newSha });
    expect(comparison.kind).toBe("diff");
    if (comparison.kind !== "diff") return;
    // 425 operations in 2023-06 and 541 in v11.6.0: the difference is made of additions minus removals.
    const { operations } = comparison.diff.summary;
    expect(operations.added - operations.removed).toBe(541 - 425);
    expect(comparison.diff.old.operations).toBe(425);
    expect(comparison.diff.new.operations).toBe(541);
    expect(formatPreviousComparison(comparison)).toMatch(
      /^changes since the previous output \(.*2023-06.* → .*v11\.6\.0.*\): \d+ operations added/,
    );
  }, 60_000);
});
