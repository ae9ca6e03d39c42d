/**
 * Consumer type-check: the same small program (bench/consumers/*.ts: five REST calls, a socket
 * handler narrowing three events) written with mattermost-typed, with @mattermost/client, and with
 * openapi-typescript types + openapi-fetch, each checked with `tsc --noEmit` (TypeScript 5.9) and
 * tsgo (the native TypeScript 7), runs interleaved.
 *
 * Each program is checked the way an application sees its dependency:
 * - mattermost-typed: the package's declarations (runtime/ and a fresh generation, built with
 *   `tsc --emitDeclarationOnly` into bench/.work/typecheck/package) behind its `exports` map;
 * - @mattermost/client: the published package in node_modules;
 * - openapi-fetch: its package, plus `openapi-types.d.ts` written by openapi-typescript's CLI from
 *   our repaired bundle (what its documentation tells users to generate).
 * Same compiler options for all three: strict, NodeNext, DOM lib, skipLibCheck (tsc --init's
 * default), no ambient @types.
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, fresh, median, root, timeCommand, timeNode, tsgo, work } from "./lib.mjs";

export const TARGET_RATIO = 0.8;

export const CONSUMERS = [
  { id: "mattermost-typed", label: "mattermost-typed (generated functions + runtime + socket)", file: "mattermost-typed.ts" },
  {
    id: "mattermost-typed-files",
    label: "mattermost-typed, functions imported from their endpoint files",
    file: "mattermost-typed-files.ts",
  },
  { id: "@mattermost/client", label: "@mattermost/client (Client4 + WebSocketClient)", file: "mattermost-client.ts" },
  { id: "openapi-fetch", label: "openapi-typescript types + openapi-fetch (socket typed by hand)", file: "openapi-fetch.ts" },
  // Compiler start-up and the DOM lib alone: the floor under every other row.
  { id: "empty", label: "empty program (no library: the floor)", file: "empty.ts" },
];

const compilerOptions = {
  target: "ES2022",
  lib: ["ES2022", "DOM", "DOM.Iterable"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  // No ambient @types: none of the programs needs Node's types, and they would add the same ~52 000
  // lines to every row.
  types: [],
};

/**
 * Builds the package declarations and the consumer folder; returns the folder. The declarations
 * are built with tsc, or with tsgo when `fastBuild` (the quick run: about 5x faster).
 */
export function prepareConsumers({ generated, repaired, fastBuild = false }) {
  const dir = fresh(join(work, "typecheck"));
  const pkg = join(dir, "package");
  mkdirSync(join(pkg, "src"), { recursive: true });
  cpSync(join(root, "runtime"), join(pkg, "src", "runtime"), { recursive: true });
  cpSync(generated, join(pkg, "src", "generated"), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  writeFileSync(
    join(pkg, "package.json"),
    JSON.stringify({ name: manifest.name, version: manifest.version, type: "module", exports: manifest.exports }, null, 2),
  );
  writeFileSync(
    join(pkg, "tsconfig.json"),
    JSON.stringify({
      extends: join(root, "tsconfig.base.json"),
      compilerOptions: { rootDir: "src", outDir: "dist", noEmit: false, declaration: true, emitDeclarationOnly: true },
      include: ["src/runtime", "src/generated"],
    }),
  );
  const build = fastBuild
    ? timeCommand(tsgo, ["-p", join(pkg, "tsconfig.json")], { cwd: pkg })
    : timeNode([bin.tsc, "-p", join(pkg, "tsconfig.json")], { cwd: pkg });

  const app = join(dir, "app");
  mkdirSync(join(app, "node_modules"), { recursive: true });
  // Its own package scope, so "mattermost-typed" resolves through node_modules, not to the repository itself.
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "bench-consumers", private: true, type: "module" }));
  symlinkSync(pkg, join(app, "node_modules", "mattermost-typed"), "dir");
  timeNode([bin.openapiTypescript, repaired, "-o", join(app, "openapi-types.d.ts")]);
  for (const consumer of CONSUMERS) {
    cpSync(join(root, "bench", "consumers", consumer.file), join(app, consumer.file));
    writeFileSync(
      join(app, `tsconfig.${consumer.file.replace(/\.ts$/, "")}.json`),
      JSON.stringify({ compilerOptions, files: [consumer.file] }, null, 2),
    );
  }
  return { app, packageBuildMs: build.ms };
}

const tsconfigOf = (consumer) => `tsconfig.${consumer.file.replace(/\.ts$/, "")}.json`;

const COMPILERS = [
  {
    id: "tsc",
    label: "tsc 5.9 --noEmit",
    run: (app, project, extra = []) => timeNode([bin.tsc, "--noEmit", "-p", project, ...extra], { cwd: app }),
  },
  {
    id: "tsgo",
    label: "tsgo (TypeScript 7 native) --noEmit",
    run: (app, project, extra = []) => timeCommand(tsgo, ["--noEmit", "-p", project, ...extra], { cwd: app }),
  },
];

