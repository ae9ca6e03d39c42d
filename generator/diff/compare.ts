/**
 * `diffModels`: what changed between two releases of the API, and what of it breaks a TypeScript
 * consumer of the generated package. A pure function over two models, their repaired documents
 * and (optionally) two WebSocket catalogs; it never reads files.
 *
 * Operations are matched by method and route template with path parameter names made positional
 * (`GET /users/{}`), so a renamed path parameter or operationId is a change of the operation, not
 * a removal and an addition. What is left on both sides is then paired as a move (`matchMoves`):
 * the same operationId, else the same function name, on another route or method, else the only
 * removal and the only addition on one route, with another method and a name that extends the
 * other (`getAncillaryPermissions` → `getAncillaryPermissionsPost`). Request and response schemas are compared structurally through
 * `$ref`s; where both sides use the same named component schema, that schema's changes are
 * reported once, under its name, in the schema section.
 */
import type { Catalog } from "../events/types.js";
import { isRecord, type Json } from "../json.js";
import type { Model, ModelOperation, ModelParameter } from "../model.js";
import { diffCatalogs } from "./catalog.js";
import { compareSchemas, type Direction, type SchemaChange } from "./schema.js";
import type { ApiDiff, Change, ChangeKind, ChangeSection, DiffCounts, DiffSide } from "./types.js";

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface DiffInput {
  readonly model: Model;
  /** The repaired document the model was built from (`loadModel(...).spec.document`). */
  readonly document: Record<string, unknown>;
  readonly catalog?: Catalog | undefined;
}

/** `GET /api/v4/users/{user_id}` → `GET /api/v4/users/{}`: the key operations are matched by. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}")}`;
}

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]*)\}/g)].map((match) => match[1] ?? "");
}

const SECTION_ORDER: readonly ChangeSection[] = ["operations", "schemas", "events", "actions", "shapes"];

/** Sort: section, group, subject, then kind and place; breaking-ness does not move a change here. */
export function compareChanges(a: Change, b: Change): number {
  return (
    SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section) ||
    compare(a.group, b.group) ||
    compare(a.subject, b.subject) ||
    compare(a.at ?? "", b.at ?? "") ||
    compare(a.kind, b.kind) ||
    compare(a.reason, b.reason)
  );
}

/** The success response's schema, read from the document (the model keeps only its name). */
function responseSchema(document: Json, operation: ModelOperation): unknown {
  const { status, mediaType } = operation.response;
  if (status === undefined || mediaType === undefined) return undefined;
  const paths = isRecord(document.paths) ? document.paths : {};
  const item = paths[operation.path];
  const raw = isRecord(item) ? item[operation.method.toLowerCase()] : undefined;
  const responses = isRecord(raw) && isRecord(raw.responses) ? raw.responses : {};
  let response = responses[String(status)];
  if (isRecord(response) && typeof response.$ref === "string") {
    const match = /^#\/components\/responses\/([^/]+)$/.exec(response.$ref);
    const components = isRecord(document.components) ? document.components : {};
    const named = isRecord(components.responses) && match?.[1] !== undefined ? components.responses[match[1]] : undefined;
    response = named;
  }
  const content = isRecord(response) && isRecord(response.content) ? response.content : {};
  const media = content[mediaType];
  return isRecord(media) ? media.schema : undefined;
}

function parameterKey(parameter: ModelParameter): string {
  return `${parameter.in}.${parameter.name}`;
}

interface OperationPair {
  readonly before: ModelOperation;
  readonly after: ModelOperation;
}

/** How a removed and an added operation were found to be one operation that moved. */
export type MoveMatch = "operationId" | "name" | "route";

export interface OperationMove extends OperationPair {
  readonly match: MoveMatch;
}

/**
 * Pairs operations that are on one side only: first by operationId, then by function name, then,
 * on a route where exactly one operation went and one came, by route when one function name starts
 * with the other (the method changed; a route whose `unpin` went and whose `pin` came is not a
 * move). Each operation is in at most one pair; the pairs are sorted by the new route.
 */
