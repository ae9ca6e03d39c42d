/**
 * The emitters, in one list. Each is a pure function from the model (and, for types, the repaired
 * document) to files; this module only gathers their output into one sorted map.
 */
import type { EventCatalogInput } from "../events/input.js";
import type { Model } from "../model.js";
import { banner, type BannerInput } from "./banner.js";
import { emitEndpoints } from "./endpoints.js";
import { emitEvents } from "./events.js";
import { decideNames } from "./names.js";
import { emitOperations } from "./operations.js";
import { emitSchemas } from "./schemas.js";
import { emitTypes } from "./types.js";

export interface EmitInput {
  readonly model: Model;
  readonly document: Record<string, unknown>;
  readonly catalog: EventCatalogInput | undefined;
  readonly banner: BannerInput;
}

/** The README kept in the output folder: the one generated file that git tracks. */
export const OUTPUT_README = `# generated/

Everything in this folder except this README is written by \`npm run generate\`
(\`mattermost-typed generate\`) and ignored by git. Do not edit it: change the inputs
(the spec, \`spec/overlays/\`, \`spec/websocket-events.yaml\`) or the emitters in
\`generator/emit/\`, then regenerate. Each file's banner names the generator version,
the input spec and its sha256.
`;

export function emitAll(input: EmitInput): Map<string, string> {
  const text = banner(input.banner);
  const names = decideNames(input.model);
  const files = new Map<string, string>();
  files.set("README.md", OUTPUT_README);
  files.set("types.ts", emitTypes(input.document, text));
  files.set("schemas.ts", emitSchemas(input.model, names, text));
  files.set("operations.ts", emitOperations(input.model, text));
  for (const [name, content] of emitEndpoints(input.model, names, text).files) files.set(name, content);
  const exports = ['export * from "./endpoints/index.js";', 'export * from "./schemas.js";', 'export { operations, type OperationInfo, type OperationName } from "./operations.js";', 'export type { components, paths } from "./types.js";'];
  if (input.catalog !== undefined) {
    const events = emitEvents(input.catalog.catalog, { banner: text, schemaNames: new Set(input.model.schemas.map((schema) => schema.name)) });
    files.set("events.ts", events["events.ts"]);
    files.set("actions.ts", events["actions.ts"]);
    exports.push('export * from "./events.js";', 'export * from "./actions.js";');
  }
  files.set("index.ts", `${text}\n${exports.join("\n")}\n`);
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
