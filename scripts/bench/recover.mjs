// `npm run bench` row "recovery" (issue #25): what a recovery costs, with the real code over real
// HTTP (recover-scenario.ts, bundled here with esbuild): a restart with kept cursors over 200
// channels of which 10 had activity (1 to 1 000 missed posts each). Requests are checked against
// the bound (channel list + per active channel one request and one per 200 missed posts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const MISSED = [1, 20, 150, 199, 200, 201, 399, 450, 800, 1_000];

export async function measureRecovery({ rounds = 3 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "mm-bench-recover-"));
  try {
    const outfile = join(dir, "scenario.mjs");
    await build({
      entryPoints: [join(root, "scripts/bench/recover-scenario.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      logLevel: "error",
    });
    const { runScenario } = await import(pathToFileURL(outfile).href);
    const times = [];
    let last;
    for (let round = 0; round < rounds; round++) {
      last = await runScenario({ channels: 200, missed: MISSED });
      times.push(last.ms);
    }
    times.sort((a, b) => a - b);
    return {
      channels: 200,
      active: MISSED.length,
      missed: last.missed,
      delivered: last.delivered,
      duplicates: last.duplicates,
      inOrder: last.inOrder,
      requests: last.requests,
      budget: last.budget,
      medianMs: times[Math.floor(times.length / 2)],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await measureRecovery(), null, 2));
}
