/**
 * The `mattermost-typed` command line. The only part of the generator that prints: summaries to
 * stdout, progress and problems to stderr. A user's mistake is one paragraph and a non-zero exit,
 * never a stack trace.
 */
import { writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import yargs, { type Argv, type CommandModule } from "yargs";
import { callCommand } from "./commands/call.js";
import { diffCommand } from "./commands/diff.js";
import { listenCommand } from "./commands/listen.js";
import { overlaysCommand } from "./commands/overlays.js";
import { GeneratorError } from "./errors.js";
import { generate, type GenerateSummary } from "./generate.js";
import { formatOverlayCounts } from "./overlay-report.js";
import { generatorVersion } from "./paths.js";
import { compareWithPrevious, formatPreviousComparison, summarizePrevious } from "./previous.js";
import { type WarningKind, warningDocs } from "./warnings.js";
import { compareOutput, writeOutput } from "./write.js";

/** Exit codes: 0 ok, 1 `--check` found stale output (or `--fail-on` tripped), 2 bad input, 3 internal error. */
export const EXIT = { ok: 0, stale: 1, input: 2, internal: 3 } as const;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly isTTY: boolean;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
};

function progressReporter(io: Io, quiet: boolean): (step: string) => void {
  const started = performance.now();
  return (step) => {
    if (!quiet) io.err(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${step}\n`);
  };
}

export function formatSummary(summary: GenerateSummary, verb: string): string {
  const warningKinds = Object.entries(summary.warningsByKind)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(", ");
  const lines = [
    `${verb} ${summary.operations} operations, ${summary.schemas} schemas, ${summary.events} events, ${summary.actions} actions into ${summary.files} files in ${(summary.timeMs / 1000).toFixed(2)}s`,
    `spec: ${summary.spec} (API ${summary.apiVersion}, sha256 ${summary.specSha256.slice(0, 12)})`,
    `overlay actions applied: ${summary.overlayActions} of ${summary.overlays.total}${summary.overlays.notApplied.length === 0 ? "" : ` (${formatOverlayCounts(summary.overlays)})`}`,
    `warnings: ${summary.warnings.length}${warningKinds === "" ? "" : ` (${warningKinds})`}`,
    ...summary.warnings.map((warning) => `  - ${warning}`),
    ...Object.keys(summary.warningsByKind).map((kind) => `  ${kind}: see ${warningDocs(kind as WarningKind)}`),
  ];
  return `${lines.join("\n")}\n`;
}

interface GenerateArgs {
  spec: string | undefined;
  out: string | undefined;
  config: string | false | undefined;
  plugin: string[] | undefined;
  check: boolean;
  json: boolean;
  quiet: boolean;
  overlays: string | false | undefined;
  catalog: string | false | undefined;
  "write-spec": string | undefined;
  timeout: number;
  diff: boolean;
  "strict-overlays": boolean;
  release: string | undefined;
}

function generateCommand(io: Io, setExit: (code: number) => void): CommandModule<object, GenerateArgs> {
  return {
    command: "generate",
    describe: "Generate the typed client from the Mattermost OpenAPI spec",
    builder: (argv: Argv) =>
      argv
        .option("spec", {
          type: "string",
          describe: "Spec file (YAML/JSON), folder of fragments, or http(s) URL [default: $MATTERMOST_SPEC, else the pinned release]",
        })
        .option("out", { type: "string", describe: "Output folder [default: the config's out, else generated]" })
        .option("config", {
          type: "string",
          describe:
            "Config file [default: mattermost-typed.config.{ts,mjs,js,json} in this folder or a parent up to the project root]; --no-config for none",
        })
        .option("plugin", {
          type: "string",
          array: true,
          describe: "Add a plugin for this run: a built-in name (reference, validators) or a module path; repeatable",
        })
        .option("check", {
          type: "boolean",
          default: false,
          describe: "Write nothing; exit 1 when the output folder differs from what would be written",
        })
        .option("json", { type: "boolean", default: false, describe: "Print the summary as JSON on stdout" })
        .option("quiet", { type: "boolean", default: false, describe: "Print nothing but errors" })
        .option("overlays", {
          type: "string",
          describe: "Folder of overlay documents [default: the package's spec/overlays]; --no-overlays for none",
        })
        .option("catalog", {
          type: "string",
          describe: "WebSocket event catalog [default: the package's spec/websocket-events.yaml]; --no-catalog for none",
        })
        .option("strict-overlays", {
          type: "boolean",
          default: false,
          describe: "Fail when an overlay action does not apply, as the pinned release always does [default: warn for other specs]",
        })
        .option("write-spec", { type: "string", describe: "Also write the repaired spec (JSON) to this file" })
        .option("timeout", { type: "number", default: 30_000, describe: "Timeout for URL inputs, in milliseconds" })
        .option("diff", {
          type: "boolean",
          default: true,
          describe: "When the spec changed since the previous output, end with what changed in the API (--no-diff to skip)",
        })
        .option("release", {
          type: "string",
          describe:
            "The Mattermost release the spec describes, for generatedFrom [default: the pinned one, else a vX.Y.Z folder in --spec]",
        }) as unknown as Argv<GenerateArgs>,
    handler: async (args) => {
      const onProgress = progressReporter(io, args.quiet || args.json);
      const result = await generate({
        spec: args.spec,
        timeoutMs: args.timeout,
        onProgress,
        ...(args.overlays === undefined ? {} : { overlays: args.overlays }),
        ...(args.catalog === undefined ? {} : { catalog: args.catalog }),
        config: args.config ?? true,
        plugins: args.plugin ?? [],
        pluginsFrom: "--plugin",
        strictOverlays: args["strict-overlays"],
        ...(args.out === undefined ? {} : { out: args.out }),
        ...(args.release === undefined ? {} : { release: args.release }),
      });
      args.out ??= result.config?.out === undefined ? "generated" : relative(process.cwd(), result.config.out) || ".";
      const outDir = resolve(args.out);
      if (args.check) {
        const differences = compareOutput(outDir, result.files);
        if (args.json) io.out(`${JSON.stringify({ ...result.summary, stale: differences.length > 0, differences }, null, 2)}\n`);
        else if (differences.length > 0)
          io.err(
            `${args.out} is stale (${differences.length} files differ):\n${differences.map((d) => `  ${d}`).join("\n")}\nRun \`mattermost-typed generate\` to update it.\n`,
          );
        else if (!args.quiet) io.out(`${args.out} is up to date (${result.files.size} files).\n`);
        setExit(differences.length > 0 ? EXIT.stale : EXIT.ok);
        return;
      }
      onProgress(`writing ${result.files.size} files to ${args.out}`);
      // Read the previous output's banner before it is replaced.
      const previous = args.diff ? await compareWithPrevious(outDir, result.summary, { timeoutMs: args.timeout, onProgress }) : undefined;
      writeOutput(outDir, result.files);
      if (args["write-spec"] !== undefined) writeFileSync(resolve(args["write-spec"]), `${JSON.stringify(result.document, null, 2)}\n`);
      if (args.json)
        io.out(
          `${JSON.stringify(previous === undefined ? result.summary : { ...result.summary, previous: summarizePrevious(previous) }, null, 2)}\n`,
        );
      else if (!args.quiet)
        io.out(formatSummary(result.summary, "generated") + (previous === undefined ? "" : formatPreviousComparison(previous)));
    },
  };
}

/** Runs the CLI with the given arguments; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const parser = yargs([...argv])
    .scriptName("mattermost-typed")
    .version(generatorVersion)
    .command(generateCommand(io, setExit))
    .command(diffCommand(io, setExit))
    .command(callCommand(io, setExit))
    .command(listenCommand(io, setExit))
    .command(overlaysCommand(io))
    .demandCommand(1, "Name a command: generate, overlays, diff, call or listen.")
    .strict()
    .recommendCommands()
    .help()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      throw new UsageError(message);
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nRun \`mattermost-typed --help\` for the commands and options.\n`);
      return EXIT.input;
    }
    if (error instanceof GeneratorError) {
      io.err(`error: ${error.format()}\n`);
      return EXIT.input;
    }
    io.err(
      `internal error (a bug in mattermost-typed; please report it with this output):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.internal;
  }
  return exitCode;
}

class UsageError extends Error {}
