/**
 * The `validators` plugin: runtime validators for what a server sends, in `validators.ts`.
 *
 * Why valibot (1.x) rather than zod: valibot is a set of small, separately importable functions, so
 * a bundle carries only the schema kinds and the schemas a program uses (a few hundred bytes per
 * schema, about 2 kB gzipped for `User` with what it references), where zod's classic API is one
 * object graph a bundler cannot split; and its schemas implement Standard Schema (`~standard`), so
 * users can hand them to any tool that speaks it (form libraries, tRPC, Hono, ...). The generated
 * file is plain TypeScript that imports `valibot`; the library itself does not depend on it.
 *
 * What is emitted, from the repaired document (overlays applied):
 * - one schema per `components.schemas` entry, named like the type in `schemas.ts` and typed
 *   `v.GenericSchema<unknown, S.Name>`, so `v.parse(User, data)` returns the generated `User` type
 *   (the compiler checks that each validator's output fits its type);
 * - `responseValidators`: per operation, the documented success status, how its body travels and
 *   the schema of a JSON body;
 * - `validateResponse(operation, status, body)`: the mismatches between a response and the spec,
 *   as `{ path, kind, message }` issues.
 *
 * Each schema is built on first use (`v.lazy` over a memo, marked `@__PURE__`): a bundler drops the
 * schemas a program does not use (esbuild does not honour valibot's own `@__NO_SIDE_EFFECTS__`
 * marks across modules), importing the file builds nothing, and `$ref`s are plain references to
 * other schemas, so recursive schemas just work.
 *
 * Mapping: keys beside a `$ref` are ignored, as OpenAPI 3.0 and the generated types do (write
 * `allOf: [$ref]` with `nullable: true` for a nullable reference); `type: integer` → a number that
 * must be an integer; formats only matter when they change the type (`binary` → `Blob | Uint8Array`);
 * objects and maps refuse arrays (valibot's object schemas alone would accept them);
 * `enum` → `v.picklist`; arrays; `additionalProperties` (a schema: every other key is checked
 * against it; `true`: other keys are allowed; `false`: other keys are reported); `allOf` of object
 * schemas → one merged object; `oneOf`/`anyOf` → `v.union`; a property with a `default` may be
 * absent (the generated type marks it present, so the validator fills in the default).
 *
 * Absence and null: a field not in `required` may be absent; `null` passes only where the spec says
 * `nullable: true`. This is what the generated types say (`field?: T`, never `T | null` unless
 * nullable), so a response that passes never surprises code written against the types; a server
 * that sends `null` for a field is a mismatch to fix in the spec (an overlay), not to hide.
 *
 * Option `unknownKeys` (how object schemas treat keys the spec does not list):
 * `"loose"` (default) keeps and allows them; `"strip"` allows and drops them; `"strict"` reports
 * each one as an `undocumented` issue (and a JSON body where the spec documents none).
 */
import { isRecord, type Json, refSegmentKey, resolvePointer } from "../json.js";
import type { Model } from "../model.js";
import { decideNames, FILE_DECLARATIONS, propertyKey } from "../naming.js";
import { definePlugin, PluginOptionsError, type PluginContext } from "./types.js";

export type UnknownKeys = "strip" | "strict" | "loose";

export interface ValidatorsOptions {
  /** How object schemas treat keys the spec does not list (default `"loose"`). */
  readonly unknownKeys: UnknownKeys;
}

const UNKNOWN_KEYS: readonly UnknownKeys[] = ["loose", "strict", "strip"];

/** Checks the raw options: `undefined` or `{ unknownKeys?: "strip" | "strict" | "loose" }`. */
export function parseValidatorsOptions(raw: unknown): ValidatorsOptions {
  if (raw === undefined || raw === null) return { unknownKeys: "loose" };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new PluginOptionsError("", `the options must be an object such as { "unknownKeys": "strict" }, not ${JSON.stringify(raw)}`);
  }
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    if (key !== "unknownKeys") throw new PluginOptionsError(key, `unknown option "${key}"; the validators plugin takes only "unknownKeys"`);
  }
  const value = record.unknownKeys;
  if (value === undefined) return { unknownKeys: "loose" };
  if (typeof value !== "string" || !(UNKNOWN_KEYS as readonly string[]).includes(value)) {
    throw new PluginOptionsError("unknownKeys", `must be one of "loose", "strict" or "strip", not ${JSON.stringify(value)}`);
  }
  return { unknownKeys: value as UnknownKeys };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const indent = (depth: number): string => "  ".repeat(depth);
