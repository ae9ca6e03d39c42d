/**
 * Reading the WebSocket catalog (`spec/websocket-events.yaml`): YAML → JSON Schema check → the
 * rules a schema cannot express (names unique, variants consistent with `optional`, `json` only on
 * event data keys, shapes defined) → plain, sorted {@link Catalog} data.
 *
 * Every problem is a `GeneratorError` with code `CATALOG_INVALID`, the file and the line.
 */
import { readFileSync } from "node:fs";
import { GeneratorError } from "../errors.js";
import { findNearestLocation, parseOwnYaml } from "../yaml-locations.js";
import {
  validateCatalogShape,
  type RawAction,
  type RawCatalog,
  type RawEvent,
  type RawField,
  type RawFields,
  type RawTypeSpec,
  type SchemaProblem,
} from "./schema.js";
import type { Catalog, CatalogAction, CatalogEvent, CatalogField, CatalogShape, CatalogVariant, EventScope, TypeSpec } from "./types.js";

export type * from "./types.js";

type Path = readonly (string | number)[];

const FORMAT_HINT = "The format is described at the top of spec/websocket-events.yaml and in spec/websocket-events.schema.json.";

/** Read, validate and normalize the catalog file at `path`. */
export function loadCatalog(path: string): Catalog {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const reason = cause instanceof Error && "code" in cause ? String(cause.code) : String(cause);
    throw new GeneratorError("CATALOG_INVALID", `The WebSocket catalog cannot be read (${reason}).`, {
      file: path,
      hint: "Check the path; the catalog that ships with mattermost-typed is spec/websocket-events.yaml.",
    });
  }
  return parseCatalog(text, path);
}

/** Validate and normalize catalog YAML held in memory; `file` is only used in messages. */
export function parseCatalog(text: string, file: string): Catalog {
  const result = parseOwnYaml(text, (repeated, value) => {
    const parent = indexed(value, repeated.parent);
    return parent.length === 0 ? "at the top level" : `in ${describePath(value, parent)}`;
  });
  if ("refusal" in result) {
    const { reason, line, hint } = result.refusal;
    throw new GeneratorError("CATALOG_INVALID", `The WebSocket catalog is not valid YAML: ${reason}`, {
      file,
      ...(line === undefined ? {} : { line }),
      hint: hint ?? "Fix the YAML syntax at that line (indentation, a missing colon or quote, a key written twice).",
    });
  }
  const { parsed } = result;
  const js = parsed.value;
  const lineOf = (path: Path): number => findNearestLocation(parsed.root, path) ?? 1;
  const fail = (problems: readonly SchemaProblem[]): never => {
    const sorted = [...problems].sort((a, b) => lineOf(a.path) - lineOf(b.path));
    const first = sorted[0];
    if (first === undefined) throw new Error("fail() called without problems");
    const more = sorted.length > 1 ? ` (and ${sorted.length - 1} more problem${sorted.length > 2 ? "s" : ""})` : "";
    throw new GeneratorError("CATALOG_INVALID", `Invalid WebSocket catalog at ${describePath(js, first.path)}: ${first.message}${more}.`, {
      file,
      line: lineOf(first.path),
      hint: `${first.hint === undefined ? "" : `${first.hint} `}${FORMAT_HINT}`,
    });
  };

  const checked = validateCatalogShape(js);
  if (!checked.ok) return fail(checked.problems);
  const raw = checked.value;
  const problems = checkRules(raw);
  if (problems.length > 0) return fail(problems);
  return normalize(raw, file);
}

// ---------------------------------------------------------------------------------------------
// Rules beyond the JSON Schema

function checkRules(raw: RawCatalog): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const shapeNames = new Set((raw.shapes ?? []).map((shape) => shape.name));
  const report = (path: Path, message: string, hint?: string): void => {
    problems.push(hint === undefined ? { path, message } : { path, message, hint });
  };

  checkUnique(raw.events, "events", "event", report);
  checkUnique(raw.actions, "actions", "action", report);
  checkUnique(raw.shapes ?? [], "shapes", "shape", report);

  for (const [index, event] of raw.events.entries()) checkEvent(event, ["events", index], shapeNames, report);
  for (const [index, action] of raw.actions.entries()) checkAction(action, ["actions", index], shapeNames, report);
  for (const [index, shape] of (raw.shapes ?? []).entries())
    checkFields(shape.fields, ["shapes", index, "fields"], shapeNames, false, report);
  return problems;
}

