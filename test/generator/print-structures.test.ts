// The endpoint files are printed by generator/emit/print-structures.ts instead of ts-morph's
// `printStructure`, so `generate` does not load ts-morph and its bundled TypeScript. ts-morph is the
// reference: every endpoint file of the real specs, and a few awkward hand-made structures, must
// print byte for byte as ts-morph prints the same structures.
import { existsSync } from "node:fs";
import * as TsMorph from "ts-morph";
import { describe, expect, it } from "vitest";
import { emitEndpoints } from "../../generator/emit/endpoints.js";
import { decideNames } from "../../generator/naming.js";
import { schemaPrinter } from "../../generator/emit/openapi-ts.js";
import {
  type FunctionDeclarationStructure,
  type InterfaceDeclarationStructure,
  printSourceFile,
  type SourceFileStructure,
  type StatementStructure,
  StructureKind,
} from "../../generator/emit/print-structures.js";
import { type GenerateOptions, loadModel } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";
import { realOld } from "../diff/support.js";

/** ts-morph's text for our structures (its types want mutable arrays; the shapes are the same). */
const reference = (file: SourceFileStructure): string => TsMorph.printStructure(file as unknown as TsMorph.SourceFileStructure);

interface Printed {
  readonly ours: string;
  readonly reference: string;
}

/** Every endpoint file of a spec, printed from the same structures by both printers. */
async function printBoth(options: GenerateOptions): Promise<{ byFile: Map<string, Printed>; operations: number }> {
  const { spec, model } = await loadModel(options);
  const names = decideNames(model);
  const printed: Printed[] = [];
  const { files } = emitEndpoints(model, names, schemaPrinter(spec.document, names.schema), "", (file) => {
    const ours = printSourceFile(file);
    printed.push({ ours, reference: reference(file) });
    return ours;
  });
  // One print per tag file, in the order the files were added; the index is not printed.
  const tagFiles = [...files.keys()].filter((name) => name !== "endpoints/index.ts");
  expect(tagFiles).toHaveLength(printed.length);
  return { byFile: new Map(tagFiles.map((name, index) => [name, printed[index] as Printed])), operations: model.operations.length };
}

/** Both printers agree on every file, and the files hold one function per operation. */
function expectSamePrint({ byFile, operations }: { byFile: ReadonlyMap<string, Printed>; operations: number }): void {
  let functions = 0;
  for (const [file, { ours, reference }] of byFile) {
    expect(ours, file).toBe(reference);
    functions += ours.match(/^export function /gm)?.length ?? 0;
  }
  expect(functions).toBe(operations);
}

const file = (...statements: StatementStructure[]): SourceFileStructure => ({ kind: StructureKind.SourceFile, statements });

const fn = (fields: Omit<FunctionDeclarationStructure, "kind">): FunctionDeclarationStructure => ({
  kind: StructureKind.Function,
  ...fields,
});

const iface = (fields: Omit<InterfaceDeclarationStructure, "kind">): InterfaceDeclarationStructure => ({
  kind: StructureKind.Interface,
  ...fields,
});

