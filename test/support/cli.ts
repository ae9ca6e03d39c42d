// The CLI as a user runs it: the built bin (dist/, compiled by `npm test`'s pretest), spawned.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../generator/paths.js";

export const cliPath = join(packageRoot, "bin", "mattermost-typed.js");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as bytes (for `--raw`). */
  readonly bytes: Buffer;
  /** Wall time of the process. */
  readonly ms: number;
}

/**
 * Runs the CLI to its end. `env` replaces the environment (default: this process's); stdin gets
 * `input`, else an empty pipe; `cli` is another copy of the bin (the packed package's).
 */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; cli?: string } = {},
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [options.cli ?? cliPath, ...args], {
      cwd: options.cwd ?? packageRoot,
      env: options.env ?? process.env,
    });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.input ?? "");
    child.on("close", (code) => {
      const bytes = Buffer.concat(out);
      resolve({ code, stdout: bytes.toString("utf8"), stderr, bytes, ms: Date.now() - started });
    });
  });
}
