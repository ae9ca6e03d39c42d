#!/usr/bin/env node
// `npm run conformance`: the conformance sweep against a real Mattermost server.
//
// Starts a fresh seeded server (scripts/mattermost-server/server.mjs; the binary is built on first
// use), runs the sweep (scripts/conformance/sweep.ts, bundled with esbuild first since Node runs no
// TypeScript), writes docs/conformance.md and .cache/conformance/report.json, and stops the server.
//
//   node scripts/conformance/sweep.mjs [--facts <facts.json>] [--no-write] [--check] [--samples <file.json>]
//     --facts     use a running server (the facts file `node scripts/mattermost-server/server.mjs` prints)
//     --no-write  print the summary only; leave docs/conformance.md as it is
//     --check     exit with status 1 unless every swept operation conforms
//     --samples   also write every 2xx answer, decoded, to this JSON file (to work on overlays; it holds
//                 the tokens the server issued to the sweep's own users: keep it local)
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const say = (line) => process.stderr.write(`[conformance] ${line}\n`);

async function main() {
  const { values } = parseArgs({
    options: {
      facts: { type: "string" },
      samples: { type: "string" },
      "no-write": { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: node scripts/conformance/sweep.mjs [--facts <facts.json>] [--no-write] [--check] [--samples <file.json>]\n",
    );
    return 0;
  }
  // Inside the repository, so that the bundle's bare imports resolve to node_modules/.
  const outDir = join(root, ".cache", "conformance");
  await mkdir(outDir, { recursive: true });
  const bundle = join(outDir, "sweep.bundle.mjs");
  await build({
    stdin: {
      contents: 'export { runSweep } from "./sweep.ts";\nexport { formatMarkdown } from "./report.ts";\n',
      resolveDir: join(root, "scripts/conformance"),
      sourcefile: "entry.ts",
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: bundle,
    logLevel: "silent",
  });
  const { runSweep, formatMarkdown } = await import(pathToFileURL(bundle).href);

  let server;
  let facts;
  if (values.facts) {
    facts = JSON.parse(await readFile(values.facts, "utf8"));
  } else {
    const { startServer } = await import("../mattermost-server/server.mjs");
    server = await startServer();
    facts = server.facts;
  }
  try {
    const samples = [];
    const result = await runSweep({
      facts,
      report: say,
      ...(values.samples ? { onResponse: (record, body) => samples.push({ ...record, body }) } : {}),
    });
    if (values.samples) await writeFile(values.samples, `${JSON.stringify(samples, null, 1)}\n`);
    const { totals } = result;
    say(
      `${totals.operations} operations: ${totals.swept} swept, ${totals.conforms} conform, ${totals.mismatch} mismatch; ` +
        `${totals["not on this server"]} not on this server, ${totals.unavailable} unavailable, ${totals["nothing to read"]} nothing to read, ${totals.failed} failed, ` +
        `${totals.skipped} skipped, ${totals["not planned"]} not planned (${totals.calls} calls)`,
    );
    await writeFile(join(outDir, "report.json"), `${JSON.stringify(result, null, 2)}\n`);
    say(`JSON report: ${join(outDir, "report.json")}`);
    if (!values["no-write"]) {
      await writeFile(join(root, "docs", "conformance.md"), formatMarkdown(result));
      say("wrote docs/conformance.md");
    }
    return values.check && totals.mismatch > 0 ? 1 : 0;
  } finally {
    await server?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // The message names what went wrong (a bad option, a missing facts file, a server that did not start).
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
