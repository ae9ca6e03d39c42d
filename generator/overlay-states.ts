/**
 * What an overlay action does to this spec, decided before it is applied. Every action ends a run
 * in one of four states:
 *
 * - `applied`: the target is there and the action changes it;
 * - `already-upstream`: the spec already says what the action writes (or already lacks what it
 *   removes), so the action is redundant and can be deleted;
 * - `not-in-release`: what the action is about (an operation, a route, a schema, a schema its
 *   update refers to) does not exist in this release;
 * - `conflicting`: that operation or schema exists, but it has changed so the action no longer
 *   fits: the part it targets is gone, a parameter it appends is already declared differently, an
 *   operation or schema it adds is now defined upstream in another way.
 *
 * Pure: the document and the action in, a state and a one-line reason out.
 */
import { deepEqual, escapePointerSegment, isRecord, resolvePointer } from "./json.js";
import { explainMiss, type JsonMatch, type JsonPathStep, queryJsonPath } from "./jsonpath.js";
import type { OverlayAction } from "./overlay.js";

export type OverlayState = "applied" | "already-upstream" | "not-in-release" | "conflicting";

/** The states in the order summaries list them. */
export const OVERLAY_STATES: readonly OverlayState[] = ["applied", "already-upstream", "not-in-release", "conflicting"];

/** How a state reads in a sentence: `3 not in this release`. */
export const STATE_LABELS: Readonly<Record<OverlayState, string>> = {
  applied: "applied",
  "already-upstream": "already upstream",
  "not-in-release": "not in this release",
  conflicting: "conflicting",
};

export interface Classification {
  readonly state: OverlayState;
  /** Why, in one line naming the operation, schema or property; empty for `applied`. */
  readonly reason: string;
  /** The nodes the target selects (what an applied action changes). */
  readonly matches: readonly JsonMatch[];
}

/**
 * Components (`#/components/schemas/Name`, ...) that actions of the run add: `available` those
 * that can be added (an action may refer to a schema a later overlay defines), `providers` where
 * each one is added, for the reason of an action whose reference fails.
 */
export interface PendingComponents {
  readonly available: ReadonlySet<string>;
  readonly providers: ReadonlyMap<string, OverlayAction>;
}

/** Classifies one action against the document as the earlier actions left it. */
export function classifyAction(document: Record<string, unknown>, action: OverlayAction, pending: PendingComponents): Classification {
  const matches = queryJsonPath(document, action.target);
  if (matches.length === 0) return classifyMiss(document, action);
  if (action.remove === true) return { state: "applied", reason: "", matches };
  const missing = missingReferences(document, action.update, pending);
  if (missing.length > 0) {
    const names = missing.map(describeReference);
    const providers = missing.flatMap((pointer) => {
      const provider = pending.providers.get(pointer);
      return provider === undefined ? [] : [`${provider.location.file}:${provider.location.line}`];
    });
    const added = providers.length === 0 ? "" : ` (the action adding it at ${[...new Set(providers)].join(", ")} does not apply either)`;
    return {
      state: "not-in-release",
      reason: `its update refers to ${names.join(", ")}, which this release lacks${added}`,
      matches,
    };
  }
  let changes = false;
  for (const match of matches) {
    const verdict = judgeUpdate(match, action.update);
    if (verdict.conflict !== undefined) return { state: "conflicting", reason: verdict.conflict, matches };
    if (verdict.changes) changes = true;
  }
  if (!changes) {
    return {
      state: "already-upstream",
      reason: `${describeNode(matches[0]?.path ?? [], document)} already has everything the action writes`,
      matches,
    };
  }
  return { state: "applied", reason: "", matches };
}

// ---------------------------------------------------------------------------------------------
// A target that matches nothing

