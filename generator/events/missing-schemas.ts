/**
 * The event catalog on a release that lacks some of the schemas it refers to: each `ref` to a
 * schema the spec does not have becomes an open object (`Record<string, unknown>`, keeping the
 * value's `array`, `nullable` and JSON-text wrapping), with a note on the key, so every event is
 * still emitted. One warning per missing schema names the keys that refer to it. Pure: the catalog
 * and the spec's schema names in, a catalog and warnings out; an unchanged catalog when nothing is
 * missing.
 */
import type { SourceLocation } from "../load.js";
import type { GeneratorWarning } from "../warnings.js";
import type { Catalog, CatalogField, TypeSpec } from "./types.js";

export interface OpenedCatalog {
  readonly catalog: Catalog;
  readonly warnings: readonly GeneratorWarning[];
}

/** `locate` gives the catalog lines that name a schema, for the warnings. */
export function openMissingSchemas(
  catalog: Catalog,
  schemaNames: ReadonlySet<string>,
  locate: (schema: string) => readonly SourceLocation[] = () => [],
): OpenedCatalog {
  const uses = new Map<string, string[]>();
  const openType = (type: TypeSpec, where: string): TypeSpec => {
    switch (type.kind) {
      case "json": {
        const of = openType(type.of, where);
        return of === type.of ? type : { ...type, of };
      }
      case "ref": {
        if (schemaNames.has(type.schema)) return type;
        uses.set(type.schema, [...(uses.get(type.schema) ?? []), where]);
        return { kind: "object", array: type.array, nullable: type.nullable };
      }
      case "object": {
        const fields = type.fields === undefined ? undefined : openFields(type.fields, where);
        const values = type.values === undefined ? undefined : openType(type.values, `${where} values`);
        if (fields === type.fields && values === type.values) return type;
        return { ...type, ...(fields === undefined ? {} : { fields }), ...(values === undefined ? {} : { values }) };
      }
      default:
        return type;
    }
  };
  const openFields = (fields: readonly CatalogField[], where: string): readonly CatalogField[] => {
    let changed = false;
    const opened = fields.map((field) => {
      const type = openType(field.type, `${where}.${field.name}`);
      if (type === field.type) return field;
      changed = true;
      // The note goes on the key whose own type lost its schema; a key whose nested field did keeps its text.
      const direct = refsOf(field.type).filter((name) => !schemaNames.has(name));
      if (direct.length === 0) return { ...field, type };
      const note = `This release's spec has no schema ${direct.map((name) => `\`${name}\``).join(", ")}: typed as an open object.`;
      return { ...field, type, description: field.description === undefined ? note : `${field.description} ${note}` };
    });
    return changed ? opened : fields;
  };

  const events = catalog.events.map((event) => {
    if (event.data === "unknown") return event;
    const data = openFields(event.data, event.name);
    return data === event.data ? event : { ...event, data };
  });
  const actions = catalog.actions.map((action) => {
    const request = openFields(action.request, `${action.name} request`);
    const reply = action.reply === null ? null : openType(action.reply, `${action.name} reply`);
    return request === action.request && reply === action.reply ? action : { ...action, request, reply };
  });
  const shapes = catalog.shapes.map((shape) => {
    const fields = openFields(shape.fields, shape.name);
    return fields === shape.fields ? shape : { ...shape, fields };
  });
  if (uses.size === 0) return { catalog, warnings: [] };
  const warnings = [...uses]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(
      ([schema, where]): GeneratorWarning => ({
        kind: "catalog-schema-missing",
        message: `the WebSocket catalog refers to the schema "${schema}", which this spec lacks (${where.join(", ")})`,
        action: "typed those values as open objects (Record<string, unknown>); the events are still emitted",
        locations: locate(schema),
      }),
    );
  return { catalog: { ...catalog, events, actions, shapes }, warnings };
}

/** The schema names a type refers to directly (through `json` and `array`, not through nested fields). */
function refsOf(type: TypeSpec): string[] {
  if (type.kind === "ref") return [type.schema];
  if (type.kind === "json") return refsOf(type.of);
  return [];
}
