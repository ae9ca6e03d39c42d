// The client in Bun and Deno against the real server (issue #21): each runtime's binary, from the
// `bun` and `deno` npm packages (devDependencies, exact versions), runs test/runtimes/smoke.ts from
// the sources (Bun maps `.js` imports to `.ts` files; Deno does with --sloppy-imports), which calls
// getMe and waits for a typed `posted` event. `npm run test:runtimes` (vitest.runtimes.config.ts)
// starts the server as the end-to-end tests do; .ci/run runs it as a step of its own.
// BUN_BINARY and DENO_BINARY override the binaries' paths.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";
import { adminClient, freshChannel, throwawayUser } from "../e2e/fixtures.js";
import { mattermost } from "../e2e/server-facts.js";

interface Report {
  runtime: string;
  checks: { name: string; ok: boolean; detail: string }[];
}

/** The first path that exists: the package's bin (set up by its postinstall), else the platform package's binary. */
const binaryOf = (override: string | undefined, ...paths: string[][]): string =>
  override ??
  paths.map((path) => join(packageRoot, "node_modules", ...path)).find((path) => existsSync(path)) ??
  join(packageRoot, "node_modules", ...(paths[0] ?? []));

const runtimes = [
  {
    name: "bun",
    binary: binaryOf(process.env.BUN_BINARY, [".bin", "bun"], ["@oven", "bun-linux-x64", "bin", "bun"]),
    args: ["run"],
    version: "1.4.5",
  },
  {
    name: "deno",
    binary: binaryOf(process.env.DENO_BINARY, [".bin", "deno"], ["@deno", "linux-x64-glibc", "deno"]),
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "--sloppy-imports", "--no-check", "--quiet"],
    version: "2.9.6",
  },
] as const;

let env: Record<string, string> = {};
beforeAll(async () => {
  const admin = adminClient();
  const [listener, poster] = await Promise.all([throwawayUser(admin, "runtime-listener"), throwawayUser(admin, "runtime-poster")]);
  const channel = await freshChannel(admin, "runtimes", [listener.id, poster.id]);
  env = {
    MATTERMOST_URL: mattermost().url,
    MATTERMOST_TOKEN: listener.token,
    MATTERMOST_POSTER_TOKEN: poster.token,
    MATTERMOST_CHANNEL_ID: channel.id ?? "",
    LISTENER: listener.username,
  };
});

function runSmoke(binary: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args, join(packageRoot, "test", "runtimes", "smoke.ts")], {
      cwd: packageRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(runtimes)("the client in $name", ({ name, binary, args, version }) => {
  it(`imports the client, calls getMe and receives a posted event (${name} ${version})`, async () => {
    expect(existsSync(binary), `${binary}: run npm ci (the ${name} devDependency), or set ${name.toUpperCase()}_BINARY`).toBe(true);
    const result = await runSmoke(binary, args);
    expect(result.code, result.stderr).toBe(0);
    const line = result.stdout.trim().split("\n").at(-1) ?? "";
    const report = JSON.parse(line) as Report;
    expect(report.runtime).toBe(`${name} ${version}`);
    expect(report.checks.map((check) => check.name)).toEqual(["getMe", "posted"]);
    for (const check of report.checks) expect(check.ok, `${check.name}: ${check.detail}`).toBe(true);
    expect(report.checks[0]?.detail).toMatch(new RegExp(`^${env.LISTENER} [a-z0-9]{26}$`));
    expect(report.checks[1]?.detail).toMatch(/^posted [a-z0-9]{26} in runtimes-[0-9a-f]{10}$/);
  }, 90_000);
});
