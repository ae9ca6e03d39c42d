/**
 * Stage 4: the normalized model. One read-only description of the API that every emitter works
 * from: operations with their names, parameters by location, body and success response kinds;
 * schema names; warnings. Built from the repaired document; it never reads files.
 */
import { isRecord, type Json, resolvePointer } from "./json.js";
import { camelName, numberedName } from "./naming.js";
import { listOperations, resolveParameter } from "./repair.js";
import type { SourceLocation } from "./load.js";
import type { GeneratorWarning } from "./warnings.js";

export type ParameterLocation = "path" | "query" | "header";
export type BodyKind = "json" | "multipart" | "form" | "binary" | "text";
export type ResponseKind = "json" | "binary" | "text" | "none";

export interface ModelParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly description: string | undefined;
  readonly deprecated: boolean;
  /** The parameter's schema (resolved one level), for emitting its type. */
  readonly schema: unknown;
}

export interface ModelBody {
  readonly mediaType: string;
  readonly kind: BodyKind;
  readonly required: boolean;
  /** The components.schemas name when the body schema is a plain `$ref` to one. */
  readonly schemaName: string | undefined;
  readonly schema: unknown;
}

export interface ModelResponse {
  /** The success status the function returns for (the lowest 2xx), or undefined when none is documented. */
  readonly status: number | undefined;
  readonly mediaType: string | undefined;
  readonly kind: ResponseKind;
  readonly schemaName: string | undefined;
  /** Whether a schema describes the body (false: JSON of unknown shape). */
  readonly hasSchema: boolean;
  /** The body's schema as the spec gives it (often a `$ref`), when there is one. */
  readonly schema: unknown;
}

export interface ModelOperation {
  /** operationId as in the (repaired) spec. */
  readonly operationId: string;
  /** The function name: the operationId in camelCase. */
  readonly name: string;
  readonly method: "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "TRACE";
  readonly path: string;
  /** First tag, the file the function goes to. */
  readonly tag: string;
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly deprecated: boolean;
  readonly parameters: readonly ModelParameter[];
  readonly body: ModelBody | undefined;
  readonly response: ModelResponse;
  readonly location: SourceLocation | undefined;
}

export interface ModelSchema {
  readonly name: string;
  readonly description: string | undefined;
  readonly deprecated: boolean;
}

export interface Model {
  /** Version of the model's shape; bumped on incompatible changes (plugins read it). */
  readonly modelVersion: 1;
  readonly title: string;
  readonly apiVersion: string;
  readonly operations: readonly ModelOperation[];
  readonly schemas: readonly ModelSchema[];
  readonly tags: readonly string[];
  readonly warnings: readonly GeneratorWarning[];
}

function schemaRefName(schema: unknown): string | undefined {
  if (!isRecord(schema) || typeof schema.$ref !== "string") return undefined;
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(schema.$ref);
  return match?.[1];
}

function bodyKind(mediaType: string): BodyKind {
  const type = mediaType.toLowerCase();
  if (type.includes("json")) return "json";
  if (type.startsWith("multipart/")) return "multipart";
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type.startsWith("text/")) return "text";
  return "binary";
}

function responseKind(mediaType: string | undefined): ResponseKind {
  if (mediaType === undefined) return "none";
  const type = mediaType.toLowerCase();
  if (type.includes("json") || type === "*/*") return "json";
  if (type.startsWith("text/")) return "text";
  return "binary";
}

/** JSON first, then the others by name: the media type the function speaks. */
function pickMediaType(content: Json): string | undefined {
  const types = Object.keys(content).sort();
  return types.find((type) => type.toLowerCase().includes("json")) ?? types[0];
}

function buildBody(document: Json, operation: Json): ModelBody | undefined {
  let body = operation.requestBody;
  if (isRecord(body) && typeof body.$ref === "string") body = resolvePointer(document, body.$ref);
  if (!isRecord(body) || !isRecord(body.content)) return undefined;
  const mediaType = pickMediaType(body.content);
  if (mediaType === undefined) return undefined;
  const media = body.content[mediaType];
  const schema = isRecord(media) ? media.schema : undefined;
  const kind = bodyKind(mediaType);
  let resolved = schema;
  if (isRecord(schema) && typeof schema.$ref === "string") resolved = resolvePointer(document, schema.$ref);
  const hasRequiredFields = isRecord(resolved) && Array.isArray(resolved.required) && resolved.required.length > 0;
  return {
    mediaType,
    kind,
    // Upstream rarely marks bodies required; a body whose schema requires fields is required too.
    required: body.required === true || hasRequiredFields || kind === "multipart",
    schemaName: schemaRefName(schema),
    schema,
  };
}

