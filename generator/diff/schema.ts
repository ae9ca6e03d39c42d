/**
 * Structural comparison of two JSON Schemas (OpenAPI 3.0 flavour), each read in its own document:
 * `$ref`s are followed into components, `allOf` members are merged into one object view, and a
 * pair of schema nodes already compared is not compared again (recursive schemas end).
 *
 * Whether a change breaks a TypeScript consumer depends on which way the data flows: a field that
 * becomes required breaks code that builds a request, not code that reads a response. `direction`
 * says which way; `both` (component schemas, used either way) follows the request rules for
 * required-ness, as the changelog rules of docs/diff.md say, and the stricter rule otherwise.
 */
import { isRecord, type Json, resolvePointer } from "../json.js";
import type { ChangeKind } from "./types.js";

export type Direction = "input" | "output" | "both";

export interface SchemaContext {
  readonly oldDocument: Json;
  readonly newDocument: Json;
  readonly direction: Direction;
  /**
   * Stop where both sides point at the same `#/components/schemas/X`: that schema's own changes
   * are reported once, under its name, instead of under every place that uses it.
   */
  readonly stopAtSameRef: boolean;
}

export interface SchemaChange {
  readonly kind: ChangeKind;
  readonly breaking: boolean;
  readonly reason: string;
  readonly at: string;
  readonly before?: string;
  readonly after?: string;
}

type Kind = "string" | "number" | "boolean" | "array" | "object" | "union" | "null" | "any";