type Report = (path: Path, message: string, hint?: string) => void;

function checkUnique(items: readonly { readonly name: string }[], section: string, what: string, report: Report): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.name)) report([section, index, "name"], `the ${what} "${item.name}" is listed twice`, "Merge the two entries.");
    seen.add(item.name);
  });
}

function checkEvent(event: RawEvent, path: Path, shapes: ReadonlySet<string>, report: Report): void {
  if (!event.emitted && event.scope !== "unknown") {
    report([...path, "scope"], `an event the server does not send has scope "${event.scope}"`, "Use scope: unknown when emitted is false.");
  }
  if (event.emitted && event.scope === "unknown") {
    report([...path, "scope"], "an event the server sends needs a known scope", "Use user, channel, team, all, or mixed with variants.");
  }
  if (event.data !== "unknown") checkFields(event.data, [...path, "data"], shapes, true, report);

  const variants = event.variants;
  if (variants === undefined) {
    if (event.scope === "mixed") {
      report([...path, "scope"], 'scope "mixed" needs variants', "List the cases under variants, each with its own scope.");
    }
    return;
  }
  if (event.data === "unknown") {
    report([...path, "variants"], "variants need known data keys", "Describe the data keys, or drop the variants.");
    return;
  }
  const data = event.data;
  const scopes = new Set(variants.map((variant) => variant.scope));
  const onlyScope = [...scopes][0];
  const expected: EventScope = scopes.size > 1 || onlyScope === undefined ? "mixed" : onlyScope;
  if (event.scope !== expected) {
    report(
      [...path, "scope"],
      `the variants say scope "${expected}" but the event says "${event.scope}"`,
      "Use mixed when the variants have different scopes, else the scope they share.",
    );
  }
  variants.forEach((variant, v) => {
    variant.keys.forEach((key, k) => {
      if (!(key in data)) report([...path, "variants", v, "keys", k], `"${key}" is not one of the event's data keys`);
    });
  });
  for (const [key, field] of Object.entries(data)) {
    const missing = variants.findIndex((variant) => !variant.keys.includes(key));
    if (field.optional === true && missing === -1) {
      report(
        [...path, "data", key],
        `"${key}" is optional but every variant lists it`,
        "Drop optional: true, or remove it from the variants where it is absent.",
      );
    }
    if (field.optional !== true && missing !== -1) {
      report(
        [...path, "variants", missing, "keys"],
        `the required key "${key}" is missing from this variant`,
        `Add "${key}" to the variant, or mark the key optional: true.`,
      );
    }
  }
}

function checkAction(action: RawAction, path: Path, shapes: ReadonlySet<string>, report: Report): void {
  checkFields(action.request, [...path, "request"], shapes, false, report);
  if (action.reply !== "none") checkType(action.reply, [...path, "reply"], shapes, false, report);
}

function checkFields(fields: RawFields, path: Path, shapes: ReadonlySet<string>, allowJson: boolean, report: Report): void {
  for (const [key, field] of Object.entries(fields)) checkType(field, [...path, key], shapes, allowJson, report);
}

function checkType(spec: RawTypeSpec, path: Path, shapes: ReadonlySet<string>, allowJson: boolean, report: Report): void {
  if (spec.json !== undefined) {
    if (!allowJson) {
      report(
        [...path, "json"],
        "json is only allowed directly on an event's data key",
        "The runtime decodes JSON text in top-level data keys only; describe nested values by their plain type.",
      );
    }
    for (const modifier of ["array", "nullable", "enum", "fields", "values"] as const) {
      if (spec[modifier] !== undefined) {
        report(
          [...path, modifier],
          `"${modifier}" next to json is ambiguous`,
          `Put it inside: json: { ..., ${modifier}: ... } describes the decoded value.`,
        );
      }
    }
    checkType(spec.json, [...path, "json"], shapes, false, report);
    return;
  }
  if (spec.shape !== undefined && !shapes.has(spec.shape)) {
    report([...path, "shape"], `there is no shape named "${spec.shape}"`, "Define it under shapes, or use ref for an OpenAPI schema.");
  }
  const type = spec.type;
  if (spec.enum !== undefined) {
    const base = type;
    if (base !== "string" && base !== "number" && base !== "boolean") {
      report([...path, "enum"], "enum is only allowed with type string, number or boolean");
    } else {
      spec.enum.forEach((value, index) => {
        if (typeof value !== base) report([...path, "enum", index], `${JSON.stringify(value)} is not a ${base}`);
      });
    }
  }
  if (spec.fields !== undefined || spec.values !== undefined) {
    if (type !== "object") {
      report([...path, spec.fields !== undefined ? "fields" : "values"], "fields and values are only allowed with type object");
    } else if (spec.fields !== undefined && spec.values !== undefined) {
      report([...path, "values"], "an object has either fixed fields or dynamic keys with values, not both");
    }
  }
  if (spec.fields !== undefined) checkFields(spec.fields, [...path, "fields"], shapes, false, report);
  if (spec.values !== undefined) checkType(spec.values, [...path, "values"], shapes, false, report);
}

