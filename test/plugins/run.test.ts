// The plugin runner: order from dependsOn, and every way a plugin can misbehave stopping the run
// with a GeneratorError that names it (and, from the CLI, exit 2 with the previous output intact).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";
import { orderPlugins } from "../../generator/plugins/run.js";
import { definePlugin, PluginOptionsError, type Plugin, type PluginFiles } from "../../generator/plugins/types.js";
import { cli, failure, small, spec, tempDir } from "./helpers.js";

const work = tempDir("run");
afterAll(() => work.remove());

/** A plugin that writes the given files. */
const writes = (name: string, files: PluginFiles | (() => PluginFiles), dependsOn?: readonly string[]): Plugin =>
  definePlugin({ name, ...(dependsOn === undefined ? {} : { dependsOn }), emit: () => (typeof files === "function" ? files() : files) });

describe("order", () => {
  it("runs dependencies first and breaks ties by name; a plugin reads its dependencies' files", async () => {
    const ran: string[] = [];
    const track = (name: string, dependsOn?: readonly string[], read?: string): Plugin =>
      definePlugin({
        name,
        ...(dependsOn === undefined ? {} : { dependsOn }),
        emit: ({ output }) => {
          ran.push(name);
          return read === undefined
            ? { [`${name}.txt`]: name }
            : { [`${name}.txt`]: `${name} read ${[...output(read).values()].join(",")}` };
        },
      });
    const result = await generate({
      ...small,
      plugins: [track("zeta"), track("alpha", ["zeta"], "zeta"), track("mid", ["alpha", "endpoints"])],
    });
    expect(ran).toEqual(["zeta", "alpha", "mid"]);
    expect(result.files.get("alpha.txt")).toBe("alpha read zeta");
  });

  it("orders a whole set deterministically, whatever order it is given in", () => {
    const set = [{ name: "index", dependsOn: ["b", "a"] }, { name: "c" }, { name: "b", dependsOn: ["c"] }, { name: "a" }];
    const names = (plugins: readonly { name: string }[]): string[] => plugins.map((plugin) => plugin.name);
    expect(names(orderPlugins(set))).toEqual(["a", "c", "b", "index"]);
    expect(names(orderPlugins([...set].reverse()))).toEqual(["a", "c", "b", "index"]);
  });

  it("refuses a cycle, naming the plugins in it", async () => {
    const error = await failure(
      generate({ ...small, plugins: [writes("left", {}, ["right"]), writes("right", {}, ["left"]), writes("free", {})] }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toBe('The plugins depend on each other in a cycle: "left" → "right" → "left".');
  });

  it("refuses a dependency that is not selected", async () => {
    const error = await failure(generate({ ...small, plugins: [writes("lonely", {}, ["missing"])] }));
    expect(error.message).toBe('Plugin "lonely" depends on "missing", which is not selected.');
  });

  it("refuses reading the output of a plugin not listed in dependsOn", async () => {
    const sneaky = definePlugin({ name: "sneaky", emit: ({ output }) => ({ "x.txt": String(output("types").size) }) });
    const error = await failure(generate({ ...small, plugins: [sneaky] }));
    expect(error.code).toBe("EMIT_FAILED");
    expect(error.message).toMatch(/^Plugin "sneaky" \(plugins\[0\]\) read the output of "types" without listing it in dependsOn\.$/);
  });
});

describe("a misbehaving plugin is stopped and named", () => {
  const cases: [string, Plugin, RegExp][] = [
    [
      "throws",
      writes("boom", () => {
        throw new Error("kaput");
      }),
      /^Plugin "boom" \(plugins\[0\]\) failed: kaput$/,
    ],
    [
      "rejects",
      definePlugin({ name: "late", emit: () => Promise.reject(new Error("too late")) }),
      /^Plugin "late" \(plugins\[0\]\) failed: too late$/,
    ],
    [
      "returns an absolute path",
      writes("abs", { "/etc/passwd": "x" }),
      /^Plugin "abs" .* returned the file "\/etc\/passwd", which has an absolute path\.$/,
    ],
    ["returns a Windows absolute path", writes("drive", { "C:/x.ts": "x" }), /returned the file "C:\/x\.ts", which has an absolute path/],
    [
      "escapes with ..",
      writes("escape", { "docs/../../outside.md": "x" }),
      /^Plugin "escape" .* returned the file "docs\/\.\.\/\.\.\/outside\.md", which has a \.\. segment that leaves the output folder\.$/,
    ],
    ["uses a backslash", writes("windows", { "a\\b.ts": "x" }), /which has a backslash/],
    ["returns an empty segment", writes("sloppy", { "a//b.ts": "x" }), /which has an empty or \. segment/],
    [
      "returns non-string content",
      writes("binary", { "data.bin": new Uint8Array([1]) as unknown as string }),
      /^Plugin "binary" .* returned object as the content of "data\.bin", not a string\.$/,
    ],
    [
      "returns nothing",
      definePlugin({ name: "void", emit: () => undefined as unknown as PluginFiles }),
      /^Plugin "void" .* returned undefined instead of its files\.$/,
    ],
    ["writes a core plugin's file", writes("again", { "index.ts": "x" }), /^Plugins "again" and "index" both write "index\.ts"\.$/],
    // "nested" runs before "types" (by name): the folder comes first, then the file.
    [
      "writes a folder where another plugin writes a file",
      writes("nested", { "types.ts/extra.ts": "x" }),
      /^Plugin "types" writes the file "types\.ts", a folder that "nested" writes files in\.$/,
    ],
    // "zz" runs after "types": the file comes first.
    [
      "writes inside a file of another plugin",
      writes("zz", { "types.ts/extra.ts": "x" }),
      /^Plugin "zz" writes "types\.ts\/extra\.ts" inside "types\.ts", a file written by "types"\.$/,
    ],
    // The model is frozen for plugins: writing to it throws, which stops the plugin like any error.
    [
      "mutates the model",
      definePlugin({
        name: "mutant",
        emit: ({ model }) => {
          (model.operations[0] as { name: string }).name = "hijacked";
          return {};
        },
      }),
      /^Plugin "mutant" .* failed: Cannot assign to read only property 'name'/,
    ],
  ];
  for (const [what, plugin, message] of cases) {
    it(`when it ${what}`, async () => {
      const error = await failure(generate({ ...small, plugins: [plugin] }));
      expect(error.code).toBe("EMIT_FAILED");
      expect(error.message).toMatch(message);
    });
  }

  it("when two plugins write the same file, naming both", async () => {
    const error = await failure(
      generate({ ...small, plugins: [writes("first", { "routes.json": "1" }), writes("second", { "routes.json": "2" })] }),
    );
    expect(error.message).toBe('Plugins "first" and "second" both write "routes.json".');
  });

  it("from the CLI: exit 2, one paragraph naming the plugin and file, the previous output untouched", async () => {
    const out = join(work.path, "previous");
    mkdirSync(out);
    writeFileSync(join(out, "index.ts"), "// previous output\n");
    const plugin = join(work.path, "escape.mjs");
    writeFileSync(plugin, 'export default { name: "escape", emit: () => ({ "../escaped.ts": "x" }) };\n');
    const result = await cli([
      "generate",
      "--spec",
      spec("minimal.yaml"),
      "--no-overlays",
      "--no-catalog",
      "--no-diff",
      "--out",
      out,
      "--plugin",
      plugin,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /Plugin "escape" \(--plugin \/.*escape\.mjs\) returned the file "\.\.\/escaped\.ts", which has a \.\. segment/,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(join(out, "index.ts"), "utf8")).toBe("// previous output\n");
  });
});

describe("options", () => {
  const strict = definePlugin<{ level: number }>({
    name: "strict",
    parseOptions: (raw) => {
      const level = (raw as { level?: unknown } | undefined)?.level;
      if (typeof level !== "number") throw new PluginOptionsError("level", "expected a number, such as 2.");
      return { level };
    },
    emit: ({ options }) => ({ "level.txt": String(options.level) }),
  });

  it("hands the parsed options to the plugin", async () => {
    const result = await generate({ ...small, plugins: [[strict, { level: 3 }]] });
    expect(result.files.get("level.txt")).toBe("3");
  });

  it("names the plugin and the field when parseOptions rejects them", async () => {
    const error = await failure(generate({ ...small, plugins: [[strict, { level: "high" }]] }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toBe('Plugin "strict" (plugins[0]), option level: expected a number, such as 2.');
  });

  it("refuses options for a plugin that takes none", async () => {
    const error = await failure(generate({ ...small, plugins: [[writes("plain", {}), { any: 1 }]] }));
    expect(error.message).toBe('Plugin "plain" (plugins[0]) takes no options.');
  });

  it("checks options before running anything (a bad option fails even when another plugin would throw)", async () => {
    const error = await failure(
      generate({
        ...small,
        plugins: [
          writes("boom", () => {
            throw new Error("kaput");
          }),
          [strict, {}],
        ],
      }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
  });
});

describe("selection", () => {
  it("refuses an unknown built-in name, listing the built-ins", async () => {
    const error = await failure(generate({ ...small, plugins: ["referense"] }));
    expect(error.message).toBe('plugins[0]: no built-in plugin is named "referense".');
    expect(error.hint).toMatch(/endpoints, events, index, operations, readme, reference, release, schemas, types, validators/);
  });

  it("refuses a plugin selected twice", async () => {
    const error = await failure(generate({ ...small, plugins: ["reference", ["reference", { descriptions: false }]] }));
    expect(error.message).toBe('The plugin "reference" is selected twice: by plugins[0] and by plugins[1].');
  });

  it("refuses something that is not a plugin", async () => {
    const error = await failure(generate({ ...small, plugins: [{ name: "half" } as unknown as Plugin] }));
    expect(error.message).toBe('plugins[0]: the plugin "half" has no emit function.');
  });

  it("replaces a core plugin by one of the same name", async () => {
    const result = await generate({ ...small, plugins: [writes("readme", { "README.md": "# ours\n" })] });
    expect(result.files.get("README.md")).toBe("# ours\n");
  });

  it("does not load plugins that are not selected", async () => {
    // A module hook logs every module the process loads while it generates.
    writeFileSync(
      join(work.path, "hooks.mjs"),
      'import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) { appendFileSync(process.env.MMT_LOAD_LOG, url + "\\n"); return next(url, context); }\n',
    );
    writeFileSync(join(work.path, "register.mjs"), 'import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n');
    const loaded = async (plugins: readonly string[]): Promise<string[]> => {
      const log = join(work.path, `loaded-${plugins.join("-") || "none"}.txt`);
      const script = `const { generate } = await import(${JSON.stringify(join(packageRoot, "dist", "generator", "generate.js"))}); await generate({ spec: ${JSON.stringify(small.spec)}, overlays: false, catalog: false, plugins: ${JSON.stringify(plugins)} });`;
      const result = spawnSync(process.execPath, ["--import", join(work.path, "register.mjs"), "--input-type=module", "-e", script], {
        env: { ...process.env, MMT_LOAD_LOG: log },
        encoding: "utf8",
      });
      expect(result.stderr).toBe("");
      return readFileSync(log, "utf8")
        .split("\n")
        .filter((url) => url.includes("/dist/generator/plugins/"))
        .map((url) => url.replace(/^.*\/dist\/generator\/plugins\//, ""))
        .sort();
    };
    const none = await loaded([]);
    expect(none).toContain("core.js");
    expect(none).not.toContain("reference.js");
    expect(none).not.toContain("validators.js");
    const reference = await loaded(["reference"]);
    expect(reference).toContain("reference.js");
    expect(reference).not.toContain("validators.js");
  });
});
