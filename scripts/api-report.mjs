// The public surface, reviewed: API Extractor's report of each hand-written entry point of the
// package, committed as etc/api/<entry>.api.md, so that a change to what users import shows in the
// diff. The generated entry points (`generated`, `endpoints/*`, `schemas`, `openapi-types`) are left
// out: they are derived from the Mattermost spec (whose output is not committed), and the output
// snapshot (test/generator/__snapshots__) already pins them.
//
//   npm run api:report              write etc/api/
//   npm run api:report -- --check   write nothing; exit 1 naming each entry whose report differs
//                                   (test/docs/api-report.test.ts runs it)
//   --reports DIR                   compare with (or write) DIR instead of etc/api
//
// Declarations are emitted first (tsc, declarations only, into .cache/api-report/), then read by one
// compiler state shared by every entry.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { CompilerState, Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// One work folder per process, so that two runs (a test and a developer's) do not meet.
const work = join(root, ".cache", "api-report", String(process.pid));
const dts = join(work, "dts");
const rawFolder = join(work, "reports");
/** Where the committed reports are. */
export const reportFolder = join(root, "etc", "api");

/** The hand-written entry points of package.json `exports`: report name, subpath, declaration file. */
export const entries = [
  { name: "runtime", subpath: ".", dts: "runtime/index.d.ts" },
  { name: "full", subpath: "./full", dts: "runtime/full.d.ts" },
  { name: "socket", subpath: "./socket", dts: "runtime/socket/index.d.ts" },
  { name: "recover", subpath: "./recover", dts: "runtime/recover/index.d.ts" },
  { name: "recover-file", subpath: "./recover/file", dts: "runtime/recover/file.d.ts" },
  { name: "transport", subpath: "./transport", dts: "runtime/transport.d.ts" },
  { name: "integrations", subpath: "./integrations", dts: "runtime/integrations/index.d.ts" },
  { name: "generator", subpath: "./generator", dts: "generator/index.d.ts" },
];

function emitDeclarations() {
  rmSync(dts, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--emitDeclarationOnly", "--outDir", dts],
    { cwd: root, encoding: "utf8" },
  );
  if (tsc.status !== 0) {
    throw new Error(`tsc could not emit the declarations the report is made from:\n${tsc.stdout}${tsc.stderr}`);
  }
}

