/**
 * `schemas.ts`: one exported type per component schema, written out in full (`User`, not an alias of
 * `components["schemas"]["User"]`), references between schemas by their exported names.
 */
import { type Json, schemaPointer } from "../json.js";
import type { Model } from "../model.js";
import type { Names } from "../naming.js";
import { docText, jsDoc } from "./jsdoc.js";
import type { SchemaPrinter } from "./openapi-ts.js";

const field = (value: unknown, key: string): unknown => (value !== null && typeof value === "object" ? (value as Json)[key] : undefined);

export function emitSchemas(model: Model, document: Json, names: Names, printer: SchemaPrinter, bannerText: string): string {
  const objects = field(field(document, "components"), "schemas");
  const lines = [bannerText];
  for (const schema of model.schemas) {
    const alias = names.schema.get(schema.name) ?? schema.name;
    const printed = printer.declaration(alias, field(objects, schema.name), schemaPointer(schema.name));
    lines.push(`${jsDoc(docText(schema.description, schema.deprecated ? "@deprecated" : undefined))}${printed.text}`);
  }
  lines.push("");
  return lines.join("\n");
}