export function matchMoves(removed: readonly ModelOperation[], added: readonly ModelOperation[]): OperationMove[] {
  const moves: OperationMove[] = [];
  const left = new Set(removed);
  const right = new Set(added);
  const pairBy = (
    match: MoveMatch,
    key: (operation: ModelOperation) => string,
    related: (a: ModelOperation, b: ModelOperation) => boolean = () => true,
  ): void => {
    const candidates = new Map<string, ModelOperation[]>();
    for (const operation of right) candidates.set(key(operation), [...(candidates.get(key(operation)) ?? []), operation]);
    const olds = new Map<string, ModelOperation[]>();
    for (const operation of left) olds.set(key(operation), [...(olds.get(key(operation)) ?? []), operation]);
    for (const [value, before] of olds) {
      const after = candidates.get(value);
      // Only an unambiguous pair: one on each side.
      if (before.length !== 1 || after?.length !== 1 || before[0] === undefined || after[0] === undefined) continue;
      if (!related(before[0], after[0])) continue;
      moves.push({ before: before[0], after: after[0], match });
      left.delete(before[0]);
      right.delete(after[0]);
    }
  };
  pairBy("operationId", (operation) => operation.operationId);
  pairBy("name", (operation) => operation.name);
  pairBy(
    "route",
    (operation) => routeKey("", operation.path),
    (a, b) => a.name.startsWith(b.name) || b.name.startsWith(a.name),
  );
  return moves.sort((a, b) => compare(routeKey(a.after.method, a.after.path), routeKey(b.after.method, b.after.path)));
}

/** What a caller of the old function must do, from the breaking changes of a moved operation. */
function callerSteps(changes: readonly Change[]): string[] {
  const steps: string[] = [];
  let other = 0;
  for (const change of changes) {
    if (!change.breaking) continue;
    const [where = "", ...rest] = (change.at ?? "").split(".");
    const parameter = `${where} parameter \`${rest.join(".")}\``;
    switch (change.kind) {
      case "operation-renamed":
        steps.push(`call \`${change.name ?? ""}\` instead`);
        break;
      case "parameter-renamed":
        steps.push(`pass \`${change.after ?? ""}\` instead of \`${change.before ?? ""}\``);
        break;
      case "parameter-removed":
        steps.push(`drop the ${parameter}`);
        break;
      case "parameter-added":
      case "parameter-required":
        steps.push(`pass the ${parameter}`);
        break;
      case "body-added":
        steps.push(`pass a \`body\` (${change.after ?? ""})`);
        break;
      case "body-required":
        steps.push("always pass a `body`");
        break;
      case "body-removed":
        steps.push("drop the `body`");
        break;
      case "body-kind-changed":
        steps.push(`send the body as ${change.after ?? ""}`);
        break;
      case "response-kind-changed":
        steps.push(`read the answer as ${change.after ?? ""}`);
        break;
      default:
        other += 1;
    }
  }
  if (other > 0) steps.push(`adapt to ${other} more ${other === 1 ? "change" : "changes"} listed under this route`);
  return steps;
}

const MATCH_LABEL: Record<MoveMatch, string> = {
  operationId: "same operationId",
  name: "same function name",
  route: "same route, related name",
};

/** The `operation-moved` change and the changes of the operation between its two places. */
function diffMove(out: Change[], oldInput: DiffInput, newInput: DiffInput, { before, after, match }: OperationMove): void {
  const inner: Change[] = [];
  diffOperation(inner, oldInput, newInput, { before, after });
  const from = `${before.method} ${before.path}`;
  const to = `${after.method} ${after.path}`;
  const method = before.method === after.method ? "" : `, method ${before.method} → ${after.method}`;
  const steps = callerSteps(inner);
  const verdict =
    steps.length === 0
      ? `the function \`${after.name}\` keeps its name and arguments, so calls need no change (regenerate to call the new route)`
      : `callers of \`${before.name}\` must ${steps.join("; ")}`;
  out.push({
    section: "operations",
    kind: "operation-moved",
    breaking: steps.length > 0,
    reason: `moved from \`${from}\` (${MATCH_LABEL[match]}${method}): ${verdict}`,
    group: after.tag,
    subject: to,
    name: after.name,
    before: from,
    after: to,
  });
  out.push(...inner);
}

