// Issue 23, "Nulls, systematically": scripts/nullable-fields/main.go reads the pinned server's
// sources (public/model structs, channels/api4 handlers) and lists where Go can send `null`;
// write.mjs turns that table into spec/overlays/55-nullable.yaml. The Go part runs when Go and the
// built server's modules are there; the overlay part runs on the committed table and the real specs.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadOverlaidSpec } from "../../generator/generate.js";
import { applyOverlays, parseOverlay } from "../../generator/overlay.js";
import { packageRoot } from "../../generator/paths.js";
// @ts-expect-error: a plain .mjs script without declarations.
import { locateModules, readServerTable, TABLE } from "../../scripts/nullable-fields/modules.mjs";

const run = promisify(execFile);
const shared = join(packageRoot, "..", "shared", "mattermost-api");
const v2023 = join(shared, "2023-06", "mattermost-openapi-v4.yaml");

interface Field {
  struct: string;
  field: string;
  json: string;
  kind: string;
  goType: string;
  file: string;
  line: number;
}
interface Handler {
  method: string;
  route: string;
  handler: string;
  file: string;
  kind: string;
  nil: "yes" | "no" | "unknown";
  evidence: string[];
}
interface Table {
  fields: Field[];
  handlers: Handler[];
}

const modules = (await locateModules()) as { serverDir: string; publicDir: string } | { missing: string };
const missing = "missing" in modules ? modules.missing : undefined;
const committed = JSON.parse(readFileSync(TABLE as string, "utf8")) as Table;