/** `--extendedDiagnostics` lines as numbers (counts) or seconds / kilobytes as printed. */
function diagnostics(text) {
  const wanted = [
    "Files",
    "Lines",
    "Lines of Library",
    "Lines of Definitions",
    "Lines of TypeScript",
    "Identifiers",
    "Symbols",
    "Types",
    "Instantiations",
    "Memory used",
    "Parse time",
    "Bind time",
    "Check time",
    "Total time",
  ];
  const out = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Za-z ]+):\s+([\d.]+)(K|s)?\s*$/.exec(line.trim());
    if (match !== null && wanted.includes(match[1])) out[match[1]] = Number(match[2]);
  }
  // tsc prints lines by kind, tsgo one total.
  out.Lines ??= (out["Lines of Library"] ?? 0) + (out["Lines of Definitions"] ?? 0) + (out["Lines of TypeScript"] ?? 0);
  return out;
}

export function benchTypecheck({ runs, generated, repaired, warmup = true, diagnose = true, fastBuild = false }) {
  const { app, packageBuildMs } = prepareConsumers({ generated, repaired, fastBuild });
  const samples = new Map();
  for (const compiler of COMPILERS) for (const consumer of CONSUMERS) samples.set(`${compiler.id} ${consumer.id}`, []);
  for (let round = warmup ? -1 : 0; round < runs; round += 1) {
    for (const compiler of COMPILERS) {
      for (const consumer of CONSUMERS) {
        // With --extendedDiagnostics: the compiler's own "Total time" (parse, bind, check; not the
        // process start-up and the compiler's own loading, the noisiest part of a wall time).
        const sample = compiler.run(app, tsconfigOf(consumer), ["--extendedDiagnostics"]);
        sample.totalS = diagnostics(sample.stdout)["Total time"];
        if (round >= 0) samples.get(`${compiler.id} ${consumer.id}`).push(sample);
      }
    }
  }
  const rows = [];
  const checks = [];
  /** Per compiler: the empty program's time / @mattermost/client's (no library can check faster than it). */
  const floors = [];
  for (const compiler of COMPILERS) {
    const byConsumer = {};
    for (const consumer of CONSUMERS) {
      const list = samples.get(`${compiler.id} ${consumer.id}`);
      // Every timed run printed its counts; they do not vary, so the last run's are taken.
      const details = diagnose ? diagnostics(list.at(-1).stdout) : {};
      byConsumer[consumer.id] = {
        compiler: compiler.id,
        compilerLabel: compiler.label,
        consumer: consumer.id,
        label: consumer.label,
        runs: list.length,
        medianMs: median(list.map((s) => s.ms)),
        samplesMs: list.map((s) => Math.round(s.ms)),
        medianPeakMiB: median(list.map((s) => s.mib)),
        diagnostics: details,
      };
    }
    const ours = byConsumer["mattermost-typed"];
    // Median of the per-round ratios (the runs of a round are back to back), as for generation.
    const reference = samples.get(`${compiler.id} @mattermost/client`);
    for (const row of Object.values(byConsumer)) {
      const list = samples.get(`${compiler.id} ${row.consumer}`);
      row.ratioToMattermostClient = median(list.map((sample, round) => sample.ms / reference[round].ms));
      row.ratioOfMedians = row.medianMs / byConsumer["@mattermost/client"].medianMs;
      rows.push(row);
    }
    checks.push({
      what: `${compiler.label}: mattermost-typed / @mattermost/client`,
      value: ours.ratioToMattermostClient,
      target: `<= ${TARGET_RATIO}x`,
      pass: ours.ratioToMattermostClient <= TARGET_RATIO,
      kind: "time",
    });
    // The whole-process ratio cannot go below the empty program's: say where that floor is, and
    // compare what each library adds above it.
    const floor = samples.get(`${compiler.id} empty`);
    const ours_ = samples.get(`${compiler.id} mattermost-typed`);
    const floorRatio = median(floor.map((sample, round) => sample.ms / reference[round].ms));
    // What the library adds: the compiler's own total time above the empty program's, from the
    // medians (a per-round difference of two noisy times is noise itself when it is small).
    const totalOf = (list) => median(list.map((sample) => sample.totalS));
    const floorS = totalOf(floor);
    const aboveFloor = (totalOf(ours_) - floorS) / (totalOf(reference) - floorS);
    for (const row of Object.values(byConsumer)) row.medianTotalS = totalOf(samples.get(`${compiler.id} ${row.consumer}`));
    byConsumer["mattermost-typed"].ratioAboveFloor = aboveFloor;
    floors.push({ compiler: compiler.label, ratio: floorRatio });
    checks.push({
      what: `${compiler.label}: compiler time above the empty program's, mattermost-typed / @mattermost/client`,
      value: aboveFloor,
      target: `<= ${TARGET_RATIO}x`,
      pass: aboveFloor <= TARGET_RATIO,
      kind: "time",
    });
  }
  return { rows, checks, floors, packageBuildMs, compilerOptions };
}
