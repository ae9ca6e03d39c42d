// The CLI's V8 code cache for TypeScript (generator/code-cache.ts): modules load the same through
// it, the cache file is written once and reused, bad or unwritable caches never fail a run, and the
// CLI's output is byte-identical with the cache cold, warm or off.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultCodeCacheDir, enableCodeCache, requireCached, saveCodeCache } from "../../generator/code-cache.js";
import { packageRoot } from "../../generator/paths.js";
import { runCli } from "../support/cli.js";

let work: string;
const require = createRequire(import.meta.url);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "mmt-code-cache-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => enableCodeCache(undefined));

/** A CommonJS package in `work` whose main module requires a sibling; each call makes a new one. */
let packages = 0;
function fixturePackage(body = "module.exports = { twice: (n) => 2 * helper.one * n, file: __filename, dir: __dirname };"): string {
  packages += 1;
  const dir = join(work, `pkg${packages}`, "node_modules", "fixture");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fixture", main: "main.js" }));
  writeFileSync(join(dir, "helper.js"), "exports.one = 1;");
  writeFileSync(join(dir, "main.js"), `"use strict";\nconst helper = require("./helper.js");\n${body}\n`);
  return join(work, `pkg${packages}`, "index.js");
}

describe("requireCached", () => {
  it("without a cache folder is require", () => {
    const from = fixturePackage();
    const exports = requireCached("fixture", from) as { twice(n: number): number };
    expect(exports.twice(21)).toBe(42);
    expect(createRequire(from)("fixture")).toBe(exports);
  });

  it("runs the module as require would, registers it, and writes the cache once", () => {
    const cache = join(work, "cache-a");
    enableCodeCache(cache);
    const from = fixturePackage();
    const file = createRequire(from).resolve("fixture");
    const exports = requireCached("fixture", from) as { twice(n: number): number; file: string; dir: string };
    expect(exports.twice(5)).toBe(10);
    expect(exports.file).toBe(file);
    expect(exports.dir).toBe(join(file, ".."));
    // Later requires of the same file, from anywhere, get this instance.
    expect(createRequire(from)("fixture")).toBe(exports);
    expect(require.cache[file]?.loaded).toBe(true);
    expect(requireCached("fixture", from)).toBe(exports);

    saveCodeCache();
    const written = readdirSync(cache);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(new RegExp(`^main-${process.version}-${process.arch}-\\d+-\\d+\\.bin$`));
    const data = readFileSync(join(cache, written[0] ?? ""));
    expect(data.length).toBeGreaterThan(0);

    // Loaded again with the data: nothing to write (the data was accepted), same behaviour.
    delete require.cache[file];
    const again = requireCached("fixture", from) as { twice(n: number): number };
    expect(again.twice(4)).toBe(8);
    rmSync(join(cache, written[0] ?? ""));
    saveCodeCache();
    expect(readdirSync(cache)).toEqual([]);
  });

  it("compiles normally when the data is not V8's, and replaces it", () => {
    // In a new process each time: V8 keeps compiled scripts for the life of a process and would not
    // read the data again here.
    const cache = join(work, "cache-b");
    const from = fixturePackage();
    const codeCache = pathToFileURL(join(packageRoot, "dist", "generator", "code-cache.js")).href;
    const load = (): string => {
      const script = `const c = await import(${JSON.stringify(codeCache)}); c.enableCodeCache(${JSON.stringify(cache)});
        console.log(c.requireCached("fixture", ${JSON.stringify(from)}).twice(1)); c.saveCodeCache();`;
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      return run.stdout.trim();
    };
    expect(load()).toBe("2");
    const [name = ""] = readdirSync(cache);
    const good = readFileSync(join(cache, name));
    writeFileSync(join(cache, name), "not a code cache");
    expect(load()).toBe("2");
    // Rewritten: V8's data again (it starts with V8's magic number), not the bad bytes.
    const rewritten = readFileSync(join(cache, name));
    expect(rewritten.subarray(0, 4)).toEqual(good.subarray(0, 4));
    expect(rewritten.length).toBeGreaterThan(100);
  });

  it("removes the data of other versions of the same module, and nothing else", () => {
    const cache = join(work, "cache-c");
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, "main-v18.0.0-x64-1-1.bin"), "old");
    writeFileSync(join(cache, "other-v18.0.0-x64-1-1.bin"), "another module's");
    writeFileSync(join(cache, "notes.txt"), "not ours");
    enableCodeCache(cache);
    requireCached("fixture", fixturePackage());
    saveCodeCache();
    const left = readdirSync(cache).sort();
    expect(left.filter((name) => name.startsWith("main-"))).toHaveLength(1);
    expect(left).toContain("other-v18.0.0-x64-1-1.bin");
    expect(left).toContain("notes.txt");
    expect(left).not.toContain("main-v18.0.0-x64-1-1.bin");
  });

  it("never fails a run over the cache: a folder that cannot be made is skipped", () => {
    const blocker = join(work, "a-file");
    writeFileSync(blocker, "");
    enableCodeCache(join(blocker, "cache"));
    expect((requireCached("fixture", fixturePackage()) as { twice(n: number): number }).twice(2)).toBe(4);
    expect(() => saveCodeCache()).not.toThrow();
  });

  it("passes a module's own error on, and leaves it out of the require cache", () => {
    enableCodeCache(join(work, "cache-d"));
    const from = fixturePackage('throw new Error("fixture failed to load");');
    expect(() => requireCached("fixture", from)).toThrow("fixture failed to load");
    expect(require.cache[createRequire(from).resolve("fixture")]).toBeUndefined();
  });
});