function classifyMiss(document: Record<string, unknown>, action: OverlayAction): Classification {
  const miss = explainMiss(document, action.target);
  const step = miss.steps[miss.matched];
  const node = miss.nodes[0];
  const path = node?.path ?? [];
  const missing = step === undefined ? "it" : describeStep(step, path);
  // The subject of an action is an operation (paths / route / method) or a component (components
  // / kind / name). When the walk stops above or at it, the release does not have it.
  const subjectDepth = path[0] === "paths" || path[0] === "components" ? 3 : 1;
  if (path.length + 1 <= subjectDepth) {
    return { state: "not-in-release", reason: `this release has no ${describeAbsentSubject(path, step, missing)}`, matches: [] };
  }
  const owner = describeNode(path, document);
  // An update that only marks a property nullable has nothing to mark where the release lacks the
  // property (a property added in a later release): there, the property is the action's subject.
  if (miss.matched === miss.steps.length - 1 && step?.kind === "child" && path[path.length - 1] === "properties" && annotatesOnly(action)) {
    return { state: "not-in-release", reason: `${owner} has no ${missing} in this release`, matches: [] };
  }
  if (action.remove === true) {
    return { state: "already-upstream", reason: `${owner} already lacks ${missing}, which the action removes`, matches: [] };
  }
  return { state: "conflicting", reason: `${owner} exists but has no ${missing}`, matches: [] };
}

/** Keywords that say something about a value without defining it. */
const ANNOTATIONS = new Set(["nullable"]);

/** The action's update only sets annotations (`{ nullable: true }`): it cannot add what is absent. */
function annotatesOnly(action: OverlayAction): boolean {
  return (
    action.remove !== true &&
    isRecord(action.update) &&
    Object.keys(action.update).length > 0 &&
    Object.keys(action.update).every((key) => ANNOTATIONS.has(key))
  );
}

/** `operation GetMe`, `route /api/v4/x`, `GET /api/v4/x`, `schema User`. */
function describeAbsentSubject(path: readonly (string | number)[], step: JsonPathStep | undefined, missing: string): string {
  if (step?.kind === "filter" && step.path.length === 1 && step.path[0] === "operationId") return `operation ${String(step.literal)}`;
  if (path[0] === "paths" && path.length === 1 && step?.kind === "child") return `route ${String(step.name)}`;
  if (path[0] === "paths" && path.length === 2 && step?.kind === "child") return `${String(step.name).toUpperCase()} ${String(path[1])}`;
  if (path[0] === "components" && path.length === 2 && step?.kind === "child")
    return `${componentKind(String(path[1]))} ${String(step.name)}`;
  if (path.length === 0 && step?.kind === "child") return `\`${String(step.name)}\` section`;
  return missing;
}

function componentKind(kind: string): string {
  const singular: Record<string, string> = {
    schemas: "schema",
    responses: "response",
    parameters: "parameter",
    requestBodies: "request body",
    securitySchemes: "security scheme",
    headers: "header",
    examples: "example",
  };
  return singular[kind] ?? `components.${kind} entry`;
}

/** What the step that found nothing looked for, below the node at `path`. */
function describeStep(step: JsonPathStep, path: readonly (string | number)[]): string {
  const container = path[path.length - 1];
  switch (step.kind) {
    case "child": {
      const name = String(step.name);
      if (container === "properties") return `property "${name}"`;
      if (container === "responses") return `response ${name}`;
      if (container === "content") return `media type ${name}`;
      if (typeof step.name === "number") return `item ${name}`;
      if (name === "parameters") return "parameters list";
      return `"${name}"`;
    }
    case "filter":
      return `${container === "parameters" ? "parameter" : "entry"} with ${step.path.join(".")} ${step.op} ${JSON.stringify(step.literal)}`;
    case "wildcard":
      return "entries";
    case "descend":
      return step.name === undefined ? "descendants" : `"${step.name}" below it`;
  }
}

/**
 * A node for a reader: `GET /api/v4/users/me (GetMe)`, `schema User`, then the rest of the path:
 * `schema User, property "timezone"`.
 */
