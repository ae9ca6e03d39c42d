// Every relative link in README.md and docs/**/*.md (docs/api, which TypeDoc writes, included)
// leads somewhere: to a file or folder of the repository and, with a `#fragment`, to a heading of
// that Markdown file (GitHub's anchor for it) or an element with that id.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return markdownFiles(full);
      return name.endsWith(".md") ? [full] : [];
    });
}

/** The text outside fenced code blocks and inline code, where a link is a link. */
function prose(markdown: string): string {
  const blank = (text: string) => text.replace(/[^\n]/g, " "); // keeps the line numbers
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank).replace(/(`+)[\s\S]*?\1/g, blank);
}

/** GitHub's anchors for a file's headings (duplicates get -1, -2, ...), and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const match of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const visible = (match[1] ?? "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .replace(/\\(.)/g, "$1")
      .replace(/[`*]/g, "");
    const base = visible
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? "");
  return anchors;
}

/** Each `[text](target)` link of a file, with its line. */
function linksOf(markdown: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  const lines = prose(markdown).split("\n");
  lines.forEach((line, index) => {
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      found.push({ target: match[1] ?? "", line: index + 1 });
  });
  return found;
}

const files = [join(packageRoot, "README.md"), ...markdownFiles(join(packageRoot, "docs"))];
const anchorCache = new Map<string, Set<string>>();
function anchorsOfFile(path: string): Set<string> {
  let anchors = anchorCache.get(path);
  if (anchors === undefined) {
    anchors = anchorsOf(readFileSync(path, "utf8"));
    anchorCache.set(path, anchors);
  }
  return anchors;
}

/** Why a link is broken, or undefined when it resolves. */
function brokenLink(from: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: and other schemes: not checked here
  const hash = target.indexOf("#");
  const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const fragment = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = pathPart === "" ? from : join(dirname(from), pathPart);
  if (!existsSync(file)) return `${relative(packageRoot, file)} does not exist`;
  if (fragment === undefined || fragment === "") return undefined;
  if (statSync(file).isDirectory() || !file.endsWith(".md"))
    return `#${fragment} points into ${relative(packageRoot, file)}, which has no headings`;
  if (!anchorsOfFile(file).has(fragment)) return `${relative(packageRoot, file)} has no heading or id for #${fragment}`;
  return undefined;
}

describe("relative links in README.md and docs/", () => {
  it("finds the files and their links", () => {
    expect(files.map((file) => relative(packageRoot, file))).toEqual(expect.arrayContaining(["README.md", "docs/api/README.md"]));
    expect(files.reduce((sum, file) => sum + linksOf(readFileSync(file, "utf8")).length, 0)).toBeGreaterThan(200);
  });

  it("computes GitHub's anchors, duplicates and escapes included", () => {
    const anchors = anchorsOf(
      '# API reference\n## `createClient()`\n### request\\_id\n### Call Signature\n### Call Signature\n<a id="x-y"></a>\n',
    );
    expect([...anchors]).toEqual(["api-reference", "createclient", "request_id", "call-signature", "call-signature-1", "x-y"]);
    expect(brokenLink(join(packageRoot, "README.md"), "docs/nowhere.md")).toBe("docs/nowhere.md does not exist");
    expect(brokenLink(join(packageRoot, "README.md"), "docs/api/README.md#no-such-heading")).toBe(
      "docs/api/README.md has no heading or id for #no-such-heading",
    );
  });

  it.each(files.map((file) => relative(packageRoot, file)))("%s: every relative link resolves", (name) => {
    const from = join(packageRoot, name);
    const broken = linksOf(readFileSync(from, "utf8"))
      .map(({ target, line }) => ({ line, target, why: brokenLink(from, target) }))
      .filter((link) => link.why !== undefined)
      .map((link) => `${name}:${link.line}: (${link.target}) ${link.why}`);
    expect(broken).toEqual([]);
  });
});