function diffOperation(out: Change[], oldInput: DiffInput, newInput: DiffInput, { before, after }: OperationPair): void {
  const base = { section: "operations" as const, group: after.tag, subject: `${after.method} ${after.path}`, name: after.name };
  const add = (kind: ChangeKind, breaking: boolean, reason: string, extra: { at?: string; before?: string; after?: string } = {}): void => {
    out.push({ ...base, kind, breaking, reason, ...extra });
  };
  const addSchema = (changes: readonly SchemaChange[]): void => {
    for (const change of changes) {
      const { kind, breaking, reason, at } = change;
      add(kind, breaking, reason, {
        at,
        ...(change.before === undefined ? {} : { before: change.before }),
        ...(change.after === undefined ? {} : { after: change.after }),
      });
    }
  };
  const context = (direction: Direction) => ({
    oldDocument: oldInput.document,
    newDocument: newInput.document,
    direction,
    stopAtSameRef: true,
  });

  if (before.operationId !== after.operationId) {
    const renamed = before.name !== after.name;
    add(
      "operation-renamed",
      renamed,
      renamed
        ? `operationId ${before.operationId} is now ${after.operationId}: the function \`${before.name}\` is now \`${after.name}\``
        : `operationId ${before.operationId} is now ${after.operationId} (the function name \`${after.name}\` is unchanged)`,
      { before: before.operationId, after: after.operationId },
    );
  }
  if (!before.deprecated && after.deprecated) add("operation-deprecated", false, `\`${after.name}\` is deprecated`);
  if (before.deprecated && !after.deprecated) add("operation-undeprecated", false, `\`${after.name}\` is no longer deprecated`);

  // Path parameters are matched by position; a new name is a rename of the args key. On a route
  // that moved they are matched by position only when there are as many and not the same names.
  const oldNames = pathParameterNames(before.path);
  const newNames = pathParameterNames(after.path);
  const sameRoute = routeKey("", before.path) === routeKey("", after.path);
  const sameNames = [...oldNames].sort().join() === [...newNames].sort().join();
  const positional = sameRoute || (oldNames.length === newNames.length && !sameNames);
  const renamedTo = new Map<string, string>();
  (positional ? oldNames : []).forEach((name, index) => {
    const now = newNames[index];
    if (now !== undefined && now !== name) {
      renamedTo.set(name, now);
      add("parameter-renamed", true, `path parameter \`${name}\` is now \`${now}\` (the args key changes)`, {
        at: `path.${now}`,
        before: name,
        after: now,
      });
    }
  });
  const oldParameters = new Map(
    before.parameters.map((parameter) => {
      const name = parameter.in === "path" ? (renamedTo.get(parameter.name) ?? parameter.name) : parameter.name;
      return [`${parameter.in}.${name}`, parameter];
    }),
  );
  const newParameters = new Map(after.parameters.map((parameter) => [parameterKey(parameter), parameter]));
  for (const key of [...new Set([...oldParameters.keys(), ...newParameters.keys()])].sort(compare)) {
    const a = oldParameters.get(key);
    const b = newParameters.get(key);
    if (a !== undefined && b === undefined) {
      add("parameter-removed", true, `${a.in} parameter \`${a.name}\` was removed`, { at: key });
    } else if (a === undefined && b !== undefined) {
      add("parameter-added", b.required, `${b.required ? "required" : "optional"} ${b.in} parameter \`${b.name}\` was added`, { at: key });
    } else if (a !== undefined && b !== undefined) {
      if (!a.required && b.required) add("parameter-required", true, `${b.in} parameter \`${b.name}\` is now required`, { at: key });
      if (a.required && !b.required) add("parameter-optional", false, `${b.in} parameter \`${b.name}\` is no longer required`, { at: key });
      addSchema(compareSchemas(context("input"), a.schema, b.schema, key));
    }
  }

  const bodyA = before.body;
  const bodyB = after.body;
  if (bodyA === undefined && bodyB !== undefined) {
    add("body-added", bodyB.required, `a ${bodyB.required ? "required" : "optional"} ${bodyB.kind} request body was added`, {
      at: "body",
      after: bodyB.schemaName ?? bodyB.kind,
    });
  } else if (bodyA !== undefined && bodyB === undefined) {
    add("body-removed", true, "the request body was removed", { at: "body", before: bodyA.schemaName ?? bodyA.kind });
  } else if (bodyA !== undefined && bodyB !== undefined) {
    if (bodyA.kind !== bodyB.kind) {
      add("body-kind-changed", true, `the request body is now ${bodyB.kind} (was ${bodyA.kind})`, {
        at: "body",
        before: bodyA.kind,
        after: bodyB.kind,
      });
    } else {
      if (!bodyA.required && bodyB.required) add("body-required", true, "the request body is now required", { at: "body" });
      if (bodyA.required && !bodyB.required) add("body-optional", false, "the request body is no longer required", { at: "body" });
      addSchema(compareSchemas(context("input"), bodyA.schema, bodyB.schema, "body"));
    }
  }

  const responseA = before.response;
  const responseB = after.response;
  if (responseA.kind !== responseB.kind) {
    add("response-kind-changed", responseA.kind !== "none", `the response is now ${responseB.kind} (was ${responseA.kind})`, {
      at: "response",
      before: responseA.kind,
      after: responseB.kind,
    });
  } else if (responseA.kind === "json") {
    addSchema(
      compareSchemas(context("output"), responseSchema(oldInput.document, before), responseSchema(newInput.document, after), "response"),
    );
  }
}

