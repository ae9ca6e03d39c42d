// Every generator error code and warning kind has its section in docs/errors.md, and the CLI points
// at it: errors end with `see docs/errors.md#<code>`, warnings get one `see` line per kind.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../generator/cli.js";
import { GeneratorError, type GeneratorErrorCode, errorDocs } from "../../generator/errors.js";
import { packageRoot } from "../../generator/paths.js";
import { type WarningKind, warningDocs } from "../../generator/warnings.js";

/** The string literals of a union type alias, read from the source (the type is the source of truth). */
function unionMembers(file: string, alias: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(packageRoot, file), "utf8"), ts.ScriptTarget.ES2022, true);
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === alias && ts.isUnionTypeNode(statement.type)) {
      return statement.type.types.map((member) => {
        if (!ts.isLiteralTypeNode(member) || !ts.isStringLiteral(member.literal))
          throw new Error(`${alias} has a member that is not a string literal`);
        return member.literal.text;
      });
    }
  }
  throw new Error(`${file} has no union type ${alias}`);
}

/** `## heading` sections of a Markdown file: anchor (GitHub's slug) → body text. */
function sections(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  const parts = markdown.split(/^(#{1,6} .*)$/m);
  for (let i = 1; i < parts.length; i += 2) {
    const heading = (parts[i] ?? "").replace(/^#+ /, "");
    const slug = heading
      .toLowerCase()
      .replace(/[^\w\- ]/g, "")
      .replace(/ /g, "-");
    found.set(slug, (parts[i + 1] ?? "").trim());
  }
  return found;
}

const codes = unionMembers("generator/errors.ts", "GeneratorErrorCode") as GeneratorErrorCode[];
const kinds = unionMembers("generator/warnings.ts", "WarningKind") as WarningKind[];
/** The codes of the client's `InvalidResponseError` (issue 24): each links to `docs/errors.md#<code in kebab case>`. */
const responseCodes = unionMembers("runtime/errors.ts", "InvalidResponseCode");
const docs = sections(readFileSync(join(packageRoot, "docs", "errors.md"), "utf8"));

function section(link: string): string | undefined {
  const [file, anchor] = link.split("#");
  expect(file).toBe("docs/errors.md");
  return docs.get(anchor ?? "");
}

describe("docs/errors.md has a section for", () => {
  it("the unions were read", () => {
    expect(codes).toContain("SPEC_NOT_FOUND");
    expect(kinds).toContain("duplicate-key");
  });

  it.each(codes)("error %s", (code) => {
    const body = section(errorDocs(code));
    expect(body, `add "## ${errorDocs(code).split("#")[1]}" to docs/errors.md: what the error means and what to do`).toBeDefined();
    expect(body?.length).toBeGreaterThan(40);
  });

  it.each(kinds)("warning %s", (kind) => {
    const body = section(warningDocs(kind));
    expect(body, `add "## ${kind}" to docs/errors.md: what the generator did and what you can do`).toBeDefined();
    expect(body?.length).toBeGreaterThan(40);
  });

  it("every InvalidResponseError code of the client has its section", () => {
    for (const code of responseCodes) {
      expect(
        docs.get(code.toLowerCase().replace(/_/g, "-"))?.length,
        `add "## ${code.toLowerCase().replace(/_/g, "-")}" to docs/errors.md`,
      ).toBeGreaterThan(40);
    }
  });

  it("and no section for a code or kind that no longer exists", () => {
    const expected = new Set(
      [
        ...codes.map((code) => errorDocs(code)),
        ...kinds.map((kind) => warningDocs(kind)),
        ...responseCodes.map((code) => `#${code.toLowerCase().replace(/_/g, "-")}`),
      ].map((link) => link.split("#")[1]),
    );
    const headings = [...docs.keys()].filter(
      (slug) => !["generator-errors-and-warnings", "errors", "warnings", "client-errors", "invalid-responses"].includes(slug),
    );
    expect(headings.filter((slug) => !expected.has(slug))).toEqual([]);
  });
});

describe("the CLI links each error and warning to its section", () => {
  const work = mkdtempSync(join(tmpdir(), "mmt-errors-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(args, {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
      isTTY: false,
    });
    return { code, out, err };
  }

  it("an error ends with its code and link", async () => {
    const result = await cli(["generate", "--spec", join(work, "missing.yaml"), "--out", join(work, "out1"), "--no-config"]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/\(SPEC_NOT_FOUND: see docs\/errors\.md#spec-not-found\)\n$/);
    expect(section("docs/errors.md#spec-not-found")).toBeDefined();
    expect(new GeneratorError("EMIT_FAILED", "x").format()).toBe("x (EMIT_FAILED: see docs/errors.md#emit-failed)");
  });

  it("warnings get one link per kind", async () => {
    const spec = join(work, "warnings.yaml");
    writeFileSync(
      spec,
      [
        "openapi: 3.0.0",
        "info: { title: Warnings, version: 1.0.0 }",
        "paths:",
        "  /api/v4/things/{thing_id}:",
        "    get:",
        "      operationId: GetThing",
        "      tags: [things]",
        "      responses: { '200': { description: ok } }",
        "  /api/v4/other:",
        "    get:",
        "      operationId: GetThing",
        "      tags: [things]",
        "      responses: { '200': { description: ok } }",
        "",
      ].join("\n"),
    );
    const result = await cli([
      "generate",
      "--spec",
      spec,
      "--out",
      join(work, "out2"),
      "--no-overlays",
      "--no-catalog",
      "--no-config",
      "--quiet=false",
    ]);
    expect(result.code, result.err).toBe(0);
    const seen = [...result.out.matchAll(/^ {2}- ([a-z-]+):/gm)].map((match) => match[1]);
    expect(new Set(seen)).toEqual(new Set(["duplicate-operation-id", "undeclared-path-parameter", "undeclared-tag"]));
    for (const kind of new Set(seen)) {
      expect(result.out).toContain(`\n  ${kind}: see docs/errors.md#${kind}\n`);
      expect(section(`docs/errors.md#${kind}`)).toBeDefined();
    }
  });
});
