// Every TypeScript snippet of README.md and docs/*.md compiles: each ```ts block is written to a
// module of its own, the package's entry points (`mattermost-typed`, `/generated`, `/socket`, ...)
// resolve to this checkout's sources, and the TypeScript compiler checks them with the project's
// strict options.
// A block that cannot compile on its own (a fragment, a signature) is marked ```ts no-check: <why>.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";

interface Snippet {
  /** `README.md` or `docs/x.md`. */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** The reason, for blocks marked `no-check`. */
  readonly skip: string | undefined;
  readonly file: string;
}

const docs = [
  "README.md",
  ...readdirSync(join(packageRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
].sort();
const work = join(packageRoot, "node_modules", ".cache", "mattermost-typed-snippets");

/** A closing fence: the opening's character, at least as many, and no info string. */
function closes(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === (fence[0] ?? "`").repeat(trimmed.length);
}

/** The ```ts / ```typescript blocks of a Markdown file (fences may be indented, in lists). */
function extract(doc: string, markdown: string): Snippet[] {
  const found: Snippet[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b(.*)$/.exec(lines[i] ?? "");
    if (open === null) {
      // Skip over other fenced blocks, so a ```ts inside one is not taken for a snippet.
      const other = /^(\s*)(`{3,}|~{3,})/.exec(lines[i] ?? "");
      if (other !== null) {
        const fence = other[2] ?? "```";
        while (++i < lines.length && !closes(lines[i] ?? "", fence));
      }
      continue;
    }
    const [, indent = "", fence = "```", , info = ""] = open;
    const body: string[] = [];
    const start = i;
    while (++i < lines.length && !closes(lines[i] ?? "", fence)) {
      const text = lines[i] ?? "";
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart());
    }
    const skip = /\bno-check\b[:\s]*(.*)$/.exec(info.trim());
    const name = `${doc.replace(/[^a-zA-Z0-9]+/g, "-")}-${start + 1}.mts`;
    found.push({
      doc,
      line: start + 1,
      code: body.join("\n"),
      skip: skip === null ? undefined : (skip[1] ?? "").trim(),
      file: join(work, name),
    });
  }
  return found;
}

const snippets = docs.flatMap((doc) => extract(doc, readFileSync(join(packageRoot, doc), "utf8")));
const checked = snippets.filter((snippet) => snippet.skip === undefined);
/** tsc's diagnostics per snippet file. */
const errors = new Map<string, string[]>();

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const snippet of checked) writeFileSync(snippet.file, `${snippet.code}\nexport {};\n`);
  const source = (path: string): string[] => [join(packageRoot, path)];
  const config = ts.parseJsonConfigFileContent(
    {
      extends: join(packageRoot, "tsconfig.base.json"),
      compilerOptions: {
        noEmit: true,
        types: ["node"],
        typeRoots: [join(packageRoot, "node_modules", "@types")],
        paths: {
          "mattermost-typed": source("runtime/index.ts"),
          "mattermost-typed/full": source("runtime/full.ts"),
          "mattermost-typed/socket": source("runtime/socket/index.ts"),
          "mattermost-typed/integrations": source("runtime/integrations/index.ts"),
          "mattermost-typed/recover": source("runtime/recover/index.ts"),
          "mattermost-typed/recover/file": source("runtime/recover/file.ts"),
          "mattermost-typed/transport": source("runtime/transport.ts"),
          "mattermost-typed/generated": source("generated/index.ts"),
          "mattermost-typed/generator": source("generator/index.ts"),
        },
      },
      files: checked.map((snippet) => snippet.file),
    },
    ts.sys,
    work,
  );
  if (config.errors.length > 0) throw new Error(ts.formatDiagnostics(config.errors, host));
  const program = ts.createProgram(config.fileNames, config.options);
  for (const snippet of checked) {
    const file = program.getSourceFile(snippet.file);
    if (file === undefined) throw new Error(`${snippet.file} is not in the program`);
    // Per file, so that one snippet's syntax error does not hide the type errors of the others.
    const syntactic = program.getSyntacticDiagnostics(file);
    const diagnostics = syntactic.length > 0 ? syntactic : program.getSemanticDiagnostics(file);
    errors.set(
      snippet.file,
      diagnostics.map((diagnostic) => {
        const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        return `${snippet.doc}:${snippet.line + line + 1}: TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
      }),
    );
  }
}, 180_000);

const host: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => packageRoot,
  getNewLine: () => "\n",
};

describe("TypeScript snippets of README.md and docs/*.md", () => {
  it("the README has snippets to check", () => {
    expect(checked.filter((snippet) => snippet.doc === "README.md").length).toBeGreaterThanOrEqual(2);
  });

  it.each(checked.map((snippet) => [`${snippet.doc}:${snippet.line}`, snippet] as const))("%s compiles", (_name, snippet) => {
    expect(errors.get(snippet.file) ?? [], `${relative(packageRoot, snippet.file)}:\n${snippet.code}`).toEqual([]);
  });

  it("every no-check block says why", () => {
    const unexplained = snippets.filter((snippet) => snippet.skip === "").map((snippet) => `${snippet.doc}:${snippet.line}`);
    expect(unexplained, "write the reason after no-check: ```ts no-check: a fragment of ...").toEqual([]);
  });
});

describe("the extractor", () => {
  it("finds indented blocks, skips other fences and reads no-check reasons", () => {
    const found = extract(
      "x.md",
      [
        "```sh",
        "```ts",
        "not a snippet",
        "```",
        "- item",
        "  ```ts",
        "  const a = 1;",
        "  ```",
        "```ts no-check: a fragment",
        "x(",
        "```",
      ].join("\n"),
    );
    expect(found.map(({ line, code, skip }) => ({ line, code, skip }))).toEqual([
      { line: 6, code: "const a = 1;", skip: undefined },
      { line: 9, code: "x(", skip: "a fragment" },
    ]);
  });
});
