/**
 * A V8 code cache for TypeScript's 9 MB CommonJS file, the one module `generate` loads that costs
 * more to compile than to run (~0.3 s of each run: V8 pre-parses the whole file before running it,
 * then compiles each function the transform reaches). Node 22 has `module.enableCompileCache()`;
 * Node 20, which we support, does not, so the file is compiled here with `vm.Script` and the code
 * V8 produced is kept in a file for the next run.
 *
 * Off unless `enableCodeCache(dir)` is called: the CLI calls it (the library writes no files of its
 * own). The data is written once, after the run that had none (so it holds the functions the
 * transform compiled, not only the top level), atomically, and any failure to read or write it is
 * ignored: the cache can only make a run faster, never fail it. V8 checks the data against the
 * source and its own version and flags, and compiles normally when they differ; the file name
 * also carries Node's version and the file's size and modification time, so an upgrade writes a
 * new file instead of being rejected at every run.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Module, createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Script, constants as vmConstants } from "node:vm";

interface Compiled {
  readonly script: Script;
  readonly cacheFile: string;
  /** The start of the names of this module's cache files, whatever their versions. */
  readonly prefix: string;
  /** Whether the cache file should be (re)written: there was none, or V8 rejected it. */
  readonly stale: boolean;
}

let cacheDir: string | undefined;
const compiled: Compiled[] = [];

/**
 * Where the CLI keeps the cache: `$MATTERMOST_TYPED_CACHE`, else `$XDG_CACHE_HOME/mattermost-typed`,
 * else `~/.cache/mattermost-typed` (the same folder as the e2e server build), then `v8/`.
 * `MATTERMOST_TYPED_CODE_CACHE=0` turns it off (`undefined`).
 */
export function defaultCodeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MATTERMOST_TYPED_CODE_CACHE === "0") return undefined;
  const base = env.MATTERMOST_TYPED_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "mattermost-typed");
  return join(base, "v8");
}

/** Compile the modules `requireCached` loads with a code cache kept in `dir` (`undefined`: off). */
export function enableCodeCache(dir: string | undefined): void {
  cacheDir = dir;
}

/**
 * `require(specifier)` from `from`'s location, through the code cache when it is on. The module is
 * registered in `require.cache` under its resolved file before it runs, as `require` does, so every
 * later `require` of the same file (openapi-typescript's own) gets this instance.
 */
export function requireCached(specifier: string, from: string): unknown {
  const require = createRequire(from);
  const file = require.resolve(specifier);
  const loaded = require.cache[file];
  if (loaded !== undefined || cacheDir === undefined) return loaded === undefined ? require(file) : loaded.exports;
  let source: string;
  let cacheFile: string;
  const prefix = `${basename(file, ".js")}-`;
  try {
    const stat = statSync(file);
    source = readFileSync(file, "utf8");
    const stamp = `${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}`;
    cacheFile = join(cacheDir, `${prefix}${stamp}.bin`);
  } catch {
    return require(file);
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The function `require` wraps a CommonJS module in.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  compiled.push({ script, cacheFile, prefix, stale: cachedData === undefined || script.cachedDataRejected === true });
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  try {
    wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

/**
 * Writes the cache of every module compiled without a usable one. Call it once the work is done:
 * the data then holds the functions that ran, which is most of what a next run saves.
 */
export function saveCodeCache(): void {
  for (const { script, cacheFile, prefix, stale } of compiled.splice(0)) {
    if (!stale) continue;
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
      // The data of an older Node or TypeScript is never read again.
      const name = basename(cacheFile);
      for (const other of readdirSync(dirname(cacheFile))) {
        if (other !== name && other.startsWith(prefix) && other.endsWith(".bin")) rmSync(join(dirname(cacheFile), other), { force: true });
      }
    } catch {
      // A cache that cannot be written only means the next run compiles again.
    }
  }
}
