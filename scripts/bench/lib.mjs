/**
 * Helpers shared by the benchmark sections (`npm run bench`, scripts/bench/all.mjs): where things
 * are, how a child process is timed (wall clock and peak RSS), medians, and the repaired spec the
 * peers read. Nothing here downloads anything; every peer is a pinned dev dependency.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Scratch space, git-ignored: repaired specs, peer outputs, consumer builds. */
export const work = join(root, "bench", ".work");
export const quick = process.env.BENCH_QUICK === "1";

export const bin = {
  ours: join(root, "bin", "mattermost-typed.js"),
  openapiTypescript: join(root, "node_modules", "openapi-typescript", "bin", "cli.js"),
  heyApi: join(root, "node_modules", "@hey-api", "openapi-ts", "bin", "run.js"),
  orval: join(root, "node_modules", "orval", "dist", "bin", "orval.js"),
  tsc: join(root, "node_modules", "typescript", "bin", "tsc"),
};

/** tsgo's native binary (the package's bin is a launcher that would add a Node start-up to every run). */
export const tsgo = (() => {
  const native = join(root, "node_modules", "@typescript", `native-preview-${process.platform}-${process.arch}`, "lib", "tsgo");
  return existsSync(native) ? native : join(root, "node_modules", ".bin", "tsgo");
})();

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export function version(name) {
  return JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
}

export function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
/** How peak memory is measured, for the report. */
export const rssMethod = timeBin === undefined ? "not measured (no /usr/bin/time)" : "/usr/bin/time -f %M (max RSS of the process)";

/**
 * Runs `program args...` in `cwd` and returns wall time (ms), peak RSS (MiB; NaN without
 * /usr/bin/time) and stdout. Throws with the tail of the output when the process fails.
 */
export function timeCommand(program, args, { cwd = root, env } = {}) {
  const memoryFile = join(work, `.rss-${process.pid}`);
  const command = timeBin === undefined ? [program, ...args] : [timeBin, "-f", "%M", "-o", memoryFile, program, ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 2 ** 20,
    env: { ...process.env, ...env },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(
      `${program.replace(root, ".")} ${args.map((arg) => arg.replace(root, ".")).join(" ")} failed (status ${result.status}):\n${tail}`,
    );
  }
  let mib = Number.NaN;
  if (timeBin !== undefined) {
    const lines = readFileSync(memoryFile, "utf8").trim().split("\n");
    mib = Number(lines.at(-1)) / 1024;
    rmSync(memoryFile, { force: true });
  }
  return { ms, mib, stdout: result.stdout };
}

/** `timeCommand` for a Node script. */
export const timeNode = (args, options) => timeCommand(process.execPath, args, options);

/** Total size in bytes and file count of a file or a folder (recursively). */
export function sizeOf(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { bytes: stat.size, files: 1 };
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    bytes += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
    files += 1;
  }
  return { bytes, files };
}

/**
 * The peers' input: our repaired v11.6.0 document (`generate --write-spec`), since every peer fails
 * on the real file. orval also rejects an array schema without `items` (four in v11.6.0: two
 * schemas with `properties.items` where `items` was meant, one bare `type: array`, and a `$ref`
 * beside `type: array`); its copy gets those filled in mechanically, listed in `orvalFixes`.
 */
export function prepareSpecs() {
  const dir = fresh(join(work, "specs"));
  const repaired = join(dir, "repaired.json");
  timeNode([bin.ours, "generate", "--quiet", "--out", join(dir, "generated"), "--write-spec", repaired]);
  rmSync(join(dir, "generated"), { recursive: true, force: true });
  const document = JSON.parse(readFileSync(repaired, "utf8"));
  const orvalFixes = [];
  const walk = (node, path) => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, `${path}/${index}`);
      return;
    }
    if (node === null || typeof node !== "object") return;
    if (node.type === "array" && !("items" in node) && !("$ref" in node)) {
      if (node.properties?.items !== undefined && Object.keys(node.properties).length === 1) {
        node.items = node.properties.items;
        delete node.properties;
        orvalFixes.push(`${path}: properties.items moved to items`);
      } else {
        node.items = {};
        orvalFixes.push(`${path}: items {} added`);
      }
    }
    if (node.type === "array" && typeof node.$ref === "string") {
      delete node.type;
      orvalFixes.push(`${path}: type dropped beside $ref`);
    }
    for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`);
  };
  walk(document, "#");
  const orval = join(dir, "orval-input.json");
  writeFileSync(orval, JSON.stringify(document));
  return { repaired, orval, orvalFixes };
}

/** Machine facts for the report. */
export async function machine() {
  const os = await import("node:os");
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

export const loadAverage = async () => (await import("node:os")).loadavg().map((value) => Math.round(value * 100) / 100);
