/**
 * A printer for the few declaration structures the endpoint files are made of: import
 * declarations, interfaces with property signatures, and functions (type parameters, parameters,
 * return type, string statements), each with string docs.
 *
 * The structures are shaped like ts-morph's (same field names and `kind` numbers), and the text is
 * what ts-morph's `printStructure` gives for them: the same calls, in the same order, on the same
 * writer (`code-block-writer`, which ts-morph prints with), with `printStructure`'s default options
 * (4 spaces, "\n", double quotes, spaces inside import braces). Loading ts-morph just to print
 * would also load the TypeScript copy bundled in `@ts-morph/common`. ts-morph stays the reference:
 * test/generator/print-structures.test.ts prints every real endpoint file with both.
 *
 * Only the fields below are read; anything else ts-morph knows (decorators, overloads, extends,
 * initializers, trivia, ...) is not part of these types and is not printed.
 */
import CodeBlockWriter from "code-block-writer";

/** The `kind` values, equal to ts-morph's `StructureKind` members of the same names. */
export const StructureKind = {
  Function: 13,
  ImportDeclaration: 16,
  Interface: 19,
  PropertySignature: 33,
  SourceFile: 36,
} as const;

/** A JSDoc block's text, without the `/**` and `*\/` and the stars at the start of lines. */
export type DocStructure = string;

export interface ImportDeclarationStructure {
  readonly kind: typeof StructureKind.ImportDeclaration;
  readonly isTypeOnly?: boolean;
  readonly namedImports?: readonly string[];
  readonly moduleSpecifier: string;
}

export interface PropertySignatureStructure {
  readonly kind?: typeof StructureKind.PropertySignature;
  readonly docs?: readonly DocStructure[];
  readonly isReadonly?: boolean;
  /** As written: quoted already when it is not an identifier. */
  readonly name: string;
  readonly hasQuestionToken?: boolean;
  readonly type?: string;
}

export interface InterfaceDeclarationStructure {
  readonly kind: typeof StructureKind.Interface;
  readonly docs?: readonly DocStructure[];
  readonly isExported?: boolean;
  readonly name: string;
  readonly typeParameters?: readonly TypeParameterDeclarationStructure[];
  readonly properties?: readonly PropertySignatureStructure[];
}

export interface TypeParameterDeclarationStructure {
  readonly name: string;
  readonly constraint?: string;
  readonly default?: string;
}

export interface ParameterDeclarationStructure {
  readonly name: string;
  readonly hasQuestionToken?: boolean;
  readonly type?: string;
}

export interface FunctionDeclarationStructure {
  readonly kind: typeof StructureKind.Function;
  readonly docs?: readonly DocStructure[];
  readonly isExported?: boolean;
  readonly name: string;
  readonly typeParameters?: readonly TypeParameterDeclarationStructure[];
  readonly parameters?: readonly ParameterDeclarationStructure[];
  readonly returnType?: string;
  /** The body, one statement per string. */
  readonly statements?: readonly string[];
}

export type StatementStructure = ImportDeclarationStructure | InterfaceDeclarationStructure | FunctionDeclarationStructure;

export interface SourceFileStructure {
  readonly kind: typeof StructureKind.SourceFile;
  readonly statements: readonly StatementStructure[];
}

const writerOptions = { indentNumberOfSpaces: 4, useTabs: false, newLine: "\n", useSingleQuote: false } as const;

const whitespace = new Set([" ", "\f", "\n", "\r", "\t", "\v", "\u00a0", "\u2028", "\u2029"].map((char) => char.charCodeAt(0)));
function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (!whitespace.has(text.charCodeAt(index))) return false;
  return true;
}

/**
 * A type or other text as it reads once written alone at the left margin: the writer turns
 * "\r\n" into its newline, "\n".
 */
const standalone = (text: string): string => text.replaceAll("\r\n", "\n");

/** Whether the last character that is not whitespace is `}` (a block or an object type ended). */
function endsWithCloseBrace(writer: CodeBlockWriter): boolean {
  const found = writer.iterateLastCharCodes((code) => (code === 0x7d ? true : whitespace.has(code) ? undefined : false));
  return found === true;
}