export function describeNode(path: readonly (string | number)[], document: Record<string, unknown>): string {
  if (path.length === 0) return "the document";
  if (path[0] === "paths" && path.length >= 2) {
    const route = String(path[1]);
    if (path.length === 2) return `route ${route}`;
    const method = String(path[2]);
    const operation = (document.paths as Record<string, Record<string, unknown>> | undefined)?.[route]?.[method];
    const id = isRecord(operation) && typeof operation.operationId === "string" ? ` (${operation.operationId})` : "";
    return `${method.toUpperCase()} ${route}${id}${describeRest(path.slice(3), document, path.slice(0, 3))}`;
  }
  if (path[0] === "components" && path.length >= 3) {
    return `${componentKind(String(path[1]))} ${String(path[2])}${describeRest(path.slice(3), document, path.slice(0, 3))}`;
  }
  return `$${path.map((key) => (typeof key === "number" ? `[${key}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `['${key}']`)).join("")}`;
}

/** `, response 200, media type application/json, schema, property "x"`. */
function describeRest(rest: readonly (string | number)[], document: Record<string, unknown>, base: readonly (string | number)[]): string {
  const parts: string[] = [];
  let node: unknown = base.reduce<unknown>(
    (value, key) => (isRecord(value) || Array.isArray(value) ? (value as never)[key] : undefined),
    document,
  );
  for (let index = 0; index < rest.length; index += 1) {
    const key = rest[index] as string | number;
    const next = rest[index + 1];
    const child: unknown = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
    // A list or map the walk ends in is named by what was looked for in it (`property "x"`).
    if (next === undefined && (key === "responses" || key === "properties" || key === "content" || key === "parameters")) break;
    if ((key === "responses" || key === "properties" || key === "content") && next !== undefined) {
      // Named with the entry that follows: `response 200`, `property "x"`.
      const label = key === "responses" ? "response" : key === "properties" ? "property" : "media type";
      const entry: unknown = isRecord(child) ? child[String(next)] : undefined;
      parts.push(key === "properties" ? `${label} "${String(next)}"` : `${label} ${String(next)}`);
      node = entry;
      index += 1;
      continue;
    }
    if (key === "parameters" && typeof next === "number") {
      const parameter: unknown = Array.isArray(child) ? child[next] : undefined;
      parts.push(
        isRecord(parameter) && typeof parameter.name === "string"
          ? `${typeof parameter.in === "string" ? `${parameter.in} ` : ""}parameter "${parameter.name}"`
          : `parameter ${next}`,
      );
      node = parameter;
      index += 1;
      continue;
    }
    parts.push(typeof key === "number" ? `item ${key}` : key === "requestBody" ? "request body" : key);
    node = child;
  }
  return parts.length === 0 ? "" : `, ${parts.join(", ")}`;
}

// ---------------------------------------------------------------------------------------------
// References an update brings in

/** Every `$ref` of `value` that points into this document. */
export function localReferences(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) localReferences(item, into);
  else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string" && child.startsWith("#/")) into.push(child);
      else localReferences(child, into);
    }
  }
  return into;
}

/** Whether a `#/a/b` pointer resolves in the document. */
export function resolves(document: unknown, pointer: string): boolean {
  return resolvePointer(document, pointer) !== undefined;
}

function missingReferences(document: Record<string, unknown>, update: unknown, pending: PendingComponents): string[] {
  const missing = new Set<string>();
  for (const pointer of localReferences(update)) if (!resolves(document, pointer) && !pending.available.has(pointer)) missing.add(pointer);
  return [...missing].sort();
}

/** `#/components/schemas/User` → `schema User`. */
function describeReference(pointer: string): string {
  const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(pointer);
  return match === null ? pointer : `${componentKind(match[1] ?? "")} ${decodeURIComponent(match[2] ?? "")}`;
}

/**
 * The components the actions add (`update` on `$.components.<kind>` or `$.components`) that can
 * be added: an action whose own references cannot resolve does not count, to a fixed point.
 */
