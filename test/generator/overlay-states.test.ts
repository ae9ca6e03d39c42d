// Issue 19: every overlay action ends a run in a state (applied, already upstream, not in this
// release, conflicting), with a reason that names what is missing or different; the policy fails
// the pinned release (and --strict-overlays) listing every action at once, warns for other specs,
// and says once that a spec most actions miss may not be Mattermost's.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, isPinnedSpec } from "../../generator/generate.js";
import { loadSpec } from "../../generator/load.js";
import { applyOverlays, readOverlays } from "../../generator/overlay.js";
import { packageRoot, readDefaultSpec } from "../../generator/paths.js";
import { generatorFailure } from "../support/generator-failure.js";

const fixtures = join(import.meta.dirname, "..", "fixtures");
const spec = (name: string): string => join(fixtures, "specs", name);

describe("the state of each action", async () => {
  const loaded = await loadSpec(spec("overlay-states.yaml"));
  const overlays = readOverlays(join(fixtures, "overlays-states"), "overlays-states");
  const result = applyOverlays(loaded.document, overlays);
  const byLine = new Map(result.outcomes.map((outcome) => [outcome.action.location.line, outcome]));
  const at = (line: number): { state: string; reason: string } => {
    const outcome = byLine.get(line);
    if (outcome === undefined) throw new Error(`no action at line ${line}`);
    return { state: outcome.state, reason: outcome.reason };
  };
  const document = loaded.document as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, Record<string, unknown>> };
  };

  it("classifies every action, in order, and applies only the applied ones", () => {
    expect(result.outcomes.map((outcome) => outcome.state)).toEqual([
      "applied",
      "already-upstream",
      "already-upstream",
      "not-in-release",
      "not-in-release",
      "not-in-release",
      "conflicting",
      "conflicting",
      "conflicting",
      "applied",
      "applied",
    ]);
    expect(result.applied).toBe(3);
    expect(document.paths["/api/v4/things/{thing_id}"]?.get?.deprecated).toBe(true);
    expect(document.components.schemas.Widget).toBeDefined();
    // Not applied: nothing written.
    expect(document.paths["/api/v4/things"]?.get?.summary).toBe("List things");
    expect(document.paths["/api/v4/things"]?.get?.responses).not.toHaveProperty("206");
    expect(document.components.schemas.Thing?.properties).not.toHaveProperty("name");
    expect(document.paths["/api/v4/things/{thing_id}"]?.get?.parameters).toHaveLength(2);
  });

  it("already upstream: what the update writes is there, or what it removes is gone", () => {
    expect(at(12)).toEqual({ state: "already-upstream", reason: "schema Thing already has everything the action writes" });
    expect(at(19)).toEqual({
      state: "already-upstream",
      reason: 'schema Thing already lacks property "legacy", which the action removes',
    });
  });

  it("not in this release: the operation, the schema, or a schema the update refers to", () => {
    expect(at(23)).toEqual({ state: "not-in-release", reason: "this release has no operation DeleteThing" });
    expect(at(28)).toEqual({ state: "not-in-release", reason: "this release has no schema Gadget" });
    expect(at(33)).toEqual({ state: "not-in-release", reason: "its update refers to schema Gizmo, which this release lacks" });
  });

  it("conflicting: the target changed under an operation or schema that is still there", () => {
    expect(at(42)).toEqual({ state: "conflicting", reason: 'schema Thing exists but has no property "name"' });
    expect(at(47)).toEqual({
      state: "conflicting",
      reason:
        'query parameter "fields" is already declared there, otherwise than the action says (schema differs); appending it would declare it twice',
    });
    expect(at(54)).toEqual({
      state: "conflicting",
      reason:
        "upstream now defines GET /api/v4/things (ListThings), otherwise than the action (summary differs); the action would overwrite it",
    });
  });

  it("a reference to a schema that only a non-applied action adds names that action", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mmt-overlay-provider-"));
    try {
      writeFileSync(
        join(dir, "10-provider.yaml"),
        [
          "overlay: 1.0.0",
          "info: { title: t, version: 1.0.0 }",
          "actions:",
          "  - target: $.components.schemas",
          "    description: Adds Part, which needs Gizmo.",
          "    update:",
          "      Part: { type: object, properties: { gizmo: { $ref: '#/components/schemas/Gizmo' } } }",
          "  - target: $.paths.*[?(@.operationId == 'GetThing')]",
          "    description: Uses Part.",
          "    update:",
          "      x-part: { $ref: '#/components/schemas/Part' }",
          "",
        ].join("\n"),
      );
      const fresh = await loadSpec(spec("overlay-states.yaml"));
      const { outcomes } = applyOverlays(fresh.document, readOverlays(dir, "p"));
      expect(outcomes.map((outcome) => [outcome.state, outcome.reason])).toEqual([
        ["not-in-release", "its update refers to schema Gizmo, which this release lacks"],
        [
          "not-in-release",
          "its update refers to schema Part, which this release lacks (the action adding it at p/10-provider.yaml:4 does not apply either)",
        ],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the policy", () => {
  const work = mkdtempSync(join(tmpdir(), "mmt-overlay-policy-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("for a spec that is not the pinned release: warns once and generates without the actions", async () => {
    const result = await generate({ spec: spec("minimal.yaml"), overlays: join(fixtures, "overlays-stale"), catalog: false });
    expect(result.summary.overlays.counts).toEqual({ applied: 1, "already-upstream": 0, "not-in-release": 1, conflicting: 0 });
    expect(result.summary.overlays.notApplied).toEqual([
      {
        file: expect.stringMatching(/overlays-stale\/10-stale\.yaml$/),
        line: 10,
        state: "not-in-release",
        reason: "this release has no route /api/v4/gone",
        target: "$.paths['/api/v4/gone'].get",
        description: "Repairs an operation upstream has since removed.",
      },
    ]);
    expect(result.summary.warningsByKind).toEqual({ "overlays-not-applied": 1 });
    expect(result.summary.warnings[0]).toMatch(/^overlays-not-applied: 1 of the 2 overlay actions did not apply to this spec/);
    expect(result.files.get("index.ts")).toContain(" * Overlays: 1 of 2 actions did not apply to this spec");
  });

  it("with strictOverlays: fails, listing every action not applied with its file:line", async () => {
    const error = await generatorFailure(
      generate({ spec: spec("minimal.yaml"), overlays: join(fixtures, "overlays-stale"), catalog: false, strictOverlays: true }),
    );
    expect(error.code).toBe("OVERLAY_STALE");
    expect(error.message).toMatch(/^1 of the 2 overlay actions do not apply to .*minimal\.yaml, and --strict-overlays is set/);
    expect(error.message).toMatch(/overlays-stale\/10-stale\.yaml:10: not in this release: this release has no route \/api\/v4\/gone/);
  });

  it("for the pinned release: any action not applied fails the run, all listed at once", async () => {
    const overlays = join(work, "pinned");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(overlays);
    writeFileSync(
      join(overlays, "10-mixed.yaml"),
      [
        "overlay: 1.0.0",
        "info: { title: mixed, version: 1.0.0 }",
        "actions:",
        "  - target: $.paths.*[?(@.operationId == 'GetUser')]",
        "    description: Applies.",
        "    update: { x-checked: true }",
        "  - target: $.paths.*[?(@.operationId == 'CreatePost')]",
        "    description: Applies.",
        "    update: { x-checked: true }",
        "  - target: $.paths.*[?(@.operationId == 'GetChannel')]",
        "    description: Applies.",
        "    update: { x-checked: true }",
        "  - target: $.paths.*[?(@.operationId == 'NoSuchOperation')]",
        "    description: Not in this release.",
        "    update: { x-checked: true }",
        "  - target: $.components.schemas.User.properties.no_such_field",
        "    description: Conflicting.",
        "    update: { type: string, nullable: true }",
        "  - target: $.components.schemas.User.properties.id",
        "    description: Upstream.",
        "    update: { type: string }",
        "",
      ].join("\n"),
    );
    // No spec given: the pinned release.
    const error = await generatorFailure(generate({ overlays, catalog: false }));
    expect(error.code).toBe("OVERLAY_STALE");
    expect(error.message).toContain(`the pinned release (${readDefaultSpec().version}, spec/default.json)`);
    const listed = error.message.split("\n").filter((line) => line.startsWith("  "));
    expect(listed).toEqual([
      expect.stringMatching(/10-mixed\.yaml:13: not in this release: this release has no operation NoSuchOperation$/),
      expect.stringMatching(/10-mixed\.yaml:16: conflicting: schema User exists but has no property "no_such_field"$/),
      expect.stringMatching(/10-mixed\.yaml:19: already upstream: schema User, property "id" already has everything the action writes$/),
    ]);
    // The pinned release named by its path is the pinned release too.
    expect(isPinnedSpec(readDefaultSpec().local, packageRoot)).toBe(true);
    expect(isPinnedSpec(readDefaultSpec().url, packageRoot)).toBe(true);
    expect(isPinnedSpec(spec("minimal.yaml"), packageRoot)).toBe(false);
  }, 60_000);

  it("says once that a spec most actions miss may not be a Mattermost release, and what to pass", async () => {
    const error = await generatorFailure(
      generate({ spec: spec("overlay-states.yaml"), overlays: join(fixtures, "overlays-states"), catalog: false }),
    );
    expect(error.code).toBe("OVERLAY_MISMATCH");
    expect(error.message).toMatch(
      /^8 of the 11 overlay actions in .*overlays-states do not apply to .*overlay-states\.yaml \(3 applied, 2 already upstream, 3 not in this release, 3 conflicting\): it may not be a Mattermost release/,
    );
    expect(error.message.split("\n")).toHaveLength(1);
    expect(error.hint).toContain("--no-overlays --no-catalog");
    // With the project's own overlays: the same one error, not 400 warnings.
    const own = await generatorFailure(generate({ spec: spec("minimal.yaml"), catalog: false }));
    expect(own.code).toBe("OVERLAY_MISMATCH");
    expect(own.format()).toMatch(/^\d+ of the \d+ overlay actions in spec\/overlays do not apply to .*minimal\.yaml/);
    expect(own.format().split("\n")).toHaveLength(1);
  });

  it("the errors of a spec that is no OpenAPI document at all come first, unchanged", async () => {
    const error = await generatorFailure(generate({ spec: spec("not-openapi.json") }));
    expect(error.code).toBe("SPEC_NOT_OPENAPI");
  });
});
