#!/usr/bin/env node
/**
 * npm run bench: every benchmark of issue 9, against the peers, in one run on one machine; writes
 * bench/results.json and bench/RESULTS.md.
 *
 *   generation          full v11.6.0: our CLI vs openapi-typescript, @hey-api/openapi-ts, orval
 *   consumer type-check one program written three ways, tsc 5.9 and tsgo
 *   bundle per call     createPost (and the socket) minified + gzipped vs openapi-fetch, Client4
 *   REST overhead       getMe calls per second on a local server vs raw fetch, Client4
 *   REST rate limit     200 concurrent mixed calls by one user under the real server's 10/s limit (issue 24)
 *   socket dispatch     events per second vs a bare JSON.parse loop, @mattermost/client's socket
 *   scale               our generation on 2023-06, v11.6.0 and v11.6.0 tripled
 *   overlay states      classifying and applying the overlay actions on v11.6.0 and 2023-06
 *
 * BENCH_QUICK=1: one run each, small sizes, results in bench/.work/ (the committed ones stay);
 * BENCH_RUNS=n: runs per process benchmark (default 5). Exit status 1 when a size budget is
 * exceeded or a benchmark cannot run; times are reported, never fail.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchBundle } from "./bundle.mjs";
import { benchGeneration, benchScale } from "./generation.mjs";
import { benchOverlays } from "./overlays.mjs";
import { loadAverage, machine, prepareSpecs, quick, root, rssMethod, version, work } from "./lib.mjs";
import { measureRecovery } from "./recover.mjs";
import { measureOverhead, measureRateLimited } from "./rest.mjs";
import { measureDispatch, TARGET_RATIO as SOCKET_TARGET } from "./socket.mjs";
import { benchTypecheck } from "./typecheck.mjs";

const runs = quick ? 1 : Number(process.env.BENCH_RUNS ?? 5);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`BENCH_RUNS must be a whole number of runs, 1 or more (got "${process.env.BENCH_RUNS}").\n`);
  process.exit(2);
}
const warmup = !quick;
const settings = {
  quick,
  runs,
  warmup,
  rest: quick ? { calls: 150, rounds: 1 } : { calls: 1000, rounds: 5 },
  socket: quick ? { events: 40_000, rounds: 1 } : { events: 1_000_000, rounds: 1 },
  scaleTimes: 3,
};

const log = (line) => process.stdout.write(`${line}\n`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
mkdirSync(work, { recursive: true });

const results = {
  date: new Date().toISOString(),
  settings,
  machine: await machine(),
  loadAverageAtStart: await loadAverage(),
  commit: git(["rev-parse", "--short", "HEAD"]),
  uncommittedChanges: git(["status", "--porcelain"]).split("\n").filter(Boolean).length,
  versions: {
    "mattermost-typed": JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version,
    "openapi-typescript": version("openapi-typescript"),
    "@hey-api/openapi-ts": version("@hey-api/openapi-ts"),
    orval: version("orval"),
    "@mattermost/client": version("@mattermost/client"),
    "openapi-fetch": version("openapi-fetch"),
    typescript: version("typescript"),
    "@typescript/native-preview": version("@typescript/native-preview"),
    esbuild: version("esbuild"),
  },
  rssMethod,
  sections: {},
  checks: [],
  errors: [],
};

function git(args) {
  const result = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : "unknown";
}

/** Runs one section; a crash is recorded and makes the run fail (the benchmarks must not rot). */
async function section(id, title, fn) {
  log(`== ${title} (${elapsed()})`);
  try {
    const value = await fn();
    results.sections[id] = value;
    for (const check of value.checks ?? []) {
      results.checks.push({ section: title, ...check, failsTheRun: check.gated !== false && GATED.has(check.kind) });
      log(`   ${check.pass ? "ok    " : "MISSED"} ${check.what}: ${formatValue(check.value)} (target ${check.target})`);
    }
  } catch (error) {
    results.errors.push({ section: title, message: String(error?.stack ?? error) });
    log(
      `   ERROR ${String(error?.message ?? error)
        .split("\n")
        .slice(0, 12)
        .join("\n   ")}`,
    );
  }
}

/**
 * Sizes are stable and correctness is not noise: those fail the run (issue 9: the createPost bundle
 * over its budget makes CI red; the createPost + socket bundle over its budget too). A check marked
 * `gated: false` (a target not met yet) is reported only. Times and memory are reported.
 */
const GATED = new Set(["size", "correctness"]);
const formatValue = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

let specs;
await section("specs", "repaired spec for the peers", () => {
  specs = prepareSpecs();
  return { orvalFixes: specs.orvalFixes };
});

await section("generation", "generation", () => benchGeneration({ runs, specs, warmup }));