describe.skipIf(missing !== undefined)(`main.go on the pinned server's sources${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let text = "";
  let table: Table;

  it("gives the committed table, byte for byte, twice", async () => {
    text = (await readServerTable(modules)) as string;
    table = JSON.parse(text) as Table;
    expect(text).toBe(readFileSync(TABLE as string, "utf8"));
    expect((await readServerTable(modules)) as string).toBe(text);
  }, 300_000);

  it("finds the attachment's fields and the other nil-able lists of the model, and not the omitempty ones", () => {
    const field = (struct: string, json: string) => table.fields.find((entry) => entry.struct === struct && entry.json === json);
    expect(field("SlackAttachment", "fields")).toMatchObject({
      kind: "slice",
      goType: "[]*SlackAttachmentField",
      file: "model/slack_attachment.go",
    });
    expect(field("PostList", "order")).toMatchObject({ kind: "slice" });
    expect(field("PostList", "posts")).toMatchObject({ kind: "map" });
    expect(field("Role", "permissions")).toMatchObject({ kind: "slice", goType: "[]string" });
    // `Post.Metadata` is `json:"metadata,omitempty"`: left out, never null.
    expect(field("Post", "metadata")).toBeUndefined();
    // Named slice types are followed (StringArray is []string with no MarshalJSON).
    expect(field("OAuthApp", "callback_urls")).toMatchObject({ kind: "slice", goType: "StringArray" });
    expect(table.fields.length).toBeGreaterThan(100);
    for (const entry of table.fields) expect(["slice", "map", "pointer"]).toContain(entry.kind);
  });

  it("follows a list answer to the store: reactions of a post are null when there are none, emoji are not", () => {
    const route = (method: string, path: string) => table.handlers.find((entry) => entry.method === method && entry.route === path);
    const reactions = route("GET", "/api/v4/posts/{post_id}/reactions");
    expect(reactions).toMatchObject({ handler: "getReactions", kind: "slice", nil: "yes" });
    expect(reactions?.evidence.join("\n")).toMatch(/SqlReactionStore\.GetForPost .*var reactions \[\]\*model\.Reaction stays nil/);
    // The emoji list starts from a literal in the store: never nil.
    expect(route("GET", "/api/v4/emoji")).toMatchObject({ nil: "no" });
    expect(table.handlers.filter((entry) => entry.nil === "yes").length).toBeGreaterThan(3);
    // The local-mode handlers (unix socket) are not HTTP answers.
    expect(table.handlers.some((entry) => entry.file.endsWith("_local.go"))).toBe(false);
  });
});

describe("the committed table", () => {
  it("is sorted, and each row names its file and line", () => {
    const keys = committed.fields.map((entry) => `${entry.struct}\u0000${entry.json}`);
    expect(keys).toEqual([...keys].sort());
    for (const entry of committed.fields) expect(entry.file).toMatch(/^model\/[\w-]+\.go$/);
    for (const entry of committed.handlers) expect(entry.file).toMatch(/^channels\/api4\/[\w-]+\.go$/);
  });
});

describe("spec/overlays/55-nullable.yaml", () => {
  it("is what write.mjs makes of the committed table (--check)", async () => {
    const result = await run(process.execPath, [join(packageRoot, "scripts/nullable-fields/write.mjs"), "--check"], {
      cwd: packageRoot,
    }).then(
      () => 0,
      (error: { code?: number; stderr?: string }) => {
        throw new Error(`write.mjs --check exited ${error.code}: ${error.stderr}`);
      },
    );
    expect(result).toBe(0);
  }, 120_000);

  it("applies every action on v11.6.0, each with the struct or handler file as its reason", async () => {
    const overlaid = await loadOverlaidSpec({ cwd: packageRoot });
    const mine = overlaid.outcomes.filter((outcome) => outcome.action.location.file.endsWith("55-nullable.yaml"));
    expect(mine.length).toBeGreaterThan(40);
    expect(mine.filter((outcome) => outcome.state !== "applied")).toEqual([]);
    for (const { action } of mine) {
      if (action.remove === true) expect(action.description).toMatch(/^Replaced below by its nullable form/);
      else expect(action.description).toMatch(/\((model|channels\/api4)\/[\w-]+\.go:\d+\)/);
    }
    const schemas = (overlaid.spec.document as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } })
      .components.schemas;
    expect(schemas.MessageAttachment?.properties.fields).toMatchObject({ type: "array", nullable: true });
  });

  it.skipIf(!existsSync(v2023))(
    "on 2023-06: an action whose schema, operation or property the release lacks is not in this release",
    async () => {
      const overlaid = await loadOverlaidSpec({ cwd: packageRoot, spec: v2023 });
      const mine = overlaid.outcomes.filter((outcome) => outcome.action.location.file.endsWith("55-nullable.yaml"));
      const states = new Set(mine.map((outcome) => outcome.state));
      expect([...states].sort()).toEqual(["applied", "not-in-release"]);
      expect(mine.find((outcome) => outcome.action.target === "$.components.schemas.MessageAttachment.properties.fields")).toMatchObject({
        state: "not-in-release",
        reason: "this release has no schema MessageAttachment",
      });
    },
  );
});

describe("an update that only sets nullable, on a property the release lacks", () => {
  const document = () => ({
    openapi: "3.0.0",
    paths: {},
    components: { schemas: { Thing: { type: "object", properties: { id: { type: "string" } } } } },
  });
  const overlay = (update: string) =>
    parseOverlay(
      `overlay: 1.0.0\ninfo: { title: t, version: 1.0.0 }\nactions:\n  - target: $.components.schemas.Thing.properties.tags\n    description: why\n    update: ${update}\n`,
      "nullable.yaml",
    );

  it("is not in this release: there is nothing to mark", () => {
    const { outcomes } = applyOverlays(document(), [overlay("{ nullable: true }")]);
    expect(outcomes.map(({ state, reason }) => ({ state, reason }))).toEqual([
      { state: "not-in-release", reason: 'schema Thing has no property "tags" in this release' },
    ]);
  });

  it("while an update that defines the value is still conflicting", () => {
    const { outcomes } = applyOverlays(document(), [overlay("{ type: array, nullable: true }")]);
    expect(outcomes[0]?.state).toBe("conflicting");
  });
});
