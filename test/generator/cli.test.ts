// The CLI as a user runs it: spawned, with exit codes, stdout, stderr and files checked.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";
import { type CliRun, runCli } from "../support/cli.js";

const _cli = join(packageRoot, "bin", "mattermost-typed.js");
const fixtures = join(packageRoot, "test", "fixtures", "specs");

const run = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(args, { env: { ...process.env, ...env } });

let work: string;
let server: Server;
let base: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "mmt-cli-"));
  server = createServer((request, response) => {
    if (request.url === "/spec.yaml") {
      response.end(readFileSync(join(fixtures, "minimal.yaml")));
    } else if (request.url === "/slow.yaml") {
      // Never answers: the CLI's timeout must end the wait.
    } else {
      response.statusCode = 404;
      response.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(work, { recursive: true, force: true });
});

/** An output folder holding a previous generation's file, to prove a failed run leaves it alone. */
function previousOutput(): string {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  mkdirSync(out);
  writeFileSync(join(out, "index.ts"), "// previous output\n");
  return out;
}

function expectCleanFailure(result: CliRun, out: string, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(readFileSync(join(out, "index.ts"), "utf8")).toBe("// previous output\n");
}

describe("bad input: one clear paragraph, exit 2, nothing written", () => {
  const cases: [string, string[], RegExp][] = [
    ["a missing path", ["--spec", "test/fixtures/specs/nope.yaml"], /nope\.yaml: The spec .* does not exist/],
    ["an empty file", ["--spec", "test/fixtures/specs/empty.yaml"], /empty\.yaml: The spec file is empty/],
    [
      "truncated JSON",
      ["--spec", "test/fixtures/specs/truncated.json"],
      /truncated\.json:\d+: The spec is not valid YAML or JSON.*truncated/,
    ],
    ["invalid YAML", ["--spec", "test/fixtures/specs/invalid.yaml"], /invalid\.yaml:9: The spec is not valid YAML or JSON/],
    ["Swagger 2.0", ["--spec", "test/fixtures/specs/swagger2.yaml"], /swagger2\.yaml:1: The spec is Swagger 2\.0, not OpenAPI 3/],
    [
      "a document that is not OpenAPI",
      ["--spec", "test/fixtures/specs/not-openapi.json"],
      /not-openapi\.json:1: The spec has no `openapi` field/,
    ],
    [
      "an unresolvable $ref",
      ["--spec", "test/fixtures/specs/unresolved-ref.yaml"],
      /unresolved-ref\.yaml:15: The \$ref "#\/components\/schemas\/Missing" does not resolve/,
    ],
    [
      "a $ref that only points at itself",
      ["--spec", "test/fixtures/specs/self-ref.yaml"],
      /self-ref\.yaml:15: The \$ref .* only points at itself/,
    ],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const out = previousOutput();
      expectCleanFailure(await run(["generate", "--no-catalog", "--no-overlays", ...args, "--out", out]), out, pattern);
    });
  }

  it("a URL that answers 404", async () => {
    const out = previousOutput();
    expectCleanFailure(
      await run(["generate", "--no-catalog", "--no-overlays", "--spec", `${base}/missing.yaml`, "--out", out]),
      out,
      /missing\.yaml: The server answered 404/,
    );
  });

  it("a URL that never answers, with a timeout", async () => {
    const out = previousOutput();
    const started = Date.now();
    expectCleanFailure(
      await run(["generate", "--no-catalog", "--no-overlays", "--spec", `${base}/slow.yaml`, "--timeout", "500", "--out", out]),
      out,
      /timed out after 500 ms/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("an unreachable URL", async () => {
    const out = previousOutput();
    expectCleanFailure(
      await run(["generate", "--no-catalog", "--no-overlays", "--spec", "http://127.0.0.1:1/spec.yaml", "--out", out]),
      out,
      /cannot be reached/,
    );
  });
});

describe("generate", () => {
  it("reads a spec from a URL, writes the output and a summary", async () => {
    const out = join(work, "from-url");
    const result = await run([
      "generate",
      "--no-catalog",
      "--overlays",
      "test/fixtures/overlays-ok",
      "--spec",
      `${base}/spec.yaml`,
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^generated 1 operations, 1 schemas/);
    expect(result.stdout).toContain("overlay actions applied: 2");
    expect(existsSync(join(out, "endpoints", "things.ts"))).toBe(true);
  });

  it("--json prints the summary as JSON, --check exits 1 on stale output and 0 when current", async () => {
    const out = join(work, "check");
    const generate = ["generate", "--no-catalog", "--overlays", "test/fixtures/overlays-ok", "--spec", "test/fixtures/specs/minimal.yaml"];
    const json = await run([...generate, "--out", out, "--json"]);
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as { operations: number; overlayActions: number; specSha256: string };
    expect(summary).toMatchObject({ operations: 1, overlayActions: 2 });
    expect(summary.specSha256).toMatch(/^[0-9a-f]{64}$/);
    const args = [...generate, "--out", out, "--check"];
    expect((await run(args)).code).toBe(0);
    writeFileSync(join(out, "schemas.ts"), "// edited by hand\n");
    const stale = await run(args);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("changed schemas.ts");
    expect(readFileSync(join(out, "schemas.ts"), "utf8")).toBe("// edited by hand\n");
  });

  it("writes the same files from any working directory: --check from a subfolder finds the output current", async () => {
    const project = join(work, "project");
    mkdirSync(join(project, "api"), { recursive: true });
    mkdirSync(join(project, "scripts"), { recursive: true });
    writeFileSync(join(project, "api", "minimal.yaml"), readFileSync(join(fixtures, "minimal.yaml")));
    const inputs = ["--overlays", join(packageRoot, "test/fixtures/overlays-ok"), "--no-catalog", "--no-config"];
    const written = await runCli(["generate", "--spec", "api/minimal.yaml", "--out", "generated", "--quiet", ...inputs], { cwd: project });
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(join(project, "generated", "index.ts"), "utf8")).toContain(" * Spec: api/minimal.yaml (sha256 ");
    const check = await runCli(["generate", "--spec", "../api/minimal.yaml", "--out", "../generated", "--check", ...inputs], {
      cwd: join(project, "scripts"),
    });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain("is up to date");
  });

  it("answers --help and --version, and rejects unknown options", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("generate");
    const version = await run(["--version"]);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version,
    );
    const unknown = await run(["generate", "--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown argument: frobnicate/);
  });

  it("uses MATTERMOST_SPEC when --spec is not given", async () => {
    const out = join(work, "env");
    const result = await run(["generate", "--no-catalog", "--overlays", "test/fixtures/overlays-ok", "--out", out, "--json"], {
      MATTERMOST_SPEC: "test/fixtures/specs/minimal.yaml",
    });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { spec: string }).spec).toBe("test/fixtures/specs/minimal.yaml");
  });
});