await section("typecheck", "consumer type-check", () =>
  benchTypecheck({
    // More rounds than the others: these processes are short, and their differences small.
    runs: quick ? runs : Math.max(runs, 15),
    warmup,
    diagnose: !quick,
    fastBuild: quick,
    generated: join(work, "generation", "mattermost-typed"),
    repaired: specs.repaired,
  }),
);

await section("bundle", "bundle per call", () => benchBundle());

await section("rest", "REST overhead", async () => {
  const time = await measureOverhead({ ...settings.rest, client4: true });
  const perSecond = (us) => 1e6 / us;
  const ratio = perSecond(time.clientUs) / perSecond(time.fetchUs);
  return {
    ...time,
    fetchPerSecond: perSecond(time.fetchUs),
    clientPerSecond: perSecond(time.clientUs),
    timedPerSecond: perSecond(time.timedUs),
    client4PerSecond: perSecond(time.client4Us),
    checks: [{ what: "getMe calls/s, mattermost-typed / raw fetch", value: ratio, target: ">= 0.9x", pass: ratio >= 0.9, kind: "time" }],
  };
});

await section("rateLimited", "REST under the rate limit", async () => {
  const row = await measureRateLimited({ calls: quick ? 60 : 200 });
  return {
    ...row,
    checks: [
      {
        what: `${row.calls} concurrent mixed calls, failures`,
        value: row.failures,
        target: "0",
        pass: row.failures === 0,
        kind: "correctness",
      },
      {
        what: `${row.calls} calls, time / ideal (calls / perSec)`,
        value: row.ratio,
        target: "<= 1.2x",
        pass: row.ratio <= 1.2,
        kind: "time",
      },
      { what: `${row.calls} calls, 429 answers received`, value: row.limited, target: "reported", pass: true, kind: "time" },
    ],
  };
});

await section("socket", "socket dispatch", async () => {
  const dispatch = await measureDispatch({ ...settings.socket, client4: true });
  return {
    ...dispatch,
    checks: [
      {
        what: "events/s, mattermost-typed socket / bare JSON.parse loop",
        value: dispatch.ratio,
        target: `>= ${SOCKET_TARGET}x`,
        pass: dispatch.ratio >= SOCKET_TARGET,
        kind: "time",
      },
      {
        what: "every event fed reached its handler, no socket:error",
        value: dispatch.handledBySocket === dispatch.fedToSocket && dispatch.socketErrors === 0 ? 1 : 0,
        target: "1 (yes)",
        pass: dispatch.handledBySocket === dispatch.fedToSocket && dispatch.socketErrors === 0,
        kind: "correctness",
      },
    ],
  };
});

await section("recovery", "socket recovery", async () => {
  const cost = await measureRecovery({ rounds: quick ? 1 : 3 });
  const exact = cost.delivered === cost.missed && cost.duplicates === 0 && cost.inOrder;
  return {
    ...cost,
    checks: [
      {
        what: "REST requests of a recovery (10 of 200 channels active)",
        value: cost.requests,
        target: `<= ${cost.budget}`,
        pass: cost.requests <= cost.budget,
        kind: "correctness",
      },
      { what: "missed posts delivered once, in order", value: exact ? 1 : 0, target: "1 (yes)", pass: exact, kind: "correctness" },
    ],
  };
});

await section("scale", "scale", () => benchScale({ runs, times: settings.scaleTimes, warmup }));

await section("overlays", "overlay states", () =>
  benchOverlays({ runs, generationMs: results.sections.generation?.rows?.find((row) => row.id === "mattermost-typed")?.medianMs }),
);

results.loadAverageAtEnd = await loadAverage();
results.durationSeconds = Math.round((Date.now() - started) / 1000);
const failures = [
  ...results.errors.map((error) => `${error.section}: could not run`),
  ...results.checks
    .filter((check) => check.failsTheRun && !check.pass)
    .map((check) => `${check.section}: ${check.what} is ${formatValue(check.value)} (budget ${check.target})`),
];
results.failures = failures;

const outDir = quick ? work : join(root, "bench");
const jsonFile = join(outDir, quick ? "results.quick.json" : "results.json");
const mdFile = join(outDir, quick ? "RESULTS.quick.md" : "RESULTS.md");
writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
const { renderMarkdown } = await import("./report.mjs");
writeFileSync(mdFile, renderMarkdown(results));
log(`== done in ${elapsed()}: ${jsonFile.replace(`${root}/`, "")}, ${mdFile.replace(`${root}/`, "")}`);
const missed = results.checks.filter((check) => !check.pass);
log(
  `   ${results.checks.length - missed.length} targets met, ${missed.length} missed (${missed.filter((c) => c.failsTheRun).length} of them fail the run)`,
);
if (failures.length > 0) {
  log(`bench FAILED:\n  ${failures.join("\n  ")}`);
  process.exitCode = 1;
}
