// `mattermost-typed overlays` and the overlay states in `generate`, as a user runs them: the built
// CLI, spawned, on the real releases in ../shared and on fixtures.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { OverlaysJson } from "../../generator/commands/overlays.js";
import type { GenerateSummary } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";
import { runCli } from "../support/cli.js";

const shared = join(packageRoot, "..", "shared", "mattermost-api");
const v2023 = "../shared/mattermost-api/2023-06/mattermost-openapi-v4.yaml";
const work = mkdtempSync(join(tmpdir(), "mmt-overlays-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!existsSync(shared))("mattermost-typed overlays", () => {
  it("on the pinned release: every action applied, grouped by file, one line each", async () => {
    const result = await runCli(["overlays"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^spec: \.\.\/shared\/mattermost-api\/v11\.6\.0\/mattermost-openapi-v4\.yaml \(sha256 98b9358a4650\), the pinned release/,
    );
    const total = Number(/, (\d+) actions: /.exec(lines[1] ?? "")?.[1]);
    expect(lines[1]).toBe(
      `overlays: spec/overlays, ${total} actions: ${total} applied, 0 already upstream, 0 not in this release, 0 conflicting`,
    );
    expect(lines).toContain("spec/overlays/10-users-me.yaml: The current user's own route (1 of 1 applied)");
    expect(lines.filter((line) => /^ +\d+ {2}applied {14}\$/.test(line))).toHaveLength(total);
  });

  it("on 2023-06: the state and reason of each action, and --json with every action", async () => {
    const text = await runCli(["overlays", "--spec", v2023]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      "spec/overlays/20-message-attachments.yaml: Message attachments on posts (3 of 11 applied)\n    6  not in this release  this release has no schema MessageAttachment\n",
    );
    expect(text.stdout).not.toContain("may not be a Mattermost release");
    const json = await runCli(["overlays", "--spec", v2023, "--json"]);
    const data = JSON.parse(json.stdout) as OverlaysJson;
    expect(data.pinned).toBe(false);
    const actions = data.files.flatMap((file) => file.actions);
    expect(actions).toHaveLength(data.total);
    expect(data.counts.applied + data.counts["already-upstream"] + data.counts["not-in-release"] + data.counts.conflicting).toBe(
      data.total,
    );
    expect(actions.filter((action) => action.state === "applied").every((action) => action.reason === "")).toBe(true);
    expect(actions.filter((action) => action.state !== "applied").every((action) => action.reason !== "")).toBe(true);
  });

  it("on a spec that is not Mattermost's: says so once, with what to pass instead", async () => {
    const result = await runCli(["overlays", "--spec", "test/fixtures/specs/minimal.yaml"]);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/may not be a Mattermost release/g)).toHaveLength(1);
    expect(result.stdout).toContain("Generate it with --no-overlays --no-catalog");
  });

  it("on a spec that cannot be read: the loader's error, exit 2", async () => {
    const result = await runCli(["overlays", "--spec", "test/fixtures/specs/nope.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SPEC_NOT_FOUND/);
    expect(result.stdout).toBe("");
  });
});

describe.skipIf(!existsSync(shared))("generate on a release the overlays were not all written for", () => {
  it("--json lists every action not applied with file:line, state and reason; the text summary counts the states", async () => {
    const json = await runCli(["generate", "--spec", v2023, "--json", "--no-diff", "--out", join(work, "json")]);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe("");
    const summary = JSON.parse(json.stdout) as GenerateSummary;
    const missed = summary.overlays.notApplied;
    expect(missed.length).toBeGreaterThan(0);
    for (const issue of missed) {
      expect(issue.file).toMatch(/^spec\/overlays\/[\w-]+\.yaml$/);
      expect(issue.line).toBeGreaterThan(0);
      expect(["already-upstream", "not-in-release", "conflicting"]).toContain(issue.state);
      expect(issue.reason).not.toBe("");
    }
    const text = await runCli(["generate", "--spec", v2023, "--no-diff", "--out", join(work, "text")]);
    expect(text.code).toBe(0);
    const { counts, total } = summary.overlays;
    expect(text.stdout).toContain(
      `overlay actions applied: ${counts.applied} of ${total} (${counts.applied} applied, ${counts["already-upstream"]} already upstream, ${counts["not-in-release"]} not in this release, ${counts.conflicting} conflicting)`,
    );
    // One warning for all of them, not one per action.
    expect(text.stdout.match(/ {2}- overlays-not-applied: /g)).toHaveLength(1);
  }, 60_000);

  it("--strict-overlays fails with exit 2, every action listed in one error", async () => {
    const result = await runCli(["generate", "--spec", v2023, "--strict-overlays", "--check", "--quiet"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: \d+ of the \d+ overlay actions do not apply to .*2023-06.*, and --strict-overlays is set/);
    expect(result.stderr).toContain(
      "  spec/overlays/20-message-attachments.yaml:6: not in this release: this release has no schema MessageAttachment\n",
    );
    expect(result.stderr).toMatch(/\(OVERLAY_STALE: see docs\/errors\.md#overlay-stale\)\n$/);
  });
});
