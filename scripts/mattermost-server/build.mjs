#!/usr/bin/env node
// Builds the real Mattermost server from its Go module, for the end-to-end tests.
//
//   node scripts/mattermost-server/build.mjs [--ref REF] [--force] [--keep-source]
//
// Steps: resolve REF to a module version through the Go module proxy, `go mod download` the
// module, copy the read-only module directory to a writable one, require the matching
// `server/public` module when KNOWN_BUILDS names one, `go build ./cmd/mattermost` there, then keep
// only what the server needs at run time next to the binary:
//
//   <cache>/server-<version>/bin/mattermost
//   <cache>/server-<version>/{i18n,templates,fonts}/   found by the server through the binary's parent dir
//   <cache>/server-<version>/build.json                written last: a build without it is not reused
//
// <cache> is $MATTERMOST_TYPED_CACHE, else $XDG_CACHE_HOME/mattermost-typed, else
// ~/.cache/mattermost-typed. REF is --ref, else $MATTERMOST_SERVER_REF, else DEFAULT_REF below: a
// branch, a commit, or an exact (pseudo-)version. A built version is reused without any network.

import { spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { chmod, cp, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isAlive } from "./cleanup.mjs";
import { formatDuration, startHeartbeat, stderrReporter } from "./progress.mjs";

/** The Go module of the Mattermost server (the `server/` folder of mattermost/mattermost). */
export const SERVER_MODULE = "github.com/mattermost/mattermost/server/v8";

/**
 * What to build when nothing else is asked. The module has no semver tags of its own (the
 * repository's `v11.6.0` tag does not match the module's `/v8` path), so a version is a
 * pseudo-version `v8.0.0-<UTC commit time>-<commit>`. The Go module proxy reachable here serves only
 * some versions (no version list, no branch queries); this is the only one found that it serves:
 * master of 2026-01-13, which reports itself as 11.4.0, not the 11.6.0 of our spec. README.md in
 * this folder says what that means and how to move it.
 */
export const DEFAULT_REF = "v8.0.0-20260113162330-9e1d4c2072c0";

/** The module the server shares with plugins (model, plugin API); a separate module in the same repository. */
export const PUBLIC_MODULE = "github.com/mattermost/mattermost/server/public";

/**
 * What we know about a server version: its module checksum (`Sum` of `go mod download -json`), and
 * the `server/public` version to build it with. Upstream builds the server with the `public/`
 * folder of the same commit (through go.work); the `require` in the server's go.mod can be older
 * and then the build fails with "undefined: model.X". So we require the public module of (about)
 * the same commit instead. The public checksum database does not answer for these versions through
 * the proxy, so both modules are downloaded with GONOSUMDB and we check the checksums ourselves.
 */
const KNOWN_BUILDS = {
  "v8.0.0-20260113162330-9e1d4c2072c0": {
    sum: "h1:Q8G/lGungMAkoa3aWDIbkDOHFKo8o7D5whXobOwMCnI=",
    // The proxy does not serve server/public at 9e1d4c2072c0 itself; this is master 36 min later.
    public: {
      version: "v0.1.22-0.20260113165922-8e4cadbc88ee",
      sum: "h1:CcjbByJ/s6YfvR62ZckyjfQgUMnfmfW19XU2Lx8PqQU=",
    },
  },
};

/** Modules fetched without the checksum database (checked against KNOWN_BUILDS instead). */
const NO_SUMDB = `${SERVER_MODULE},${PUBLIC_MODULE}`;

/** Folders of the module the server reads at run time; it finds them next to its binary's dir. */
const REQUIRED_ASSETS = ["i18n", "templates"];
const OPTIONAL_ASSETS = ["fonts"];

/** Exact module versions (semver and pseudo-versions) need no resolution. */
const EXACT_VERSION = /^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+incompatible)?$/;

