// Making sure a test server never outlives the process that started it.
//
// - Every running server is registered here with its stop functions.
// - On SIGINT / SIGTERM / SIGHUP the servers are stopped properly (async), then the signal is
//   re-raised if nobody else handles it.
// - On `exit` (where only synchronous work runs) the server processes are SIGKILLed, their
//   databases dropped with a synchronous `psql`, and their temp dirs removed.
// - A process killed with SIGKILL cannot clean up; the next start reaps what it left behind:
//   every run dir holds an owner.json naming the owner pid, the server pid and the database.

import { readFileSync, rmSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATABASE_PREFIX, dropDatabase, dropDatabaseSync, listOurDatabases } from "./database.mjs";

/** Prefix of the temp dirs of runs; the reaper only looks at these. */
export const RUN_DIR_PREFIX = "mattermost-typed-e2e-";

/** @type {Map<string, { stop: () => Promise<void>, stopSync: () => void }>} */
const running = new Map();
let hooksInstalled = false;

export function registerServer(id, handlers) {
  running.set(id, handlers);
  installHooks();
}

export function unregisterServer(id) {
  running.delete(id);
}

function installHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", () => {
    for (const handlers of running.values()) {
      try {
        handlers.stopSync();
      } catch {
        // Nothing more can be done while the process exits.
      }
    }
    running.clear();
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    const onSignal = async () => {
      process.removeListener(signal, onSignal);
      await Promise.allSettled([...running.values()].map((handlers) => handlers.stop()));
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Whether the process exists and is not a zombie (a killed owner may linger as one). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/**
 * Cleans up after runs whose owner process is gone: kills their server process (only if its
 * command line still names the run's config file), drops their database, removes their dir.
 * Then drops our databases whose owner pid (in the name) is dead and that no run dir claims.
 */
export async function reapStaleRuns(pg, report) {
  const base = tmpdir();
  const claimed = new Set();
  let entries = [];
  try {
    entries = await readdir(base);
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    if (!entry.startsWith(RUN_DIR_PREFIX)) continue;
    const dir = join(base, entry);
    let owner;
    try {
      owner = JSON.parse(await readFile(join(dir, "owner.json"), "utf8"));
    } catch {
      continue;
    }
    if (typeof owner.dbName === "string") claimed.add(owner.dbName);
    if (typeof owner.ownerPid !== "number" || isAlive(owner.ownerPid)) continue;
    if (typeof owner.serverPid === "number" && isAlive(owner.serverPid) && commandLineMentions(owner.serverPid, dir)) {
      try {
        process.kill(owner.serverPid, "SIGKILL");
      } catch {
        // Gone in the meantime.
      }
    }
    if (typeof owner.dbName === "string") await dropDatabase(pg, owner.dbName).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    report(`removed leftovers of an earlier run (pid ${owner.ownerPid}): ${dir}`);
  }
  let databases = [];
  try {
    databases = await listOurDatabases(pg);
  } catch {
    return;
  }
  for (const name of databases) {
    if (claimed.has(name)) continue;
    const pid = Number.parseInt(name.slice(DATABASE_PREFIX.length).split("_")[0] ?? "", 10);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    await dropDatabase(pg, name).catch(() => {});
    report(`dropped the database of an earlier run (pid ${pid}): ${name}`);
  }
}

function commandLineMentions(pid, text) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
  } catch {
    return false;
  }
}

/** Synchronous cleanup of one run, for the `exit` hook. */
export function cleanupRunSync({ child, pg, dbName, runDir, keep }) {
  if (child && child.exitCode === null && child.signalCode === null) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
  if (keep) return;
  dropDatabaseSync(pg, dbName);
  rmSync(runDir, { recursive: true, force: true });
}
