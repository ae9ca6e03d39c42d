// docs/api/ is TypeDoc's Markdown (typedoc-plugin-markdown, settings in typedoc.json) of the
// runtime's doc comments, committed. It must match the sources, so that it cannot rot: change a
// comment, run `npm run docs:api`. The links inside it are checked with the others (links.test.ts).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";

const committedDir = join(packageRoot, "docs", "api");
const work = mkdtempSync(join(tmpdir(), "mmt-docs-api-"));
const renderedDir = join(work, "api");

/** Every file under `dir`, as a path relative to `base`, sorted. */
function filesOf(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? filesOf(full, base) : [relative(base, full)];
    });
}

let output = "";
beforeAll(async () => {
  // `npm run docs:api` is `typedoc`; the same, written aside.
  const run = await promisify(execFile)(process.execPath, [join(packageRoot, "node_modules/typedoc/bin/typedoc"), "--out", renderedDir], {
    cwd: packageRoot,
    encoding: "utf8",
  });
  output = `${run.stdout}${run.stderr}`;
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("docs/api (TypeDoc)", () => {
  it("TypeDoc warns of nothing (no broken {@link}, no unreadable comment)", () => {
    expect(output).not.toMatch(/\[(warning|error)\]/);
  });

  it("holds exactly the pages TypeDoc writes", () => {
    expect(filesOf(committedDir)).toEqual(filesOf(renderedDir));
    expect(filesOf(committedDir)).toEqual([
      "README.md",
      "mattermost-typed/full.md",
      "mattermost-typed/integrations.md",
      "mattermost-typed/recover/file.md",
      "mattermost-typed/recover.md",
      "mattermost-typed/socket.md",
      "mattermost-typed/transport.md",
      "mattermost-typed.md",
    ]);
  });

  it("every page is up to date with the doc comments", () => {
    for (const file of filesOf(renderedDir)) {
      expect(readFileSync(join(committedDir, file), "utf8"), `docs/api/${file} differs from the sources: run \`npm run docs:api\``).toBe(
        readFileSync(join(renderedDir, file), "utf8"),
      );
    }
  });

  it("documents the exports with their comments, and nothing generated from the spec", () => {
    const runtime = readFileSync(join(committedDir, "mattermost-typed.md"), "utf8");
    expect(runtime).toMatch(/### createClient\(\)\n\n> \*\*createClient\*\*\(`options`\): \[`Client`\]\(#client\)\n\nCreates a client\./);
    expect(runtime).toMatch(/##### request\\_id\n\n> `readonly` \*\*request\\_id\*\*: `string`\n\nThe server's request id/);
    // getMe is re-exported from generated/: its page is the `reference` plugin's output.
    expect(runtime).not.toMatch(/### getMe/);
    const socket = readFileSync(join(committedDir, "mattermost-typed", "socket.md"), "utf8");
    expect(socket).toMatch(/### createMattermostSocket\(\)\n/);
    const index = readFileSync(join(committedDir, "README.md"), "utf8");
    expect(index).toMatch(/## The generated functions/);
    for (const page of filesOf(committedDir).filter((file) => file !== "README.md")) expect(index).toContain(`](${page})`);
  });
});