function buildResponse(document: Json, operation: Json): ModelResponse {
  const responses = isRecord(operation.responses) ? operation.responses : {};
  const statuses = Object.keys(responses)
    .filter((status) => /^2\d\d$/.test(status))
    .map(Number)
    .sort((a, b) => a - b);
  const withContent = statuses.find((status) => {
    let response = responses[String(status)];
    if (isRecord(response) && typeof response.$ref === "string") response = resolvePointer(document, response.$ref);
    return isRecord(response) && isRecord(response.content) && Object.keys(response.content).length > 0;
  });
  const status = withContent ?? statuses[0];
  if (withContent === undefined) {
    return { status, mediaType: undefined, kind: "none", schemaName: undefined, hasSchema: false, schema: undefined };
  }
  let response = responses[String(withContent)];
  if (isRecord(response) && typeof response.$ref === "string") response = resolvePointer(document, response.$ref);
  const content = (response as Json).content as Json;
  const mediaType = pickMediaType(content);
  const media = mediaType === undefined ? undefined : content[mediaType];
  const schema = isRecord(media) ? media.schema : undefined;
  return { status, mediaType, kind: responseKind(mediaType), schemaName: schemaRefName(schema), hasSchema: schema !== undefined, schema };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export interface BuildModelInput {
  readonly document: Json;
  readonly warnings: readonly GeneratorWarning[];
  readonly locate: (path: readonly (string | number)[]) => SourceLocation | undefined;
}

/** Builds the model from a repaired document. Operations sorted by name; schemas by name. */
export function buildModel(input: BuildModelInput): Model {
  const { document } = input;
  const warnings = [...input.warnings];
  const operations: ModelOperation[] = [];
  const names = new Map<string, ModelOperation>();
  for (const ref of listOperations(document)) {
    const { operation, item, path } = ref;
    const operationId = String(operation.operationId);
    const parameters = new Map<string, ModelParameter>();
    for (const raw of [
      ...(Array.isArray(item.parameters) ? item.parameters : []),
      ...(Array.isArray(operation.parameters) ? operation.parameters : []),
    ]) {
      const parameter = resolveParameter(document, raw);
      if (parameter === undefined || typeof parameter.name !== "string") continue;
      const location = parameter.in;
      if (location !== "path" && location !== "query" && location !== "header") continue;
      let schema = parameter.schema;
      if (isRecord(schema) && typeof schema.$ref === "string" && schemaRefName(schema) === undefined)
        schema = resolvePointer(document, schema.$ref);
      // Operation-level parameters override path-level ones of the same name and place.
      parameters.set(`${location}:${parameter.name}`, {
        name: parameter.name,
        in: location,
        required: location === "path" || parameter.required === true,
        description: text(parameter.description),
        deprecated: parameter.deprecated === true,
        schema,
      });
    }
    const tags = Array.isArray(operation.tags) ? operation.tags.filter((tag): tag is string => typeof tag === "string") : [];
    const original = camelName(operationId);
    const name = numberedName(original, names);
    const clash = names.get(original);
    if (clash !== undefined) {
      warnings.push({
        kind: "name-collision",
        message: `the operationIds ${clash.operationId} and ${operationId} both become the function name ${original}`,
        action: `the second is named ${name}`,
        locations: [clash.location, input.locate(["paths", path, ref.method, "operationId"])].filter(
          (l): l is SourceLocation => l !== undefined,
        ),
      });
    }
    const model: ModelOperation = {
      operationId,
      name,
      method: ref.method.toUpperCase() as ModelOperation["method"],
      path,
      tag: tags[0] ?? "untagged",
      summary: text(operation.summary),
      description: text(operation.description),
      deprecated: operation.deprecated === true,
      parameters: [...parameters.values()].sort((a, b) => order(a) - order(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      body: buildBody(document, operation),
      response: buildResponse(document, operation),
      location: input.locate(["paths", path, ref.method]),
    };
    names.set(name, model);
    operations.push(model);
  }
  operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const components = isRecord(document.components) ? document.components : {};
  const schemaObjects = isRecord(components.schemas) ? components.schemas : {};
  const schemas = Object.keys(schemaObjects)
    .sort()
    .map((name): ModelSchema => {
      const schema = schemaObjects[name];
      return {
        name,
        description: isRecord(schema) ? text(schema.description) : undefined,
        deprecated: isRecord(schema) && schema.deprecated === true,
      };
    });
  const info = isRecord(document.info) ? document.info : {};
  return {
    modelVersion: 1,
    title: typeof info.title === "string" ? info.title : "Mattermost API",
    apiVersion: typeof info.version === "string" ? info.version : "unknown",
    operations,
    schemas,
    tags: [...new Set(operations.map((operation) => operation.tag))].sort(),
    warnings,
  };
}

function order(parameter: ModelParameter): number {
  return parameter.in === "path" ? 0 : parameter.in === "query" ? 1 : 2;
}
