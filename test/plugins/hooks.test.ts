// The core `endpoints` plugin's hooks: naming, JSDoc and file placement changed from a config,
// without a fork; the renamed client still compiles under strict settings.
import { spawnSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";
import { writeOutput } from "../../generator/write.js";
import type { EndpointsOptions } from "../../generator/plugins/endpoints.js";
import { failure, tempDir, widgets } from "./helpers.js";

const work = tempDir("hooks");
afterAll(() => work.remove());

const fast = { spec: widgets, overlays: false, catalog: false } as const;
const withHooks = (hooks: EndpointsOptions) => generate({ ...fast, plugins: [["endpoints", hooks]] });
const endpointsOf = (files: ReadonlyMap<string, string>): [string, string][] =>
  [...files].filter(([name]) => name.startsWith("endpoints/"));

describe("hooks on the real spec", () => {
  it("a jsdoc hook that keeps the default lines changes nothing, byte for byte", async () => {
    const plain = await generate({});
    const seen: string[][] = [];
    const kept = await generate({
      plugins: [
        [
          "endpoints",
          {
            jsdoc: (_operation, lines) => {
              seen.push([...lines]);
              return lines;
            },
          },
        ],
      ],
    });
    expect(seen).toHaveLength(plain.model.operations.length);
    expect(seen[0]?.at(-1)).toMatch(/^Route: `[A-Z]+ \/api\/v4\//);
    expect([...kept.files]).toEqual([...plain.files]);
  }, 120_000);

  it("the example naming config renames every function, regroups the files, and the output compiles with tsc", async () => {
    const result = await generate({ config: join(packageRoot, "examples", "plugins", "naming.config.ts") });
    const functions = endpointsOf(result.files).flatMap(([, text]) =>
      [...text.matchAll(/^export function (\w+)/gm)].map((match) => match[1] ?? ""),
    );
    expect(functions.sort()).toEqual(
      result.model.operations.map((operation) => `mm${operation.name.charAt(0).toUpperCase()}${operation.name.slice(1)}`).sort(),
    );
    const users = result.files.get("endpoints/users.ts") ?? "";
    expect(users).toMatch(/export interface MmGetUserArgs \{/);
    expect(users).toMatch(
      /Route: `GET \/api\/v4\/users\/\{user_id\}`\n \* API reference: https:\/\/developers\.mattermost\.com\/api-documentation\/#\/operations\/GetUser\n \*\/\nexport function mmGetUser\(client: Transport, args: MmGetUserArgs, init\?: CallOptions\): Promise<User>/,
    );
    // Filed by route: ConvertUserToBot (tag bots, route /api/v4/users/...) goes with the users.
    expect(users).toMatch(/export function mmConvertUserToBot\(/);
    expect(result.files.get("endpoints/bots.ts")).not.toMatch(/mmConvertUserToBot/);
    expect(result.files.get("endpoints/posts.ts")).toContain('client.call("GET", "/api/v4/posts/{post_id}/reactions"');
    // operations.ts stays keyed by the model's names.
    expect(result.files.get("operations.ts")).toMatch(/^ {2}getUser: \{"operationId":"GetUser"/m);

    // Type-check as a user's project would: the output beside the runtime it imports.
    symlinkSync(join(packageRoot, "runtime"), join(work.path, "runtime"), "dir");
    writeOutput(join(work.path, "generated"), result.files);
    writeFileSync(join(work.path, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      join(work.path, "tsconfig.json"),
      JSON.stringify({
        extends: join(packageRoot, "tsconfig.base.json"),
        compilerOptions: { noEmit: true, skipLibCheck: false, types: [] },
        include: ["generated/**/*.ts"],
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(packageRoot, "node_modules", "typescript", "bin", "tsc"), "-p", join(work.path, "tsconfig.json")],
      { encoding: "utf8" },
    );
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.status).toBe(0);
  }, 120_000);
});

describe("hooks on a fixture", () => {
  it("functionName renames the function, its args type and the name in the args type's doc", async () => {
    const result = await withHooks({ functionName: (operation) => `${operation.name}Call` });
    const widgetsFile = result.files.get("endpoints/widgets.ts") ?? "";
    expect(widgetsFile).toContain("/** Arguments of `createWidgetCall`. */\nexport interface CreateWidgetCallArgs {");
    expect(widgetsFile).toContain(
      "export function createWidgetCall(client: Transport, args: CreateWidgetCallArgs, init?: CallOptions): Promise<Widget>",
    );
    expect(result.files.get("endpoints/index.ts")).toContain('export * from "./widgets.js";');
  });

  it("jsdoc replaces the lines (sanitized) or removes the block", async () => {
    const replaced = await withHooks({ jsdoc: (operation) => [`${operation.operationId} */ closes nothing`, "", "second paragraph  "] });
    expect(replaced.files.get("endpoints/widgets.ts")).toContain(
      "/**\n * CreateWidget *\\/ closes nothing\n *\n * second paragraph\n */\nexport function createWidget(",
    );
    const removed = await withHooks({ jsdoc: () => [] });
    expect(removed.files.get("endpoints/widgets.ts")).toMatch(/\}\n\nexport function createWidget\(/);
    const single = await withHooks({ jsdoc: (operation) => [operation.method] });
    expect(single.files.get("endpoints/widgets.ts")).toContain("/** POST */\nexport function createWidget(");
  });

  it("fileFor moves operations between files and the index follows", async () => {
    const result = await withHooks({ fileFor: (operation) => (operation.method === "GET" ? "reads" : "writes") });
    expect(endpointsOf(result.files).map(([name]) => name)).toEqual(["endpoints/index.ts", "endpoints/reads.ts", "endpoints/writes.ts"]);
    expect(result.files.get("endpoints/reads.ts")).toMatch(/export function getGadgetUsage\(/);
    expect(result.files.get("endpoints/index.ts")).toMatch(/export \* from "\.\/reads\.js";\nexport \* from "\.\/writes\.js";\n$/);
  });

  const bad: [string, EndpointsOptions, RegExp][] = [
    [
      "a name that is not an identifier",
      { functionName: () => "get-widget" },
      /the functionName hook returned "get-widget", which is not a JavaScript identifier \(operation CreateWidget\)/,
    ],
    [
      "a reserved word",
      { functionName: (operation) => (operation.operationId === "DeleteWidget" ? "delete" : operation.name) },
      /returned "delete", a name the generated files already use/,
    ],
    [
      "a schema's name",
      { functionName: (operation) => (operation.operationId === "GetWidget" ? "Widget" : operation.name) },
      /returned "Widget", a name the generated files already use/,
    ],
    ["one name twice", { functionName: () => "same" }, /returned "same", the name it gave CreateWidget too \(operation DeleteWidget\)/],
    [
      "the name of an args type",
      { functionName: (operation) => (operation.operationId === "DeleteWidget" ? "CreateWidgetArgs" : operation.name) },
      /returned "CreateWidgetArgs", the name of an args type/,
    ],
    [
      "a file name with a folder",
      { fileFor: () => "../outside" },
      /the fileFor hook returned "\.\.\/outside", which is not a file name \(operation CreateWidget\)/,
    ],
    ["the index as a file", { fileFor: () => "index" }, /the fileFor hook returned "index", which is not a file name/],
    [
      "a throwing hook",
      {
        fileFor: () => {
          throw new Error("no idea");
        },
      },
      /the fileFor hook threw: no idea \(operation CreateWidget\)/,
    ],
    ["JSDoc that is not lines", { jsdoc: () => "one line" as unknown as string[] }, /the jsdoc hook did not return an array of strings/],
  ];
  for (const [what, hooks, message] of bad) {
    it(`refuses ${what}, naming the plugin, hook and operation`, async () => {
      const error = await failure(withHooks(hooks));
      expect(error.code).toBe("EMIT_FAILED");
      expect(error.message).toMatch(/^Plugin "endpoints": /);
      expect(error.message).toMatch(message);
    });
  }

  it("refuses an unknown hook", async () => {
    const error = await failure(generate({ ...fast, plugins: [["endpoints", { functionNames: () => "x" }]] }));
    expect(error.message).toBe(
      'Plugin "endpoints" (plugins[0]), option functionNames: unknown option; the hooks are functionName, jsdoc, fileFor.',
    );
  });
});