export function pendingComponents(document: Record<string, unknown>, actions: readonly OverlayAction[]): PendingComponents {
  const providers: { pointers: string[]; needs: string[] }[] = [];
  const providedBy = new Map<string, OverlayAction>();
  for (const action of actions) {
    if (!isRecord(action.update)) continue;
    const kind = /^\$\.components(?:\.([A-Za-z]+)|\[['"]([A-Za-z]+)['"]\])?$/.exec(action.target);
    if (kind === null) continue;
    const section = kind[1] ?? kind[2];
    const pointers: string[] = [];
    const sections = section === undefined ? action.update : { [section]: action.update };
    for (const [name, entries] of Object.entries(sections)) {
      if (!isRecord(entries)) continue;
      for (const key of Object.keys(entries)) pointers.push(`#/components/${name}/${escapePointerSegment(key)}`);
    }
    providers.push({ pointers, needs: localReferences(action.update) });
    for (const pointer of pointers) if (!providedBy.has(pointer)) providedBy.set(pointer, action);
  }
  let available = new Set(providers.flatMap((provider) => provider.pointers));
  for (;;) {
    const next = new Set(
      providers
        .filter((provider) => provider.needs.every((pointer) => resolves(document, pointer) || available.has(pointer)))
        .flatMap((provider) => provider.pointers),
    );
    if (next.size === available.size) return { available: next, providers: providedBy };
    available = next;
  }
}

// ---------------------------------------------------------------------------------------------
// What an update would change

interface Verdict {
  /** Whether the update changes the node. */
  readonly changes: boolean;
  /** Why it no longer fits, when it does not. */
  readonly conflict?: string;
}

function judgeUpdate(match: JsonMatch, update: unknown): Verdict {
  const { value } = match;
  if (Array.isArray(value)) return judgeAppend(value, update);
  if (!isRecord(value) || !isRecord(update)) return { changes: true }; // applyOverlays reports it as invalid
  const added = addedEntries(match, update);
  if (added !== undefined) return added;
  return { changes: !contains(value, update) };
}

/** Appending a parameter already declared (same name and `in`) would declare it twice. */
function judgeAppend(list: readonly unknown[], item: unknown): Verdict {
  if (list.some((existing) => deepEqual(existing, item, { scalarListsAsSets: true }))) return { changes: false };
  if (isRecord(item) && typeof item.name === "string" && typeof item.in === "string") {
    const same = list.find((existing) => isRecord(existing) && existing.name === item.name && existing.in === item.in);
    if (same !== undefined) {
      if (contains(same, item)) return { changes: false };
      return {
        changes: true,
        conflict: `${item.in} parameter "${item.name}" is already declared there, otherwise than the action says (${differingKeys(same, item)}); appending it would declare it twice`,
      };
    }
  }
  return { changes: true };
}

/**
 * An action on `$.paths` adds operations and one on `$.components.<kind>` adds components: when
 * upstream now defines one of them, the action merges into upstream's definition.
 */
function addedEntries(match: JsonMatch, update: Record<string, unknown>): Verdict | undefined {
  const path = match.path;
  const value = match.value as Record<string, unknown>;
  const isPaths = path.length === 1 && path[0] === "paths";
  const isComponents = path.length === 2 && path[0] === "components";
  if (!isPaths && !isComponents) return undefined;
  let changes = false;
  for (const [key, entry] of Object.entries(update)) {
    const existing = value[key];
    if (existing === undefined) {
      changes = true;
      continue;
    }
    if (isPaths && isRecord(existing) && isRecord(entry)) {
      // A route that exists: each operation the action adds must be new (or already the same).
      for (const [method, operation] of Object.entries(entry)) {
        const upstream = existing[method];
        if (upstream === undefined) changes = true;
        else if (!contains(upstream, operation)) {
          return {
            changes: true,
            conflict: `upstream now defines ${method.toUpperCase()} ${key}${isRecord(upstream) && typeof upstream.operationId === "string" ? ` (${upstream.operationId})` : ""}, otherwise than the action (${differingKeys(upstream, operation)}); the action would overwrite it`,
          };
        }
      }
      continue;
    }
    if (!contains(existing, entry)) {
      return {
        changes: true,
        conflict: `upstream now defines ${componentKind(String(path[1] ?? ""))} ${key}, otherwise than the action (${differingKeys(existing, entry)}); the action would merge into it`,
      };
    }
  }
  return { changes };
}

/** Whether merging `update` into `value` would leave it as it is. */
function contains(value: unknown, update: unknown): boolean {
  if (isRecord(update)) {
    if (!isRecord(value)) return false;
    return Object.entries(update).every(([key, child]) => Object.hasOwn(value, key) && contains(value[key], child));
  }
  // Lists of plain values compare as sets (`required`, `enum`).
  return deepEqual(value, update, { scalarListsAsSets: true });
}

/** The top-level keys the update writes otherwise than `existing` has them: `summary, responses`. */
function differingKeys(existing: unknown, update: unknown): string {
  if (!isRecord(existing) || !isRecord(update)) return "another type";
  const keys = Object.keys(update).filter((key) => !contains(existing[key], update[key]));
  const shown = keys.slice(0, 4).join(", ");
  return keys.length > 4 ? `${shown} and ${keys.length - 4} more differ` : `${shown} ${keys.length === 1 ? "differs" : "differ"}`;
}
