/**
 * Emits `generated/events.ts` and `generated/actions.ts` from the WebSocket catalog: one interface
 * per event over a common base, the sorted union, the name constants, the table of JSON-text keys
 * the runtime decodes, and the action request/reply table. Pure: catalog in, strings out.
 */
import { GeneratorError } from "../errors.js";
import { constantName, FILE_DECLARATIONS, interfaceName, propertyKey } from "../naming.js";
import type { Catalog, CatalogAction, CatalogEvent, CatalogField, CatalogShape, EventScope, TypeSpec } from "../events/types.js";

export interface EmitEventsOptions {
  /** The generated-file banner, written first in both files. */
  readonly banner: string;
  /** The names under `components.schemas` of the OpenAPI document; every `ref` must be one. */
  readonly schemaNames: ReadonlySet<string>;
  /**
   * The name `schemas.ts` exports each schema under, where it is not the schema's own name (see
   * generator/naming.ts). References are written `schemas.<Name>` through a namespace import,
   * so they never clash with the event interfaces and shapes.
   */
  readonly schemaAliases?: ReadonlyMap<string, string>;
}

/** File name (relative to the output folder) to contents; a type alias so it is a `Record<string, string>`. */
export type EmittedEventFiles = {
  readonly "events.ts": string;
  readonly "actions.ts": string;
};

const INDENT = "  ";

/** Generate both files. Throws a `GeneratorError` for a ref to an unknown schema or a name clash. */
export function emitEvents(input: Catalog, options: EmitEventsOptions): EmittedEventFiles {
  // The loader sorts already; sorting again keeps the output stable for hand-built catalogs too.
  const catalog: Catalog = {
    ...input,
    events: [...input.events].sort(byName),
    actions: [...input.actions].sort(byName),
    shapes: [...input.shapes].sort(byName),
  };
  checkNames(catalog, options.schemaNames);
  return {
    "events.ts": emitEventsFile(catalog, options),
    "actions.ts": emitActionsFile(catalog, options),
  };
}

// ---------------------------------------------------------------------------------------------
// events.ts