/** Valibot's object and record schemas also accept arrays; these refuse them first (see `objectOnly` in the output). */
const objectOnly = (schema: string): string => `v.pipe(objectOnly, ${schema})`;

/** Turns schema objects of the document into valibot expressions. */
class SchemaWriter {
  constructor(
    private readonly schemas: Json,
    private readonly aliases: ReadonlyMap<string, string>,
    private readonly unknownKeys: UnknownKeys,
    private readonly document: Json,
  ) {}

  /** The component name of a `#/components/schemas/X` reference. */
  private refName(schema: Json): string | undefined {
    if (typeof schema.$ref !== "string") return undefined;
    const match = /^#\/components\/schemas\/([^/]+)$/.exec(schema.$ref);
    return match?.[1] === undefined ? undefined : refSegmentKey(match[1]);
  }

  /** Follows any local JSON pointer. */
  private resolve(ref: string): unknown {
    return resolvePointer(this.document, ref);
  }

  /** A reference to a component's validator (every one is built lazily, so order and cycles do not matter). */
  reference(name: string): string {
    const alias = this.aliases.get(name);
    if (alias === undefined) throw new Error(`validators: the reference to components.schemas.${name} names no schema`);
    return alias;
  }

  /** The valibot expression for a schema object, written at `depth` (for line breaks). */
  expression(schema: unknown, depth: number, seen: ReadonlySet<unknown> = new Set()): string {
    if (!isRecord(schema)) return schema === false ? "v.never()" : "v.unknown()";
    if (typeof schema.$ref === "string") {
      const name = this.refName(schema);
      if (name !== undefined) return this.reference(name);
      const target = this.resolve(schema.$ref);
      if (seen.has(target)) return "v.unknown()";
      return this.expression(target, depth, new Set([...seen, target]));
    }
    const inner = this.base(schema, depth, seen);
    return schema.nullable === true && inner !== "v.unknown()" ? `v.nullable(${inner})` : inner;
  }

