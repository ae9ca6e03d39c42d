// Shared by the plugin tests: fixture paths, a temp folder, the CLI as a user runs it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GeneratorError } from "../../generator/errors.js";
import { packageRoot } from "../../generator/paths.js";

export const fixtures = join(packageRoot, "test", "fixtures");
export const spec = (name: string): string => join(fixtures, "specs", name);
export const widgets = join(fixtures, "diff", "new.yaml");
/** A small spec with no overlays or catalog: the fast way to run the pipeline. */
export const small = { spec: spec("minimal.yaml"), overlays: false, catalog: false } as const;

export async function failure(promise: Promise<unknown>): Promise<GeneratorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GeneratorError) return error;
    throw error;
  }
  throw new Error("expected a GeneratorError");
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `mmt-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns the built CLI (dist/, compiled by `npm test`'s pretest). */
export function cli(args: readonly string[], cwd: string = packageRoot): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(packageRoot, "bin", "mattermost-typed.js"), ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
