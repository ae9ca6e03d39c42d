/**
 * Stage 2: repair. Fixes the known kinds of defect of real Mattermost specs in place, and says what
 * it did: every repair is a warning with the `file:line` of each place involved. What cannot be
 * repaired safely is a GeneratorError, never a guess.
 *
 * - duplicate map keys: identical values merge; two definitions of one path merge method by method
 *   when the operations agree on everything but their documentation; anything else is an error;
 * - duplicate operationIds: the second and later get a deterministic numbered name;
 * - path parameters used in a route but not declared: added as required strings;
 * - path parameters declared but not in the route: dropped;
 * - tags used but not declared: declared;
 * - operations without an operationId: named from the method and route;
 * - media types with no value (`application/json:` and nothing): an empty media type.
 *
 * Duplicate keys are merged first (`mergeDuplicateKeys`, before overlays) so that overlays see one
 * coherent document; the rest runs after overlays (`repairDocument`: the named repairs of `REPAIRS`,
 * one function each), then `checkReferences`. The names an operation gets come from naming.ts.
 */
import { GeneratorError } from "./errors.js";
import type { DuplicateKey, LoadedSpec, SourceLocation } from "./load.js";
import { deepEqual, isRecord, type Json, readPath, resolvePointer } from "./json.js";
import { numberedName, operationIdFromRoute } from "./naming.js";
import { formatLocation, type GeneratorWarning } from "./warnings.js";

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type LowerMethod = (typeof HTTP_METHODS)[number];

/** Documentation-only fields of an operation: two definitions differing only here agree. */
const DOC_FIELDS = new Set(["summary", "description", "tags", "externalDocs", "x-codeSamples"]);

function contract(operation: unknown): unknown {
  if (!isRecord(operation)) return operation;
  return Object.fromEntries(Object.entries(operation).filter(([key]) => !DOC_FIELDS.has(key)));
}

/** Resolves duplicate map keys recorded by the loader. Mutates the document. */
export function mergeDuplicateKeys(spec: LoadedSpec): GeneratorWarning[] {
  const warnings: GeneratorWarning[] = [];
  for (const duplicate of spec.duplicates) {
    const parent = readPath(spec.document, duplicate.parent);
    if (!isRecord(parent)) continue;
    const where = [duplicate.first.location, duplicate.second.location];
    const name = [...duplicate.parent, duplicate.key].join(" > ");
    if (deepEqual(duplicate.first.value, duplicate.second.value)) {
      warnings.push({
        kind: "duplicate-key",
        message: `"${name}" is defined twice with the same content`,
        action: "kept one",
        locations: where,
      });
      continue;
    }
    if (duplicate.parent.length === 1 && duplicate.parent[0] === "paths") {
      parent[duplicate.key] = mergePathItems(duplicate, name);
      const merged = parent[duplicate.key] as Json;
      warnings.push({
        kind: "duplicate-key",
        message: `the path "${duplicate.key}" is defined twice`,
        action: `merged: the definitions agree on ${Object.keys(merged)
          .filter((key) => (HTTP_METHODS as readonly string[]).includes(key))
          .join(", ")
          .toUpperCase()} (parameters, body, responses); the documentation of the second is kept`,
        locations: where,
      });
      continue;
    }
    throw conflict(duplicate, `"${name}" is defined twice with different content`);
  }
  return warnings;
}

function conflict(duplicate: DuplicateKey, message: string): GeneratorError {
  return new GeneratorError(
    "DUPLICATE_CONFLICT",
    `${message}, at ${formatLocation(duplicate.first.location)} and ${formatLocation(duplicate.second.location)}; the generator cannot tell which one is right.`,
    {
      ...duplicate.second.location,
      hint: "Remove one of the two definitions with an overlay in spec/overlays/ (an action with `remove: true`), or fix the spec.",
    },
  );
}

function mergePathItems(duplicate: DuplicateKey, name: string): Json {
  const first = duplicate.first.value;
  const second = duplicate.second.value;
  if (!isRecord(first) || !isRecord(second)) throw conflict(duplicate, `"${name}" is defined twice`);
  const merged: Json = { ...first };
  for (const [key, value] of Object.entries(second)) {
    if (!(key in merged)) {
      merged[key] = value;
    } else if ((HTTP_METHODS as readonly string[]).includes(key)) {
      if (!deepEqual(contract(merged[key]), contract(value))) {
        throw conflict(duplicate, `"${name}" is defined twice and the two ${key.toUpperCase()} operations differ`);
      }
      merged[key] = value;
    } else if (!deepEqual(merged[key], value)) {
      throw conflict(duplicate, `"${name}" is defined twice and its "${key}" differs`);
    }
  }
  return merged;
}

export interface OperationRef {
  readonly path: string;
  readonly method: LowerMethod;
  readonly operation: Json;
  readonly item: Json;
}

/** Every operation, in document order. */
export function listOperations(document: Json): OperationRef[] {
  const out: OperationRef[] = [];
  const paths = document.paths;
  if (!isRecord(paths)) return out;
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if ((HTTP_METHODS as readonly string[]).includes(method) && isRecord(operation)) {
        out.push({ path, method: method as LowerMethod, operation, item });
      }
    }
  }
  return out;
}