  private base(schema: Json, depth: number, seen: ReadonlySet<unknown>): string {
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      const values = schema.enum.filter((value) => value !== null);
      const literals = values.map((value) => JSON.stringify(value)).sort(compare);
      if (values.every((value) => typeof value === "string" || typeof value === "number")) return `v.picklist([${literals.join(", ")}])`;
      return `v.union([${literals.map((literal) => `v.literal(${literal})`).join(", ")}])`;
    }
    if (Array.isArray(schema.allOf)) return this.allOf(schema, depth, seen);
    for (const combinator of ["oneOf", "anyOf"] as const) {
      const members = schema[combinator];
      if (Array.isArray(members) && members.length > 0) {
        const options = members.map((member) => this.expression(member, depth + 1, seen));
        if (options.length === 1) return options[0] ?? "v.unknown()";
        return `v.union([${options.join(", ")}])`;
      }
    }
    const types = Array.isArray(schema.type)
      ? schema.type.filter((type): type is string => typeof type === "string")
      : typeof schema.type === "string"
        ? [schema.type]
        : [];
    if (types.length > 1) {
      const nullable = types.includes("null");
      const options = types.filter((type) => type !== "null").map((type) => this.typed(type, schema, depth, seen));
      const union = options.length === 1 ? (options[0] ?? "v.unknown()") : `v.union([${options.join(", ")}])`;
      return nullable ? `v.nullable(${union})` : union;
    }
    const type =
      types[0] ??
      (isRecord(schema.properties) || isRecord(schema.additionalProperties) ? "object" : schema.items !== undefined ? "array" : undefined);
    return type === undefined ? "v.unknown()" : this.typed(type, schema, depth, seen);
  }

  private typed(type: string, schema: Json, depth: number, seen: ReadonlySet<unknown>): string {
    switch (type) {
      case "string":
        return schema.format === "binary" ? "v.union([v.blob(), v.instance(Uint8Array)])" : "v.string()";
      case "integer":
        return "v.pipe(v.number(), v.integer())";
      case "number":
        return "v.number()";
      case "boolean":
        return "v.boolean()";
      case "null":
        return "v.null()";
      case "array":
        return `v.array(${this.expression(schema.items, depth, seen)})`;
      case "object":
        return this.object(schema, depth, seen);
      default:
        return "v.unknown()";
    }
  }

  /** An object schema: its properties, which are required, and what other keys may hold. */
  private object(schema: Json, depth: number, seen: ReadonlySet<unknown>): string {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const required = new Set(
      Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : [],
    );
    const names = [...new Set([...Object.keys(properties), ...required])].sort(compare);
    const extra = schema.additionalProperties;
    if (names.length === 0) {
      if (extra === false) return objectOnly(this.unknownKeys === "strict" ? "v.objectWithRest({}, v.never())" : "v.object({})");
      return objectOnly(`v.record(v.string(), ${isRecord(extra) ? this.expression(extra, depth, seen) : "v.unknown()"})`);
    }
    const lines = names.map((name) => {
      const property = properties[name];
      let value = property === undefined ? "v.unknown()" : this.expression(property, depth + 1, seen);
      if (!required.has(name)) {
        const fallback =
          isRecord(property) && "default" in property && property.default !== undefined ? `, ${JSON.stringify(property.default)}` : "";
        value = `v.optional(${value}${fallback})`;
      }
      return `${indent(depth + 1)}${propertyKey(name)}: ${value},`;
    });
    const entries = `{\n${lines.join("\n")}\n${indent(depth)}}`;
    if (isRecord(extra)) return objectOnly(`v.objectWithRest(${entries}, ${this.expression(extra, depth, seen)})`);
    if (extra === true) return objectOnly(`v.looseObject(${entries})`);
    if (extra === false || this.unknownKeys === "strict") return objectOnly(`v.objectWithRest(${entries}, v.never())`);
    return objectOnly(this.unknownKeys === "strip" ? `v.object(${entries})` : `v.looseObject(${entries})`);
  }

  /** `allOf` of object schemas (after following references) is one object; anything else an intersection. */
  private allOf(schema: Json, depth: number, seen: ReadonlySet<unknown>): string {
    const only = (schema.allOf as unknown[]).length === 1 ? (schema.allOf as unknown[])[0] : undefined;
    // `allOf: [$ref]` (the OpenAPI 3.0 way to put `nullable` or a description on a reference) is the reference.
    if (isRecord(only) && !isRecord(schema.properties) && schema.required === undefined) return this.expression(only, depth, seen);
    const members = (schema.allOf as unknown[]).map((member) => this.flatten(member, new Set()));
    if (members.every((member): member is Json => member !== undefined)) {
      const merged: Json = { type: "object", properties: {}, required: [] };
      for (const member of [...members, { ...schema, allOf: undefined }]) {
        Object.assign(merged.properties as Json, isRecord(member.properties) ? member.properties : {});
        (merged.required as unknown[]).push(...(Array.isArray(member.required) ? member.required : []));
        if (member.additionalProperties !== undefined) merged.additionalProperties = member.additionalProperties;
      }
      return this.object(merged, depth, seen);
    }
    const parts = (schema.allOf as unknown[]).map((member) => this.expression(member, depth + 1, seen));
    return parts.length === 1 ? (parts[0] ?? "v.unknown()") : `v.intersect([${parts.join(", ")}])`;
  }

  /** A member of an `allOf` as one plain object schema, or undefined when it is not one. */
  private flatten(member: unknown, visiting: Set<string>): Json | undefined {
    if (!isRecord(member)) return undefined;
    if (typeof member.$ref === "string") {
      const name = this.refName(member);
      if (name === undefined || visiting.has(name)) return undefined;
      visiting.add(name);
      return this.flatten(this.schemas[name], visiting);
    }
    if (Array.isArray(member.allOf)) {
      const parts = member.allOf.map((part) => this.flatten(part, visiting));
      if (!parts.every((part): part is Json => part !== undefined)) return undefined;
      const properties: Json = {};
      const required: unknown[] = [];
      for (const part of [...parts, member]) {
        Object.assign(properties, isRecord(part.properties) ? part.properties : {});
        required.push(...(Array.isArray(part.required) ? part.required : []));
      }
      return { type: "object", properties, required };
    }
    const isObject = member.type === "object" || (member.type === undefined && isRecord(member.properties));
    return isObject && member.oneOf === undefined && member.anyOf === undefined && member.nullable !== true ? member : undefined;
  }
}