/** Go's settings for every go command we run: no workspace, no cgo (a static binary). */
const GO_ENV = { GOWORK: "off", CGO_ENABLED: "0", GONOSUMDB: NO_SUMDB };

export class BuildError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = "BuildError";
    this.command = details.command;
    this.logFile = details.logFile;
  }
}

/** The root of our cache, outside the repository. */
export function cacheRoot() {
  if (process.env.MATTERMOST_TYPED_CACHE) return resolve(process.env.MATTERMOST_TYPED_CACHE);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), ".cache"), "mattermost-typed");
}

/**
 * Makes sure a server binary for `ref` exists and returns where it is.
 * @param {{ ref?: string, force?: boolean, keepSource?: boolean, report?: (line: string) => void }} [options]
 */
export async function ensureServerBuilt(options = {}) {
  const report = options.report ?? stderrReporter("mattermost-build");
  const ref = options.ref ?? process.env.MATTERMOST_SERVER_REF ?? DEFAULT_REF;
  const root = cacheRoot();
  const started = Date.now();

  const resolved = await resolveVersion(ref, root, report);
  const dir = join(root, `server-${resolved.version}`);
  const built = await readBuildInfo(dir);
  if (built && !options.force) {
    report(`reusing the server built at ${built.built_at} (${resolved.version}): ${join(dir, "bin", "mattermost")}`);
    return result(dir, resolved.version, built, true);
  }
  if (resolved.offline) {
    throw new BuildError(
      `cannot build ${SERVER_MODULE}@${ref}: the Go module proxy could not resolve it (see above) and no build is cached in ${dir}`,
    );
  }

  await mkdir(dir, { recursive: true });
  const releaseLock = await lockBuild(dir, report);
  try {
    // Another process may have finished the same build while we waited for the lock.
    const again = options.force ? undefined : await readBuildInfo(dir);
    if (again) {
      report(`reusing the server another process just built: ${join(dir, "bin", "mattermost")}`);
      return result(dir, resolved.version, again, true);
    }
    const info = await buildInto(dir, ref, resolved, report, options.keepSource === true);
    report(`server ready in ${formatDuration(Date.now() - started)}: ${join(dir, "bin", "mattermost")}`);
    return result(dir, resolved.version, info, false);
  } finally {
    await releaseLock();
  }
}

function result(dir, version, info, reused) {
  return {
    binary: join(dir, "bin", "mattermost"),
    serverDir: dir,
    module: SERVER_MODULE,
    version,
    commit: info.commit ?? commitOf(version),
    buildSeconds: info.build_seconds,
    reused,
  };
}

/** The commit hash inside a pseudo-version, when there is one. */
function commitOf(version) {
  const match = /-(?:\d{14})-([0-9a-f]{12})$/.exec(version);
  return match ? match[1] : undefined;
}

