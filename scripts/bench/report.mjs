/**
 * bench/RESULTS.md from the results object that scripts/bench/all.mjs builds (the same data as
 * bench/results.json). Only formatting here; every number comes from the run.
 */

const s = (ms) => (ms / 1000).toFixed(2);
const mib = (value) => (Number.isNaN(value) ? "n/a" : value.toFixed(0));
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const int = (n) => Math.round(n).toLocaleString("en-US");
const x = (ratio) => `${ratio.toFixed(2)}x`;
const mark = (pass) => (pass ? "met" : "**missed**");
const table = (header, rows) =>
  [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");

function summary(results) {
  const rows = results.checks.map((check) => [
    check.section,
    check.what,
    Number.isInteger(check.value) ? int(check.value) : check.value.toFixed(2),
    check.target,
    mark(check.pass),
    `${check.kind}${check.failsTheRun ? " (fails the run)" : " (reported)"}`,
  ]);
  return table(["benchmark", "measure", "value", "target", "result", "kind"], rows);
}

function generation(section, settings) {
  const rows = section.rows.map((row) => [
    row.tool,
    row.input,
    row.output,
    s(row.medianMs),
    `${s(row.minMs)}–${s(row.maxMs)}`,
    mib(row.maxPeakMiB),
    `${kb(row.outputSize.bytes)} in ${row.outputSize.files} file${row.outputSize.files === 1 ? "" : "s"}`,
    row.id.startsWith("mattermost-typed") ? "—" : x(row.ratioOursToThis),
  ]);
  const cold = section.rows.find((row) => row.coldRatios !== undefined);
  return [
    `Wall time of the whole process (start-up included), median of ${section.rows[0].runs} interleaved run(s)${settings.warmup ? " after one warm-up run each" : ""}; peak RSS is the maximum over the runs. "ours / this" is the median of the per-round ratios (the runs of a round are back to back, so load changes between rounds cancel out).`,
    "",
    table(["tool", "input", "output", "median s", "min–max s", "peak RSS MiB", "output", "ours / this"], rows),
    "",
    cold === undefined
      ? ""
      : `Our CLI keeps the code V8 compiled for TypeScript's 9 MB file between runs (\`generator/code-cache.ts\`; the warm-up run writes it). Without it, as on a machine's first run: ${Object.entries(
          cold.coldRatios,
        )
          .map(([id, ratio]) => `${x(ratio)} ${id}`)
          .join(", ")}.`,
    "",
    "Every peer fails on the real v11.6.0 file (a path defined twice gives the YAML a duplicate key), so they read the document our generator repairs (`mattermost-typed generate --write-spec`).",
    section.orvalFixes.length === 0
      ? ""
      : `orval also rejects array schemas without \`items\`; its copy of the repaired document gets ${section.orvalFixes.length} mechanical fixes: ${section.orvalFixes.map((fix) => `\`${fix}\``).join(", ")}.`,
    "",
    "Commands (paths relative to the repository):",
    "",
    ...section.rows.map((row) => `- ${row.id}: \`${row.env ? `${row.env} ` : ""}node ${row.command}\``),
  ].join("\n");
}

function typecheck(section) {
  const rows = section.rows.map((row) => [
    row.compilerLabel,
    row.label,
    s(row.medianMs),
    row.consumer === "@mattermost/client" ? "1.00x" : x(row.ratioToMattermostClient),
    row.medianTotalS === undefined ? "n/a" : `${row.medianTotalS.toFixed(2)} s`,
    row.diagnostics.Files === undefined ? "n/a" : int(row.diagnostics.Files),
    row.diagnostics.Files === undefined ? "n/a" : int(row.diagnostics.Lines),
    row.diagnostics.Types === undefined ? "n/a" : int(row.diagnostics.Types),
    row.diagnostics.Instantiations === undefined ? "n/a" : int(row.diagnostics.Instantiations),
    row.diagnostics["Check time"] === undefined ? "n/a" : `${row.diagnostics["Check time"].toFixed(2)} s`,
    row.diagnostics["Memory used"] === undefined ? "n/a" : `${(row.diagnostics["Memory used"] / 1024).toFixed(0)} MiB`,
  ]);
  const options = Object.entries(section.compilerOptions)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join(", ");
  return [
    `Wall time of \`--noEmit -p --extendedDiagnostics\` on one consumer (start-up included), median of ${section.rows[0].runs} interleaved run(s); the ratio is the median of the per-round ratios. "compiler total" is the compiler's own \`Total time\` in the same runs (parse, bind, check: without the process start-up), median. The counts come from the last of those runs.`,
    "",
    table(
      [
        "compiler",
        "consumer",
        "median s",
        "vs @mattermost/client",
        "compiler total",
        "files",
        "lines (libs included)",
        "types",
        "instantiations",
        "check time",
        "memory",
      ],
      rows,
    ),
    "",
    "The programs are in `bench/consumers/`. mattermost-typed is checked against its package declarations (runtime/ and a fresh generation, `tsc --emitDeclarationOnly`, behind the `exports` map), @mattermost/client as published, openapi-fetch with `openapi-types.d.ts` from openapi-typescript's CLI on our repaired bundle. Neither openapi-typescript nor openapi-fetch covers the WebSocket, so that program types its three events by hand.",
    `Compiler options, the same for all: ${options}.`,
    "",
    `The empty program (\`bench/consumers/empty.ts\`, no library) is the floor: ${(section.floors ?? []).map((floor) => `${floor.compiler} checks it in ${x(floor.ratio)} of @mattermost/client's time`).join("; ")}. Compiler start-up and the DOM lib are most of every row, so a whole-process ratio of ${"0.8x"} is out of reach for any library wherever the floor is above it; the summary also compares what each library adds to the compiler's own total time above the empty program's.`,
  ].join("\n");
}

