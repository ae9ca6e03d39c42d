/**
 * Generation benchmarks: our CLI against the peers on the full v11.6.0 spec, and our CLI as the
 * spec grows (scale). Every tool runs as its own process, timed from spawn to exit, peak RSS from
 * /usr/bin/time; runs are interleaved (A B C D, A B C D, ...) so machine noise hits all alike, after
 * one untimed warm-up run each (disk cache; for ours, the code cache of generator/code-cache.ts,
 * kept in bench/.work/code-cache for the run). A second row of ours runs with the code cache off:
 * what a first run on a machine costs.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument, stringify } from "yaml";
import { bin, fresh, median, root, sizeOf, timeNode, work } from "./lib.mjs";

export const TARGETS = { ratioToOpenapiTypescript: 0.8, peakMiB: 250 };
/** Our CLI's code cache during the benchmarks: its own folder, filled by the warm-up run. */
const oursEnv = { MATTERMOST_TYPED_CACHE: join(work, "code-cache") };
const v11 = join(root, "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml");
const v2023 = join(root, "..", "shared", "mattermost-api", "2023-06", "mattermost-openapi-v4.yaml");

function summarize(samples) {
  return {
    runs: samples.length,
    medianMs: median(samples.map((s) => s.ms)),
    minMs: Math.min(...samples.map((s) => s.ms)),
    maxMs: Math.max(...samples.map((s) => s.ms)),
    medianPeakMiB: median(samples.map((s) => s.mib)),
    maxPeakMiB: Math.max(...samples.map((s) => s.mib)),
    samplesMs: samples.map((s) => Math.round(s.ms)),
  };
}

/** Runs `tools` interleaved; each tool is `{ id, args, out, env? }` (out is removed before every run). */
function interleaved(tools, runs, warmup) {
  const samples = new Map(tools.map((tool) => [tool.id, []]));
  for (let round = warmup ? -1 : 0; round < runs; round += 1) {
    for (const tool of tools) {
      rmSync(tool.out, { recursive: true, force: true });
      const sample = timeNode(tool.args, { env: tool.env });
      if (round >= 0) samples.get(tool.id).push(sample);
      tool.last = sample;
    }
  }
  return samples;
}

/** The generation row: ours on the real file, the peers on our repaired bundle. */
export function benchGeneration({ runs, specs, warmup = true }) {
  const dir = fresh(join(work, "generation"));
  const oursInput = "the real v11.6.0 file (YAML, repaired on load)";
  // `argsFor(out)`: the arguments of one run writing into `out` (bench/.work/generation/<id>).
  const tools = [
    {
      id: "mattermost-typed",
      tool: "mattermost-typed generate",
      input: oursInput,
      output: "types, one function per operation, operations table, schemas, events, actions",
      argsFor: (out) => [bin.ours, "generate", "--quiet", "--out", out],
      env: oursEnv,
    },
    {
      id: "mattermost-typed-cold",
      tool: "mattermost-typed generate, code cache off (a first run)",
      input: oursInput,
      output: "the same",
      argsFor: (out) => [bin.ours, "generate", "--quiet", "--out", out],
      env: { MATTERMOST_TYPED_CODE_CACHE: "0" },
    },
    {
      id: "openapi-typescript",
      tool: "openapi-typescript CLI",
      input: "our repaired bundle (JSON, `--write-spec`)",
      output: "types only",
      argsFor: (out) => [bin.openapiTypescript, specs.repaired, "-o", join(out, "schema.ts")],
    },
    {
      id: "hey-api",
      tool: "@hey-api/openapi-ts (client-fetch, default plugins: typescript + sdk)",
      input: "our repaired bundle (JSON)",
      output: "types, SDK functions, fetch client",
      argsFor: (out) => [bin.heyApi, "-i", specs.repaired, "-o", out, "-c", "@hey-api/client-fetch", "-s", "--no-log-file"],
    },
    {
      id: "orval",
      tool: "orval (--client fetch, single file)",
      input: `our repaired bundle (JSON) with ${specs.orvalFixes.length} array schemas fixed for orval`,
      output: "types and fetch functions",
      argsFor: (out) => [bin.orval, "--input", specs.orval, "--output", join(out, "api.ts"), "--client", "fetch"],
    },
  ];
  for (const tool of tools) {
    tool.out = join(dir, tool.id);
    tool.args = tool.argsFor(tool.out);
  }
  const samples = interleaved(tools, runs, warmup);
  const rows = tools.map((tool) => ({
    id: tool.id,
    tool: tool.tool,
    input: tool.input,
    output: tool.output,
    command: tool.args.map((arg) => arg.replace(`${root}/`, "")).join(" "),
    env: Object.entries(tool.env ?? {})
      .map(([name, value]) => `${name}=${value.replace(`${root}/`, "")}`)
      .join(" "),
    ...summarize(samples.get(tool.id)),
    outputSize: sizeOf(tool.out),
  }));
  const ours = rows[0];
  // The ratio is the median of the per-round ratios: the runs of one round are back to back, so a
  // change of load between rounds cancels out (the ratio of the medians is kept for reference).
  const oursSamples = samples.get("mattermost-typed");
  for (const row of rows) {
    const theirs = samples.get(row.id);
    row.ratioOursToThis = median(oursSamples.map((sample, round) => sample.ms / theirs[round].ms));
    row.ratioOfMedians = ours.medianMs / row.medianMs;
  }
  const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
  // The first run's ratios, reported beside the row (the targets are checked on the usual run).
  const cold = samples.get("mattermost-typed-cold");
  byId["mattermost-typed-cold"].coldRatios = Object.fromEntries(
    ["openapi-typescript", "hey-api", "orval"].map((id) => [
      id,
      median(cold.map((sample, round) => sample.ms / samples.get(id)[round].ms)),
    ]),
  );
  const ratio = byId["openapi-typescript"].ratioOursToThis;
  const checks = [
    {
      what: "time vs openapi-typescript CLI",
      value: ratio,
      target: `<= ${TARGETS.ratioToOpenapiTypescript}x`,
      pass: ratio <= TARGETS.ratioToOpenapiTypescript,
      kind: "time",
    },
    {
      what: "time vs @hey-api/openapi-ts",
      value: byId["hey-api"].ratioOursToThis,
      target: "< 1x (faster)",
      pass: byId["hey-api"].ratioOursToThis < 1,
      kind: "time",
    },
    {
      what: "time vs orval",
      value: byId.orval.ratioOursToThis,
      target: "< 1x (faster)",
      pass: byId.orval.ratioOursToThis < 1,
      kind: "time",
    },
    {
      what: "peak RSS (max of runs)",
      value: ours.maxPeakMiB,
      target: `<= ${TARGETS.peakMiB} MiB`,
      pass: ours.maxPeakMiB <= TARGETS.peakMiB,
      kind: "memory",
    },
  ];
  return { rows, checks, orvalFixes: specs.orvalFixes };
}

