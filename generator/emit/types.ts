/**
 * `types.ts`: the OpenAPI types, by openapi-typescript used as a library. The document is already
 * loaded, repaired and checked, so its transform runs directly (no second parse, lint or bundle).
 *
 * Choices: objects without properties are `Record<string, unknown>` (open, never
 * `Record<string, never>`); `format: binary` is `Blob | Uint8Array` (what a multipart upload takes);
 * int64 stays `number` (Mattermost ids are strings; its int64 fields are millisecond timestamps and
 * counts, safe below 2^53).
 */
import type { OpenAPI3, OpenAPITSOptions } from "openapi-typescript";
import type * as OpenApiTs from "openapi-typescript";
import ts from "typescript";
// The transform and printer modules, imported directly: the package index also loads Redocly's
// bundler and linter, which the generator does not use (the document is already loaded and checked).
// @ts-expect-error -- the deep modules ship without type declarations; typed below from the index.
import transformModule from "openapi-typescript/dist/transform/index.mjs";
// @ts-expect-error -- as above.
import * as tsLib from "openapi-typescript/dist/lib/ts.mjs";
// @ts-expect-error -- as above.
import * as utilsLib from "openapi-typescript/dist/lib/utils.mjs";

const transformSchema = transformModule as typeof OpenApiTs.transformSchema;
const { astToString } = tsLib as { astToString: typeof OpenApiTs.astToString };
const { resolveRef, scanDiscriminators } = utilsLib as { resolveRef: typeof OpenApiTs.resolveRef; scanDiscriminators: typeof OpenApiTs.scanDiscriminators };

type Context = Parameters<typeof transformSchema>[1];

const binaryType = (): ts.TypeNode =>
  ts.factory.createUnionTypeNode([ts.factory.createTypeReferenceNode("Blob"), ts.factory.createTypeReferenceNode("Uint8Array")]);

export function emitTypes(document: Record<string, unknown>, bannerText: string): string {
  const schema = document as unknown as OpenAPI3;
  const options: OpenAPITSOptions = { emptyObjectsUnknown: true, silent: true };
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
  const body = astToString(transformSchema(schema, ctx));
  return `${bannerText}\n${body}`;
}