/** The success response's schema object of an operation, from the document. */
function responseSchema(document: Json, method: string, path: string, status: number | undefined, mediaType: string | undefined): unknown {
  if (status === undefined || mediaType === undefined) return undefined;
  const paths = isRecord(document.paths) ? document.paths : {};
  const item = paths[path];
  const operation = isRecord(item) ? item[method.toLowerCase()] : undefined;
  const responses = isRecord(operation) && isRecord(operation.responses) ? operation.responses : {};
  let response = responses[String(status)];
  if (isRecord(response) && typeof response.$ref === "string") {
    const match = /^#\/components\/responses\/([^/]+)$/.exec(response.$ref);
    const components = isRecord(document.components) && isRecord(document.components.responses) ? document.components.responses : {};
    response = match?.[1] === undefined ? undefined : components[match[1]];
  }
  const content = isRecord(response) && isRecord(response.content) ? response.content : {};
  const media = content[mediaType];
  return isRecord(media) ? media.schema : undefined;
}

const RUNTIME = `/** Builds a schema on first use and keeps it: every schema below is \`v.lazy(once(() => ...))\`. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/** Valibot's object and record schemas also accept arrays; a JSON object is never one, so objects pass this first. */
const objectOnly = /* @__PURE__ */ v.custom<unknown>(
  (input) => typeof input === "object" && input !== null && !Array.isArray(input),
  (issue) => \`expected an object, received \${Array.isArray(issue.input) ? "an array" : issue.input === null ? "null" : typeof issue.input}\`,
);

/** How object schemas treat keys the spec does not list (chosen when generating). */
export const unknownKeys: "loose" | "strict" | "strip" = __UNKNOWN_KEYS__;

/** One mismatch between a response and the spec. */
export interface ResponseIssue {
  /** Where: \`$\` is the body, \`$.props.attachments[0].title\` a field inside it. */
  readonly path: string;
  /**
   * \`missing\`: a required field is absent; \`type\`: a value of another type (or \`null\` where the
   * spec does not allow it); \`undocumented\`: a field (or a body) the spec does not list, reported
   * when generated with \`unknownKeys: "strict"\`; \`status\`: not the documented success status.
   */
  readonly kind: "missing" | "type" | "undocumented" | "status";
  readonly message: string;
}

/** What the spec says about an operation's success response. */
export interface ResponseValidator {
  /** The documented success status (the lowest 2xx with a body, else the lowest 2xx); undefined when none is documented. */
  readonly status: number | undefined;
  /** How the success body travels. */
  readonly body: "json" | "binary" | "text" | "none";
  /** The schema of a JSON success body, when the spec describes one. */
  readonly schema: v.GenericSchema | undefined;
}`;

const VALIDATE = `/** An operation name of \`responseValidators\`. */
export type ResponseOperation = keyof typeof responseValidators;

/** \`$\`, \`$.user.id\`, \`$[0]\`, \`$["odd key"]\`; inside a union, from the union's own path. */
function issuePath(issue: v.BaseIssue<unknown>, prefix: string): string {
  let path = prefix === "" ? "$" : prefix;
  for (const item of issue.path ?? []) {
    const step: unknown = item.key;
    path += typeof step === "number" ? \`[\${step}]\` : typeof step === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(step) ? \`.\${step}\` : \`[\${JSON.stringify(step)}]\`;
  }
  return path;
}

/** The issues of valibot as ours; a union that no option matched reports what each option found. */
function toIssues(issue: v.BaseIssue<unknown>, prefix = ""): ResponseIssue[] {
  const path = issuePath(issue, prefix);
  if (issue.type === "union" && issue.issues !== undefined && issue.issues.length > 0) return issue.issues.flatMap((inner) => toIssues(inner, path));
  const last = issue.path?.[issue.path.length - 1];
  if (issue.type === "never") return [{ path, kind: "undocumented", message: "not in the spec" }];
  if (last?.origin === "key" && issue.expected !== "never") return [{ path, kind: "missing", message: "required, but absent" }];
  if (issue.type === "custom") return [{ path, kind: "type", message: issue.message }];
  // The received value's kind only, never the value: a body may hold tokens or emails.
  const input: unknown = issue.input;
  const received = input === null ? "null" : Array.isArray(input) ? "an array" : typeof input === "number" && !Number.isInteger(input) ? "a fraction" : typeof input;
  const expected = issue.type === "integer" ? "an integer" : (issue.expected ?? issue.type);
  return [{ path, kind: "type", message: \`expected \${expected}, received \${received}\` }];
}

/**
 * Checks a response against the spec: the status, then (for a 2xx) the body. Returns the issues
 * sorted by path, empty when the response conforms. \`body\` is the decoded JSON (\`undefined\` when there was none).
 */
export function validateResponse(operation: ResponseOperation, status: number, body: unknown): ResponseIssue[] {
  const validator: ResponseValidator | undefined = responseValidators[operation];
  if (validator === undefined) throw new TypeError(\`validateResponse: no operation named \${JSON.stringify(operation)}\`);
  const issues: ResponseIssue[] = [];
  if (status !== validator.status) {
    const expected = validator.status === undefined ? "the spec documents no success status" : \`expected \${validator.status}\`;
    issues.push({ path: "$", kind: "status", message: \`\${expected}, received \${status}\` });
  }
  if (status < 200 || status > 299) return issues;
  if (validator.schema !== undefined) {
    const result = v.safeParse(validator.schema, body);
    if (!result.success) issues.push(...result.issues.flatMap((issue) => toIssues(issue)));
  } else if (validator.body === "none" && body !== undefined && unknownKeys === "strict") {
    issues.push({ path: "$", kind: "undocumented", message: "the spec documents no body, received one" });
  }
  // By path (then kind), whatever order the body's keys came in.
  return issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}`;

