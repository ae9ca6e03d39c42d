/**
 * `endpoints/<tag>.ts`: one exported function per operation, written as declaration structures
 * (ts-morph's shapes) and printed by ./print-structures.ts. Each function is a thin typed shell
 * over `client.call(...)` (see runtime/transport.ts): the behaviour lives once, in the runtime.
 */
import { escapePointerSegment, isRecord } from "../json.js";
import type { Model, ModelOperation, ModelParameter } from "../model.js";
import { type Names, propertyKey, tagFileName } from "../naming.js";
import { docText } from "./jsdoc.js";
import type { SchemaPrinter } from "./openapi-ts.js";
import {
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  type InterfaceDeclarationStructure,
  printSourceFile,
  type PropertySignatureStructure,
  type SourceFileStructure,
  StructureKind,
} from "./print-structures.js";

interface TypeContext {
  readonly names: Names;
  readonly printer: SchemaPrinter;
  /** Schema aliases the file imports. */
  readonly used: Set<string>;
  /** Whether a request body of the file takes file contents (`BinaryInput`, from the runtime). */
  binaryInput: boolean;
}

/**
 * What a request takes where the spec says `format: binary`: any `BinaryInput` the runtime sends
 * (a Blob, bytes, a stream), not only the `Blob | Uint8Array` openapi-typescript writes (and
 * types.ts keeps). Responses keep `Blob` and follow `init.as`.
 */
function asInput(text: string, context: TypeContext): string {
  const widened = text.replace(/\(Blob \| Uint8Array\)/g, "BinaryInput").replace(/\bBlob \| Uint8Array\b/g, "BinaryInput");
  if (widened !== text) context.binaryInput = true;
  return widened;
}

/** The TypeScript type of a parameter schema. Parameters are simple: scalars, enums, arrays. */
function schemaType(schema: unknown, context: TypeContext): string {
  if (!isRecord(schema)) return "unknown";
  if (typeof schema.$ref === "string") {
    const name = /^#\/components\/schemas\/([^/]+)$/.exec(schema.$ref)?.[1];
    const alias = name === undefined ? undefined : context.names.schema.get(name);
    if (alias === undefined) return "unknown";
    context.used.add(alias);
    return alias;
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return [...new Set(schema.enum.map((value) => JSON.stringify(value)))].join(" | ");
  }
  switch (schema.type) {
    case "string":
      return schema.format === "binary" ? "Blob | Uint8Array" : "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array": {
      const item = schemaType(schema.items, context);
      return /^[A-Za-z0-9_$]+$/.test(item) ? `${item}[]` : `(${item})[]`;
    }
    case "object":
      return "Record<string, unknown>";
    default:
      return "unknown";
  }
}

/** The printed type of an inline schema; the aliases it names are imported by the file. */
function inlineType(schema: unknown, pointer: string, context: TypeContext): string {
  const printed = context.printer.type(schema, pointer);
  for (const alias of printed.refs) context.used.add(alias);
  return printed.text;
}

function operationPointer(operation: ModelOperation): string {
  return `#/paths/${escapePointerSegment(operation.path)}/${operation.method.toLowerCase()}`;
}

function bodyType(operation: ModelOperation, context: TypeContext): string {
  const body = operation.body;
  if (body === undefined) return "never";
  if (body.schemaName !== undefined && body.kind === "json") {
    const alias = context.names.schema.get(body.schemaName);
    if (alias !== undefined) {
      context.used.add(alias);
      return alias;
    }
  }
  if (body.schema === undefined) return body.kind === "json" ? "unknown" : asInput("Blob | Uint8Array | string", context);
  return asInput(
    inlineType(body.schema, `${operationPointer(operation)}/requestBody/content/${escapePointerSegment(body.mediaType)}/schema`, context),
    context,
  );
}

function responseType(operation: ModelOperation, context: TypeContext): string {
  const response = operation.response;
  switch (response.kind) {
    case "none":
      return "void";
    case "text":
      return "string";
    case "binary":
      return "BinaryResult<A>";
    case "json": {
      if (response.schemaName !== undefined) {
        const alias = context.names.schema.get(response.schemaName);
        if (alias !== undefined) {
          context.used.add(alias);
          return alias;
        }
      }
      if (!response.hasSchema || response.status === undefined || response.mediaType === undefined) return "unknown";
      const pointer = `${operationPointer(operation)}/responses/${response.status}/content/${escapePointerSegment(response.mediaType)}/schema`;
      return inlineType(response.schema, pointer, context);
    }
  }
}

function parameterDoc(parameter: ModelParameter): string {
  return docText(parameter.description, parameter.deprecated ? "@deprecated" : undefined, `(${parameter.in} parameter)`);
}

function argsInterface(operation: ModelOperation, name: string, context: TypeContext): InterfaceDeclarationStructure | undefined {
  const properties: PropertySignatureStructure[] = operation.parameters.map((parameter) => ({
    kind: StructureKind.PropertySignature,
    name: propertyKey(parameter.name),
    hasQuestionToken: !parameter.required,
    type: schemaType(parameter.schema, context),
    docs: [parameterDoc(parameter)],
  }));
  if (operation.body !== undefined) {
    properties.push({
      kind: StructureKind.PropertySignature,
      name: operation.parameters.some((parameter) => parameter.name === "body") ? '"body"' : "body",
      hasQuestionToken: !operation.body.required,
      type: bodyType(operation, context),
      docs: [`The request body (${operation.body.mediaType}).`],
    });
  }
  if (properties.length === 0) return undefined;
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: [`Arguments of \`${operation.name}\`.`],
    properties,
  };
}

