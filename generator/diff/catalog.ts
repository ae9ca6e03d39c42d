/**
 * Differences between two WebSocket catalogs: events, actions and shapes added or removed, and
 * their keys added, removed, made optional or required, or retyped. Event data and action replies
 * are read by consumers, action requests are built by them, shapes are used both ways.
 */
import type { Catalog, CatalogField, TypeSpec } from "../events/types.js";
import type { Direction } from "./schema.js";
import type { Change, ChangeKind, ChangeSection } from "./types.js";

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The type as the generated TypeScript spells it, near enough for a message. */
export function catalogTypeLabel(type: TypeSpec | null): string {
  if (type === null) return "none";
  if (type.kind === "json") return `json<${catalogTypeLabel(type.of)}>`;
  let label: string;
  switch (type.kind) {
    case "primitive":
      label = type.enum === undefined ? type.type : type.enum.map((value) => JSON.stringify(value)).join(" | ");
      break;
    case "ref":
      label = type.schema;
      break;
    case "shape":
      label = type.shape;
      break;
    case "object":
      label =
        type.fields !== undefined
          ? `{ ${type.fields.map((field) => `${field.name}${field.optional ? "?" : ""}: ${catalogTypeLabel(field.type)}`).join("; ")} }`
          : type.values !== undefined
            ? `Record<string, ${catalogTypeLabel(type.values)}>`
            : "object";
      break;
  }
  if (type.array) label = `array<${label}>`;
  return type.nullable ? `${label} | null` : label;
}

interface Where {
  readonly section: ChangeSection;
  readonly subject: string;
}

function push(
  out: Change[],
  where: Where,
  kind: ChangeKind,
  breaking: boolean,
  reason: string,
  extra: { at?: string; before?: string; after?: string } = {},
): void {
  out.push({ section: where.section, kind, breaking, reason, group: "websocket", subject: where.subject, ...extra });
}

function compareType(out: Change[], where: Where, at: string, a: TypeSpec | null, b: TypeSpec | null, direction: Direction): void {
  const readsBreak = direction !== "input";
  const writesBreak = direction !== "output";
  if (
    a !== null &&
    b !== null &&
    a.kind === "object" &&
    b.kind === "object" &&
    a.array === b.array &&
    a.nullable === b.nullable &&
    a.fields !== undefined &&
    b.fields !== undefined
  ) {
    compareFields(out, where, at, a.fields, b.fields, direction);
    return;
  }
  if (
    a !== null &&
    b !== null &&
    a.kind === "primitive" &&
    b.kind === "primitive" &&
    a.type === b.type &&
    a.array === b.array &&
    a.nullable === b.nullable &&
    a.enum !== undefined &&
    b.enum !== undefined
  ) {
    const removed = a.enum.filter((value) => !b.enum?.includes(value));
    const added = b.enum.filter((value) => !a.enum?.includes(value));
    const list = (values: readonly unknown[]): string => values.map((value) => JSON.stringify(value)).join(", ");
    if (removed.length > 0)
      push(out, where, "enum-values-removed", true, `\`${at}\` no longer takes ${list(removed)}`, { at, before: list(removed) });
    if (added.length > 0)
      push(out, where, "enum-values-added", false, `\`${at}\` now also takes ${list(added)}`, { at, after: list(added) });
    return;
  }
  const before = catalogTypeLabel(a);
  const after = catalogTypeLabel(b);
  if (before === after) return;
  const widened = b !== null && b.kind === "primitive" && b.type === "unknown";
  const narrowed = a !== null && a.kind === "primitive" && a.type === "unknown";
  const breaking = widened ? readsBreak : narrowed ? writesBreak : true;
  push(out, where, "type-changed", breaking, `\`${at}\` changed type from ${before} to ${after}`, { at, before, after });
}

function compareFields(
  out: Change[],
  where: Where,
  at: string,
  a: readonly CatalogField[],
  b: readonly CatalogField[],
  direction: Direction,
): void {
  const writesBreak = direction !== "output";
  const oldFields = new Map(a.map((field) => [field.name, field]));
  const newFields = new Map(b.map((field) => [field.name, field]));
  const names = [...new Set([...oldFields.keys(), ...newFields.keys()])].sort(compare);
  for (const name of names) {
    const path = at === "" ? name : `${at}.${name}`;
    const before = oldFields.get(name);
    const after = newFields.get(name);
    if (before !== undefined && after === undefined) {
      push(out, where, "field-removed", true, `\`${path}\` was removed`, { at: path, before: catalogTypeLabel(before.type) });
    } else if (before === undefined && after !== undefined) {
      push(
        out,
        where,
        "field-added",
        !after.optional && writesBreak,
        `${after.optional ? "optional" : "required"} key \`${path}\` was added`,
        { at: path, after: catalogTypeLabel(after.type) },
      );
    } else if (before !== undefined && after !== undefined) {
      if (before.optional && !after.optional)
        push(out, where, "field-required", writesBreak, `\`${path}\` is now always present`, { at: path });
      if (!before.optional && after.optional) {
        const breaking = direction === "output";
        push(out, where, "field-optional", breaking, breaking ? `\`${path}\` may now be missing` : `\`${path}\` is no longer required`, {
          at: path,
        });
      }
      compareType(out, where, path, before.type, after.type, direction);
    }
  }
}

function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

function addedRemoved<T extends { readonly name: string }>(
  out: Change[],
  section: ChangeSection,
  noun: string,
  before: readonly T[],
  after: readonly T[],
  compareBoth: (where: Where, a: T, b: T) => void,
): void {
  const oldItems = byName(before);
  const newItems = byName(after);
  for (const name of [...new Set([...oldItems.keys(), ...newItems.keys()])].sort(compare)) {
    const a = oldItems.get(name);
    const b = newItems.get(name);
    const where = { section, subject: name };
    const kindPrefix = section === "events" ? "event" : section === "actions" ? "action" : "shape";
    if (a !== undefined && b === undefined)
      push(out, where, `${kindPrefix}-removed` as ChangeKind, true, `${noun} \`${name}\` was removed`);
    else if (a === undefined && b !== undefined) push(out, where, `${kindPrefix}-added` as ChangeKind, false, `new ${noun} \`${name}\``);
    else if (a !== undefined && b !== undefined) compareBoth(where, a, b);
  }
}

/** Every difference between two catalogs, unsorted. */
export function diffCatalogs(before: Catalog, after: Catalog): Change[] {
  const out: Change[] = [];
  addedRemoved(out, "events", "event", before.events, after.events, (where, a, b) => {
    if (a.data === "unknown" || b.data === "unknown") {
      if (a.data !== b.data) {
        const nowUnknown = b.data === "unknown";
        push(
          out,
          where,
          "type-changed",
          nowUnknown,
          nowUnknown ? "`data` is no longer described (now unknown)" : "`data` is now described (was unknown)",
          { at: "data" },
        );
      }
      return;
    }
    compareFields(out, where, "data", a.data, b.data, "output");
  });
  addedRemoved(out, "actions", "action", before.actions, after.actions, (where, a, b) => {
    compareFields(out, where, "request", a.request, b.request, "input");
    compareType(out, where, "reply", a.reply, b.reply, "output");
  });
  addedRemoved(out, "shapes", "shape", before.shapes, after.shapes, (where, a, b) => {
    compareFields(out, where, "", a.fields, b.fields, "both");
  });
  return out;
}
