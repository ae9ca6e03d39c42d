// docs/api/*.md is written from the runtime's doc comments by scripts/docs-api.mjs and committed.
// It must match the sources, so that it cannot rot: change a comment, run `npm run docs:api`.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";

// @ts-expect-error: a plain JavaScript module without declarations.
const { renderAll } = (await import("../../scripts/docs-api.mjs")) as { renderAll: () => Map<string, string> };

const rendered = renderAll();

describe("docs/api", () => {
  it.each([...rendered.keys()])("%s is up to date with the doc comments", (name) => {
    const committed = readFileSync(join(packageRoot, "docs", "api", name), "utf8");
    expect(committed, `docs/api/${name} differs from the sources: run \`npm run docs:api\``).toBe(rendered.get(name));
  });

  it("holds no page the script does not write", () => {
    expect(readdirSync(join(packageRoot, "docs", "api")).sort()).toEqual([...rendered.keys()].sort());
  });

  it("documents the main exports with their comments", () => {
    const runtime = rendered.get("runtime.md") ?? "";
    expect(runtime).toMatch(
      /### createClient\n\n```ts\nfunction createClient\(options: ClientOptions\): Client;\n```\n\nCreates a client\./,
    );
    expect(runtime).toMatch(/\| `readonly request_id: string` \| The server's request id/);
    const socket = rendered.get("socket.md") ?? "";
    expect(socket).toMatch(/### createMattermostSocket\n/);
    expect(socket).toMatch(/\| `on<N extends keyof M & string>\(name: N, handler: ListenerOf<M, N>\): Unsubscribe` \|/);
  });

  it("the script's --check agrees", () => {
    const result = spawnSync(process.execPath, [join(packageRoot, "scripts", "docs-api.mjs"), "--check"], {
      cwd: packageRoot,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
