/**
 * openapi-typescript used as a library: the one place that turns schema objects into TypeScript.
 *
 * - `printDocument` writes the whole document as openapi-typescript's `paths` / `components` /
 *   `operations` interfaces (`types.ts`);
 * - `printSchema` writes one schema object as a standalone type in which every
 *   `#/components/schemas/X` reference is the exported alias of X (what `schemas.ts` and the
 *   endpoint files hold, so that a program importing a function never loads `types.ts`).
 *
 * Choices: objects without properties are `Record<string, unknown>` (open, never
 * `Record<string, never>`); `format: binary` is `Blob | Uint8Array` (what a multipart upload takes);
 * int64 stays `number` (Mattermost ids are strings; its int64 fields are millisecond timestamps and
 * counts, safe below 2^53).
 *
 * openapi-typescript and TypeScript are loaded with `require`, through the CommonJS builds both
 * ship: imported as ESM, Node's loader would first scan TypeScript's 9 MB CommonJS file for its
 * export names (about half a second of every run).
 */
import { createRequire } from "node:module";
import type { OpenAPI3, OpenAPITSOptions, SchemaObject, ReferenceObject } from "openapi-typescript";
import type * as OpenApiTs from "openapi-typescript";
import type TypeScript from "typescript";
import { requireCached } from "../code-cache.js";
import { GeneratorError } from "../errors.js";

type Context = Parameters<typeof OpenApiTs.transformSchema>[1];

interface Library {
  readonly ts: typeof TypeScript;
  readonly transformDocument: typeof OpenApiTs.transformSchema;
  readonly transformSchemaObject: typeof OpenApiTs.transformSchemaObject;
  readonly astToString: typeof OpenApiTs.astToString;
  readonly resolveRef: typeof OpenApiTs.resolveRef;
  readonly scanDiscriminators: typeof OpenApiTs.scanDiscriminators;
}

let library: Library | undefined;

/** The openapi-typescript version whose internals this module is written against (package.json pins it exactly). */
export const OPENAPI_TYPESCRIPT_VERSION = "7.13.0";

/** The internal modules and the functions each must provide: what `load` takes from `dist/`. */
const INTERNALS: readonly (readonly [file: string, exports: readonly string[]])[] = [
  ["dist/lib/ts.cjs", ["astToString"]],
  ["dist/lib/utils.cjs", ["resolveRef", "scanDiscriminators"]],
  ["dist/transform/index.cjs", ["(module.exports)"]],
  ["dist/transform/schema-object.cjs", ["default"]],
];

/**
 * Checks that openapi-typescript's internal modules still provide what this generator takes from
 * them, and throws a GeneratorError naming the installed version, the file and the export when
 * they do not (an upgrade moved them). The package is pinned exactly for this reason. `resolveFrom`
 * is where the package is looked up from (a test points it at another copy).
 */
export function checkOpenApiTypescriptInternals(resolveFrom: string = import.meta.url): void {
  const require = createRequire(resolveFrom);
  const installed = (require("openapi-typescript/package.json") as { version?: unknown }).version;
  const problems: string[] = [];
  for (const [file, names] of INTERNALS) {
    let module: unknown;
    try {
      module = require(`openapi-typescript/${file}`);
    } catch (error) {
      problems.push(`${file} cannot be loaded (${(error as Error).message.split("\n")[0]})`);
      continue;
    }
    for (const name of names) {
      const value = name === "(module.exports)" ? module : (module as Record<string, unknown> | null)?.[name];
      if (typeof value !== "function") problems.push(`${file} no longer exports the function ${name}`);
    }
  }
  if (problems.length > 0) {
    throw new GeneratorError(
      "EMIT_FAILED",
      `openapi-typescript ${String(installed)} does not have the internals this generator uses: ${problems.join("; ")}.`,
      {
        hint: `This generator is written against openapi-typescript ${OPENAPI_TYPESCRIPT_VERSION}: install that exact version, or update generator/emit/openapi-ts.ts to the new internals.`,
      },
    );
  }
}

/** The modules, loaded on first use. The package index also loads Redocly's bundler and linter, which are not needed: the document is already loaded and checked. */
function load(): Library {
  if (library !== undefined) return library;
  checkOpenApiTypescriptInternals();
  const require = createRequire(import.meta.url);
  const defaultOf = <T>(module: { default: T }): T => module.default;
  // First, so that openapi-typescript's own `require("typescript")` finds it: the copy it requires
  // (its nodes are printed with it), loaded through the CLI's code cache when that is on.
  const ts = requireCached("typescript", require.resolve("openapi-typescript/dist/lib/ts.cjs")) as typeof TypeScript;
  const lib = require("openapi-typescript/dist/lib/ts.cjs") as { astToString: Library["astToString"] };
  const utils = require("openapi-typescript/dist/lib/utils.cjs") as Pick<Library, "resolveRef" | "scanDiscriminators">;
  library = {
    ts,
    // This one module is `module.exports = transformSchema`; the others export `default`.
    transformDocument: require("openapi-typescript/dist/transform/index.cjs") as Library["transformDocument"],
    transformSchemaObject: defaultOf(
      require("openapi-typescript/dist/transform/schema-object.cjs") as { default: Library["transformSchemaObject"] },
    ),
    astToString: lib.astToString,
    resolveRef: utils.resolveRef,
    scanDiscriminators: utils.scanDiscriminators,
  };
  return library;
}

