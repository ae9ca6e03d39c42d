// `mattermost-typed diff` as a user runs it: the built CLI, spawned; exit codes, stdout, files.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";
import { type CliRun, runCli } from "../support/cli.js";
import { fixtures, realNew, realOld } from "./support.js";

const _cli = join(packageRoot, "bin", "mattermost-typed.js");
const oldSpec = join(fixtures, "old.yaml");
const newSpec = join(fixtures, "new.yaml");

const run = (args: string[]): Promise<CliRun> => runCli(args);

let work: string;

beforeAll(() => {
  // The CLI runs the compiled generator; build it when this suite runs without `npm test`'s pretest.
  if (!existsSync(join(packageRoot, "dist", "generator", "commands", "diff.js"))) {
    const built = spawnSync(
      process.execPath,
      [join(packageRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.generator.json"],
      { cwd: packageRoot },
    );
    expect(built.status).toBe(0);
  }
  work = mkdtempSync(join(tmpdir(), "mmt-diff-"));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("mattermost-typed diff", () => {
  it("prints a text summary and exits 0 by default", async () => {
    const result = await run(["diff", oldSpec, newSpec]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Widgets 1\.0\.0 → Widgets 2\.0\.0\noperations: 1 added, 1 removed, 1 renamed, 4 changed, 1 deprecated\n/,
    );
    expect(result.stdout).toMatch(/^breaking:$/m);
  });

  it("exits 1 with --fail-on breaking when something breaks", async () => {
    expect((await run(["diff", oldSpec, newSpec, "--fail-on", "breaking"])).code).toBe(1);
  });

  it("exits 0 with --fail-on breaking or any when nothing changed", async () => {
    expect((await run(["diff", newSpec, newSpec, "--fail-on", "breaking"])).code).toBe(0);
    const same = await run(["diff", newSpec, newSpec, "--fail-on", "any"]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/changes: 0 \(0 breaking\)/);
  });

  it("writes JSON to --out", async () => {
    const out = join(work, "diff.json");
    const result = await run(["diff", oldSpec, newSpec, "--format", "json", "--out", out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ version: 1, old: { apiVersion: "1.0.0" }, new: { apiVersion: "2.0.0" } });
  });

  it("fails with exit 2 and one paragraph on a missing spec", async () => {
    const result = await run(["diff", join(work, "nope.yaml"), newSpec]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("fails with DIFF_INPUT when only one catalog is given", async () => {
    const result = await run(["diff", oldSpec, newSpec, "--old-catalog", "spec/websocket-events.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/DIFF_INPUT/);
  });

  it.skipIf(!existsSync(realOld) || !existsSync(realNew))(
    "diffs the two full releases as Markdown, exit 1 on --fail-on breaking",
    async () => {
      const result = await run(["diff", realOld, realNew, "--format", "markdown", "--fail-on", "breaking"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^- \*\*BREAKING\*\* `GET \/api\/v4\/teams\/\{team_id\}\/top\/reactions` \(`getTopReactionsForTeam`\): operation removed/m,
      );
      expect(result.ms).toBeLessThan(10_000);
    },
  );
});
