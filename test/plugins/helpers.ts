// Shared by the plugin tests: fixture paths, a temp folder, the CLI as a user runs it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../generator/paths.js";
import { type CliRun, runCli } from "../support/cli.js";

export const fixtures = join(packageRoot, "test", "fixtures");
export const spec = (name: string): string => join(fixtures, "specs", name);
export const widgets = join(fixtures, "diff", "new.yaml");
/** A small spec with no overlays or catalog: the fast way to run the pipeline. */
export const small = { spec: spec("minimal.yaml"), overlays: false, catalog: false } as const;

export { generatorFailure as failure } from "../support/generator-failure.js";

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `mmt-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export type Run = CliRun;

/** Spawns the built CLI (dist/, compiled by `npm test`'s pretest). */
export const cli = (args: readonly string[], cwd: string = packageRoot): Promise<Run> => runCli(args, { cwd });