function componentSchemas(document: Json): Json {
  const components = isRecord(document.components) ? document.components : {};
  return isRecord(components.schemas) ? components.schemas : {};
}

function diffSchemas(out: Change[], oldInput: DiffInput, newInput: DiffInput): void {
  const oldSchemas = new Map(oldInput.model.schemas.map((schema) => [schema.name, schema]));
  const newSchemas = new Map(newInput.model.schemas.map((schema) => [schema.name, schema]));
  const oldObjects = componentSchemas(oldInput.document);
  const newObjects = componentSchemas(newInput.document);
  const context = { oldDocument: oldInput.document, newDocument: newInput.document, direction: "both" as const, stopAtSameRef: true };
  for (const name of [...new Set([...oldSchemas.keys(), ...newSchemas.keys()])].sort(compare)) {
    const a = oldSchemas.get(name);
    const b = newSchemas.get(name);
    const base = { section: "schemas" as const, group: "schemas", subject: name };
    if (a !== undefined && b === undefined) {
      out.push({ ...base, kind: "schema-removed", breaking: true, reason: `schema \`${name}\` was removed (its exported type is gone)` });
    } else if (a === undefined && b !== undefined) {
      out.push({ ...base, kind: "schema-added", breaking: false, reason: `new schema \`${name}\`` });
    } else if (a !== undefined && b !== undefined) {
      if (!a.deprecated && b.deprecated)
        out.push({ ...base, kind: "schema-deprecated", breaking: false, reason: `schema \`${name}\` is deprecated` });
      for (const change of compareSchemas(context, oldObjects[name], newObjects[name], "")) {
        out.push({
          ...base,
          kind: change.kind,
          breaking: change.breaking,
          reason: change.reason,
          ...(change.at === "" ? {} : { at: change.at }),
          ...(change.before === undefined ? {} : { before: change.before }),
          ...(change.after === undefined ? {} : { after: change.after }),
        });
      }
    }
  }
}