function emitEventsFile(catalog: Catalog, options: EmitEventsOptions): string {
  const context = new RenderContext(catalog, options.schemaNames, options.schemaAliases);
  const blocks: string[] = [];

  blocks.push(
    [
      "/** Who an event was sent to, as the server filled the frame's `broadcast` object. */",
      "export interface WebSocketBroadcast {",
      `${INDENT}/** User ids left out of the broadcast, or \`null\` when nobody is. */`,
      `${INDENT}omit_users: Record<string, boolean> | null;`,
      `${INDENT}/** Set when the event is for one user's connections only; empty otherwise. */`,
      `${INDENT}user_id: string;`,
      `${INDENT}/** Set when the event is for the members of one channel; empty otherwise. */`,
      `${INDENT}channel_id: string;`,
      `${INDENT}/** Set when the event is for the members of one team; empty otherwise. */`,
      `${INDENT}team_id: string;`,
      `${INDENT}/** Set when the event is for a single connection; empty otherwise. */`,
      `${INDENT}connection_id: string;`,
      `${INDENT}/** A connection that does not receive the event (usually the one that caused it); empty otherwise. */`,
      `${INDENT}omit_connection_id: string;`,
      `${INDENT}/** Present (true) when the data was trimmed for users who are not system admins. */`,
      `${INDENT}contains_sanitized_data?: boolean;`,
      `${INDENT}/** Present (true) when the data is only for system admins. */`,
      `${INDENT}contains_sensitive_data?: boolean;`,
      "}",
    ].join("\n"),
  );

  blocks.push(
    [
      "/** What every event frame carries besides its name and data. */",
      "export interface WebSocketEventBase {",
      `${INDENT}/** The connection's event counter: 0 for \`hello\`, then one more per event (replies are not counted). */`,
      `${INDENT}seq: number;`,
      `${INDENT}broadcast: WebSocketBroadcast;`,
      "}",
    ].join("\n"),
  );

  for (const shape of catalog.shapes) blocks.push(emitShape(shape, context));
  for (const event of catalog.events) blocks.push(emitEventInterface(event, catalog.server_version, context));

  const names = catalog.events.map((event) => event.name);
  blocks.push(
    [
      "/** Every event the server sends, discriminated by `event`; sorted by name. */",
      `export type WebSocketEvent =${names.length === 0 ? " never" : ""}`,
      ...catalog.events.map((event, index) => `${INDENT}| ${interfaceName(event.name)}${index === names.length - 1 ? ";" : ""}`),
    ].join("\n"),
  );
  blocks.push(
    [
      "/** The name of an event, the value of a frame's `event` key. */",
      `export type WebSocketEventName =${names.length === 0 ? " never" : ""}`,
      ...names.map((name, index) => `${INDENT}| ${JSON.stringify(name)}${index === names.length - 1 ? ";" : ""}`),
    ].join("\n"),
  );
  blocks.push(
    [
      '/** Each event\'s interface by name, for typing handlers: `(event: WebSocketEventMap["posted"]) => void`. */',
      "export interface WebSocketEventMap {",
      ...names.map((name) => `${INDENT}${propertyKey(name)}: ${interfaceName(name)};`),
      "}",
    ].join("\n"),
  );
  blocks.push(
    [
      '/** The event names as constants, e.g. `WebSocketEventNames.POSTED === "posted"`. */',
      // `@__PURE__`: bundlers may drop the call (and the table) when nothing reads the table.
      "export const WebSocketEventNames = /* @__PURE__ */ Object.freeze({",
      ...names.map((name) => `${INDENT}${constantName(name)}: ${JSON.stringify(name)},`),
      "} as const);",
    ].join("\n"),
  );

  const decoders = catalog.events
    .map((event) => ({
      name: event.name,
      keys: event.data === "unknown" ? [] : event.data.filter((f) => f.type.kind === "json").map((f) => f.name),
    }))
    .filter((entry) => entry.keys.length > 0);
  blocks.push(
    [
      "/**",
      " * For each event, the `data` keys whose values the server sends as JSON text. The runtime parses",
      " * them before handlers run, so the event interfaces above give their decoded types.",
      " */",
      "export const eventDecoders: { readonly [E in WebSocketEventName]?: readonly string[] } = /* @__PURE__ */ Object.freeze({",
      ...decoders.map(
        (entry) =>
          `${INDENT}${propertyKey(entry.name)}: /* @__PURE__ */ Object.freeze([${entry.keys.map((key) => JSON.stringify(key)).join(", ")}]),`,
      ),
      "});",
    ].join("\n"),
  );
  // The runtime reads this form rather than the two objects above: in a bundle it costs about a
  // third of their bytes (docs/architecture.md, "WebSocket").
  const table = catalog.events.map((event) => {
    const keys = decoders.find((entry) => entry.name === event.name)?.keys ?? [];
    for (const word of [event.name, ...keys]) {
      if (/[\s:,]/.test(word)) {
        throw new GeneratorError(
          "EMIT_FAILED",
          `WebSocket catalog: event "${event.name}": "${word}" has a space, ":" or ",", which the event table cannot hold.`,
          {
            file: catalog.file,
            hint: "Event names and data keys are identifiers; correct the catalog.",
          },
        );
      }
    }
    return keys.length > 0 ? `${event.name}:${keys.join(",")}` : event.name;
  });
  const last = table.length - 1;
  blocks.push(
    [
      "/**",
      " * Every event name, sorted and separated by spaces; a name is followed by `:` and its JSON-text",
      " * `data` keys, separated by commas, when it has some (`posted:followers,mentions,post`). The same",
      " * facts as `WebSocketEventNames` and `eventDecoders`, in the compact form the socket runtime reads.",
      " */",
      // One event per line (diff-friendly); bundlers join the literals into one string.
      `export const eventTable: string =${table.length === 0 ? ' "";' : ""}`,
      ...table.map((entry, index) => (index === last ? `${INDENT}${JSON.stringify(entry)};` : `${INDENT}${JSON.stringify(`${entry} `)} +`)),
    ].join("\n"),
  );

  return assemble(options.banner, context, blocks, "./events.js");
}

function emitShape(shape: CatalogShape, context: RenderContext): string {
  if (shape.fields.length === 0) return `${jsdoc([shape.description], "")}\nexport type ${shape.name} = Record<string, never>;`;
  return [
    jsdoc([shape.description], ""),
    `export interface ${shape.name} ${renderObject(shape.fields, "", context, `shape "${shape.name}"`, "key ")}`,
  ].join("\n");
}

const SCOPE_TEXT: Readonly<Record<EventScope, string>> = {
  user: "Sent to the connections of one user.",
  channel: "Sent to the members of a channel.",
  team: "Sent to the members of a team.",
  all: "Sent to every connection (the server may still filter some users out).",
  mixed: "Who receives it depends on the case.",
  unknown: "",
};

function emitEventInterface(event: CatalogEvent, serverVersion: string, context: RenderContext): string {
  const doc: string[] = [event.description, ""];
  if (!event.emitted) doc.push(`Not sent by Mattermost server ${serverVersion}.`);
  else doc.push(SCOPE_TEXT[event.scope]);
  if (event.variants.length > 0) {
    doc.push("", "Cases:");
    for (const variant of event.variants) {
      const keys = variant.keys.length === 0 ? "no data" : variant.keys.map((key) => `\`${key}\``).join(", ");
      doc.push(`- ${variant.when} (scope: ${variant.scope}): ${keys}`);
    }
  }
  const where = `event "${event.name}"`;
  const data = renderEventData(event, INDENT, context, where);
  return [
    jsdoc(doc, ""),
    `export interface ${interfaceName(event.name)} extends WebSocketEventBase {`,
    `${INDENT}event: ${JSON.stringify(event.name)};`,
    `${INDENT}data:${data.startsWith("\n") ? "" : " "}${data};`,
    "}",
  ].join("\n");
}

