/**
 * Running the real CLI (`bin/mattermost-typed.js`) as a user does. `call` and `listen` load the
 * compiled runtime and generated tables from dist/, so `ensureBuilt` compiles the package
 * (`npm run build:client`) first when any source is newer than its output.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { packageRoot } from "../../generator/paths.js";
import { type CliRun, cliPath as cli, runCli } from "../support/cli.js";

export { cliPath as cli } from "../support/cli.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

function stale(): string[] {
  return ["generator", "runtime", "generated"].flatMap((dir) =>
    sources(join(packageRoot, dir)).filter((source) => {
      const built = join(packageRoot, "dist", relative(packageRoot, source).replace(/\.ts$/, ".js"));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs;
    }),
  );
}

/** Compiles generator/, runtime/ and generated/ into dist/ when stale; one test file at a time. */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), `mattermost-typed-build-${Buffer.from(packageRoot).toString("hex").slice(-24)}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (stale().length === 0) return;
    // Exit 2 means "emitted, with type errors" (another change in progress elsewhere): what we need is the output.
    const result = spawnSync(process.execPath, [join(packageRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: packageRoot,
      encoding: "utf8",
    });
    const needed = [
      "generator/commands/call",
      "generator/commands/listen",
      "runtime/client",
      "runtime/socket/index",
      "generated/operations",
      "generated/events",
    ];
    const missing = needed.filter((path) => !existsSync(join(packageRoot, "dist", `${path}.js`)));
    if (missing.length > 0)
      throw new Error(`tsc -p tsconfig.build.json did not write ${missing.join(", ")}:\n${result.stdout}${result.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export type Run = CliRun;

/** Environment without the user's own server settings. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.MATTERMOST_URL;
  delete base.MATTERMOST_TOKEN;
  return { ...base, ...env };
}

/** Runs the CLI to its end, without the user's server settings; stdin is an empty pipe (not a terminal). */
export function run(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string; input?: string } = {},
): Promise<Run> {
  return runCli(args, { ...options, env: cleanEnv(env) });
}

export interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  /** Resolves when stdout or stderr (both by default) matches; rejects after `timeoutMs` with what was printed. */
  waitFor(pattern: RegExp, stream?: "stdout" | "stderr", timeoutMs?: number): Promise<RegExpMatchArray>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI and keeps it running (for `listen`); `options.cli` is another copy of the bin (the packed package's). */
export function start(args: readonly string[], env: Record<string, string> = {}, options: { cli?: string; cwd?: string } = {}): Running {
  const child = spawn(process.execPath, [options.cli ?? cli, ...args], { cwd: options.cwd ?? packageRoot, env: cleanEnv(env) });
  const waiters = new Set<() => void>();
  const running: Running = {
    child,
    stdout: "",
    stderr: "",
    waitFor(pattern, stream, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const text = stream === undefined ? `${running.stdout}\n${running.stderr}` : running[stream];
          const found = text.match(pattern);
          if (found === null) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms.\nstdout:\n${running.stdout}\nstderr:\n${running.stderr}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    exited: new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal }))),
  };
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout.on("data", (chunk: Buffer) => {
    running.stdout += chunk.toString();
    notify();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    running.stderr += chunk.toString();
    notify();
  });
  child.stdin.end();
  return running;
}
