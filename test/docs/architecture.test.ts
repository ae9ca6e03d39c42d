// docs/architecture.md stays true: every repository path it names exists, and every generator file
// that imports node:fs is in its table of the files that touch the disk.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const text = readFileSync(join(root, "docs", "architecture.md"), "utf8");
const TOP = /^(spec|generator|runtime|generated|scripts|test|docs|etc|bench|examples)\//;

/** The backticked spans and the code blocks' words that look like repository paths. */
function namedPaths(): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/`([^`\n]+)`/g)) {
    const span = (match[1] ?? "").trim();
    if (TOP.test(span) || /^[\w-][\w.-]*\.(json|ts|md)$/.test(span)) found.add(span);
  }
  // The diagram names stages without their extension (generator/load is generator/load.ts).
  for (const match of text.matchAll(/(?:^|\s)((?:spec|generator|runtime)\/[\w/*.-]+)/gm)) found.add(match[1] ?? "");
  return [...found].filter((path) => !/[<>*]/.test(path) && path !== "");
}

/** Every file name in the folders the document describes, for names written without their folder (`socket.ts` in the socket's paragraph). */
const fileNames = new Set(
  ["spec", "generator", "runtime", "scripts", "test", "bench", "docs", "examples"].flatMap((dir) =>
    walk(join(root, dir)).map((file) => file.slice(file.lastIndexOf("/") + 1)),
  ),
);

function exists(path: string): boolean {
  if (!path.includes("/")) return existsSync(join(root, path)) || fileNames.has(path);
  const full = join(root, path);
  return existsSync(full) || existsSync(`${full}.ts`) || (path.endsWith("/") && existsSync(full));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

describe("docs/architecture.md", () => {
  it("names only paths that exist", () => {
    const paths = namedPaths();
    expect(paths.length).toBeGreaterThan(40);
    // generated/ exists once `npm test`'s pretest has generated it.
    const checkable = existsSync(join(root, "generated")) ? paths : paths.filter((path) => !path.startsWith("generated/"));
    expect(checkable.filter((path) => !exists(path))).toEqual([]);
  });

  it("lists every generator file that touches the disk", () => {
    const touching = walk(join(root, "generator"))
      .filter((file) => file.endsWith(".ts") && /from "node:fs(\/promises)?"/.test(readFileSync(file, "utf8")))
      .map((file) => relative(root, file).split("\\").join("/"))
      .sort();
    expect(touching.length).toBeGreaterThan(10);
    const table = text.slice(text.indexOf("The files that touch the disk:"), text.indexOf("### Build"));
    expect(touching.filter((file) => !table.includes(`\`${file}\``))).toEqual([]);
  });
});