function callShape(operation: ModelOperation): string | undefined {
  const parts: string[] = [];
  const body = operation.body?.kind;
  if (body !== undefined && body !== "json") parts.push(`body: ${JSON.stringify(body)}`);
  if (operation.response.kind !== "json") parts.push(`response: ${JSON.stringify(operation.response.kind)}`);
  const headers = operation.parameters.filter((parameter) => parameter.in === "header").map((parameter) => parameter.name);
  if (headers.length > 0) parts.push(`headers: ${JSON.stringify(headers)}`);
  return parts.length === 0 ? undefined : `{ ${parts.join(", ")} }`;
}

/**
 * The function's JSDoc: summary, description, deprecation, then the route as a plain line.
 * No `@see` and no `{@link}`: tsc parses the JSDoc of a `.ts` or `.d.ts` file only in comments
 * that hold one of the two (editors parse every comment anyway), and in the ~1,100 comments of the
 * endpoint files that parse was about a quarter of the time tsc spends parsing a consumer's view
 * of the package (bench/README.md).
 */
function functionDoc(operation: ModelOperation): string {
  return docText(
    operation.summary ?? `${operation.method} ${operation.path}`,
    operation.description,
    operation.deprecated ? "@deprecated Deprecated by the API." : undefined,
    `Route: \`${operation.method} ${operation.path}\``,
  );
}

function endpointFunction(operation: ModelOperation, argsName: string | undefined, context: TypeContext): FunctionDeclarationStructure {
  const argsOptional = !operation.parameters.some((parameter) => parameter.required) && operation.body?.required !== true;
  const binary = operation.response.kind === "binary";
  const shape = callShape(operation);
  const callArgs = [
    JSON.stringify(operation.method),
    JSON.stringify(operation.path),
    argsName === undefined ? "undefined" : "args",
    "init",
  ];
  if (shape !== undefined) callArgs.push(shape);
  const returns = responseType(operation, context);
  return {
    kind: StructureKind.Function,
    name: operation.name,
    isExported: true,
    docs: [functionDoc(operation)],
    typeParameters: binary ? [{ name: "A", constraint: "BinaryAs", default: '"blob"' }] : [],
    parameters: [
      { name: "client", type: "Transport" },
      ...(argsName === undefined ? [] : [{ name: "args", type: argsName, hasQuestionToken: argsOptional }]),
      { name: "init", type: binary ? "CallOptions & { readonly as?: A }" : "CallOptions", hasQuestionToken: true },
    ],
    returnType: `Promise<${returns}>`,
    statements: [`return client.call(${callArgs.join(", ")});`],
  };
}

export interface EmittedEndpoints {
  /** `endpoints/<tag>.ts` → text, plus `endpoints/index.ts`. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * `print` turns a file's structures into text; ts-morph's `printStructure` gives the same text (the
 * seam lets test/generator/print-structures.test.ts hold that on the real specs).
 */
export function emitEndpoints(
  model: Model,
  names: Names,
  printer: SchemaPrinter,
  bannerText: string,
  print: (file: SourceFileStructure) => string = printSourceFile,
): EmittedEndpoints {
  const byFile = new Map<string, ModelOperation[]>();
  for (const operation of model.operations) {
    const file = tagFileName(operation.tag);
    const list = byFile.get(file) ?? [];
    list.push(operation);
    byFile.set(file, list);
  }
  const files = new Map<string, string>();
  const fileNames = [...byFile.keys()].sort();
  for (const file of fileNames) {
    const operations = byFile.get(file) ?? [];
    const context: TypeContext = { names, printer, used: new Set(), binaryInput: false };
    const statements: (InterfaceDeclarationStructure | FunctionDeclarationStructure)[] = [];
    let binary = false;
    for (const operation of operations) {
      const argsName = names.args.get(operation.name) ?? `${operation.name}Args`;
      const args = argsInterface(operation, argsName, context);
      if (args !== undefined) statements.push(args);
      statements.push(endpointFunction(operation, args === undefined ? undefined : argsName, context));
      binary ||= operation.response.kind === "binary";
    }
    const runtimeTypes = ["CallOptions", "Transport", ...(binary ? ["BinaryAs", "BinaryResult"] : [])].sort();
    const imports: ImportDeclarationStructure[] = [
      {
        kind: StructureKind.ImportDeclaration,
        isTypeOnly: true,
        namedImports: runtimeTypes,
        moduleSpecifier: "../../runtime/transport.js",
      },
    ];
    if (context.binaryInput) {
      imports.unshift({
        kind: StructureKind.ImportDeclaration,
        isTypeOnly: true,
        namedImports: ["BinaryInput"],
        moduleSpecifier: "../../runtime/transport.js",
      });
    }
    if (context.used.size > 0) {
      imports.push({
        kind: StructureKind.ImportDeclaration,
        isTypeOnly: true,
        namedImports: [...context.used].sort(),
        moduleSpecifier: "../schemas.js",
      });
    }
    const text = print({ kind: StructureKind.SourceFile, statements: [...imports, ...statements] });
    files.set(`endpoints/${file}.ts`, `${bannerText}\n${text}`);
  }
  const index = fileNames.map((file) => `export * from "./${file}.js";`).join("\n");
  files.set("endpoints/index.ts", `${bannerText}\n${index}\n`);
  return { files };
}
