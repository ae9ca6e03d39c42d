/** `schemas.ts`: one exported alias per component schema, so users write `User`, not `components["schemas"]["User"]`. */
import type { Model } from "../model.js";
import { docText, jsDoc } from "./jsdoc.js";
import type { Names } from "./names.js";

export function emitSchemas(model: Model, names: Names, bannerText: string): string {
  const lines = [bannerText, 'import type { components } from "./types.js";', ""];
  for (const schema of model.schemas) {
    const alias = names.schema.get(schema.name) ?? schema.name;
    lines.push(`${jsDoc(docText(schema.description, schema.deprecated ? "@deprecated" : undefined))}export type ${alias} = components["schemas"][${JSON.stringify(schema.name)}];`);
  }
  lines.push("");
  return lines.join("\n");
}
