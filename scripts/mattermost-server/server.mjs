#!/usr/bin/env node
// Starts a real Mattermost server for end-to-end tests, seeded and ready.
//
//   import { startServer } from "./scripts/mattermost-server/server.mjs";
//   const server = await startServer();   // builds the binary first if needed
//   ... server.url, server.admin.token, server.bot.token, server.channels.public.id ...
//   await server.stop();                  // kills the server, drops its database, removes temp dirs
//
//   node scripts/mattermost-server/server.mjs [--keep]   # CLI: runs until Ctrl-C
//
// Each start gets a fresh PostgreSQL database (unique name), a free port on 127.0.0.1 and a temp
// dir (config.json, data/, logs/). Types: server.d.mts. Options and facts: README.md.

import { spawn } from "node:child_process";
import { closeSync, constants as fsConstants, openSync } from "node:fs";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bootstrapServer } from "./bootstrap.mjs";
import { ensureServerBuilt } from "./build.mjs";
import { cleanupRunSync, registerServer, reapStaleRuns, RUN_DIR_PREFIX, unregisterServer } from "./cleanup.mjs";
import { createServerConfig, DEFAULT_RATE_LIMIT } from "./config.mjs";
import { createDatabase, dataSource, dropDatabase, postgresSettings, refreshPostStats, uniqueDatabaseName } from "./database.mjs";
import { formatDuration, stderrReporter } from "./progress.mjs";

const DEFAULT_START_TIMEOUT_MS = 240_000;
// The database is dropped right after, so a slow graceful shutdown (up to ~10 s seen) buys nothing.
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_LINES = 40;

/**
 * @param {import("./server.d.mts").StartServerOptions} [options]
 * @returns {Promise<import("./server.d.mts").RunningMattermostServer>}
 */