function bundle(section) {
  const rows = section.rows.map((row) => [row.id, row.program, int(row.gzip), row.minified === undefined ? "" : int(row.minified)]);
  return [
    "esbuild `--bundle --minify --format=esm`, then gzip (zlib default level); bytes.",
    "",
    table(["library", "program", "gzip B", "minified B"], rows),
  ].join("\n");
}

function rest(section, settings) {
  const rows = [
    ["raw fetch + response.json()", section.fetchUs.toFixed(0), int(section.fetchPerSecond), "1.00x"],
    [
      "mattermost-typed getMe(client), as created by default (no timeout)",
      section.clientUs.toFixed(0),
      int(section.clientPerSecond),
      x(section.clientPerSecond / section.fetchPerSecond),
    ],
    [
      "mattermost-typed getMe(client), `timeoutMs: 30_000` (fetch gets a signal)",
      section.timedUs.toFixed(0),
      int(section.timedPerSecond),
      x(section.timedPerSecond / section.fetchPerSecond),
    ],
    [
      "@mattermost/client Client4.getMe()",
      section.client4Us.toFixed(0),
      int(section.client4PerSecond),
      x(section.client4PerSecond / section.fetchPerSecond),
    ],
  ];
  return [
    `Sequential GET /api/v4/users/me against a node:http server on 127.0.0.1 answering a Mattermost user (${int(settings.rest.calls * settings.rest.rounds)} calls per path, the ${rows.length} paths taking turns call by call, one process). Calls/s is 1 / the median latency of single calls. The target row is the client as created by default; a timeout makes fetch take a signal, which undici pays for on every request (a \`WeakRef\`, a listener and a finalizer).`,
    "",
    table(["path", "median µs per call", "calls/s", "vs raw fetch"], rows),
  ].join("\n");
}

function socket(section) {
  const rows = [
    ["bare loop: JSON.parse + decode of the JSON-text fields + handler", int(section.bareRate), "1.00x"],
    [
      "mattermost-typed socket (parse, seq check, decode, dispatch by name)",
      int(section.socketRate),
      `${x(section.ratio)} (median chunk; quartiles ${section.ratioQuartiles.map((q) => q.toFixed(2)).join("–")})`,
    ],
  ];
  if (section.client4Rate !== undefined) {
    rows.push([
      "@mattermost/client WebSocketClient + a listener decoding the same fields",
      int(section.client4Rate),
      `${x(section.client4Ratio)} (median chunk)`,
    ]);
  }
  return [
    `${int(section.events)} events per path from ${int(section.frames)} recorded frames of ${section.eventTypes} event types (${section.averageBytes} bytes on average), fed through an in-memory fake WebSocket, the paths taking turns in chunks of ${int(section.chunk)}. Heap after a forced GC every quarter: ${section.heapMiB.map((v) => v.toFixed(1)).join(" → ")} MiB. @mattermost/client's socket runs in Node given a \`newWebSocketFn\` and a global \`WebSocket\` for its \`OPEN\` constant.`,
    "",
    table(["path", "events/s", "vs bare loop"], rows),
  ].join("\n");
}