/** The parts of a schema that make its TypeScript type, with `allOf` merged and refs followed. */
interface View {
  readonly kind: Kind;
  readonly nullable: boolean;
  readonly enum: readonly unknown[] | undefined;
  readonly items: unknown;
  readonly properties: ReadonlyMap<string, unknown>;
  readonly required: ReadonlySet<string>;
  readonly additional: unknown;
  readonly variants: readonly unknown[];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function refName(ref: string): string {
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  return match?.[1] ?? ref;
}

/** Follows `$ref`s (a bounded chain) to the schema object. */
function resolve(document: Json, schema: unknown): unknown {
  let node = schema;
  for (let depth = 0; depth < 32 && isRecord(node) && typeof node.$ref === "string"; depth += 1) {
    node = resolvePointer(document, node.$ref);
  }
  return node;
}

function baseKind(type: unknown): Kind | undefined {
  switch (type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      // Both are `number` in TypeScript: a change between them is not a change for a consumer.
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return "array";
    case "object":
      return "object";
    case "null":
      return "null";
    default:
      return undefined;
  }
}

function view(document: Json, schema: unknown, depth = 0): View {
  const node = resolve(document, schema);
  const empty: View = {
    kind: "any",
    nullable: false,
    enum: undefined,
    items: undefined,
    properties: new Map(),
    required: new Set(),
    additional: undefined,
    variants: [],
  };
  if (!isRecord(node) || depth > 16) return empty;
  let nullable = node.nullable === true;
  let kind: Kind | undefined;
  if (Array.isArray(node.type)) {
    const kinds = node.type.map(baseKind).filter((k): k is Kind => k !== undefined);
    if (kinds.includes("null")) nullable = true;
    const rest = [...new Set(kinds.filter((k) => k !== "null"))];
    kind = rest.length === 1 ? rest[0] : rest.length === 0 ? "null" : "union";
  } else kind = baseKind(node.type);
  const properties = new Map<string, unknown>();
  const required = new Set<string>();
  if (Array.isArray(node.allOf)) {
    for (const member of node.allOf) {
      const part = view(document, member, depth + 1);
      for (const [key, value] of part.properties) properties.set(key, value);
      for (const key of part.required) required.add(key);
      if (part.kind !== "object" && part.kind !== "any") kind ??= part.kind;
    }
    kind ??= "object";
  }
  if (isRecord(node.properties)) for (const [key, value] of Object.entries(node.properties)) properties.set(key, value);
  if (Array.isArray(node.required)) for (const key of node.required) if (typeof key === "string") required.add(key);
  const variants = [...(Array.isArray(node.oneOf) ? node.oneOf : []), ...(Array.isArray(node.anyOf) ? node.anyOf : [])];
  if (kind === undefined) {
    if (variants.length > 0) kind = "union";
    else if (properties.size > 0 || node.additionalProperties !== undefined) kind = "object";
    else if (node.items !== undefined) kind = "array";
    else if (Array.isArray(node.enum))
      kind = typeof node.enum[0] === "number" ? "number" : typeof node.enum[0] === "boolean" ? "boolean" : "string";
    else kind = "any";
  }
  return {
    kind,
    nullable,
    enum: Array.isArray(node.enum) ? node.enum : undefined,
    items: node.items,
    properties,
    required,
    additional: node.additionalProperties,
    variants,
  };
}

/** A short type label for messages: `string`, `User`, `array<Post>`, `"a" | "b"`, `oneOf(A, B)`. */
export function typeLabel(document: Json, schema: unknown, depth = 0): string {
  if (isRecord(schema) && typeof schema.$ref === "string") return refName(schema.$ref);
  const shown = view(document, schema);
  let label: string;
  if (shown.enum !== undefined && shown.enum.length > 0 && shown.enum.length <= 6)
    label = shown.enum.map((value) => JSON.stringify(value)).join(" | ");
  else if (shown.kind === "array") label = depth > 3 ? "array" : `array<${typeLabel(document, shown.items, depth + 1)}>`;
  else if (shown.kind === "union")
    label = depth > 3 ? "union" : shown.variants.map((variant) => typeLabel(document, variant, depth + 1)).join(" | ");
  else if (shown.kind === "any") label = "unknown";
  else label = shown.kind;
  return shown.nullable ? `${label} | null` : label;
}

const quote = (at: string): string => (at === "" ? "the schema" : `\`${at}\``);
const child = (at: string, key: string): string => (at === "" ? key : `${at}.${key}`);
const listValues = (values: readonly unknown[]): string => values.map((value) => JSON.stringify(value)).join(", ");

/** Every difference between `before` (read in the old document) and `after` (in the new one). */
export function compareSchemas(context: SchemaContext, before: unknown, after: unknown, at: string): SchemaChange[] {
  const out: SchemaChange[] = [];
  const seen = new Map<object, Set<object>>();
  const { oldDocument, newDocument, direction } = context;
  const readsBreak = direction !== "input"; // consumers read the value
  const writesBreak = direction !== "output"; // consumers build the value

  const visit = (a: unknown, b: unknown, where: string): void => {
    if (
      context.stopAtSameRef &&
      isRecord(a) &&
      isRecord(b) &&
      typeof a.$ref === "string" &&
      a.$ref === b.$ref &&
      a.$ref.startsWith("#/components/schemas/")
    )
      return;
    const nodeA = resolve(oldDocument, a);
    const nodeB = resolve(newDocument, b);
    if (isRecord(nodeA) && isRecord(nodeB)) {
      const pairs = seen.get(nodeA) ?? new Set<object>();
      if (pairs.has(nodeB)) return;
      pairs.add(nodeB);
      seen.set(nodeA, pairs);
    }
    const va = view(oldDocument, a);
    const vb = view(newDocument, b);
    const labelA = typeLabel(oldDocument, a);
    const labelB = typeLabel(newDocument, b);
    const typeChanged = (breaking: boolean, change = `changed type from ${labelA} to ${labelB}`): void => {
      out.push({ kind: "type-changed", breaking, reason: `${quote(where)} ${change}`, at: where, before: labelA, after: labelB });
    };
    if (va.kind !== vb.kind) {
      const widened = vb.kind === "any";
      const narrowed = va.kind === "any";
      typeChanged(widened ? readsBreak : narrowed ? writesBreak : true);
      return;
    }
    if (va.nullable !== vb.nullable) {
      typeChanged(vb.nullable ? readsBreak : writesBreak, vb.nullable ? "may now be null" : "may no longer be null");
    }
    if (va.enum !== undefined && vb.enum !== undefined) {
      const removed = va.enum.filter((value) => !vb.enum?.some((other) => other === value));
      const added = vb.enum.filter((value) => !va.enum?.some((other) => other === value));
      if (removed.length > 0) {
        out.push({
          kind: "enum-values-removed",
          breaking: true,
          reason: `${quote(where)} no longer allows ${listValues(removed)}`,
          at: where,
          before: listValues(removed),
        });
      }
      if (added.length > 0) {
        out.push({
          kind: "enum-values-added",
          breaking: false,
          reason: `${quote(where)} now also allows ${listValues(added)}`,
          at: where,
          after: listValues(added),
        });
      }
    } else if (va.enum !== undefined || vb.enum !== undefined) {
      // An enum appearing narrows the type; one disappearing widens it.
      typeChanged(vb.enum !== undefined ? writesBreak : readsBreak);
    }
    if (va.kind === "array") visit(va.items, vb.items, `${where}[]`);
    if (va.kind === "union") {
      const variantsA = va.variants.map((variant) => typeLabel(oldDocument, variant)).sort(compare);
      const variantsB = vb.variants.map((variant) => typeLabel(newDocument, variant)).sort(compare);
      if (variantsA.join("|") !== variantsB.join("|")) {
        out.push({
          kind: "type-changed",
          breaking: true,
          reason: `${quote(where)} changed type from ${labelA} to ${labelB}`,
          at: where,
          before: labelA,
          after: labelB,
        });
      }
    }
    if (va.kind === "object") {
      const keys = [...new Set([...va.properties.keys(), ...vb.properties.keys()])].sort(compare);
      for (const key of keys) {
        const path = child(where, key);
        const inA = va.properties.has(key);
        const inB = vb.properties.has(key);
        if (inA && !inB) {
          out.push({
            kind: "field-removed",
            breaking: true,
            reason: `${quote(path)} was removed`,
            at: path,
            before: typeLabel(oldDocument, va.properties.get(key)),
          });
        } else if (!inA && inB) {
          const required = vb.required.has(key);
          out.push({
            kind: "field-added",
            breaking: required && writesBreak,
            reason: `${required ? "required" : "optional"} field ${quote(path)} was added`,
            at: path,
            after: typeLabel(newDocument, vb.properties.get(key)),
          });
        } else {
          const wasRequired = va.required.has(key);
          const isRequired = vb.required.has(key);
          if (!wasRequired && isRequired) {
            out.push({ kind: "field-required", breaking: writesBreak, reason: `${quote(path)} is now required`, at: path });
          } else if (wasRequired && !isRequired) {
            const breaking = direction === "output";
            out.push({
              kind: "field-optional",
              breaking,
              reason: breaking ? `${quote(path)} may now be missing` : `${quote(path)} is no longer required`,
              at: path,
            });
          }
          visit(va.properties.get(key), vb.properties.get(key), path);
        }
      }
      if (isRecord(va.additional) && isRecord(vb.additional)) visit(va.additional, vb.additional, `${where}[key]`);
    }
  };
  visit(before, after, at);
  return out;
}
