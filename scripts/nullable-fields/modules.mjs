// Where the pinned server's Go sources are, and running scripts/nullable-fields/main.go on them.
//
// The server build (scripts/mattermost-server/build.mjs) downloads both modules into the Go module
// cache and records the versions it used in `<cache>/server-<ref>/build.json`; the module folders
// are `$(go env GOMODCACHE)/github.com/mattermost/mattermost/server/{v8,public}@<version>`.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { cacheRoot, DEFAULT_REF } from "../mattermost-server/build.mjs";

const run = promisify(execFile);
export const here = dirname(fileURLToPath(import.meta.url));
/** The committed table that write.mjs reads. */
export const TABLE = join(here, "table.json");

/**
 * The two module folders, or `{ missing }` saying what is not there (no Go, no server build, a
 * module not downloaded), for a test to skip with that reason.
 */
export async function locateModules(ref = process.env.MATTERMOST_SERVER_REF ?? DEFAULT_REF) {
  let modCache;
  try {
    modCache = (await run("go", ["env", "GOMODCACHE"])).stdout.trim();
  } catch {
    return { missing: "Go is not installed (`go env GOMODCACHE` failed)" };
  }
  const buildFile = join(cacheRoot(), `server-${ref}`, "build.json");
  if (!existsSync(buildFile)) return { missing: `the server ${ref} is not built (no ${buildFile}; run npm run server:build)` };
  const build = JSON.parse(readFileSync(buildFile, "utf8"));
  const base = join(modCache, "github.com", "mattermost", "mattermost", "server");
  const serverDir = join(base, `v8@${build.version}`);
  const publicDir = join(base, `public@${build.public}`);
  for (const dir of [serverDir, publicDir])
    if (!existsSync(dir)) return { missing: `the module folder ${dir} is not in the Go module cache` };
  return { serverDir, publicDir };
}

/** Runs the Go program; resolves to the table's JSON text. */
export async function readServerTable(modules) {
  const { stdout } = await run("go", ["run", join(here, "main.go"), "-public", modules.publicDir, "-server", modules.serverDir], {
    maxBuffer: 64 * 1024 * 1024,
    // Standard library only: no module of ours, no network.
    env: { ...process.env, GO111MODULE: "off", GOFLAGS: "" },
  });
  return stdout;
}

/** Every JSON field of public/model with whether its tag says omitempty (main.go -structs). */
export async function readStructFields(modules) {
  const { stdout } = await run("go", ["run", join(here, "main.go"), "-structs", "-public", modules.publicDir], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GOFLAGS: "" },
  });
  return JSON.parse(stdout);
}