function scale(section) {
  const rows = section.rows.map((row) => [
    row.label,
    int(row.operations),
    int(row.schemas),
    kb(row.inputBytes),
    s(row.medianMs),
    row.msPerOperation.toFixed(2),
    mib(row.maxPeakMiB),
    `${kb(row.outputSize.bytes)} in ${row.outputSize.files} files`,
  ]);
  return [
    `Our CLI with \`--no-overlays --no-catalog\` (the overlays and the event catalog are written for v11.6.0), median of ${section.rows[0].runs} interleaved run(s). The tripled spec copies every path (under \`/api/v4/copyN/\`), operationId and schema (suffix \`CopyN\`), made in bench/.work and never committed.`,
    "",
    table(["input", "operations", "schemas", "input size", "median s", "ms per operation", "peak RSS MiB", "output"], rows),
    "",
    section.checks[0].pass
      ? `From v11.6.0 to the tripled spec each further operation costs ${section.marginalMsPerOperation.toFixed(2)} ms; the rest is a fixed start-up cost, so the time per operation does not rise as the spec grows: growth is linear (or better).`
      : `The time per operation rises with the spec (largest / smallest ${section.checks[0].value.toFixed(2)}x): growth is worse than linear. Each further operation from v11.6.0 to the tripled spec costs ${section.marginalMsPerOperation.toFixed(2)} ms.`,
  ].join("\n");
}

function overlayStates(section) {
  const rows = section.rows.map((row) => [
    row.id,
    String(row.actions),
    Object.entries(row.counts)
      .map(([state, count]) => `${count} ${state}`)
      .join(", "),
    row.classifyMedianMs.toFixed(1),
    row.queryMedianMs.toFixed(1),
    row.addedMs.toFixed(1),
  ]);
  return [
    `The overlay stage of \`generate\` in one process (scripts/bench/overlays.mjs): \`applyOverlays\` classifies every action and applies the applicable ones; "queries alone" runs the same JSONPath targets without classifying (what applying cost before the states). Median of ${section.rows[0]?.rounds ?? 0} rounds, each on a fresh copy of the loaded document.`,
    "",
    table(["spec", "actions", "states", "classify + apply ms", "queries alone ms", "added by the states ms"], rows),
    "",
    section.generationMs === undefined
      ? ""
      : `Our whole generation of v11.6.0 took ${s(section.generationMs)} s (median, generation section): the overlay stage is ${((section.rows[0].classifyMedianMs / section.generationMs) * 100).toFixed(1)}% of it.`,
  ].join("\n");
}

export function renderMarkdown(results) {
  const { sections, settings } = results;
  const out = [
    "# Benchmark results",
    "",
    `Written by \`${settings.quick ? "BENCH_QUICK=1 " : ""}npm run bench\` (scripts/bench/all.mjs) on ${results.date.slice(0, 10)} from commit ${results.commit}${results.uncommittedChanges > 0 ? ` plus ${results.uncommittedChanges} uncommitted changes in the working tree` : ""}; the data is in \`results.json\`. How each number is measured, and what the misses come from: [README.md](README.md).`,
    "",
    `- Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB, ${results.machine.os}, Node ${results.machine.node}.`,
    `- Load: the machine is shared with other jobs; load average (1, 5, 15 min) ${results.loadAverageAtStart.join(", ")} at the start and ${results.loadAverageAtEnd.join(", ")} at the end. Absolute times are noisy; the ratios come from runs interleaved in the same process or the same loop.`,
    `- Runs: ${settings.runs} per process benchmark (generation, scale; ${sections.typecheck?.rows?.[0]?.runs ?? settings.runs} for the type-check)${settings.warmup ? ", after one warm-up run each" : ""}; the whole run took ${results.durationSeconds} s.`,
    `- Tools: ${Object.entries(results.versions)
      .map(([name, v]) => `${name} ${v}`)
      .join(", ")}. @hey-api/openapi-ts 0.95.0 and orval 7.13.2 are the last releases that run on Node 20.`,
    `- Peak memory: ${results.rssMethod}.`,
    "",
    "## Targets",
    "",
    summary(results),
    "",
  ];
  if (results.errors.length > 0) {
    out.push(
      "Benchmarks that could not run:",
      "",
      ...results.errors.map((error) => `- ${error.section}: \`${error.message.split("\n")[0]}\``),
      "",
    );
  }
  const parts = [
    ["generation", "Generation (full v11.6.0)", generation],
    ["typecheck", "Consumer type-check", typecheck],
    ["bundle", "Bundle per call", bundle],
    ["rest", "REST overhead", rest],
    ["socket", "Socket dispatch", socket],
    ["scale", "Scale", scale],
    ["overlays", "Overlay states", overlayStates],
  ];
  for (const [id, title, render] of parts) {
    if (sections[id] === undefined) continue;
    out.push(`## ${title}`, "", render(sections[id], settings), "");
  }
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