// ---------------------------------------------------------------------------------------------
// Normalization

function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function normalize(raw: RawCatalog, file: string): Catalog {
  return {
    file,
    server_version: raw.server_version,
    events: raw.events.map(toEvent).sort(byName),
    actions: raw.actions.map(toAction).sort(byName),
    shapes: (raw.shapes ?? [])
      .map((shape): CatalogShape => ({ name: shape.name, description: shape.description, fields: toFields(shape.fields) }))
      .sort(byName),
  };
}

function toEvent(raw: RawEvent): CatalogEvent {
  return {
    name: raw.name,
    description: raw.description,
    scope: raw.scope,
    emitted: raw.emitted,
    data: raw.data === "unknown" ? "unknown" : toFields(raw.data),
    variants: (raw.variants ?? []).map(
      (variant): CatalogVariant => ({ when: variant.when, scope: variant.scope, keys: [...variant.keys].sort() }),
    ),
  };
}

function toAction(raw: RawAction): CatalogAction {
  return {
    name: raw.name,
    description: raw.description,
    requires_auth: raw.requires_auth,
    request: toFields(raw.request),
    reply: raw.reply === "none" ? null : toType(raw.reply),
  };
}

function toFields(fields: RawFields): CatalogField[] {
  return Object.entries(fields)
    .map(([name, field]) => toField(name, field))
    .sort(byName);
}

function toField(name: string, raw: RawField): CatalogField {
  return {
    name,
    type: toType(raw),
    optional: raw.optional ?? false,
    per_recipient: raw.per_recipient ?? false,
    ...(raw.description === undefined ? {} : { description: raw.description }),
  };
}

function toType(raw: RawTypeSpec): TypeSpec {
  if (raw.json !== undefined) return { kind: "json", of: toType(raw.json) };
  const array = raw.array ?? false;
  const nullable = raw.nullable ?? false;
  if (raw.ref !== undefined) return { kind: "ref", schema: raw.ref, array, nullable };
  if (raw.shape !== undefined) return { kind: "shape", shape: raw.shape, array, nullable };
  if (raw.type === "object") {
    return {
      kind: "object",
      array,
      nullable,
      ...(raw.fields === undefined ? {} : { fields: toFields(raw.fields) }),
      ...(raw.values === undefined ? {} : { values: toType(raw.values) }),
    };
  }
  return {
    kind: "primitive",
    type: raw.type ?? "unknown",
    array,
    nullable,
    ...(raw.enum === undefined ? {} : { enum: [...raw.enum] }),
  };
}

// ---------------------------------------------------------------------------------------------
// Paths in messages

/** The value at `path` in plain data, or undefined. */
function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = Array.isArray(node) ? (node as unknown[])[Number(segment)] : (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

/** A repeated key's parent path (all strings) with the indexes of sequences as numbers, as messages show them. */
function indexed(root: unknown, parent: readonly string[]): Path {
  const path: (string | number)[] = [];
  for (const segment of parent) path.push(Array.isArray(valueAt(root, path)) ? Number(segment) : segment);
  return path;
}

/** `events[12] (posted) → data → post`, readable in a terminal. */
function describePath(root: unknown, path: Path): string {
  if (path.length === 0) return "the top level";
  const parts: string[] = [];
  let prefix: (string | number)[] = [];
  for (const segment of path) {
    prefix = [...prefix, segment];
    if (typeof segment === "number") {
      const name = valueAt(root, [...prefix, "name"]);
      const last = parts.pop() ?? "";
      parts.push(`${last}[${segment}]${typeof name === "string" ? ` (${name})` : ""}`);
    } else {
      parts.push(segment);
    }
  }
  return parts.join(" → ");
}