/** What was written from `start` on, read backwards from the end (no copy of the whole text). */
function textSince(writer: CodeBlockWriter, start: number): string {
  const chars: string[] = [];
  writer.iterateLastCharCodes((code, index) => {
    if (index < start) return true;
    chars.push(String.fromCharCode(code));
    return undefined;
  });
  return chars.reverse().join("");
}

/**
 * Where the comma after a list item goes: after its last character that is not whitespace; none
 * when the item is empty or ends in one already. (ts-morph finds the end of the item's last token
 * with TypeScript's scanner; without comments, that is the same place.)
 */
function commaPosition(item: string): number | undefined {
  let end = item.length;
  while (end > 0 && whitespace.has(item.charCodeAt(end - 1))) end--;
  if (end === 0 || item[end - 1] === ",") return undefined;
  const lastLine = item.slice(item.lastIndexOf("\n", end - 1) + 1, end);
  if (lastLine.includes("//") || lastLine.endsWith("*/")) {
    throw new Error(`print-structures: a list item ending in a comment is not supported: ${JSON.stringify(item)}`);
  }
  return end;
}

/** Items separated by a space, then a comma after each but the last (inserted afterwards). */
function printCommaSeparated<T>(writer: CodeBlockWriter, items: readonly T[], print: (writer: CodeBlockWriter, item: T) => void): void {
  const commas: (number | undefined)[] = [];
  for (const [index, item] of items.entries()) {
    if (index > 0) writer.spaceIfLastNot();
    const start = writer.getLength();
    print(writer, item);
    const at = commaPosition(textSince(writer, start));
    commas.push(at === undefined ? undefined : start + at);
  }
  let last = true;
  for (let index = commas.length - 1; index >= 0; index--) {
    const at = commas[index];
    if (at === undefined) continue;
    if (last) last = false;
    else writer.unsafeInsert(at, ",");
  }
}

/** Every structure starts by closing a comment left open before it. */
function startNode(writer: CodeBlockWriter): void {
  writer.closeComment();
}

function printDoc(writer: CodeBlockWriter, doc: DocStructure): void {
  startNode(writer);
  const lines = doc.split(/\r?\n/);
  const first = lines[0] === "" ? 1 : 0;
  const singleLine = lines.length <= 1;
  writer.write("/**");
  if (singleLine) {
    writer.space();
    writer.write(lines[first] ?? "");
  } else {
    writer.newLine();
    for (const line of lines.slice(first)) {
      writer.write(" *");
      if (line !== "") writer.write(` ${line}`);
      writer.newLine();
    }
  }
  writer.spaceIfLastNot();
  writer.write("*/");
}

function printDocs(writer: CodeBlockWriter, docs: readonly DocStructure[] | undefined): void {
  for (const doc of docs ?? []) {
    printDoc(writer, doc);
    writer.newLine();
  }
}

/** `separator type`, as a hanging indent so a type on several lines is indented under its name. */
function printType(writer: CodeBlockWriter, separator: string, type: string): void {
  const text = standalone(type);
  if (!isBlank(text)) writer.hangingIndent(() => writer.write(`${separator} ${text}`));
}

function printTypeParameters(writer: CodeBlockWriter, typeParameters: readonly TypeParameterDeclarationStructure[] | undefined): void {
  if (typeParameters === undefined || typeParameters.length === 0) return;
  writer.write("<");
  printCommaSeparated(writer, typeParameters, (target, typeParameter) => {
    startNode(target);
    target.hangingIndent(() => {
      target.write(typeParameter.name);
      const constraint = typeParameter.constraint === undefined ? "" : standalone(typeParameter.constraint);
      if (!isBlank(constraint)) target.write(` extends ${constraint}`);
      const fallback = typeParameter.default === undefined ? "" : standalone(typeParameter.default);
      if (!isBlank(fallback)) target.write(` = ${fallback}`);
    });
  });
  writer.write(">");
}

function printParameters(writer: CodeBlockWriter, parameters: readonly ParameterDeclarationStructure[] | undefined): void {
  writer.write("(");
  if (parameters !== undefined && parameters.length > 0) {
    writer.hangingIndent(() => {
      printCommaSeparated(writer, parameters, (target, parameter) => {
        startNode(target);
        target.write(parameter.name);
        if (parameter.hasQuestionToken === true) target.write("?");
        // An optional parameter without a type is written `any`; a required one is left untyped.
        const type = parameter.type ?? (parameter.hasQuestionToken === true ? "any" : undefined);
        if (type !== undefined) printType(target, ":", type);
      });
    });
  }
  writer.write(")");
}