function configFor(entry) {
  return ExtractorConfig.prepare({
    configObjectFullPath: join(root, "package.json"),
    packageJsonFullPath: join(root, "package.json"),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: join(dts, entry.dts),
      compiler: {
        overrideTsconfig: {
          // The repository's compiler options, over the emitted declarations only.
          extends: "./tsconfig.base.json",
          files: entries.map((each) => join(dts, each.dts)),
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.name}.api.md`,
        reportFolder: rawFolder,
        reportTempFolder: join(work, "temp"),
        includeForgottenExports: false,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: "lf",
      messages: {
        // The package does not use release tags (@public, @beta): every export is public.
        extractorMessageReporting: {
          default: { logLevel: "warning", addToApiReportFile: true },
          "ae-missing-release-tag": { logLevel: "none", addToApiReportFile: false },
          // Undocumented members show as "(undocumented)" beside them; no list of paths at the end.
          "ae-undocumented": { logLevel: "none", addToApiReportFile: false },
        },
        // The doc comments are JSDoc for editors and TypeDoc, not strict TSDoc.
        tsdocMessageReporting: { default: { logLevel: "none", addToApiReportFile: false } },
        compilerMessageReporting: { default: { logLevel: "warning", addToApiReportFile: false } },
      },
    },
  });
}

/** The names an entry exports whose declaration is in generated/ (derived from the spec). */
function generatedExports() {
  const program = ts.createProgram(
    entries.map((entry) => join(dts, entry.dts)),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const generatedDir = `${join(dts, "generated")}${sep}`;
  const result = new Map();
  for (const entry of entries) {
    const source = program.getSourceFile(join(dts, entry.dts));
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    const names = new Set();
    for (const symbol of moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const file = target.declarations?.[0]?.getSourceFile().fileName;
      if (file !== undefined && join(file).startsWith(generatedDir)) names.add(symbol.getName());
    }
    result.set(entry.name, names);
  }
  return result;
}

/**
 * A declaration generated from the spec is named, not spelled out: its signature follows the spec,
 * whose output this repository does not commit (the generated code's own reference is the
 * `reference` plugin's output).
 */
function maskGenerated(report, names) {
  if (names.size === 0) return report;
  const blocks = report.split("\n\n");
  return blocks
    .map((block) => {
      const declared = /^export (?:declare )?(?:function|const|let|class|interface|type|namespace|enum) ([A-Za-z0-9_$]+)/m.exec(block)?.[1];
      if (declared === undefined || !names.has(declared)) return block;
      return `// @public (generated from the Mattermost spec; its signature is in the generated code)\nexport { ${declared} }`;
    })
    .join("\n\n");
}

/**
 * Writes (or with `check`, compares) every report. Returns the entries whose committed report
 * differed, and the problems API Extractor found.
 */
export function runReports({ check, reports = reportFolder }) {
  try {
    return reportsInto(check, reports);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function reportsInto(check, reports) {
  emitDeclarations();
  rmSync(rawFolder, { recursive: true, force: true });
  mkdirSync(rawFolder, { recursive: true });
  const configs = entries.map((entry) => ({ entry, config: configFor(entry) }));
  const first = configs[0];
  if (first === undefined) throw new Error("no entry points");
  const compilerState = CompilerState.create(first.config, {
    additionalEntryPoints: configs.map(({ config }) => config.mainEntryPointFilePath),
  });
  const fromGenerated = generatedExports();
  const stale = [];
  const problems = [];
  for (const { entry, config } of configs) {
    const result = Extractor.invoke(config, {
      localBuild: true,
      compilerState,
      messageCallback: (message) => {
        if (message.logLevel === "error") problems.push(`${entry.name}: ${message.text}`);
        // The library's own console output is not wanted: this script says what happened.
        message.handled = true;
      },
    });
    if (!result.succeeded && problems.length === 0) problems.push(`${entry.name}: API Extractor failed (${result.errorCount} error(s))`);
    const file = `${entry.name}.api.md`;
    const rawPath = join(rawFolder, file);
    if (!existsSync(rawPath)) continue;
    // Paths in warnings name the declaration files as the sources' paths (runtime/x.d.ts:12:5), not this run's folder.
    const raw = readFileSync(rawPath, "utf8").replaceAll(`${relative(root, dts).split(sep).join("/")}/`, "");
    const report = maskGenerated(raw, fromGenerated.get(entry.name) ?? new Set());
    const committedPath = join(reports, file);
    const committed = existsSync(committedPath) ? readFileSync(committedPath, "utf8") : undefined;
    if (committed === report) continue;
    stale.push(entry);
    if (!check) {
      mkdirSync(reports, { recursive: true });
      writeFileSync(committedPath, report);
    }
  }
  return { stale, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const at = args.indexOf("--reports");
  const reports = at === -1 ? reportFolder : resolve(args[at + 1] ?? "");
  const unknown = args.filter((arg, index) => arg !== "--check" && arg !== "--reports" && (at === -1 || index !== at + 1));
  if (unknown.length > 0 || (at !== -1 && args[at + 1] === undefined)) {
    process.stderr.write(
      `api:report: unknown argument ${unknown.join(" ") || "--reports without a folder"}. Usage: npm run api:report [-- --check] [--reports DIR]\n`,
    );
    process.exit(2);
  }
  const shown = (entry) =>
    `${relative(process.cwd(), join(reports, `${entry.name}.api.md`)) || "."} (mattermost-typed${entry.subpath.slice(1)})`;
  let outcome;
  try {
    outcome = runReports({ check, reports });
  } catch (error) {
    process.stderr.write(`api:report: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const { stale, problems } = outcome;
  for (const problem of problems) process.stderr.write(`api:report: ${problem}\n`);
  if (check && stale.length > 0) {
    process.stderr.write(
      `The public API differs from its committed report: ${stale.map(shown).join(", ")}.\nRun \`npm run api:report\`, review the diff of etc/api/ and commit it.\n`,
    );
    process.exit(1);
  }
  if (problems.length > 0) process.exit(1);
  process.stdout.write(
    check
      ? `etc/api is up to date (${entries.length} entry points).\n`
      : stale.length === 0
        ? "etc/api was up to date.\n"
        : `wrote ${stale.map(shown).join(", ")}.\n`,
  );
}