function side(input: DiffInput, withCatalog: boolean): DiffSide {
  return {
    title: input.model.title,
    apiVersion: input.model.apiVersion,
    operations: input.model.operations.length,
    schemas: input.model.schemas.length,
    ...(withCatalog && input.catalog !== undefined ? { events: input.catalog.events.length, actions: input.catalog.actions.length } : {}),
  };
}

function counts(
  changes: readonly Change[],
  section: ChangeSection,
  added: ChangeKind,
  removed: ChangeKind,
  notChanges: readonly ChangeKind[],
): DiffCounts {
  const inSection = changes.filter((change) => change.section === section);
  return {
    added: inSection.filter((change) => change.kind === added).length,
    removed: inSection.filter((change) => change.kind === removed).length,
    changed: new Set(
      inSection
        .filter((change) => change.kind !== added && change.kind !== removed && !notChanges.includes(change.kind))
        .map((change) => change.subject),
    ).size,
  };
}

/** What changed from `before` to `after`, every change classified and sorted. */
export function diffModels(before: DiffInput, after: DiffInput): ApiDiff {
  const changes: Change[] = [];
  const oldOperations = new Map(before.model.operations.map((operation) => [routeKey(operation.method, operation.path), operation]));
  const newOperations = new Map(after.model.operations.map((operation) => [routeKey(operation.method, operation.path), operation]));
  const moves = matchMoves(
    [...oldOperations].filter(([key]) => !newOperations.has(key)).map(([, operation]) => operation),
    [...newOperations].filter(([key]) => !oldOperations.has(key)).map(([, operation]) => operation),
  );
  const moved = new Set(moves.flatMap((move) => [move.before, move.after]));
  for (const move of moves) diffMove(changes, before, after, move);
  for (const key of [...new Set([...oldOperations.keys(), ...newOperations.keys()])].sort(compare)) {
    const a = oldOperations.get(key);
    const b = newOperations.get(key);
    if ((a !== undefined && moved.has(a)) || (b !== undefined && moved.has(b))) continue;
    if (a !== undefined && b === undefined) {
      changes.push({
        section: "operations",
        kind: "operation-removed",
        breaking: true,
        reason: `operation removed: the function \`${a.name}\` is gone`,
        group: a.tag,
        subject: `${a.method} ${a.path}`,
        name: a.name,
        before: a.operationId,
      });
    } else if (a === undefined && b !== undefined) {
      changes.push({
        section: "operations",
        kind: "operation-added",
        breaking: false,
        reason: `new operation: \`${b.name}\``,
        group: b.tag,
        subject: `${b.method} ${b.path}`,
        name: b.name,
        after: b.operationId,
      });
    } else if (a !== undefined && b !== undefined) {
      diffOperation(changes, before, after, { before: a, after: b });
    }
  }
  diffSchemas(changes, before, after);
  const withCatalog = before.catalog !== undefined && after.catalog !== undefined;
  if (before.catalog !== undefined && after.catalog !== undefined) changes.push(...diffCatalogs(before.catalog, after.catalog));
  changes.sort(compareChanges);

  const operations = counts(changes, "operations", "operation-added", "operation-removed", [
    "operation-renamed",
    "operation-moved",
    "operation-deprecated",
    "operation-undeprecated",
  ]);
  return {
    version: 1,
    old: side(before, withCatalog),
    new: side(after, withCatalog),
    summary: {
      changes: changes.length,
      breaking: changes.filter((change) => change.breaking).length,
      operations: {
        ...operations,
        renamed: changes.filter((change) => change.kind === "operation-renamed").length,
        moved: moves.length,
        deprecated: changes.filter((change) => change.kind === "operation-deprecated").length,
      },
      schemas: counts(changes, "schemas", "schema-added", "schema-removed", ["schema-deprecated"]),
      ...(withCatalog
        ? {
            events: counts(changes, "events", "event-added", "event-removed", []),
            actions: counts(changes, "actions", "action-added", "action-removed", []),
          }
        : {}),
    },
    changes,
  };
}
