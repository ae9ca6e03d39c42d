// Issue 19: both real releases in ../shared generate with the project's overlays and event catalog.
// v11.6.0 (the pinned one) gives the same files byte for byte: the sha256 of every file is the
// snapshot. It was computed on main at 08fdbc8 before the overlay states existed, and the states
// left it unchanged; it was refreshed once since, for changes of the output itself (release.ts,
// the upload overlay and BinaryInput, issues 19 and 23), and each such change refreshes it again. 2023-06 generates with the
// actions that fit, types what its spec cannot as open objects, has getMe and every event, and
// type-checks under strict tsc and tsgo.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../generator/events/catalog.js";
import { openMissingSchemas } from "../../generator/events/missing-schemas.js";
import { generate, type GenerateResult } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";
import { writeOutput } from "../../generator/write.js";

const shared = join(packageRoot, "..", "shared", "mattermost-api");
const v2023 = join(shared, "2023-06", "mattermost-openapi-v4.yaml");

const hashes = (files: ReadonlyMap<string, string>): string =>
  `${JSON.stringify(Object.fromEntries([...files].map(([name, text]) => [name, createHash("sha256").update(text).digest("hex")])), null, 2)}\n`;

describe.skipIf(!existsSync(shared))("the real releases, with the default overlays and event catalog", () => {
  let v11: GenerateResult;
  let old: GenerateResult;
  const dir = mkdtempSync(join(tmpdir(), "mmt-releases-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    v11 = await generate({ cwd: packageRoot });
    old = await generate({ cwd: packageRoot, spec: v2023 });
  }, 120_000);

  it("v11.6.0, the pinned release: every action applies and every file is today's, byte for byte", async () => {
    expect(v11.summary.overlays.notApplied).toEqual([]);
    expect(v11.summary.overlays.counts.applied).toBe(v11.summary.overlays.total);
    expect(v11.summary.overlays.total).toBeGreaterThan(400);
    expect(v11.summary.warningsByKind).not.toHaveProperty("overlays-not-applied");
    expect(v11.summary.warningsByKind).not.toHaveProperty("catalog-schema-missing");
    expect(v11.files.get("index.ts")).not.toContain("Overlays:");
    await expect(hashes(v11.files)).toMatchFileSnapshot("__snapshots__/v11.6.0-output.sha256.json");
  });

  it("2023-06: the actions that do not fit are reported, by state, each with its file:line and reason", () => {
    const { overlays } = old.summary;
    expect(overlays.total).toBe(v11.summary.overlays.total);
    expect(overlays.notApplied.length).toBeGreaterThan(0);
    expect(overlays.notApplied.length).toBeLessThan(overlays.total / 2);
    expect(overlays.counts.applied + overlays.notApplied.length).toBe(overlays.total);
    expect(overlays.notApplied).toContainEqual({
      file: "spec/overlays/20-message-attachments.yaml",
      line: 6,
      state: "not-in-release",
      reason: "this release has no schema MessageAttachment",
      target: "$.components.schemas.MessageAttachment.properties",
      description: expect.any(String),
    });
    expect(overlays.notApplied).toContainEqual(
      expect.objectContaining({ state: "not-in-release", reason: "this release has no operation CreateScheduledPost" }),
    );
    expect(old.summary.warningsByKind["overlays-not-applied"]).toBe(1);
    expect(old.files.get("index.ts")).toContain(
      ` * Overlays: ${overlays.notApplied.length} of ${overlays.total} actions did not apply to this spec (\`mattermost-typed overlays --spec ../shared/mattermost-api/2023-06/mattermost-openapi-v4.yaml\` lists them).`,
    );
  });

  it("2023-06: has getMe and every event; a value whose schema the release lacks is an open object, with a note", () => {
    const users = old.files.get("endpoints/users.ts") ?? "";
    expect(users).toContain("export function getMe(client: Transport, init?: CallOptions): Promise<User>");
    expect(old.summary.events).toBe(v11.summary.events);
    const events = old.files.get("events.ts") ?? "";
    expect(events.match(/^export interface \w+Event extends WebSocketEventBase/gm)).toHaveLength(old.summary.events);
    expect(events).toMatch(
      /export interface ChannelBookmarkCreatedEvent extends WebSocketEventBase \{\n {2}event: "channel_bookmark_created";\n {2}data: \{\n {4}\/\*\*\n {5}\* This release's spec has no schema `ChannelBookmarkWithFileInfo`: typed as an open object\.\n[\s\S]*?\n {4}bookmark: Record<string, unknown>;/,
    );
    // Schemas the release has stay typed.
    expect(events).toContain("post: schemas.Post;");
    const missing = old.warnings.filter((warning) => warning.kind === "catalog-schema-missing");
    expect(missing.map((warning) => /"(\w+)"/.exec(warning.message)?.[1])).toContain("ChannelBookmarkWithFileInfo");
    for (const warning of missing) expect(warning.locations[0]?.file).toBe("spec/websocket-events.yaml");
    expect(missing.find((warning) => warning.message.includes('"ChannelBookmarkWithFileInfo"'))?.locations.map((l) => l.line)).toHaveLength(
      3,
    );
  });

  it("2023-06: the output type-checks under strict tsc 5.9 and tsgo", () => {
    writeOutput(join(dir, "generated"), old.files);
    mkdirSync(join(dir, "runtime"));
    copyFileSync(join(packageRoot, "runtime", "transport.ts"), join(dir, "runtime", "transport.ts"));
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: join(packageRoot, "tsconfig.base.json"),
        compilerOptions: { noEmit: true, types: [] },
        include: ["generated/**/*.ts", "runtime/transport.ts"],
      }),
    );
    for (const bin of ["typescript/bin/tsc", "@typescript/native-preview/bin/tsgo"]) {
      const compiled = spawnSync(process.execPath, [join(packageRoot, "node_modules", bin), "-p", "tsconfig.json"], {
        cwd: dir,
        encoding: "utf8",
      });
      expect(`${compiled.stdout}${compiled.stderr}`, bin).toBe("");
      expect(compiled.status, bin).toBe(0);
    }
  }, 120_000);
});

