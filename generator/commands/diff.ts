/**
 * `mattermost-typed diff <old> <new>`: loads two releases of the spec (file, fragment folder or
 * URL), compares them and prints what changed, as text, Markdown or JSON. Part of the CLI, so it
 * may print and write the `--out` file; the comparison itself is `generator/diff`.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import type { Io } from "../cli.js";
import { diffModels, type DiffInput } from "../diff/compare.js";
import { formatJson, formatMarkdown, formatText } from "../diff/format.js";
import type { ApiDiff } from "../diff/types.js";
import { GeneratorError } from "../errors.js";
import { loadModel } from "../generate.js";

export type DiffFormat = "markdown" | "json" | "text";
export type FailOn = "breaking" | "any" | "none";

interface DiffArgs {
  old: string;
  new: string;
  format: DiffFormat;
  "old-catalog": string | undefined;
  "new-catalog": string | undefined;
  "overlays-old": string | undefined;
  "overlays-new": string | undefined;
  "fail-on": FailOn;
  out: string | undefined;
  timeout: number;
}

/** Exit code 1 when `--fail-on` is tripped by the diff. */
export function tripped(diff: ApiDiff, failOn: FailOn): boolean {
  if (failOn === "breaking") return diff.summary.breaking > 0;
  if (failOn === "any") return diff.summary.changes > 0;
  return false;
}

async function loadSide(spec: string, overlays: string | undefined, catalog: string | undefined, timeoutMs: number): Promise<DiffInput> {
  // Overlays are written against one release, so none are applied unless asked for.
  const loaded = await loadModel({ spec, overlays: overlays ?? false, catalog: catalog ?? false, timeoutMs });
  return { model: loaded.model, document: loaded.spec.document, catalog: loaded.catalog?.catalog };
}

export function diffCommand(io: Io, setExit: (code: number) => void): CommandModule<object, DiffArgs> {
  return {
    command: "diff <old> <new>",
    describe: "Compare two releases of the spec: what changed, and what breaks the generated client",
    builder: (argv: Argv) =>
      argv
        .positional("old", { type: "string", describe: "The old spec: file (YAML/JSON), folder of fragments, or http(s) URL" })
        .positional("new", { type: "string", describe: "The new spec: file (YAML/JSON), folder of fragments, or http(s) URL" })
        .option("format", {
          choices: ["text", "markdown", "json"] as const,
          default: "text" as const,
          describe: "Output: a short summary, a Markdown changelog, or JSON (docs/diff.md)",
        })
        .option("old-catalog", {
          type: "string",
          describe: "WebSocket event catalog of the old release (give both catalogs to compare events)",
        })
        .option("new-catalog", { type: "string", describe: "WebSocket event catalog of the new release" })
        .option("overlays-old", { type: "string", describe: "Folder of overlays to apply to the old spec [default: none]" })
        .option("overlays-new", { type: "string", describe: "Folder of overlays to apply to the new spec [default: none]" })
        .option("fail-on", {
          choices: ["breaking", "any", "none"] as const,
          default: "none" as const,
          describe: "Exit 1 when there is a breaking change (breaking) or any change (any)",
        })
        .option("out", { type: "string", describe: "Write the report to this file instead of stdout" })
        .option("timeout", {
          type: "number",
          default: 30_000,
          describe: "Timeout for URL inputs, in milliseconds",
        }) as unknown as Argv<DiffArgs>,
    handler: async (args) => {
      if ((args["old-catalog"] === undefined) !== (args["new-catalog"] === undefined)) {
        throw new GeneratorError(
          "DIFF_INPUT",
          `--${args["old-catalog"] === undefined ? "new" : "old"}-catalog was given without the other one.`,
          {
            hint: "Give both --old-catalog and --new-catalog to compare WebSocket events, or neither.",
          },
        );
      }
      const [before, after] = await Promise.all([
        loadSide(args.old, args["overlays-old"], args["old-catalog"], args.timeout),
        loadSide(args.new, args["overlays-new"], args["new-catalog"], args.timeout),
      ]);
      const diff = diffModels(before, after);
      const report = args.format === "json" ? formatJson(diff) : args.format === "markdown" ? formatMarkdown(diff) : formatText(diff);
      if (args.out === undefined) io.out(report);
      else {
        try {
          writeFileSync(resolve(args.out), report);
        } catch (error) {
          throw new GeneratorError("OUTPUT_WRITE", `cannot write the report: ${error instanceof Error ? error.message : String(error)}`, {
            file: args.out,
          });
        }
        io.err(`wrote ${args.out} (${diff.summary.changes} changes, ${diff.summary.breaking} breaking)\n`);
      }
      if (tripped(diff, args["fail-on"])) setExit(1);
    },
  };
}
