// The config file: found in the working folder or a parent (up to the project root), or named with
// --config; .json, .mjs and .ts; checked with messages that name the file and the field.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findConfigFile, loadConfig } from "../../generator/config.js";
import { generate } from "../../generator/generate.js";
import { cli, failure, spec, tempDir } from "./helpers.js";

const work = tempDir("config");
afterAll(() => work.remove());

let counter = 0;
/** A fresh folder holding the given files. */
function project(files: Record<string, string>): string {
  counter += 1;
  const dir = join(work.path, `p${counter}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const minimal = spec("minimal.yaml");

describe("discovery", () => {
  it("finds a .json config in the working folder, and from a subfolder up to the project root", () => {
    const dir = project({ "package.json": "{}", "mattermost-typed.config.json": "{}", "src/deep/.keep": "" });
    expect(findConfigFile(dir)).toBe(join(dir, "mattermost-typed.config.json"));
    expect(findConfigFile(join(dir, "src", "deep"))).toBe(join(dir, "mattermost-typed.config.json"));
  });

  it("stops at the project root (the first folder with a package.json)", () => {
    const dir = project({ "mattermost-typed.config.json": "{}", "app/package.json": "{}" });
    expect(findConfigFile(join(dir, "app"))).toBeUndefined();
  });

  it("refuses two config files in one folder", () => {
    const dir = project({ "package.json": "{}", "mattermost-typed.config.json": "{}", "mattermost-typed.config.ts": "export default {};" });
    expect(() => findConfigFile(dir)).toThrow(/holds 2 config files \(mattermost-typed\.config\.ts, mattermost-typed\.config\.json\)/);
  });

  it("reads a .ts config (types stripped) and resolves its paths from its folder", async () => {
    const dir = project({
      "package.json": "{}",
      "mattermost-typed.config.ts": [
        'import type { MattermostTypedConfig } from "mattermost-typed/generator";',
        'const plugins: MattermostTypedConfig["plugins"] = [["reference", { descriptions: false }]];',
        `const config: MattermostTypedConfig = { spec: ${JSON.stringify(minimal)}, out: "client", overlays: false, catalog: false, plugins };`,
        "export default config;",
      ].join("\n"),
    });
    const result = await generate({ cwd: dir, config: true });
    expect(result.config?.out).toBe(join(dir, "client"));
    expect(result.summary.spec).toMatch(/minimal\.yaml$/);
    expect(result.files.has("reference/README.md")).toBe(true);
    expect(result.files.get("reference/things.md")).toContain("\n## getThing\n");
    // Nothing was written beside the config.
    expect(readdirSync(dir).sort()).toEqual(["mattermost-typed.config.ts", "package.json"]);
  });

  it("reads a .mjs config that hands a plugin object", async () => {
    const dir = project({
      "package.json": "{}",
      "mattermost-typed.config.mjs": `export default { spec: ${JSON.stringify(minimal)}, overlays: false, catalog: false, plugins: [{ name: "hello", emit: ({ model }) => ({ "hello.txt": model.title }) }] };\n`,
    });
    const result = await generate({ cwd: dir, config: true });
    expect(result.files.get("hello.txt")).toBe("Tiny");
  });

  it("loads plugin modules named relative to the config file", async () => {
    const dir = project({
      "package.json": "{}",
      "config/mattermost-typed.config.json": JSON.stringify({
        spec: minimal,
        overlays: false,
        catalog: false,
        plugins: [["../plugins/count.ts", { suffix: "!" }]],
      }),
      "plugins/count.ts": [
        "interface Options { suffix: string }",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the plugin's source code, which holds a template literal
        'export default { name: "count", parseOptions: (raw: unknown): Options => raw as Options, emit: ({ model, options }: { model: { operations: unknown[] }; options: Options }) => ({ "count.txt": `${model.operations.length}${options.suffix}` }) };',
      ].join("\n"),
    });
    const result = await generate({ cwd: dir, config: join("config", "mattermost-typed.config.json") });
    expect(result.files.get("count.txt")).toBe("1!");
  });

  it("a .ts config and a .ts plugin that import other .ts files (loaded by jiti, nothing written beside them)", async () => {
    const dir = project({
      "package.json": "{}",
      "mattermost-typed.config.ts": [
        'import { plugins } from "./settings/plugins.ts";',
        `export default { spec: ${JSON.stringify(minimal)}, overlays: false, catalog: false, plugins };`,
      ].join("\n"),
      "settings/plugins.ts": 'export const plugins: [string, { suffix: string }][] = [["./plugins/tally.ts", { suffix: "?" }]];\n',
      "plugins/tally.ts": [
        'import { describe } from "./lib/describe.ts";',
        'export default { name: "tally", parseOptions: (raw: unknown) => raw as { suffix: string }, emit: ({ model, options }: { model: { operations: { operationId: string }[] }; options: { suffix: string } }) => ({ "tally.txt": describe(model.operations.map((o) => o.operationId), options.suffix) }) };',
      ].join("\n"),
      "plugins/lib/describe.ts":
        'export function describe(ids: readonly string[], suffix: string): string { return `${ids.join(",")}${suffix}`; }\n',
    });
    const result = await generate({ cwd: dir, config: true });
    expect(result.files.get("tally.txt")).toBe("GetThing?");
    expect(readdirSync(join(dir, "plugins")).sort()).toEqual(["lib", "tally.ts"]);
    expect(readdirSync(join(dir, "plugins", "lib"))).toEqual(["describe.ts"]);
  });
});

describe("bad configs: the file, the field, what to do", () => {
  const bad = async (
    name: string,
    text: string,
  ): Promise<{ message: string; file: string | undefined; line: number | undefined; hint: string | undefined }> => {
    const dir = project({ "package.json": "{}", [name]: text });
    const error = await failure(generate({ cwd: dir, config: true, spec: minimal, overlays: false, catalog: false }));
    expect(error.code).toBe("CONFIG_INVALID");
    return { message: error.message, file: error.file, line: error.line, hint: error.hint };
  };

  it("invalid JSON, with its line", async () => {
    const error = await bad("mattermost-typed.config.json", '{\n  "plugins": ["reference"],\n  oops\n}\n');
    expect(error.file).toBe("mattermost-typed.config.json");
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^The config file is not valid JSON: /);
  });

  it("an unknown field", async () => {
    const error = await bad("mattermost-typed.config.json", JSON.stringify({ plugin: ["reference"] }));
    expect(error.message).toBe("plugin: unknown field.");
    expect(error.hint).toMatch(/The fields are plugins, spec, out, overlays, catalog/);
  });

  it("a field of the wrong type", async () => {
    expect((await bad("mattermost-typed.config.json", JSON.stringify({ plugins: "reference" }))).message).toBe(
      'plugins: expected an array, got string "reference".',
    );
    expect((await bad("mattermost-typed.config.json", JSON.stringify({ out: 3 }))).message).toBe(
      "out: expected a non-empty string, got number 3.",
    );
    expect((await bad("mattermost-typed.config.json", JSON.stringify({ plugins: ["reference", 42] }))).message).toBe(
      "plugins[1]: expected a plugin name, path, object or [name, options], got number 42.",
    );
  });

  it("a plugin that does not exist, named by the config entry", async () => {
    const error = await bad("mattermost-typed.config.json", JSON.stringify({ plugins: ["./nope.mjs"] }));
    expect(error.message).toBe("The plugin module nope.mjs does not exist.");
  });

  it("bad options of a built-in plugin, naming the config entry, the plugin and the field", async () => {
    const error = await bad("mattermost-typed.config.json", JSON.stringify({ plugins: [["reference", { descriptions: "yes" }]] }));
    expect(error.message).toBe('Plugin "reference" (plugins[0]), option descriptions: expected true or false, got "yes".');
    expect(error.file).toBe("mattermost-typed.config.json");
  });

  it("hooks written in JSON (they must be functions)", async () => {
    const error = await bad("mattermost-typed.config.json", JSON.stringify({ plugins: [["endpoints", { functionName: "mm" }]] }));
    expect(error.message).toMatch(
      /^Plugin "endpoints" \(plugins\[0\]\), option functionName: expected a function, got string\. Hooks are functions, so set them from a \.ts, \.js or \.mjs config\.$/,
    );
  });

  it("a .ts config that does not compile, with its line", async () => {
    const error = await bad("mattermost-typed.config.ts", "export default {\n  plugins: [\n    'reference',,,\n  ]\n  spec: 1\n};\n");
    expect(error.message).toMatch(/^The config file does not compile: /);
    expect(error.line).toBe(5);
  });

  it("a config module without a default export", async () => {
    const error = await bad("mattermost-typed.config.mjs", "export const config = {};\n");
    expect(error.message).toBe("The config file has no default export.");
    expect(error.hint).toMatch(/export default defineConfig/);
  });

  it("a config module that throws when imported", async () => {
    const error = await bad("mattermost-typed.config.mjs", 'throw new Error("no env");\n');
    expect(error.message).toBe("Importing the config file failed: no env.");
  });

  it("a missing --config file", async () => {
    const error = await failure(loadConfig(join(work.path, "absent.config.json"), work.path));
    expect(error.message).toBe("The config file absent.config.json does not exist.");
  });
});

describe("the CLI", () => {
  it("uses the config found in the working folder (out, spec, plugins) and --plugin adds one for the run", async () => {
    const dir = project({
      "package.json": "{}",
      "mattermost-typed.config.json": JSON.stringify({ spec: minimal, out: "client", overlays: false, catalog: false }),
      "routes.mjs":
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the plugin's source code, which holds a template literal
        'export default { name: "routes", emit: ({ model }) => ({ "routes.txt": model.operations.map((o) => `${o.method} ${o.path}`).join("\\n") + "\\n" }) };\n',
    });
    const plain = await cli(["generate", "--quiet", "--no-diff"], dir);
    expect(plain.stderr).toBe("");
    expect(plain.code).toBe(0);
    expect(readdirSync(join(dir, "client")).sort()).toEqual([
      "README.md",
      "endpoints",
      "index.ts",
      "operations.ts",
      "release.ts",
      "schemas.ts",
      "types.ts",
    ]);

    const added = await cli(["generate", "--quiet", "--no-diff", "--plugin", "./routes.mjs", "--plugin", "reference"], dir);
    expect(added.stderr).toBe("");
    expect(readFileSync(join(dir, "client", "routes.txt"), "utf8")).toBe("GET /api/v4/things/{thing_id}\n");
    expect(existsSync(join(dir, "client", "reference", "things.md"))).toBe(true);
  });

  it("--config names a file, --no-config ignores the one found, --out wins over the config's", async () => {
    const dir = project({
      "package.json": "{}",
      "mattermost-typed.config.json": JSON.stringify({ plugins: ["nonexistent"] }),
      "other.json": JSON.stringify({ spec: minimal, overlays: false, catalog: false, plugins: ["reference"] }),
    });
    const found = await cli(["generate", "--quiet", "--no-diff", "--spec", minimal, "--no-overlays", "--no-catalog"], dir);
    expect(found.code).toBe(2);
    expect(found.stderr).toMatch(/^error: mattermost-typed\.config\.json: plugins\[0\]: no built-in plugin is named "nonexistent"\./);

    const ignored = await cli(
      ["generate", "--quiet", "--no-diff", "--no-config", "--spec", minimal, "--no-overlays", "--no-catalog", "--out", "plain"],
      dir,
    );
    expect(ignored.stderr).toBe("");
    expect(existsSync(join(dir, "plain", "index.ts"))).toBe(true);

    const named = await cli(["generate", "--quiet", "--no-diff", "--config", "other.json", "--out", "named"], dir);
    expect(named.stderr).toBe("");
    expect(existsSync(join(dir, "named", "reference", "README.md"))).toBe(true);
  });

  it("--help lists --config and --plugin", async () => {
    const help = await cli(["generate", "--help"]);
    expect(help.stdout).toMatch(/--config/);
    expect(help.stdout).toMatch(/--plugin/);
  });
});
