// The `validators` plugin: valibot schemas and validateResponse, generated from the real v11.6.0 spec
// (with the project's overlays) and from a small hand-made spec for each mapping rule. The generated
// file is bundled with esbuild and imported, so the tests run what users run; a last test type-checks
// it with tsc under the project's strict settings.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";
import { parseValidatorsOptions } from "../../generator/plugins/validators.js";
import { failure, tempDir } from "./helpers.js";

interface Issue {
  readonly path: string;
  readonly kind: "missing" | "type" | "undocumented" | "status";
  readonly message: string;
}
/** What the tests use of a generated validators.ts. */
interface Validators {
  readonly unknownKeys: string;
  readonly validateResponse: (operation: string, status: number, body: unknown) => Issue[];
  readonly responseValidators: Readonly<Record<string, { status: number | undefined; body: string; schema: unknown }>>;
  readonly [schema: string]: unknown;
}
interface Valibot {
  readonly safeParse: (schema: unknown, input: unknown) => { success: boolean; output: unknown };
}

const work = tempDir("validators");
afterAll(() => work.remove());

type Mode = "loose" | "strict" | "strip";

/** Writes generated files into a folder of the temp dir. */
function writeFiles(folder: string, files: ReadonlyMap<string, string>): string {
  const dir = join(work.path, folder);
  for (const [name, text] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  return dir;
}

/** Bundles a generated validators.ts (with valibot) and imports it. */
async function load(dir: string): Promise<{ validators: Validators; v: Valibot }> {
  const outfile = join(dir, "bundle.mjs");
  await build({
    stdin: {
      contents: 'export * as validators from "./validators.ts";\nexport * as v from "valibot";\n',
      resolveDir: dir,
      sourcefile: "entry.ts",
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    outfile,
    nodePaths: [join(packageRoot, "node_modules")],
    tsconfigRaw: {},
    logLevel: "silent",
  });
  return (await import(pathToFileURL(outfile).href)) as { validators: Validators; v: Valibot };
}

async function generateReal(mode: Mode): Promise<{ files: ReadonlyMap<string, string>; schemas: number; operations: number }> {
  const result = await generate({ cwd: packageRoot, plugins: [["validators", { unknownKeys: mode }]] });
  return { files: result.files, schemas: result.model.schemas.length, operations: result.model.operations.length };
}

/** A user as the server sends it: every field the spec (with overlays) requires, and a few more. */
const user = {
  id: "ft8bnxidwiy5fcw853qta45x1h",
  create_at: 1795434117929,
  update_at: 1795434342532,
  delete_at: 0,
  username: "e2e-admin",
  auth_service: "",
  email: "e2e-admin@example.com",
  nickname: "",
  first_name: "E2E",
  last_name: "Admin",
  position: "",
  roles: "system_admin system_user",
  notify_props: { channel: "true", desktop: "mention", email: "true", push: "mention", push_status: "online" },
  locale: "en",
  timezone: { automaticTimezone: "", manualTimezone: "", useAutomaticTimezone: "true" },
  disable_welcome_email: false,
};

describe("options", () => {
  it("default to loose and accept the three modes", () => {
    expect(parseValidatorsOptions(undefined)).toEqual({ unknownKeys: "loose" });
    expect(parseValidatorsOptions({})).toEqual({ unknownKeys: "loose" });
    for (const mode of ["loose", "strict", "strip"] as const)
      expect(parseValidatorsOptions({ unknownKeys: mode })).toEqual({ unknownKeys: mode });
  });

  it("reject an unknown mode or option, naming the option, before anything is generated", async () => {
    const bad = await failure(
      generate({
        spec: join(packageRoot, "test/fixtures/specs/minimal.yaml"),
        overlays: false,
        catalog: false,
        plugins: [["validators", { unknownKeys: "lenient" }]],
      }),
    );
    expect(bad.message).toContain("unknownKeys");
    expect(bad.message).toContain('"lenient"');
    const unknown = await failure(
      generate({
        spec: join(packageRoot, "test/fixtures/specs/minimal.yaml"),
        overlays: false,
        catalog: false,
        plugins: [["validators", { strict: true }]],
      }),
    );
    expect(unknown.message).toContain('"strict"');
    expect(unknown.message).toContain("validators");
  });
});

describe("on the real v11.6.0 spec", () => {
  let strict: Validators;
  let loose: Validators;
  let strip: Validators;
  let v: Valibot;
  let text: string;
  let counts: { schemas: number; operations: number };

  beforeAll(async () => {
    const [s, l, p] = await Promise.all([generateReal("strict"), generateReal("loose"), generateReal("strip")]);
    text = s.files.get("validators.ts") ?? "";
    counts = { schemas: s.schemas, operations: s.operations };
    ({ validators: strict, v } = await load(writeFiles("real-strict", s.files)));
    ({ validators: loose } = await load(writeFiles("real-loose", l.files)));
    ({ validators: strip } = await load(writeFiles("real-strip", p.files)));
  }, 120_000);

  it("writes one schema per component schema, sorted, after the banner, the same text twice", async () => {
    expect(text).toMatch(/^\/\*\*\n \* Generated by mattermost-typed \S+\. Do not edit this file\.\n \* Spec: .* \(sha256 [0-9a-f]{64}\)/);
    const names = [...text.matchAll(/^export const (\w+): v\.GenericSchema<unknown, S\.\1> = /gm)].map((match) => match[1] ?? "");
    expect(names).toHaveLength(counts.schemas);
    expect(names).toEqual([...names].sort());
    expect(names).toContain("User");
    const table = [...text.matchAll(/^ {2}(\w+): \{ status: (\d+|undefined), body: "(json|binary|text|none)", schema: /gm)].map(
      (match) => match[1] ?? "",
    );
    expect(table).toHaveLength(counts.operations);
    expect(table).toEqual([...table].sort());
    expect((await generateReal("strict")).files.get("validators.ts")).toBe(text);
  });

  it("passes a valid user, with the status the spec documents", () => {
    expect(strict.validateResponse("getUser", 200, user)).toEqual([]);
    expect(strict.validateResponse("getMe", 200, user)).toEqual([]);
    expect(strict.responseValidators.getUser).toMatchObject({ status: 200, body: "json" });
  });

  it("reports a wrong type and a missing required field with their paths", () => {
    const { username: _, ...withoutUsername } = user;
    const issues = strict.validateResponse("getUser", 200, {
      ...withoutUsername,
      delete_at: "0",
      notify_props: { ...user.notify_props, email: true },
    });
    expect(issues).toEqual([
      { path: "$.delete_at", kind: "type", message: "expected number, received string" },
      { path: "$.notify_props.email", kind: "type", message: "expected string, received boolean" },
      { path: "$.username", kind: "missing", message: "required, but absent" },
    ]);
  });

  it("allows null only where the spec says nullable", () => {
    expect(strict.validateResponse("getUser", 200, { ...user, timezone: null })).toEqual([]);
    expect(strict.validateResponse("getUser", 200, { ...user, nickname: null })).toEqual([
      { path: "$.nickname", kind: "type", message: "expected string, received null" },
    ]);
  });

  it("refuses an array where an object is documented", () => {
    expect(strict.validateResponse("getUser", 200, [user])).toEqual([
      { path: "$", kind: "type", message: "expected an object, received an array" },
    ]);
  });

  it("reports a wrong status; for an error status it does not judge the body", () => {
    expect(strict.validateResponse("getUser", 201, user)).toEqual([{ path: "$", kind: "status", message: "expected 200, received 201" }]);
    expect(strict.validateResponse("getUser", 404, { id: "app.user.missing.app_error" })).toEqual([
      { path: "$", kind: "status", message: "expected 200, received 404" },
    ]);
  });

  it("follows references into lists and maps keyed by id", () => {
    const post = (id: string, message: unknown) => ({
      id,
      create_at: 1,
      update_at: 1,
      edit_at: 0,
      delete_at: 0,
      is_pinned: false,
      user_id: user.id,
      channel_id: "c".repeat(26),
      root_id: "",
      original_id: "",
      message,
      type: "",
      props: { attachments: [{ text: "a", fields: [{ title: "t", value: 3, short: true }] }] },
      hashtags: "",
      file_ids: null,
      pending_post_id: "",
      reply_count: 0,
      last_reply_at: 0,
      participants: null,
    });
    const list = {
      order: ["p1", "p2"],
      posts: { p1: post("p1", "hello"), p2: post("p2", 42) },
      next_post_id: "",
      prev_post_id: "",
      first_inaccessible_post_time: 0,
    };
    expect(strict.validateResponse("getPostsForChannel", 200, list)).toEqual([
      { path: "$.posts.p2.message", kind: "type", message: "expected string, received number" },
    ]);
    expect(strict.validateResponse("getUsersByIds", 200, [user, { ...user, roles: 7 }])).toEqual([
      { path: "$[1].roles", kind: "type", message: "expected string, received number" },
    ]);
  });

  it("strict reports undocumented fields; loose keeps them; strip drops them", () => {
    const extra = { ...user, surprise: 1, "odd key": true };
    expect(strict.unknownKeys).toBe("strict");
    expect(strict.validateResponse("getUser", 200, extra)).toEqual([
      { path: "$.surprise", kind: "undocumented", message: "not in the spec" },
      { path: '$["odd key"]', kind: "undocumented", message: "not in the spec" },
    ]);
    expect(loose.validateResponse("getUser", 200, extra)).toEqual([]);
    expect(strip.validateResponse("getUser", 200, extra)).toEqual([]);
    const kept = v.safeParse(loose.User, extra);
    const dropped = v.safeParse(strip.User, extra);
    expect(kept.success && dropped.success).toBe(true);
    expect(kept.output).toHaveProperty("surprise", 1);
    expect(dropped.output).not.toHaveProperty("surprise");
  });

  it("strict reports a body where none is documented", () => {
    // One of the few operations whose success body the spec (with our overlays) still leaves undocumented.
    const undocumented = strict.responseValidators.getThreadMentionCountsByChannel;
    expect(undocumented).toMatchObject({ body: "none", schema: undefined });
    const status = undocumented?.status ?? 200;
    expect(strict.validateResponse("getThreadMentionCountsByChannel", status, { a: 1 })).toEqual([
      { path: "$", kind: "undocumented", message: "the spec documents no body, received one" },
    ]);
    expect(loose.validateResponse("getThreadMentionCountsByChannel", status, { a: 1 })).toEqual([]);
    expect(strict.validateResponse("getThreadMentionCountsByChannel", status, undefined)).toEqual([]);
    // An overlay documented this one's status object: a conforming body passes, a wrong one is named.
    expect(strict.responseValidators.deleteExport).toMatchObject({ body: "json", status: 200 });
    expect(strict.validateResponse("deleteExport", 200, { status: "OK" })).toEqual([]);
    expect(strict.validateResponse("deleteExport", 200, { status: 1 })).not.toEqual([]);
    expect(strict.validateResponse("unpinPost", 200, { status: "OK" })).toEqual([]);
  });
});

const FIXTURE = `openapi: 3.0.0
info: { title: Fixture, version: 1.0.0 }
tags: [{ name: nodes }, { name: things }]
paths:
  /api/v4/nodes/{node_id}:
    get:
      operationId: GetNode
      tags: [nodes]
      parameters: [{ name: node_id, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Node" } } } }
  /api/v4/things:
    get:
      operationId: ListThings
      tags: [things]
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Thing" } } } } }
    post:
      operationId: CreateThing
      tags: [things]
      responses:
        "201": { description: created, content: { application/json: { schema: { $ref: "#/components/schemas/Thing" } } } }
    delete:
      operationId: DeleteThings
      tags: [things]
      responses:
        "204": { description: gone }
components:
  schemas:
    Node:
      type: object
      required: [id, children]
      properties:
        id: { type: string }
        children: { type: array, items: { $ref: "#/components/schemas/Node" } }
        parent: { allOf: [{ $ref: "#/components/schemas/Node" }], nullable: true }
    Base:
      type: object
      required: [id]
      properties:
        id: { type: string }
    Thing:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          required: [kind, count]
          properties:
            kind: { type: string, enum: [a, b] }
            count: { type: integer }
            ratio: { type: number, nullable: true }
            tags: { type: object, additionalProperties: { type: string } }
            value: { oneOf: [{ type: string }, { type: integer }] }
            when: { type: string, format: date-time }
            mode: { type: string, default: fast }
`;

describe("on a hand-made spec", () => {
  let strict: Validators;
  let v: Valibot;
  let text: string;

  beforeAll(async () => {
    const spec = join(work.path, "fixture.yaml");
    writeFileSync(spec, FIXTURE);
    const result = await generate({ spec, overlays: false, catalog: false, plugins: [["validators", { unknownKeys: "strict" }]] });
    text = result.files.get("validators.ts") ?? "";
    ({ validators: strict, v } = await load(writeFiles("fixture", result.files)));
  }, 60_000);

  it("validates recursive schemas at any depth", () => {
    const leaf = { id: "c", children: [] };
    expect(strict.validateResponse("getNode", 200, { id: "a", children: [{ id: "b", children: [leaf] }], parent: null })).toEqual([]);
    expect(strict.validateResponse("getNode", 200, { id: "a", children: [{ id: "b", children: [{ id: 5, children: [] }] }] })).toEqual([
      { path: "$.children[0].children[0].id", kind: "type", message: "expected string, received number" },
    ]);
    expect(strict.validateResponse("getNode", 200, { id: "a", children: [], parent: { id: "p" } })).toEqual([
      { path: "$.parent.children", kind: "missing", message: "required, but absent" },
    ]);
  });

  it("merges allOf into one object, so strict mode does not call inherited fields undocumented", () => {
    const thing = { id: "t", kind: "a", count: 1, ratio: null, tags: { colour: "red" }, value: 3, when: "2026-01-13T16:23:30Z" };
    expect(strict.validateResponse("createThing", 201, thing)).toEqual([]);
    expect(strict.validateResponse("createThing", 201, { kind: "b", count: 2, value: "x" })).toEqual([
      { path: "$.id", kind: "missing", message: "required, but absent" },
    ]);
  });

  it("checks enums, integers against numbers, maps, unions and extra fields", () => {
    const issues = strict.validateResponse("listThings", 200, [
      { id: "t", kind: "a", count: 1 },
      { id: "u", kind: "c", count: 1.5, ratio: "high", tags: { colour: 1 }, value: true, extra: 1 },
    ]);
    expect(issues.map(({ path, kind }) => `${kind} ${path}`)).toEqual([
      "type $[1].count",
      "undocumented $[1].extra",
      "type $[1].kind",
      "type $[1].ratio",
      "type $[1].tags.colour",
      "type $[1].value",
      "type $[1].value",
    ]);
    expect(issues.find((issue) => issue.path === "$[1].kind")?.message).toBe('expected ("a" | "b"), received string');
    expect(issues.find((issue) => issue.path === "$[1].count")?.message).toBe("expected an integer, received a fraction");
  });

  it("fills a documented default, as the generated type promises", () => {
    const parsed = v.safeParse(strict.Thing, { id: "t", kind: "a", count: 1 });
    expect(parsed.output).toMatchObject({ mode: "fast" });
  });

  it("checks the status of answers without a body, and reports an undocumented body in strict mode", () => {
    expect(strict.validateResponse("deleteThings", 204, undefined)).toEqual([]);
    expect(strict.validateResponse("deleteThings", 200, undefined)).toEqual([
      { path: "$", kind: "status", message: "expected 204, received 200" },
    ]);
    expect(strict.validateResponse("deleteThings", 204, { status: "OK" })).toEqual([
      { path: "$", kind: "undocumented", message: "the spec documents no body, received one" },
    ]);
    expect(strict.validateResponse("createThing", 200, { id: "t", kind: "a", count: 1 })).toEqual([
      { path: "$", kind: "status", message: "expected 201, received 200" },
    ]);
  });

  it("throws for an operation it does not know", () => {
    expect(() => strict.validateResponse("noSuchOperation", 200, {})).toThrow(/no operation named "noSuchOperation"/);
  });

  it("lets a bundler drop the schemas a program does not import", async () => {
    const dir = join(work.path, "fixture");
    const result = await build({
      stdin: {
        contents: 'import * as v from "valibot";\nimport { Base } from "./validators.ts";\nconsole.log(v.parse(Base, { id: "x" }));\n',
        resolveDir: dir,
        sourcefile: "app.ts",
        loader: "ts",
      },
      bundle: true,
      minify: true,
      format: "esm",
      write: false,
      nodePaths: [join(packageRoot, "node_modules")],
      tsconfigRaw: {},
      logLevel: "silent",
    });
    const bundle = result.outputFiles[0]?.text ?? "";
    expect(bundle).toMatch(/\{id:\w+\(\)\}/);
    for (const dropped of ["children", "ratio", "date-time", "listThings", "fast"]) expect(bundle).not.toContain(dropped);
    expect(text).toContain("/* @__PURE__ */ v.lazy(/* @__PURE__ */ once(() => ");
  });
});

describe("the generated file type-checks", () => {
  it("under the project's strict settings, in every mode, its schemas typed with the generated types", async () => {
    const dirs: string[] = [];
    for (const mode of ["strict", "loose", "strip"] as const) {
      const { files } = await generateReal(mode);
      const only = new Map([...files].filter(([name]) => ["validators.ts", "schemas.ts", "types.ts"].includes(name)));
      dirs.push(writeFiles(`typecheck-${mode}`, only));
    }
    const first = dirs[0] ?? "";
    // A consumer: parse() returns the generated type; a wrong use does not compile.
    writeFileSync(
      join(first, "use.ts"),
      [
        'import * as v from "valibot";',
        'import { User, responseValidators, validateResponse, type ResponseIssue } from "./validators.js";',
        'import type { User as UserType } from "./schemas.js";',
        "export const user: UserType = v.parse(User, {});",
        "export const name: string = v.parse(User, {}).username;",
        "// @ts-expect-error a User is not a number",
        "export const wrong: number = v.parse(User, {});",
        'export const issues: ResponseIssue[] = validateResponse("getUser", 200, {});',
        "// @ts-expect-error not an operation",
        'validateResponse("getUserz", 200, {});',
        "export const status: number | undefined = responseValidators.getUser.status;",
        "",
      ].join("\n"),
    );
    const tsconfig = {
      extends: join(packageRoot, "tsconfig.base.json"),
      compilerOptions: {
        noEmit: true,
        skipLibCheck: false,
        types: [],
        paths: { valibot: [join(packageRoot, "node_modules/valibot/dist/index.d.mts")] },
      },
      files: [...dirs.map((dir) => join(dir, "validators.ts")), join(first, "use.ts")],
    };
    writeFileSync(join(work.path, "tsconfig.json"), JSON.stringify(tsconfig));
    const result = spawnSync(
      process.execPath,
      [join(packageRoot, "node_modules/typescript/bin/tsc"), "-p", join(work.path, "tsconfig.json")],
      { encoding: "utf8" },
    );
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  }, 240_000);
});
