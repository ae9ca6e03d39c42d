/**
 * The JSON Schema of the WebSocket catalog (`spec/websocket-events.schema.json`): finding it,
 * compiling it once, and turning ajv's errors into a path plus a sentence a contributor can act on.
 *
 * The build (`scripts/build-generator.mjs`) compiles the schema ahead of time into
 * `dist/generator/events/catalog-validator.cjs` (ajv's standalone code, with the schema's sha256);
 * loading ajv and compiling the schema took ~0.1 s of every `generate`. That file is used when it
 * was built from the schema text found now; otherwise (running from source, a schema edited since
 * the build) ajv compiles the schema here, with the same options, so the errors are the same.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Ajv as AjvClass, ErrorObject, Options, SchemaObject, ValidateFunction } from "ajv";
import { GeneratorError } from "../errors.js";
import { unescapePointerSegment } from "../json.js";
import type { EnumValue, EventScope, BroadcastScope } from "./types.js";

/** The catalog as written in YAML, once it matches the schema. */
export interface RawTypeSpec {
  readonly type?: "string" | "number" | "boolean" | "object" | "unknown";
  readonly ref?: string;
  readonly shape?: string;
  readonly json?: RawTypeSpec;
  readonly array?: boolean;
  readonly nullable?: boolean;
  readonly enum?: readonly EnumValue[];
  readonly fields?: RawFields;
  readonly values?: RawTypeSpec;
}

export interface RawField extends RawTypeSpec {
  readonly optional?: boolean;
  readonly per_recipient?: boolean;
  readonly description?: string;
}

export type RawFields = Readonly<Record<string, RawField>>;

export interface RawEvent {
  readonly name: string;
  readonly description: string;
  readonly scope: EventScope;
  readonly emitted: boolean;
  readonly data: RawFields | "unknown";
  readonly variants?: readonly {
    readonly when: string;
    readonly scope: BroadcastScope;
    readonly keys: readonly string[];
  }[];
}

export interface RawAction {
  readonly name: string;
  readonly description: string;
  readonly requires_auth: boolean;
  readonly request: RawFields;
  readonly reply: RawTypeSpec | "none";
}

export interface RawShape {
  readonly name: string;
  readonly description: string;
  readonly fields: RawFields;
}

export interface RawCatalog {
  readonly server_version: string;
  readonly events: readonly RawEvent[];
  readonly actions: readonly RawAction[];
  readonly shapes?: readonly RawShape[];
}

/** A schema violation: where (path segments from the document root) and what. */
export interface SchemaProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

const SCHEMA_FILE = "spec/websocket-events.schema.json";

let compiled: ValidateFunction<RawCatalog> | undefined;

/**
 * Where the schema file is: the nearest ancestor of this module holding `spec/…schema.json`
 * (the repository root when running from source, the package root once built or installed).
 */
export function catalogSchemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, SCHEMA_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new GeneratorError("CATALOG_INVALID", `Cannot find ${SCHEMA_FILE} above ${fileURLToPath(import.meta.url)}.`, {
        hint: "The WebSocket catalog schema ships with mattermost-typed; reinstall the package or restore the file.",
      });
    }
    dir = parent;
  }
}

/** ajv's options for the catalog schema, here and in the build's precompiled validator. */
export const CATALOG_AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true };

/** The file the build writes beside the compiled form of this module. */
export const PREBUILT_VALIDATOR = "catalog-validator.cjs";

