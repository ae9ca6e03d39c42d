// Runs before `npm test`: builds the generator (scripts/build-generator.mjs), then regenerates `generated/` when it is missing
// or stale (`generate --check` decides; the write is atomic either way).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: "inherit" }).status ?? 1;

if (run(process.execPath, [join(root, "scripts/build-generator.mjs")]) !== 0) process.exit(1);
const cli = join(root, "bin/mattermost-typed.js");
const check = run(process.execPath, [cli, "generate", "--check", "--quiet"]);
if (check === 1) process.exit(run(process.execPath, [cli, "generate"]));
process.exit(check);