function renderEventData(event: CatalogEvent, indent: string, context: RenderContext, where: string): string {
  if (event.data === "unknown") return "Record<string, unknown>";
  if (event.data.length === 0) return "Record<string, never>";
  const data = event.data;
  const shapes = distinctKeySets(event.variants.map((variant) => variant.keys));
  if (shapes.length <= 1) return renderObject(data, indent, context, where, "data key ");
  const memberIndent = indent + INDENT;
  const members = shapes.map((keys) => {
    const present = new Set(keys);
    const fields = data.map((field): CatalogField | AbsentField =>
      present.has(field.name) ? { ...field, optional: false } : { name: field.name, absent: true },
    );
    return `\n${memberIndent}| ${renderObject(fields, memberIndent + INDENT, context, where, "data key ")}`;
  });
  return members.join("");
}

/** Key sets in first-seen order, without repeats (variants that differ only by scope). */
function distinctKeySets(keySets: readonly (readonly string[])[]): (readonly string[])[] {
  const seen = new Map<string, readonly string[]>();
  for (const keys of keySets) {
    const signature = JSON.stringify(keys);
    if (!seen.has(signature)) seen.set(signature, keys);
  }
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// actions.ts

function emitActionsFile(catalog: Catalog, options: EmitEventsOptions): string {
  const context = new RenderContext(catalog, options.schemaNames, options.schemaAliases);
  const blocks: string[] = [];
  const body = catalog.actions.map((action) => emitAction(action, context));
  blocks.push(
    [
      "/**",
      " * The actions a client may send, by name: `request` is the request's `data`, `reply` the `data` of",
      " * a successful reply (`undefined` when the reply carries none).",
      " */",
      `export interface WebSocketActions {${body.length === 0 ? "}" : ""}`,
      ...(body.length === 0 ? [] : [body.join("\n"), "}"]),
    ].join("\n"),
  );
  const names = catalog.actions.map((action) => action.name);
  blocks.push(
    [
      "/** The name of an action, the value of a request's `action` key. */",
      "export type WebSocketActionName = keyof WebSocketActions;",
    ].join("\n"),
  );
  blocks.push(
    [
      '/** The action names as constants, e.g. `WebSocketActionNames.PING === "ping"`. */',
      "export const WebSocketActionNames = /* @__PURE__ */ Object.freeze({",
      ...names.map((name) => `${INDENT}${constantName(name)}: ${JSON.stringify(name)},`),
      "} as const);",
    ].join("\n"),
  );
  return assemble(options.banner, context, blocks, "./actions.js");
}

function emitAction(action: CatalogAction, context: RenderContext): string {
  const inner = INDENT + INDENT;
  const where = `action "${action.name}"`;
  const request =
    action.request.length === 0 ? "Record<string, never>" : renderObject(action.request, inner, context, `${where}`, "request key ");
  const reply = action.reply === null ? "undefined" : renderType(action.reply, inner, context, `${where}, reply`);
  const doc = [action.description];
  if (!action.requires_auth) doc.push("", "Allowed before the connection is authenticated.");
  return [
    jsdoc(doc, INDENT),
    `${INDENT}${propertyKey(action.name)}: {`,
    `${inner}request: ${request};`,
    `${inner}reply: ${reply};`,
    `${INDENT}};`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Types

/** A key that is absent in one variant of an event's data. */
interface AbsentField {
  readonly name: string;
  readonly absent: true;
}

/** Tracks what a file needs to import while its types are rendered. */
class RenderContext {
  usesComponents = false;
  readonly usedShapes = new Set<string>();

  constructor(
    readonly catalog: Catalog,
    readonly schemaNames: ReadonlySet<string>,
    readonly schemaAliases: ReadonlyMap<string, string> | undefined,
  ) {}

  schema(name: string, where: string): string {
    if (!this.schemaNames.has(name)) {
      throw new GeneratorError("REF_UNRESOLVED", `WebSocket catalog, ${where}: the OpenAPI document has no schema "${name}".`, {
        file: this.catalog.file,
        hint: `Correct "ref: ${name}" in the catalog, describe the value with type/fields or a shape instead, or add the schema to the spec with an overlay.`,
      });
    }
    this.usesComponents = true;
    return `schemas.${this.schemaAliases?.get(name) ?? name}`;
  }
}

/** An object literal type, `{` … `}`, whose closing brace is at `indent`. */
function renderObject(
  fields: readonly (CatalogField | AbsentField)[],
  indent: string,
  context: RenderContext,
  where: string,
  keyLabel: string,
): string {
  if (fields.length === 0) return "Record<string, never>";
  const inner = indent + INDENT;
  const lines: string[] = ["{"];
  for (const field of fields) {
    if ("absent" in field) {
      lines.push(`${inner}${propertyKey(field.name)}?: undefined;`);
      continue;
    }
    const notes: string[] = [];
    if (field.description !== undefined) notes.push(field.description);
    if (field.type.kind === "json") notes.push("Sent as JSON text; the runtime decodes it before handlers see it.");
    if (field.per_recipient) notes.push("Each recipient gets its own value.");
    if (notes.length > 0) lines.push(jsdoc(notes, inner));
    const type = renderType(field.type, inner, context, `${where}, ${keyLabel}"${field.name}"`);
    lines.push(`${inner}${propertyKey(field.name)}${field.optional ? "?" : ""}: ${type};`);
  }
  lines.push(`${indent}}`);
  return lines.join("\n");
}

/** A type expression; multi-line object literals close at `indent`. */
function renderType(spec: TypeSpec, indent: string, context: RenderContext, where: string): string {
  return renderTypeParts(spec, indent, context, where).text;
}

function renderTypeParts(spec: TypeSpec, indent: string, context: RenderContext, where: string): { text: string; union: boolean } {
  if (spec.kind === "json") return renderTypeParts(spec.of, indent, context, where);
  let text: string;
  let union = false;
  switch (spec.kind) {
    case "primitive":
      if (spec.enum !== undefined && spec.enum.length > 0) {
        text = spec.enum.map((value) => JSON.stringify(value)).join(" | ");
        union = spec.enum.length > 1;
      } else {
        text = spec.type;
      }
      break;
    case "object":
      if (spec.fields !== undefined) text = renderObject(spec.fields, indent, context, where, "key ");
      else if (spec.values !== undefined) text = `Record<string, ${renderType(spec.values, indent, context, `${where}, values`)}>`;
      else text = "Record<string, unknown>";
      break;
    case "ref":
      text = context.schema(spec.schema, where);
      break;
    case "shape":
      context.usedShapes.add(spec.shape);
      text = spec.shape;
      break;
  }
  if (spec.array) {
    text = union ? `(${text})[]` : `${text}[]`;
    union = false;
  }
  if (spec.nullable) {
    text = `${text} | null`;
    union = true;
  }
  return { text, union };
}

// ---------------------------------------------------------------------------------------------
// Names and text

function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function jsdoc(lines: readonly string[], indent: string): string {
  const clean = trimBlankEdges(lines.map((line) => line.replaceAll("*/", "*\\/").trimEnd()));
  if (clean.length === 1) return `${indent}/** ${clean[0] ?? ""} */`;
  return [`${indent}/**`, ...clean.map((line) => (line === "" ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`].join("\n");
}

function trimBlankEdges(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === "") start++;
  while (end > start && lines[end - 1] === "") end--;
  return lines.slice(start, end);
}

function assemble(banner: string, context: RenderContext, blocks: readonly string[], self: string): string {
  const imports: string[] = [];
  if (context.usesComponents) imports.push('import type * as schemas from "./schemas.js";');
  const shapes = [...context.usedShapes].sort();
  if (shapes.length > 0 && self !== "./events.js") imports.push(`import type { ${shapes.join(", ")} } from "./events.js";`);
  const head = banner.trim() === "" ? [] : [banner.trimEnd()];
  const parts = [...head, ...(imports.length > 0 ? [imports.join("\n")] : []), ...blocks];
  return `${parts.join("\n\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Checks

function checkNames(catalog: Catalog, schemaNames: ReadonlySet<string>): void {
  const taken = new Map<string, string>();
  const claim = (name: string, owner: string): void => {
    const previous = FILE_DECLARATIONS.events.has(name) ? "a declaration of the generated file" : taken.get(name);
    if (previous !== undefined) {
      throw new GeneratorError("EMIT_FAILED", `WebSocket catalog: ${owner} would be emitted as "${name}", which is already ${previous}.`, {
        file: catalog.file,
        hint: "Rename the shape (or the event) in the catalog.",
      });
    }
    taken.set(name, owner);
  };
  for (const event of catalog.events) claim(interfaceName(event.name), `the interface of event "${event.name}"`);
  for (const shape of catalog.shapes) {
    if (schemaNames.has(shape.name)) {
      throw new GeneratorError("EMIT_FAILED", `WebSocket catalog: shape "${shape.name}" has the name of an OpenAPI schema.`, {
        file: catalog.file,
        hint: `Use ref: ${shape.name} if it is the same type, or rename the shape.`,
      });
    }
    claim(shape.name, `shape "${shape.name}"`);
  }
}