/** A schema built on first use; `@__PURE__` lets bundlers drop it when unused. */
const lazy = (expression: string): string => `/* @__PURE__ */ v.lazy(/* @__PURE__ */ once(() => ${expression}))`;

/** Writes `validators.ts`. Pure: the same model, document and options give the same text. */
export function emitValidators(model: Model, document: Json, options: ValidatorsOptions, banner: string): string {
  const names = decideNames(model);
  const components = isRecord(document.components) && isRecord(document.components.schemas) ? document.components.schemas : {};
  for (const [name, alias] of names.schema) {
    if (FILE_DECLARATIONS.validators.has(alias))
      throw new Error(
        `validators: the schema ${name} would be named ${alias}, a name validators.ts declares itself; rename it with an overlay`,
      );
  }
  const writer = new SchemaWriter(components, names.schema, options.unknownKeys, document);
  const out: string[] = [
    banner,
    `/**
 * Runtime validators (valibot) for the API's JSON, generated from the same spec as the types.
 * Absent fields pass unless required; \`null\` passes only where the spec says \`nullable\`.
 * Unknown keys: ${options.unknownKeys} (the \`unknownKeys\` option of the validators plugin).
 */`,
    'import * as v from "valibot";',
    'import type * as S from "./schemas.js";',
    "",
    RUNTIME.replace("__UNKNOWN_KEYS__", JSON.stringify(options.unknownKeys)),
    "",
  ];
  for (const schema of model.schemas) {
    const alias = names.schema.get(schema.name) ?? schema.name;
    out.push(`/** Validates \`${alias}\`. */`);
    out.push(`export const ${alias}: v.GenericSchema<unknown, S.${alias}> = ${lazy(writer.expression(components[schema.name], 0))};`, "");
  }
  out.push(
    "/** Per operation: the documented success status, how the body travels, and its schema. */",
    "export const responseValidators = {",
  );
  for (const operation of model.operations) {
    const response = operation.response;
    let schema = "undefined";
    if (response.kind === "json" && response.hasSchema) {
      const raw = responseSchema(document, operation.method, operation.path, response.status, response.mediaType);
      schema = response.schemaName !== undefined ? writer.reference(response.schemaName) : lazy(writer.expression(raw, 1));
    }
    const status = response.status === undefined ? "undefined" : String(response.status);
    out.push(`  ${propertyKey(operation.name)}: { status: ${status}, body: ${JSON.stringify(response.kind)}, schema: ${schema} },`);
  }
  out.push("} as const satisfies Readonly<Record<string, ResponseValidator>>;", "", VALIDATE, "");
  return out.join("\n");
}

export default definePlugin<ValidatorsOptions>({
  name: "validators",
  parseOptions: parseValidatorsOptions,
  emit(context: PluginContext<ValidatorsOptions>) {
    // The plugin only reads; the casts drop `readonly` from the types, not from the frozen data.
    const text = emitValidators(context.model as Model, context.document as Json, context.options, context.banner);
    return { "validators.ts": text };
  },
});