/**
 * v11.6.0 tripled: every path, operationId and schema copied twice with a suffix (paths under
 * `/api/v4/copyN/`, `XCopyN`), the copies' `$ref`s to schemas pointing at the copied schemas. Made
 * from the real file (the duplicate key collapses, last wins), written as YAML like the originals.
 */
export function tripledSpec(times = 3) {
  const text = readFileSync(v11, "utf8");
  const document = parseDocument(text, { uniqueKeys: false, strict: false }).toJS({ maxAliasCount: -1 });
  const schemas = document.components.schemas;
  const names = Object.keys(schemas);
  const copy = (value, suffix) =>
    JSON.parse(JSON.stringify(value), (key, node) =>
      key === "$ref" && typeof node === "string" && node.startsWith("#/components/schemas/") ? `${node}${suffix}` : node,
    );
  const paths = { ...document.paths };
  for (let n = 2; n <= times; n += 1) {
    const suffix = `Copy${n}`;
    for (const name of names) schemas[`${name}${suffix}`] = copy(schemas[name], suffix);
    for (const [path, item] of Object.entries(document.paths)) {
      const renamed = path.startsWith("/api/v4/") ? path.replace("/api/v4/", `/api/v4/copy${n}/`) : `/copy${n}${path}`;
      const copied = copy(item, suffix);
      for (const operation of Object.values(copied)) {
        if (operation !== null && typeof operation === "object" && typeof operation.operationId === "string")
          operation.operationId += suffix;
      }
      paths[renamed] = copied;
    }
  }
  document.paths = paths;
  const file = join(fresh(join(work, "scale-input")), `v11.6.0-x${times}.yaml`);
  writeFileSync(file, stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
  return file;
}

/**
 * Scale: our generation on the 2023-06 file, v11.6.0 and v11.6.0 tripled, interleaved. All three
 * with `--no-overlays --no-catalog` (the overlays and the event catalog are written for v11.6.0),
 * so every point does the same kind of work.
 */
export function benchScale({ runs, times = 3, warmup = true }) {
  const tripled = tripledSpec(times);
  const dir = fresh(join(work, "scale"));
  const points = [
    { id: "2023-06", label: "2023-06 (upstream bundle)", spec: v2023 },
    { id: "v11.6.0", label: "v11.6.0 (upstream bundle)", spec: v11 },
    { id: `v11.6.0-x${times}`, label: `v11.6.0 x${times} (renamed copies)`, spec: tripled },
  ].map((point) => ({ ...point, out: join(dir, point.id) }));
  for (const point of points) {
    point.args = [bin.ours, "generate", "--json", "--no-overlays", "--no-catalog", "--spec", point.spec, "--out", point.out];
    point.env = oursEnv;
  }
  const samples = interleaved(points, runs, warmup);
  const rows = points.map((point) => {
    const summary = JSON.parse(point.last.stdout);
    const stats = summarize(samples.get(point.id));
    return {
      id: point.id,
      label: point.label,
      inputBytes: sizeOf(point.spec).bytes,
      operations: summary.operations,
      schemas: summary.schemas,
      ...stats,
      msPerOperation: stats.medianMs / summary.operations,
      outputSize: sizeOf(point.out),
    };
  });
  const [small, , large] = rows;
  // Linear (or better): the time per operation of the largest input is no more than 1.25x that of
  // the smallest. A fixed start-up cost makes it fall as the input grows; superlinear work would
  // make it rise.
  const growth = large.msPerOperation / small.msPerOperation;
  const marginal = (large.medianMs - rows[1].medianMs) / (large.operations - rows[1].operations);
  return {
    rows,
    marginalMsPerOperation: marginal,
    checks: [
      {
        what: "time per operation, largest / smallest input",
        value: growth,
        target: "<= 1.25 (linear or better)",
        pass: growth <= 1.25,
        kind: "time",
      },
    ],
  };
}
