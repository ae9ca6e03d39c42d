// npm run bench:generate — the full v11.6.0 generation (types, functions, table, events) against
// openapi-typescript's CLI alone on the same input, in the same run. openapi-typescript cannot read
// the real file (duplicate map key), so it gets our repaired document (--write-spec).
// BENCH_RUNS=n sets the number of runs (median reported); BENCH_QUICK=1 runs once.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const runs = process.env.BENCH_QUICK === "1" ? 1 : Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), "mmt-bench-"));
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

function measure(args) {
  const command = timeBin === undefined ? [process.execPath, ...args] : [timeBin, "-f", "%M", process.execPath, ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { cwd: root, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stderr}`);
  const kb = timeBin === undefined ? NaN : Number(result.stderr.trim().split("\n").pop());
  return { ms, mib: kb / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const repaired = join(work, "repaired.json");
  measure(["bin/mattermost-typed.js", "generate", "--quiet", "--out", join(work, "warm"), "--write-spec", repaired]);
  const ours = [];
  const theirs = [];
  for (let i = 0; i < runs; i += 1) {
    ours.push(measure(["bin/mattermost-typed.js", "generate", "--quiet", "--out", join(work, "out")]));
    theirs.push(measure(["node_modules/openapi-typescript/bin/cli.js", repaired, "-o", join(work, "openapi-typescript.ts")]));
  }
  const row = (name, samples) => ({ name, ms: median(samples.map((s) => s.ms)), mib: Math.max(...samples.map((s) => s.mib)) });
  const rows = [row("mattermost-typed generate (full output)", ours), row("openapi-typescript CLI (types only, repaired input)", theirs)];
  const ratio = rows[0].ms / rows[1].ms;
  console.log(`generation of v11.6.0, median of ${runs} run(s):`);
  for (const r of rows)
    console.log(`  ${r.name.padEnd(52)} ${(r.ms / 1000).toFixed(2)} s   peak ${Number.isNaN(r.mib) ? "n/a" : `${r.mib.toFixed(0)} MiB`}`);
  console.log(`  ratio: ${ratio.toFixed(2)}x openapi-typescript (target <= 0.8x, issue #19); peak memory target < 250 MiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