describe("printSourceFile", () => {
  it("uses ts-morph's StructureKind numbers", () => {
    expect(StructureKind).toEqual({
      Function: TsMorph.StructureKind.Function,
      ImportDeclaration: TsMorph.StructureKind.ImportDeclaration,
      Interface: TsMorph.StructureKind.Interface,
      PropertySignature: TsMorph.StructureKind.PropertySignature,
      SourceFile: TsMorph.StructureKind.SourceFile,
    });
  });

  describe.skipIf(!existsSync(realOld))("prints every real endpoint file as ts-morph does", () => {
    it("v11.6.0, with the overlays, as generate does", async () => {
      const printed = await printBoth({ cwd: packageRoot });
      expect(printed.operations).toBeGreaterThan(500);
      expect(printed.byFile.get("endpoints/posts.ts")?.ours).toContain(
        "export function createPost(client: Transport, args: CreatePostArgs",
      );
      expectSamePrint(printed);
    });

    it("2023-06, without overlays or the event catalog", async () => {
      const printed = await printBoth({ spec: realOld, cwd: packageRoot, overlays: false, catalog: false });
      expect(printed.operations).toBe(425);
      expectSamePrint(printed);
    });
  });

  const awkward: Record<string, SourceFileStructure> = {
    "an empty file": file(),
    "imports only, with and without names": file(
      { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: ["B", "A"], moduleSpecifier: "./a.js" },
      { kind: StructureKind.ImportDeclaration, namedImports: ["x"], moduleSpecifier: 'it\'s "quoted"' },
      { kind: StructureKind.ImportDeclaration, namedImports: [], moduleSpecifier: "./side-effect.js" },
    ),
    "docs: multi-line, blank lines, a leading newline, CRLF, empty, a raw */": file(
      fn({
        name: "documented",
        isExported: true,
        docs: [
          "First line\n\nsecond paragraph\n  indented",
          "\nstarts with a newline",
          "crlf\r\nlines",
          "",
          "closes */ early",
          "@deprecated Use another.",
        ],
        statements: ["return;"],
      }),
      fn({ name: "after", docs: ["escaped *\\/ and /* nested"], statements: [] }),
    ),
    "no parameters, no return type, no statements, not exported": file(fn({ name: "nothing" })),
    "optional parameters, with and without a type": file(
      fn({
        name: "optional",
        parameters: [
          { name: "required", type: "string" },
          { name: "untyped" },
          { name: "args", type: "Args", hasQuestionToken: true },
          { name: "loose", hasQuestionToken: true },
          { name: "spaced", type: "string  " },
        ],
        returnType: "void",
      }),
    ),
    "type parameters with constraints and defaults": file(
      fn({
        name: "generic",
        isExported: true,
        typeParameters: [
          { name: "A", constraint: "BinaryAs", default: '"blob"' },
          { name: "B" },
          { name: "C", constraint: "  ", default: "string" },
        ],
        parameters: [{ name: "init", type: "CallOptions & { readonly as?: A }", hasQuestionToken: true }],
        returnType: "Promise<BinaryResult<A>>",
        statements: ['return client.call("GET", "/x", undefined, init, { response: "binary" });'],
      }),
      iface({
        name: "Box",
        typeParameters: [{ name: "T", constraint: "object", default: "{}" }],
        properties: [{ name: "value", type: "T" }],
      }),
    ),
    "interfaces: empty, quoted names, readonly, untyped, multi-line types": file(
      iface({ name: "Empty", isExported: true, docs: ["Nothing in it."] }),
      iface({
        name: "Args",
        isExported: true,
        docs: ["Arguments of {@link thing}."],
        properties: [
          {
            kind: StructureKind.PropertySignature,
            name: '"x-header"',
            hasQuestionToken: true,
            type: "string",
            docs: ["A header.\n\n(header parameter)"],
          },
          { name: "readonlyOne", isReadonly: true, type: "number" },
          { name: "untyped" },
          {
            name: "body",
            type: '{\n    /** @description It\'s "odd" */\n    a?: string;\n    b: {\n        c: number[];\n    };\n}',
            docs: ["The body."],
          },
          { name: "crlf", type: "{\r\n    a: string;\r\n}" },
        ],
      }),
    ),
    "statements: a block followed by another statement": file(
      fn({
        name: "blocks",
        statements: ["if (x) {\n    return 1;\n}", "return 2;", "const url = `a/$" + "{b}`;", "// a comment", "return 3;"],
      }),
    ),
    "imports, then interfaces and functions in turn": file(
      {
        kind: StructureKind.ImportDeclaration,
        isTypeOnly: true,
        namedImports: ["CallOptions", "Transport"],
        moduleSpecifier: "../../runtime/transport.js",
      },
      iface({ name: "FirstArgs", isExported: true, properties: [{ name: "id", type: "string" }] }),
      fn({
        name: "first",
        isExported: true,
        docs: ["First\n\n@deprecated Deprecated by the API.\n\n@see GET /api/v4/first"],
        parameters: [
          { name: "client", type: "Transport" },
          { name: "args", type: "FirstArgs" },
          { name: "init", type: "CallOptions", hasQuestionToken: true },
        ],
        returnType: "Promise<void>",
        statements: ['return client.call("GET", "/api/v4/first", args, init);'],
      }),
      fn({
        name: "second",
        isExported: true,
        parameters: [{ name: "client", type: "Transport" }],
        returnType: "Promise<string>",
        statements: ["return 'x';"],
      }),
      { kind: StructureKind.ImportDeclaration, namedImports: ["late"], moduleSpecifier: "./late.js" },
      iface({ name: "Last" }),
    ),
    "multi-line parameter types and a multi-line return type": file(
      fn({
        name: "wide",
        parameters: [
          { name: "a", type: "{\n    x: string;\n}" },
          { name: "b", type: "string" },
        ],
        returnType: "Promise<{\n    y: number;\n}>",
        statements: ["return undefined as never;"],
      }),
    ),
  };

  for (const [name, structure] of Object.entries(awkward)) {
    it(`prints ${name} as ts-morph does`, () => {
      expect(printSourceFile(structure)).toBe(reference(structure));
    });
  }

  it("writes the shape the generated files have", () => {
    const text = printSourceFile(awkward["imports, then interfaces and functions in turn"] as SourceFileStructure);
    expect(text).toBe(
      [
        'import type { CallOptions, Transport } from "../../runtime/transport.js";',
        "",
        "export interface FirstArgs {",
        "    id: string;",
        "}",
        "",
        "/**",
        " * First",
        " *",
        " * @deprecated Deprecated by the API.",
        " *",
        " * @see GET /api/v4/first",
        " */",
        "export function first(client: Transport, args: FirstArgs, init?: CallOptions): Promise<void> {",
        '    return client.call("GET", "/api/v4/first", args, init);',
        "}",
        "",
        "export function second(client: Transport): Promise<string> {",
        "    return 'x';",
        "}",
        "",
        'import { late } from "./late.js";',
        "",
        "interface Last {",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("refuses a list item that ends in a comment (ts-morph would put the comma before it)", () => {
    expect(() => printSourceFile(file(fn({ name: "f", parameters: [{ name: "a", type: "string // note" }, { name: "b" }] })))).toThrow(
      /ending in a comment/,
    );
  });
});