function where(spec: LoadedSpec, path: readonly (string | number)[]): SourceLocation[] {
  const location = spec.locate(path);
  return location === undefined ? [] : [location];
}

/** What each repair after the overlays works on: the document and its operations, listed once. */
export interface RepairContext {
  readonly spec: LoadedSpec;
  readonly document: Json;
  /** Every operation in document order; repairs change these objects in place, so later ones see earlier fixes. */
  readonly operations: readonly OperationRef[];
}

/** One kind of defect fixed after the overlays: a warning for each place it fixes. Mutates the document. */
export interface Repair {
  readonly name: string;
  readonly run: (context: RepairContext) => GeneratorWarning[];
}

export function repairContext(spec: LoadedSpec): RepairContext {
  return { spec, document: spec.document, operations: listOperations(spec.document) };
}

/**
 * Operations without an operationId get one from their method and route (numbered when taken);
 * the second and later users of one operationId are renamed `<id>2`, `<id>3`, ...
 */
export function repairOperationIds({ spec, operations }: RepairContext): GeneratorWarning[] {
  const warnings: GeneratorWarning[] = [];
  const seen = new Map<string, OperationRef>();
  const taken = new Set(operations.map((ref) => ref.operation.operationId).filter((id): id is string => typeof id === "string"));
  for (const ref of operations) {
    const location = ["paths", ref.path, ref.method];
    if (typeof ref.operation.operationId !== "string" || ref.operation.operationId === "") {
      const id = numberedName(operationIdFromRoute(ref.method, ref.path), taken);
      taken.add(id);
      ref.operation.operationId = id;
      warnings.push({
        kind: "missing-operation-id",
        message: `${ref.method.toUpperCase()} ${ref.path} has no operationId`,
        action: `named it ${id}`,
        locations: where(spec, location),
      });
    }
    const id = ref.operation.operationId as string;
    const previous = seen.get(id);
    if (previous === undefined) {
      seen.set(id, ref);
      continue;
    }
    // `id` is taken (by `previous`), so this is `<id>2` or the first free number after it.
    const renamed = numberedName(id, taken);
    taken.add(renamed);
    ref.operation.operationId = renamed;
    warnings.push({
      kind: "duplicate-operation-id",
      message: `the operationId ${id} is used by ${previous.method.toUpperCase()} ${previous.path} and by ${ref.method.toUpperCase()} ${ref.path}`,
      action: `the second is named ${renamed} (rename it with an overlay if you prefer another name)`,
      locations: [...where(spec, ["paths", previous.path, previous.method, "operationId"]), ...where(spec, [...location, "operationId"])],
    });
  }
  return warnings;
}

/**
 * Path parameters against the route: one used in the route but declared nowhere (operation or
 * path item) is added as a required string; one the operation declares that the route lacks is dropped.
 */
export function repairPathParameters({ spec, document, operations }: RepairContext): GeneratorWarning[] {
  const warnings: GeneratorWarning[] = [];
  for (const ref of operations) {
    const used = [...ref.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? "");
    const shared = Array.isArray(ref.item.parameters) ? ref.item.parameters : [];
    const own = Array.isArray(ref.operation.parameters) ? (ref.operation.parameters as unknown[]) : [];
    const declared = new Set<string>();
    for (const parameter of [...shared, ...own]) {
      const resolved = resolveParameter(document, parameter);
      if (resolved?.in === "path" && typeof resolved.name === "string") declared.add(resolved.name);
    }
    const location = where(spec, ["paths", ref.path, ref.method]);
    for (const name of used) {
      if (declared.has(name)) continue;
      own.push({ name, in: "path", required: true, schema: { type: "string" } });
      ref.operation.parameters = own;
      warnings.push({
        kind: "undeclared-path-parameter",
        message: `${ref.method.toUpperCase()} ${ref.path} uses {${name}} without declaring it`,
        action: `added ${name} as a required string path parameter`,
        locations: location,
      });
    }
    const kept = own.filter((parameter) => {
      const resolved = resolveParameter(document, parameter);
      if (resolved?.in !== "path" || typeof resolved.name !== "string" || used.includes(resolved.name)) return true;
      warnings.push({
        kind: "unused-path-parameter",
        message: `${ref.method.toUpperCase()} ${ref.path} declares the path parameter ${resolved.name}, which its route does not contain`,
        action: "dropped it",
        locations: location,
      });
      return false;
    });
    if (kept.length !== own.length) ref.operation.parameters = kept;
  }
  return warnings;
}