describe("the event catalog on a release that lacks a schema", () => {
  const catalog = loadCatalog(join(packageRoot, "spec", "websocket-events.yaml"));

  it("is unchanged (the same object) when the spec has every schema it names", () => {
    const names = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) for (const item of value) collect(item);
      else if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record.kind === "ref" && typeof record.schema === "string") names.add(record.schema);
        for (const child of Object.values(record)) collect(child);
      }
    };
    collect(catalog);
    expect(names.size).toBeGreaterThan(10);
    const opened = openMissingSchemas(catalog, names);
    expect(opened.catalog).toBe(catalog);
    expect(opened.warnings).toEqual([]);
  });

  it("keeps every event and turns each missing ref into an open object, keeping array and JSON text", () => {
    const opened = openMissingSchemas(catalog, new Set(["Post"]));
    expect(opened.catalog.events.map((event) => event.name)).toEqual(catalog.events.map((event) => event.name));
    const sorted = opened.catalog.events.find((event) => event.name === "channel_bookmark_sorted");
    const field = sorted?.data === "unknown" ? undefined : sorted?.data.find((f) => f.name === "bookmarks");
    expect(field?.type).toEqual({ kind: "json", of: { kind: "object", array: true, nullable: false } });
    expect(field?.description).toContain("This release's spec has no schema `ChannelBookmarkWithFileInfo`: typed as an open object.");
    const posted = opened.catalog.events.find((event) => event.name === "posted");
    const post = posted?.data === "unknown" ? undefined : posted?.data.find((f) => f.name === "post");
    expect(post?.type).toEqual({ kind: "json", of: { kind: "ref", schema: "Post", array: false, nullable: false } });
    expect(opened.warnings.every((warning) => warning.kind === "catalog-schema-missing")).toBe(true);
    expect(opened.warnings.map((warning) => /"(\w+)"/.exec(warning.message)?.[1])).not.toContain("Post");
  });
});