/** The transform context of one document, built once (the discriminator scan walks the whole document). */
const contexts = new WeakMap<object, Context>();

function contextOf(document: Record<string, unknown>): Context {
  const cached = contexts.get(document);
  if (cached !== undefined) return cached;
  const { ts, resolveRef, scanDiscriminators } = load();
  const schema = document as unknown as OpenAPI3;
  const options: OpenAPITSOptions = { emptyObjectsUnknown: true, silent: true };
  const binaryType = (): TypeScript.TypeNode =>
    ts.factory.createUnionTypeNode([ts.factory.createTypeReferenceNode("Blob"), ts.factory.createTypeReferenceNode("Uint8Array")]);
  const ctx: Context = {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators: scanDiscriminators(schema, options),
    emptyObjectsUnknown: true,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    redoc: undefined as unknown as Context["redoc"],
    silent: true,
    inject: undefined,
    transform(schemaObject) {
      if ("format" in schemaObject && schemaObject.format === "binary") return binaryType();
      return undefined;
    },
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: ($ref) => resolveRef(schema, $ref, { silent: true }),
  };
  contexts.set(document, ctx);
  return ctx;
}

/** The whole document as openapi-typescript writes it (`paths`, `components`, `operations`, ...). */
export function printDocument(document: Record<string, unknown>): string {
  const { transformDocument, astToString } = load();
  return astToString(transformDocument(document as unknown as OpenAPI3, contextOf(document)));
}

/** A schema printed standalone: its text, and the schema aliases it refers to. */
export interface PrintedType {
  readonly text: string;
  readonly refs: ReadonlySet<string>;
}

export interface SchemaPrinter {
  /**
   * One schema object as a type. `pointer` is its JSON pointer in the document (for
   * discriminators and messages). References to component schemas become their aliases.
   */
  type(schema: unknown, pointer: string): PrintedType;
  /**
   * `export type Name = ...;`. A type alias, not an interface, even for objects: an object type
   * alias stays assignable to `Record<string, unknown>`, as the `components` members were.
   */
  declaration(name: string, schema: unknown, pointer: string): PrintedType;
}

const REFERENCE = /components\["schemas"\]\["((?:[^"\\]|\\.)*)"\]/g;

/**
 * A printer for one document. `aliases` maps a component schema name to the name it is exported
 * under; a reference to any other component is an internal error (nothing is left pointing at
 * `types.ts`).
 */
export function schemaPrinter(document: Record<string, unknown>, aliases: ReadonlyMap<string, string>): SchemaPrinter {
  const { ts, transformSchemaObject } = load();
  const ctx = contextOf(document);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
  const file = ts.createSourceFile("schema.ts", "", ts.ScriptTarget.ESNext, false, ts.ScriptKind.TS);
  const exported = [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)];

  const finish = (printed: string, pointer: string): PrintedType => {
    const refs = new Set<string>();
    const text = printed.replace(REFERENCE, (_match, name: string) => {
      const alias = aliases.get(JSON.parse(`"${name}"`) as string);
      if (alias === undefined) {
        throw new GeneratorError(
          "EMIT_FAILED",
          `The schema at ${pointer} refers to components.schemas.${name}, which has no exported name.`,
          {
            hint: "This is a bug in mattermost-typed: please report it with the spec that triggers it.",
          },
        );
      }
      refs.add(alias);
      return alias;
    });
    if (text.includes('components["')) {
      throw new GeneratorError("EMIT_FAILED", `The schema at ${pointer} refers to a component that is not a schema.`, {
        hint: "This is a bug in mattermost-typed: please report it with the spec that triggers it.",
      });
    }
    return { text, refs };
  };
  const node = (schema: unknown, pointer: string): TypeScript.TypeNode =>
    transformSchemaObject(schema as SchemaObject | ReferenceObject, { path: pointer, ctx });

  return {
    type(schema, pointer) {
      return finish(printer.printNode(ts.EmitHint.Unspecified, node(schema, pointer), file), pointer);
    },
    declaration(name, schema, pointer) {
      const statement = ts.factory.createTypeAliasDeclaration(exported, name, undefined, node(schema, pointer));
      return finish(printer.printNode(ts.EmitHint.Unspecified, statement, file), pointer);
    },
  };
}
