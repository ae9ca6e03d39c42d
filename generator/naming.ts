/**
 * Every naming decision of the generator, in one place: the operationId of an operation upstream
 * left unnamed, the function name of an operationId (camelCase, reserved words, collisions), the
 * file of a tag, the exported names of schemas and args types, the names of the event interfaces,
 * the check of a plugin's `functionName`, and the names each generated file already takes.
 * Plain functions over plain data; the stages that name things call them.
 */
import type { Model } from "./model.js";

/**
 * The one set of words a generated declaration may not be named: JavaScript's reserved words, in
 * strict mode (the generated files are ES modules), and the globals that a declaration must not
 * shadow (`eval` and `arguments` cannot be declared in strict code at all).
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity".split(
    " ",
  ),
);

/** Names the generated files import or use besides their own declarations (the runtime's types, globals). */
export const RUNTIME_NAMES: ReadonlySet<string> = new Set([
  "Blob",
  "Promise",
  "Record",
  "NonNullable",
  "Uint8Array",
  "Transport",
  "CallOptions",
  "BinaryAs",
  "BinaryResult",
  "ArrayBuffer",
  "ReadableStream",
]);

/** Names each generated file declares itself, beside what is named from the spec or the catalog. */
export const FILE_DECLARATIONS = {
  /** `endpoints/index.ts` exports the operations table beside the functions. */
  endpoints: new Set(["operations"]),
  /** `events.ts`: event interfaces and shapes must not take these. */
  events: new Set([
    "schemas",
    "eventDecoders",
    "eventTable",
    "WebSocketBroadcast",
    "WebSocketEvent",
    "WebSocketEventBase",
    "WebSocketEventMap",
    "WebSocketEventName",
    "WebSocketEventNames",
  ]),
  /** `validators.ts`: a schema's validator must not take these. */
  validators: new Set([
    "v",
    "S",
    "once",
    "objectOnly",
    "unknownKeys",
    "ResponseIssue",
    "ResponseValidator",
    "ResponseOperation",
    "responseValidators",
    "validateResponse",
    "issuePath",
    "toIssues",
  ]),
} as const satisfies Record<string, ReadonlySet<string>>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Whether a name can stand bare in code: letters, digits, `_` or `$`, not starting with a digit. */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A property name as written in a type or an object literal: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name);
}

/** `base` when `taken` does not hold it, else `base2`, `base3`, ...: the first that is free. */
export function numberedName(base: string, taken: { has(name: string): boolean }): string {
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base}${n}`;
  return name;
}

/** The operationId of an operation that has none: the method plus the route's words, PascalCase (`GetUsersUserId`). */
export function operationIdFromRoute(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v\d+/, "")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "");
  return [method, ...words].map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
}

/**
 * The function name of an operationId: `CreatePost` → `createPost`, `GetLDAPGroups` →
 * `getLDAPGroups`, `LDAPSync` → `ldapSync`, `get-user_by id` → `getUserById`; a leading digit
 * gets `op`, a reserved word `Operation` (`Delete` → `deleteOperation`).
 */
export function camelName(operationId: string): string {
  const words = operationId.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
  const joined = words.map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join("");
  const leadingCaps = /^[A-Z]+/.exec(joined)?.[0] ?? "";
  let name: string;
  if (leadingCaps.length <= 1) name = joined.charAt(0).toLowerCase() + joined.slice(1);
  else if (leadingCaps.length === joined.length) name = joined.toLowerCase();
  else {
    // An acronym at the start: lower it all but its last letter when a lowercase word follows.
    const next = joined.charAt(leadingCaps.length);
    const cut = /[a-z]/.test(next) ? leadingCaps.length - 1 : leadingCaps.length;
    name = joined.slice(0, cut).toLowerCase() + joined.slice(cut);
  }
  if (/^\d/.test(name)) name = `op${name}`;
  return RESERVED_WORDS.has(name) ? `${name}Operation` : name;
}

/** `shared channels` → `shared-channels`: the file under `endpoints/` of a tag. */
export function tagFileName(tag: string): string {
  const name = tag
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name === "" ? "untagged" : name;
}

/** Whether a plugin's `fileFor` answer is a file name `tagFileName` keeps as it is (and not `index`). */
export function isEndpointFileName(file: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(file) && file !== "index";
}

/** `post_edited` → `PostEditedEvent`: the interface of a WebSocket event. */
export function interfaceName(eventName: string): string {
  return `${eventName
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("")}Event`;
}

/** `post_edited` → `POST_EDITED`: the constant of an event or action name. */
export function constantName(wireName: string): string {
  return wireName.toUpperCase();
}

export interface Names {
  /** schema name → exported alias. */
  readonly schema: ReadonlyMap<string, string>;
  /** operation name → args type name. */
  readonly args: ReadonlyMap<string, string>;
}

/**
 * The exported alias of every schema (its own name when it is an identifier the generated files do
 * not use, else with `_` for what is not, a `Schema` suffix for a runtime name, `_` until unique),
 * and the args type of every operation (`<Name>Args`, `_` until unique).
 */
export function decideNames(model: Pick<Model, "schemas" | "operations">): Names {
  const schema = new Map<string, string>();
  const used = new Set<string>();
  for (const { name } of model.schemas) {
    let alias = isIdentifier(name) ? name : name.replace(/[^A-Za-z0-9_$]/g, "_");
    if (RUNTIME_NAMES.has(alias)) alias = `${alias}Schema`;
    while (used.has(alias)) alias = `${alias}_`;
    used.add(alias);
    schema.set(name, alias);
  }
  const args = new Map<string, string>();
  for (const operation of model.operations) {
    let name = `${operation.name.charAt(0).toUpperCase()}${operation.name.slice(1)}Args`;
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    args.set(operation.name, name);
  }
  return { schema, args };
}

const namesCache = new WeakMap<object, Names>();

/** `decideNames`, once per model object: the `schemas` and `endpoints` plugins share the answer. */
export function namesOf(model: Model): Names {
  let names = namesCache.get(model);
  if (names === undefined) {
    names = decideNames(model);
    namesCache.set(model, names);
  }
  return names;
}

/** Why a name a plugin's `functionName` returned cannot be used, with what to do; `undefined` when it can. */
export interface NameProblem {
  readonly problem: string;
  readonly hint: string;
}

/**
 * Checks a function name chosen by a plugin: an identifier, not a reserved word, not a name the
 * endpoint files use (runtime types, the operations table, a schema's alias).
 */
export function checkFunctionName(chosen: unknown, schemaAliases: ReadonlySet<string>): NameProblem | undefined {
  if (typeof chosen !== "string" || !isIdentifier(chosen)) {
    return {
      problem: `returned ${JSON.stringify(chosen) ?? String(chosen)}, which is not a JavaScript identifier`,
      hint: "Return letters, digits, _ or $, not starting with a digit.",
    };
  }
  if (RESERVED_WORDS.has(chosen) || RUNTIME_NAMES.has(chosen) || FILE_DECLARATIONS.endpoints.has(chosen) || schemaAliases.has(chosen)) {
    return {
      problem: `returned "${chosen}", a name the generated files already use (a reserved word, a runtime type or a schema)`,
      hint: "Return another name.",
    };
  }
  return undefined;
}