/** Tags operations use but the document does not declare: declared (by name, sorted), each at its first use. */
export function repairUndeclaredTags({ spec, document, operations }: RepairContext): GeneratorWarning[] {
  const warnings: GeneratorWarning[] = [];
  const tags = Array.isArray(document.tags) ? (document.tags as unknown[]) : [];
  const declaredTags = new Set(tags.filter(isRecord).map((tag) => String(tag.name)));
  const firstUse = new Map<string, OperationRef>();
  for (const ref of operations) {
    for (const tag of Array.isArray(ref.operation.tags) ? ref.operation.tags : []) {
      if (typeof tag === "string" && !declaredTags.has(tag) && !firstUse.has(tag)) firstUse.set(tag, ref);
    }
  }
  for (const tag of [...firstUse.keys()].sort()) {
    const ref = firstUse.get(tag) as OperationRef;
    tags.push({ name: tag });
    warnings.push({
      kind: "undeclared-tag",
      message: `the tag "${tag}" is used (first by ${ref.method.toUpperCase()} ${ref.path}) but not declared`,
      action: "declared it",
      locations: where(spec, ["paths", ref.path, ref.method, "tags"]),
    });
  }
  if (firstUse.size > 0) document.tags = tags;
  return warnings;
}

/** Media types of a request body or response listed with no value (`application/json:` and nothing): an empty media type. */
export function repairEmptyMediaTypes({ spec, operations }: RepairContext): GeneratorWarning[] {
  const warnings: GeneratorWarning[] = [];
  for (const ref of operations) {
    const contents: [Json, (string | number)[]][] = [];
    const body = ref.operation.requestBody;
    if (isRecord(body) && isRecord(body.content)) contents.push([body.content, ["paths", ref.path, ref.method, "requestBody", "content"]]);
    if (isRecord(ref.operation.responses)) {
      for (const [status, response] of Object.entries(ref.operation.responses)) {
        if (isRecord(response) && isRecord(response.content)) {
          contents.push([response.content, ["paths", ref.path, ref.method, "responses", status, "content"]]);
        }
      }
    }
    for (const [content, path] of contents) {
      for (const [mediaType, value] of Object.entries(content)) {
        if (value !== null) continue;
        content[mediaType] = {};
        warnings.push({
          kind: "empty-media-type",
          message: `${ref.method.toUpperCase()} ${ref.path} lists the media type ${mediaType} with no schema`,
          action: "treated it as a body of unknown shape",
          locations: where(spec, [...path, mediaType]),
        });
      }
    }
  }
  return warnings;
}

/** The repairs after overlays, in the order they run (and their warnings are listed). */
export const REPAIRS: readonly Repair[] = [
  { name: "operation-ids", run: repairOperationIds },
  { name: "path-parameters", run: repairPathParameters },
  { name: "undeclared-tags", run: repairUndeclaredTags },
  { name: "empty-media-types", run: repairEmptyMediaTypes },
];

/** Repairs after overlays: every repair of `REPAIRS` in turn. Mutates the document. */
export function repairDocument(spec: LoadedSpec): GeneratorWarning[] {
  const context = repairContext(spec);
  return REPAIRS.flatMap((repair) => repair.run(context));
}

/** A parameter object, following one `$ref` into components. */
export function resolveParameter(document: Json, parameter: unknown): Json | undefined {
  if (!isRecord(parameter)) return undefined;
  if (typeof parameter.$ref !== "string") return parameter;
  const target = resolvePointer(document, parameter.$ref);
  return isRecord(target) ? target : undefined;
}

/**
 * Every `$ref` must resolve inside the document, and no chain of `$ref`s may lead back to itself
 * (recursion through properties or items is fine: that is a recursive schema).
 */
export function checkReferences(spec: LoadedSpec): void {
  const document = spec.document;
  // One path, pushed and popped as the walk goes: copied only for an error's location.
  const path: (string | number)[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) {
        path.push(index);
        visit(item);
        path.pop();
      }
      return;
    }
    if (!isRecord(node)) return;
    const ref = node.$ref;
    if (typeof ref === "string") {
      // Looked up only for an error: a valid document has thousands of references.
      const location = (): SourceLocation | undefined => spec.locate([...path, "$ref"]) ?? spec.locate([...path]);
      if (!ref.startsWith("#/")) {
        throw new GeneratorError(
          "REF_UNRESOLVED",
          `The $ref "${ref}" points outside the document; only local references (#/...) are supported.`,
          {
            ...location(),
            hint: "Bundle the spec into one document first, or use the folder of fragments.",
          },
        );
      }
      const chain = [ref];
      let target = resolvePointer(document, ref);
      while (isRecord(target) && typeof target.$ref === "string") {
        if (chain.includes(target.$ref)) {
          throw new GeneratorError(
            "REF_CYCLE",
            `The $ref "${ref}" only points at itself (${[...chain, target.$ref].join(" -> ")}), so it describes no type.`,
            {
              ...location(),
              hint: "Give the schema a definition (type, properties) or point the $ref at the schema it stands for.",
            },
          );
        }
        chain.push(target.$ref);
        target = resolvePointer(document, target.$ref);
      }
      if (target === undefined) {
        throw new GeneratorError(
          "REF_UNRESOLVED",
          `The $ref "${chain[chain.length - 1] ?? ref}" does not resolve: nothing is defined at that place in the document.`,
          {
            ...location(),
            hint: "Fix the reference (a typo in the schema name?), or add the missing definition with an overlay in spec/overlays/.",
          },
        );
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== "$ref" && value !== null && typeof value === "object") {
        path.push(key);
        visit(value);
        path.pop();
      }
    }
  };
  visit(document);
}