export async function startServer(options = {}) {
  const report = options.report ?? stderrReporter("mattermost-server");
  const keep = options.keep ?? process.env.MATTERMOST_E2E_KEEP === "1";
  const pg = postgresSettings(options.postgres);
  const rateLimit = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  await reapStaleRuns(pg, report);

  // The binary: given, or built (or reused) from the Go module.
  const given = options.binary ?? process.env.MATTERMOST_SERVER_BINARY;
  const build = given ? undefined : await ensureServerBuilt({ ref: options.ref, report });
  const binary = resolve(given ?? build?.binary ?? "");
  await access(binary, fsConstants.X_OK).catch(() => {
    throw new Error(`the Mattermost server binary ${binary} does not exist or is not executable`);
  });
  const serverDir = dirname(dirname(binary));

  const started = Date.now();
  const runDir = await mkdtemp(join(tmpdir(), RUN_DIR_PREFIX));
  const dataDir = join(runDir, "data");
  const logDir = join(runDir, "logs");
  await mkdir(dataDir);
  await mkdir(logDir);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const dbName = uniqueDatabaseName();
  const ownerFile = join(runDir, "owner.json");
  const writeOwner = (serverPid) => writeFile(ownerFile, `${JSON.stringify({ ownerPid: process.pid, serverPid, dbName, port })}\n`);
  await writeOwner(null);

  try {
    await createDatabase(pg, dbName);
  } catch (error) {
    await rm(runDir, { recursive: true, force: true });
    throw error;
  }

  const configPath = join(runDir, "config.json");
  const config = createServerConfig({
    port,
    dataSource: dataSource(pg, dbName),
    dataDir,
    logDir,
    rateLimit,
    overrides: options.config,
  });
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

  // Start it. Its own stdout/stderr (early errors, panics) go to logs/console.log.
  const consolePath = join(logDir, "console.log");
  /** @type {import("node:child_process").ChildProcess} */
  let child;
  /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
  let exited;
  /** @type {Promise<never>} */
  let spawnFailed;
  const spawnServer = async () => {
    const consoleFd = openSync(consolePath, "a");
    const started = spawn(binary, ["server", "--config", configPath], {
      cwd: runDir,
      env: serverEnvironment(serverDir),
      stdio: ["ignore", consoleFd, consoleFd],
    });
    closeSync(consoleFd);
    child = started;
    exited = new Promise((done) => {
      started.once("exit", (code, signal) => done({ code, signal }));
    });
    spawnFailed = new Promise((_, fail) => {
      started.once("error", (error) => fail(new Error(`could not start ${binary}: ${error.message}`)));
    });
    spawnFailed.catch(() => {});
    await writeOwner(started.pid ?? null);
  };
  await spawnServer();
  report(`starting ${binary} on ${url} (database ${dbName}, run dir ${runDir})`);

  const runId = runDir;
  let stopping;
  let stopRequested = false;
  const stop = () => {
    stopping ??= (async () => {
      stopRequested = true;
      const stopStarted = Date.now();
      const how = await terminate(child, exited);
      const stoppedIn = formatDuration(Date.now() - stopStarted);
      unregisterServer(runId);
      if (keep) {
        report(`server stopped (${how}, ${stoppedIn}); kept database ${dbName} and ${runDir} (MATTERMOST_E2E_KEEP)`);
        return;
      }
      const cleanupStarted = Date.now();
      await dropDatabaseWithRetry(pg, dbName);
      await rm(runDir, { recursive: true, force: true });
      report(
        `server stopped (${how}, ${stoppedIn}); database dropped and temp dir removed in ${formatDuration(Date.now() - cleanupStarted)}`,
      );
    })();
    return stopping;
  };
  registerServer(runId, {
    stop,
    stopSync: () => cleanupRunSync({ child, pg, dbName, runDir, keep }),
  });
  let ready = false;
  let restarting = false;
  const watchExit = () => {
    const watched = child;
    exited.then(async ({ code, signal }) => {
      // During startup, the startup error reports the exit (with the log tail); a restart kills on purpose.
      if (stopRequested || !ready || restarting || watched !== child) return;
      report(`the Mattermost server exited on its own (${signal ?? `code ${code}`}); last log lines:\n${await logTail(logDir)}`);
    });
  };
  watchExit();
  /** SIGKILL (no shutdown at all, as a crash), then the same binary on the same config, database and port. */
  const restart = async () => {
    restarting = true;
    const killedAt = Date.now();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    await spawnServer();
    try {
      await Promise.race([waitForPing(url, startTimeoutMs, exited, logDir), spawnFailed]);
    } finally {
      restarting = false;
    }
    watchExit();
    report(`server restarted after SIGKILL in ${formatDuration(Date.now() - killedAt)}`);
  };

  let serverVersion;
  let seeded;
  try {
    serverVersion = await Promise.race([waitForPing(url, startTimeoutMs, exited, logDir), spawnFailed]);
    const bootMs = Date.now() - started;
    report(`server answered ping after ${formatDuration(bootMs)} (version ${serverVersion ?? "unknown"})`);
    seeded = await bootstrapServer(url, report);
  } catch (error) {
    const tail = await logTail(logDir);
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- last lines of the server log (${logDir}) ---\n${tail}`);
  }

  const facts = {
    url,
    port,
    serverVersion: serverVersion ?? null,
    build: build ? { module: build.module, version: build.version, commit: build.commit ?? null } : await buildInfoNextTo(serverDir),
    ...seeded,
    rateLimit,
    dbName,
    runDir,
    logDir,
    startedInMs: Date.now() - started,
  };
  ready = true;
  report(`ready in ${formatDuration(facts.startedInMs)}: ${url}`);
  return { ...facts, facts, stop, restart };
}

/**
 * Refreshes the post statistics of a running server's database, which the server itself only
 * does nightly (see `refreshPostStats` in database.mjs). Uses $PGHOST/$PGPORT/$PGUSER like `startServer()`.
 * @param {{ dbName: string }} facts
 */
export function refreshServerPostStats(facts) {
  return refreshPostStats(postgresSettings(), facts.dbName);
}

/** For a given binary: what build.mjs recorded next to it, if it built it. */
async function buildInfoNextTo(serverDir) {
  try {
    const info = JSON.parse(await readFile(join(serverDir, "build.json"), "utf8"));
    return { module: info.module ?? null, version: info.version ?? null, commit: info.commit ?? null };
  } catch {
    return { module: null, version: null, commit: null };
  }
}

/** The environment of the server: ours without MM_* (which would override config.json). */
function serverEnvironment(serverDir) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("MM_") && value !== undefined) env[key] = value;
  }
  env.MM_SERVER_PATH = serverDir;
  return env;
}

/** Polls GET /api/v4/system/ping until it answers 200; returns the X-Version-Id header. */
async function waitForPing(url, timeoutMs, exited, logDir) {
  const deadline = Date.now() + timeoutMs;
  let exit;
  exited.then((value) => {
    exit = value;
  });
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `the Mattermost server exited during startup (${exit.signal ?? `code ${exit.code}`}) before answering GET ${url}/api/v4/system/ping`,
      );
    }
    try {
      const response = await fetch(`${url}/api/v4/system/ping`, { signal: AbortSignal.timeout(3000) });
      if (response.status === 200) {
        await response.arrayBuffer();
        return response.headers.get("x-version-id") ?? undefined;
      }
      lastProblem = `status ${response.status}`;
      await response.arrayBuffer();
    } catch (error) {
      lastProblem = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    await new Promise((done) => setTimeout(done, 300));
  }
  throw new Error(
    `the Mattermost server did not answer GET ${url}/api/v4/system/ping within ${formatDuration(timeoutMs)} (last: ${lastProblem}; logs: ${logDir})`,
  );
}

/** SIGTERM, then SIGKILL after a grace period. Says how it ended. */
async function terminate(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return "had already exited";
  child.kill("SIGTERM");
  const graceful = await Promise.race([exited.then(() => true), delay(STOP_GRACE_MS).then(() => false)]);
  if (graceful) return "SIGTERM";
  child.kill("SIGKILL");
  await Promise.race([exited, delay(5000)]);
  return `SIGKILL after ${formatDuration(STOP_GRACE_MS)}`;
}

async function dropDatabaseWithRetry(pg, dbName) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await dropDatabase(pg, dbName);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await delay(1000);
    }
  }
}

function delay(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** The last lines of the server's log (JSON lines made readable) and of its console output. */
async function logTail(logDir) {
  const parts = [];
  const log = await readFile(join(logDir, "mattermost.log"), "utf8").catch(() => "");
  if (log.trim()) parts.push(lastLines(log, LOG_TAIL_LINES).map(readableLogLine).join("\n"));
  const console = await readFile(join(logDir, "console.log"), "utf8").catch(() => "");
  if (console.trim()) parts.push(`(console)\n${lastLines(console, LOG_TAIL_LINES).join("\n")}`);
  return parts.length > 0 ? parts.join("\n") : "(the server wrote no log)";
}

function lastLines(text, count) {
  return text.trimEnd().split("\n").slice(-count);
}

function readableLogLine(line) {
  try {
    const entry = JSON.parse(line);
    const { timestamp, level, msg, caller, ...rest } = entry;
    const fields = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join(" ");
    return `${timestamp ?? ""} ${level ?? ""} ${msg ?? ""} ${fields}`.slice(0, 500);
  } catch {
    return line.slice(0, 500);
  }
}

// ---------------------------------------------------------------------------------------------
// CLI

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(
      "usage: node scripts/mattermost-server/server.mjs [--keep]\n" +
        "  Starts a seeded Mattermost server and runs until Ctrl-C. Prints its URL and the path of a\n" +
        "  0600 JSON file with its facts (tokens, passwords, ids). --keep leaves the database and\n" +
        "  temp dir in place after stopping.\n",
    );
    return;
  }
  for (const arg of args) if (arg !== "--keep") throw new Error(`unknown argument: ${arg} (try --help)`);
  const server = await startServer({ keep: args.includes("--keep") });
  const factsFile = join(server.runDir, "facts.json");
  await writeFile(factsFile, `${JSON.stringify(server.facts, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(`Mattermost is running at ${server.url}\nfacts (tokens, passwords): ${factsFile}\nCtrl-C stops it.\n`);
  const onSignal = async () => {
    await server.stop();
    process.stdout.write("stopped\n");
    process.exit(0);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`[mattermost-server] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