describe("defaultCodeCacheDir", () => {
  it("follows MATTERMOST_TYPED_CACHE, then XDG_CACHE_HOME; MATTERMOST_TYPED_CODE_CACHE=0 turns it off", () => {
    expect(defaultCodeCacheDir({ MATTERMOST_TYPED_CACHE: "/c", XDG_CACHE_HOME: "/x" })).toBe(join("/c", "v8"));
    expect(defaultCodeCacheDir({ XDG_CACHE_HOME: "/x" })).toBe(join("/x", "mattermost-typed", "v8"));
    expect(defaultCodeCacheDir({})).toMatch(/[\\/]\.cache[\\/]mattermost-typed[\\/]v8$/);
    expect(defaultCodeCacheDir({ MATTERMOST_TYPED_CODE_CACHE: "0", MATTERMOST_TYPED_CACHE: "/c" })).toBeUndefined();
  });
});

describe("the CLI with the code cache", () => {
  const spec = join(packageRoot, "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml");

  function outputOf(dir: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        files.set(join(entry.parentPath, entry.name).slice(dir.length), readFileSync(join(entry.parentPath, entry.name), "utf8"));
    }
    return files;
  }

  it("writes TypeScript's cache on the first run, reuses it, and the output is the same cold, warm and off", async () => {
    const cacheHome = join(work, "cli-cache");
    const generate = async (name: string, env: Record<string, string>): Promise<Map<string, string>> => {
      const out = join(work, name);
      const run = await runCli(["generate", "--quiet", "--no-diff", "--spec", spec, "--out", out], { env: { ...process.env, ...env } });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      return outputOf(out);
    };
    const cold = await generate("out-cold", { MATTERMOST_TYPED_CACHE: cacheHome });
    const written = readdirSync(join(cacheHome, "v8"));
    expect(written).toEqual([expect.stringMatching(/^typescript-v\d+\.\d+\.\d+-\w+-\d+-\d+\.bin$/)]);
    const data = join(cacheHome, "v8", written[0] ?? "");
    const before = statSync(data);
    const warm = await generate("out-warm", { MATTERMOST_TYPED_CACHE: cacheHome });
    // Read and accepted by V8: a rejected cache would have been written again.
    expect(readdirSync(join(cacheHome, "v8"))).toEqual(written);
    expect(statSync(data).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(data).ino).toBe(before.ino);
    const off = await generate("out-off", { MATTERMOST_TYPED_CACHE: join(work, "cli-cache-off"), MATTERMOST_TYPED_CODE_CACHE: "0" });
    expect(() => readdirSync(join(work, "cli-cache-off"))).toThrow();
    expect(cold.size).toBeGreaterThan(50);
    expect(warm).toEqual(cold);
    expect(off).toEqual(cold);
  }, 60_000);
});