/** The sha256 of the schema's text: what the prebuilt validator was built from. */
export function schemaTextSha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function validator(): ValidateFunction<RawCatalog> {
  if (compiled !== undefined) return compiled;
  const text = readFileSync(catalogSchemaPath(), "utf8");
  const require = createRequire(import.meta.url);
  let prebuilt: (ValidateFunction<RawCatalog> & { readonly schemaSha256?: string }) | undefined;
  try {
    prebuilt = require(`./${PREBUILT_VALIDATOR}`) as ValidateFunction<RawCatalog> & { readonly schemaSha256?: string };
  } catch (error) {
    // Not built: running from source.
    if ((error as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw error;
  }
  if (prebuilt !== undefined && prebuilt.schemaSha256 === schemaTextSha256(text)) {
    compiled = prebuilt;
    return compiled;
  }
  const schema: SchemaObject = JSON.parse(text);
  const { Ajv } = require("ajv") as { Ajv: typeof AjvClass };
  compiled = new Ajv(CATALOG_AJV_OPTIONS).compile<RawCatalog>(schema);
  return compiled;
}

/** Check `value` against the catalog schema; on failure, the problems in document order. */
export function validateCatalogShape(
  value: unknown,
): { readonly ok: true; readonly value: RawCatalog } | { readonly ok: false; readonly problems: readonly SchemaProblem[] } {
  const validate = validator();
  if (validate(value)) return { ok: true, value };
  const errors = validate.errors ?? [];
  const problems = errors.filter((error) => !isNoise(error, errors)).map(describe);
  return { ok: false, problems };
}

/**
 * Errors that only restate another one: the branches of a `oneOf` (the `oneOf` error itself says
 * it better), the `if` wrapper around a `then`/`else` failure, a second `type` error for the
 * same value, and a `propertyNames` summary of a `pattern` failure.
 */
function isNoise(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (/\/oneOf\/\d+\//.test(error.schemaPath)) return true;
  if (error.keyword === "if") return true;
  if (error.keyword === "type") {
    // A value of the wrong JSON type fails the `else` branch's type too; the first error says it.
    const first = all.find((other) => other.keyword === "type" && other.instancePath === error.instancePath);
    return first !== error;
  }
  if (error.keyword === "propertyNames") {
    return all.some((other) => other !== error && other.schemaPath.endsWith("/propertyNames/pattern"));
  }
  return false;
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map(unescapePointerSegment)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function schemaDescription(error: ErrorObject): string | undefined {
  const parent: unknown = error.parentSchema;
  if (typeof parent !== "object" || parent === null || !("description" in parent)) return undefined;
  const description = parent.description;
  return typeof description === "string" ? description : undefined;
}

function allowedKeys(error: ErrorObject): string[] {
  const parent: unknown = error.parentSchema;
  if (typeof parent !== "object" || parent === null || !("properties" in parent)) return [];
  const properties = parent.properties;
  return typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
}

function describe(error: ErrorObject): SchemaProblem {
  const path = pointerSegments(error.instancePath);
  const description = schemaDescription(error);
  const hint = description === undefined ? {} : { hint: description };
  const params: Record<string, unknown> = error.params;
  switch (error.keyword) {
    case "required":
      return { path, message: `the key "${String(params.missingProperty)}" is missing`, ...hint };
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = allowedKeys(error);
      return {
        path: [...path, key],
        message: `"${key}" is not a known key here`,
        ...(allowed.length > 0 ? { hint: `Allowed keys: ${allowed.join(", ")}.` } : hint),
      };
    }
    case "enum":
      return {
        path,
        message: `${JSON.stringify(error.data)} is not one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
        ...hint,
      };
    case "const":
      return { path, message: `${JSON.stringify(error.data)} must be ${JSON.stringify(params.allowedValue)}`, ...hint };
    case "type":
      return { path, message: `expected ${String(params.type).replace(",", " or ")}, found ${jsonType(error.data)}`, ...hint };
    case "pattern":
      if (params.propertyName !== undefined || /\/propertyNames\//.test(error.schemaPath)) {
        const name = String(error.data);
        return { path: [...path, name], message: `"${name}" is not a valid key name`, ...hint };
      }
      return { path, message: `${JSON.stringify(error.data)} does not have the expected form`, ...hint };
    case "propertyNames":
      return { path: [...path, String(params.propertyName)], message: `"${String(params.propertyName)}" is not a valid key name`, ...hint };
    case "oneOf":
      return {
        path,
        message: Array.isArray(params.passingSchemas)
          ? "has more than one of the keys type, ref, shape, json; a type needs exactly one"
          : "has none of the keys type, ref, shape, json; a type needs exactly one",
        ...hint,
      };
    case "uniqueItems":
      return { path, message: "lists the same value twice", ...hint };
    case "minItems":
      return { path, message: "must not be empty", ...hint };
    default:
      return { path, message: error.message ?? `fails the schema rule ${error.keyword}`, ...hint };
  }
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