async function readBuildInfo(dir) {
  try {
    const info = JSON.parse(await readFile(join(dir, "build.json"), "utf8"));
    await stat(join(dir, "bin", "mattermost"));
    for (const asset of REQUIRED_ASSETS) await stat(join(dir, asset));
    return info;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolving the version

async function resolveVersion(ref, root, report) {
  if (EXACT_VERSION.test(ref)) return { version: ref, dir: undefined, offline: false };

  const refsFile = join(root, "refs.json");
  const known = await readJson(refsFile, {});
  report(`resolving ${SERVER_MODULE}@${ref} through the Go module proxy (and downloading it)`);
  const started = Date.now();
  try {
    const download = await goModDownload(`${SERVER_MODULE}@${ref}`, report);
    report(`resolved ${ref} to ${download.Version} in ${formatDuration(Date.now() - started)}`);
    known[ref] = { version: download.Version, resolved_at: new Date().toISOString() };
    await mkdir(root, { recursive: true });
    await writeFile(refsFile, `${JSON.stringify(known, null, 2)}\n`);
    return { version: download.Version, dir: download.Dir, offline: false };
  } catch (error) {
    const previous = known[ref];
    if (previous && typeof previous.version === "string") {
      report(`${error instanceof Error ? error.message : String(error)}`);
      report(`using the version ${ref} resolved to on ${previous.resolved_at}: ${previous.version}`);
      return { version: previous.version, dir: undefined, offline: true };
    }
    throw error;
  }
}

/**
 * `go mod download -json MODULE@QUERY`: downloads into the module cache and returns its JSON.
 * Only for the server module itself; its dependencies are checked against its own go.sum.
 */
async function goModDownload(target, report) {
  const args = ["mod", "download", "-json", target];
  const env = GO_ENV;
  const shown = describeCommand("go", args, env);
  const stop = startHeartbeat(report, () => `still downloading ${target}`);
  let run;
  try {
    run = await runCommand("go", args, { cwd: homedir(), env });
  } finally {
    stop();
  }
  let parsed;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    parsed = undefined;
  }
  if (run.code !== 0 || !parsed || parsed.Error || !parsed.Dir) {
    const why = parsed?.Error ?? lastLines(`${run.stderr}\n${run.stdout}`, 20);
    throw new BuildError(`downloading the Mattermost server module failed.\n  command: ${shown}\n  error: ${why}`, {
      command: shown,
    });
  }
  const expected = KNOWN_BUILDS[parsed.Version]?.sum;
  if (expected && parsed.Sum !== expected) {
    throw new BuildError(
      `the downloaded ${SERVER_MODULE}@${parsed.Version} has checksum ${parsed.Sum}, expected ${expected}: refusing to build it.\n  command: ${shown}`,
      { command: shown },
    );
  }
  if (!expected) report(`note: no pinned checksum for ${parsed.Version}; its checksum is ${parsed.Sum}`);
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Building

async function buildInto(dir, ref, resolved, report, keepSource) {
  const started = Date.now();
  const logFile = join(dir, "build.log");
  await rm(join(dir, "build.json"), { force: true });

  // 1. Download (already done when the ref needed resolving).
  let moduleDir = resolved.dir;
  if (!moduleDir) {
    report(`downloading ${SERVER_MODULE}@${resolved.version}`);
    const t = Date.now();
    moduleDir = (await goModDownload(`${SERVER_MODULE}@${resolved.version}`, report)).Dir;
    report(`downloaded in ${formatDuration(Date.now() - t)}`);
  }

  // 2. Copy the read-only module to a writable folder.
  const source = join(dir, "src");
  report(`copying the module source to ${source}`);
  let t = Date.now();
  await rm(source, { recursive: true, force: true });
  await cp(moduleDir, source, { recursive: true });
  await makeWritable(source);
  report(`copied in ${formatDuration(Date.now() - t)}`);
  await checkGoMod(source);

  // 2b. The server/public module of the same commit, when we know which.
  const publicModule = KNOWN_BUILDS[resolved.version]?.public;
  if (publicModule) {
    report(`requiring ${PUBLIC_MODULE}@${publicModule.version} (about the server's own commit; see KNOWN_BUILDS)`);
    const editArgs = ["mod", "edit", `-require=${PUBLIC_MODULE}@${publicModule.version}`];
    const edit = await runCommand("go", editArgs, { cwd: source, env: GO_ENV });
    if (edit.code !== 0) {
      const command = `cd ${quote(source)} && ${describeCommand("go", editArgs, GO_ENV)}`;
      throw new BuildError(`editing go.mod failed (exit ${edit.code}).\n  command: ${command}\n${indent(lastLines(edit.output, 20))}`, {
        command,
      });
    }
  }

  // 3. Compile. `go build` downloads the dependencies it needs first ("go: downloading ...").
  const binDir = join(dir, "bin");
  await mkdir(binDir, { recursive: true });
  const partial = join(binDir, "mattermost.partial");
  const commit = commitOf(resolved.version);
  const ldflags = ["-s", "-w", `-X github.com/mattermost/mattermost/server/public/model.BuildNumber=${resolved.version}`];
  if (commit) ldflags.push(`-X github.com/mattermost/mattermost/server/public/model.BuildHash=${commit}`);
  // -mod=mod only when go.mod was edited: go.sum then gains the public module's lines.
  const args = [
    "build",
    "-v",
    publicModule ? "-mod=mod" : "-mod=readonly",
    "-trimpath",
    `-ldflags=${ldflags.join(" ")}`,
    "-o",
    partial,
    "./cmd/mattermost",
  ];
  report(`compiling ./cmd/mattermost (the first build downloads every dependency and takes many minutes; log: ${logFile})`);
  t = Date.now();
  let downloads = 0;
  let packages = 0;
  const stop = startHeartbeat(report, () => `compiling: ${downloads} modules downloaded, ${packages} packages built`);
  let run;
  try {
    run = await runCommand("go", args, {
      cwd: source,
      env: GO_ENV,
      logFile,
      onLine: (line) => {
        if (line.startsWith("go: downloading ")) downloads += 1;
        else if (!line.startsWith("#") && !line.includes(" ")) packages += 1;
      },
    });
  } finally {
    stop();
  }
  if (run.code !== 0) {
    const command = `cd ${quote(source)} && ${describeCommand("go", args, GO_ENV)}`;
    throw new BuildError(
      `compiling the Mattermost server failed (exit ${run.code}).\n  command: ${command}\n  last lines:\n${indent(lastLines(run.output, 30))}\n  full log: ${logFile}`,
      { command, logFile },
    );
  }
  report(`compiled in ${formatDuration(Date.now() - t)} (${downloads} modules downloaded, ${packages} packages built)`);
  if (publicModule) await checkGoSum(source, PUBLIC_MODULE, publicModule);

  // 4. Keep what the server needs at run time next to the binary.
  for (const asset of [...REQUIRED_ASSETS, ...OPTIONAL_ASSETS]) {
    const from = join(source, asset);
    if (!existsSync(from)) {
      if (REQUIRED_ASSETS.includes(asset)) {
        throw new BuildError(`the module has no ${asset}/ folder (${from}); the server cannot start without it`);
      }
      report(`note: the module has no ${asset}/ folder; skipped`);
      continue;
    }
    await rm(join(dir, asset), { recursive: true, force: true });
    await cp(from, join(dir, asset), { recursive: true });
  }
  await rename(partial, join(binDir, "mattermost"));
  if (!keepSource) await rm(source, { recursive: true, force: true });

  const goVersion = (await runCommand("go", ["env", "GOVERSION"], { cwd: dir, env: GO_ENV })).stdout.trim();
  const info = {
    module: SERVER_MODULE,
    ref,
    version: resolved.version,
    commit,
    public: publicModule?.version ?? null,
    go: goVersion,
    built_at: new Date().toISOString(),
    build_seconds: Math.round((Date.now() - started) / 1000),
  };
  await writeFile(join(dir, "build.json"), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** Files from the module cache are read-only; make the copy ours. */
async function makeWritable(path) {
  const entries = await readdir(path, { withFileTypes: true });
  await chmod(path, 0o755);
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await makeWritable(child);
    else if (entry.isFile()) {
      const mode = (await stat(child)).mode;
      await chmod(child, mode & 0o111 ? 0o755 : 0o644);
    }
  }
}

/** A `replace` to a local path cannot work outside the upstream repository: say so plainly. */
async function checkGoMod(source) {
  const goMod = await readFile(join(source, "go.mod"), "utf8");
  const local = goMod
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /=>\s*\.{1,2}\//.test(line));
  if (local.length > 0) {
    throw new BuildError(
      `the module's go.mod replaces modules with local folders that are not part of the module:\n${indent(local.join("\n"))}\n  (${join(source, "go.mod")})`,
    );
  }
}

/** After a `-mod=mod` build: the checksum go recorded for `module` must be the one we pinned. */
async function checkGoSum(source, module, pinned) {
  const goSum = await readFile(join(source, "go.sum"), "utf8");
  const line = goSum.split("\n").find((entry) => entry.startsWith(`${module} ${pinned.version} `));
  const recorded = line?.split(" ")[2];
  if (recorded !== pinned.sum) {
    throw new BuildError(
      `${module}@${pinned.version} has checksum ${recorded ?? "(none in go.sum)"}, expected ${pinned.sum}: refusing to use this build (${join(source, "go.sum")})`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Locking, so two test runs do not build the same version at once

async function lockBuild(dir, report) {
  const lockFile = join(dir, ".build.lock");
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockFile, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(lockFile, { force: true });
      };
    } catch (error) {
      if (!(error instanceof Error) || !("code" in error) || error.code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(await readFile(lockFile, "utf8").catch(() => ""), 10);
    if (!Number.isInteger(owner) || !isAlive(owner)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (!announced) {
      report(`waiting for another build of the same version (pid ${owner}) to finish`);
      announced = true;
    }
    await new Promise((done) => setTimeout(done, 5000));
  }
}

// ---------------------------------------------------------------------------------------------
// Running commands

/**
 * Runs a command with `env` added to ours. Collects stdout, stderr and their interleaving
 * (`output`); tees the interleaving to `logFile` and each line to `onLine` when given.
 */
function runCommand(command, args, { cwd, env, logFile, onLine }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const log = logFile ? createWriteStream(logFile) : undefined;
    let stdout = "";
    let stderr = "";
    let output = "";
    let pending = "";
    const feed = (text) => {
      output += text;
      if (output.length > 4_000_000) output = output.slice(-2_000_000);
      log?.write(text);
      if (!onLine) return;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    };
    child.stdout.setEncoding("utf8").on("data", (text) => {
      stdout += text;
      feed(text);
    });
    child.stderr.setEncoding("utf8").on("data", (text) => {
      stderr += text;
      feed(text);
    });
    child.on("error", (error) => {
      log?.end();
      const shown = describeCommand(command, args, env);
      reject(
        new BuildError(
          error && "code" in error && error.code === "ENOENT"
            ? `\`${command}\` was not found on PATH; it is needed to build the Mattermost server (command: ${shown})`
            : `could not run: ${shown}: ${error.message}`,
          { command: shown },
        ),
      );
    });
    child.on("close", (code) => {
      if (pending && onLine) onLine(pending);
      const finish = () => resolvePromise({ code: code ?? 1, stdout, stderr, output });
      if (log) log.end(finish);
      else finish();
    });
  });
}

function describeCommand(command, args, env = {}) {
  const prefix = Object.entries(env).map(([key, value]) => `${key}=${quote(value)}`);
  return [...prefix, command, ...args.map(quote)].join(" ");
}

function quote(value) {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

function lastLines(text, count) {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

function indent(text) {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

async function readJson(file, fallback) {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
  const options = { ref: undefined, force: false, keepSource: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--force") options.force = true;
    else if (arg === "--keep-source") options.keepSource = true;
    else if (arg === "--ref") options.ref = argv[++i];
    else if (arg.startsWith("--ref=")) options.ref = arg.slice("--ref=".length);
    else if (arg === "--help" || arg === "-h") options.help = true;
    else throw new Error(`unknown argument: ${arg} (try --help)`);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(
      "usage: node scripts/mattermost-server/build.mjs [--ref REF] [--force] [--keep-source]\n" +
        `  REF: branch, commit or exact module version (default: $MATTERMOST_SERVER_REF or ${DEFAULT_REF})\n` +
        `  cache: ${cacheRoot()} (set MATTERMOST_TYPED_CACHE to move it)\n`,
    );
    return;
  }
  const built = await ensureServerBuilt(options);
  process.stdout.write(`${JSON.stringify(built, null, 2)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`[mattermost-build] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