function printImport(writer: CodeBlockWriter, declaration: ImportDeclarationStructure): void {
  startNode(writer);
  writer.write("import");
  if (declaration.isTypeOnly === true) writer.write(" type");
  const named = declaration.namedImports ?? [];
  if (named.length > 0) {
    writer.space();
    writer.write("{");
    // The names are written on a writer of their own, then copied in between the braces.
    const inner = new CodeBlockWriter(writer.getOptions());
    printCommaSeparated(inner, named, (target, name) => {
      startNode(target);
      const specifier = new CodeBlockWriter(target.getOptions());
      specifier.queueIndentationLevel(1);
      specifier.write(name);
      target.write(specifier.toString());
    });
    const text = inner.toString();
    if (!text.startsWith("\n") && !text.startsWith("\r\n")) writer.space();
    writer.write(text);
    if (!text.endsWith("\n")) writer.space();
    writer.write("}");
    writer.write(" from");
  }
  writer.write(" ");
  writer.quote(declaration.moduleSpecifier);
  writer.write(";");
}

function printProperty(writer: CodeBlockWriter, property: PropertySignatureStructure): void {
  startNode(writer);
  printDocs(writer, property.docs);
  if (property.isReadonly === true) writer.write("readonly ");
  writer.write(property.name);
  if (property.hasQuestionToken === true) writer.write("?");
  if (property.type !== undefined) printType(writer, ":", property.type);
  writer.write(";");
}

function printInterface(writer: CodeBlockWriter, declaration: InterfaceDeclarationStructure): void {
  startNode(writer);
  printDocs(writer, declaration.docs);
  if (declaration.isExported === true) writer.write("export ");
  writer.write(`interface ${declaration.name}`);
  printTypeParameters(writer, declaration.typeParameters);
  writer.space();
  writer.inlineBlock(() => {
    const properties = declaration.properties ?? [];
    if (properties.length > 0 && !writer.isAtStartOfFirstLineOfBlock()) writer.newLine();
    for (const [index, property] of properties.entries()) {
      if (index > 0) writer.newLine();
      printProperty(writer, property);
    }
  });
}

/** Statements one per line, with a blank line after one that ends in `}`. */
function printStatementSeparator(writer: CodeBlockWriter): void {
  if (endsWithCloseBrace(writer)) writer.blankLineIfLastNot();
  else if (!writer.isAtStartOfFirstLineOfBlock()) writer.newLineIfLastNot();
}

function printFunction(writer: CodeBlockWriter, declaration: FunctionDeclarationStructure): void {
  startNode(writer);
  printDocs(writer, declaration.docs);
  if (declaration.isExported === true) writer.write("export ");
  writer.write("function");
  if (!isBlank(declaration.name)) writer.write(` ${declaration.name}`);
  printTypeParameters(writer, declaration.typeParameters);
  printParameters(writer, declaration.parameters);
  if (declaration.returnType !== undefined) printType(writer, ":", declaration.returnType);
  writer.space().inlineBlock(() => {
    for (const statement of declaration.statements ?? []) {
      printStatementSeparator(writer);
      writer.write(statement);
    }
  });
}

/** Declarations other than imports start after a blank line, unless they open the file. */
function ensureBlankLine(writer: CodeBlockWriter): void {
  if (!writer.isAtStartOfFirstLineOfBlock()) writer.blankLineIfLastNot();
}

/** The text of a source file, ending in a newline (as ts-morph's `printStructure` writes it). */
export function printSourceFile(file: SourceFileStructure): string {
  const writer = new CodeBlockWriter(writerOptions);
  startNode(writer);
  for (const statement of file.statements) {
    printStatementSeparator(writer);
    switch (statement.kind) {
      case StructureKind.ImportDeclaration:
        printImport(writer, statement);
        break;
      case StructureKind.Interface:
        ensureBlankLine(writer);
        printInterface(writer, statement);
        break;
      case StructureKind.Function:
        ensureBlankLine(writer);
        printFunction(writer, statement);
        break;
    }
  }
  writer.conditionalNewLine(!writer.isAtStartOfFirstLineOfBlock() && !writer.isLastNewLine());
  return writer.toString();
}
