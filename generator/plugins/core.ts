/**
 * The core plugins: what `generate` writes without a config. Each wraps one emitter of
 * `generator/emit/`; `endpoints` (in its own file, for its hooks) is one of them. A config replaces
 * one by giving a plugin of the same name.
 */
import { emitEvents } from "../emit/events.js";
import { emitOperations } from "../emit/operations.js";
import { emitRelease } from "../emit/release.js";
import { emitSchemas } from "../emit/schemas.js";
import { schemaPrinter } from "../emit/openapi-ts.js";
import { emitTypes } from "../emit/types.js";
import type { Catalog } from "../events/catalog.js";
import type { Model } from "../model.js";
import { namesOf } from "../naming.js";
import endpoints from "./endpoints.js";
import { definePlugin, type Plugin } from "./types.js";

/** The README kept in the output folder: the one generated file that git tracks. */
export const OUTPUT_README = `# generated/

Everything in this folder except this README is written by \`npm run generate\`
(\`mattermost-typed generate\`) and ignored by git. Do not edit it: change the inputs
(the spec, \`spec/overlays/\`, \`spec/websocket-events.yaml\`) or the emitters in
\`generator/emit/\`, then regenerate. Each file's banner names the generator version,
the input spec and its sha256.
`;

// Core plugins hand the frozen model to emitters typed for the plain one; they only read it.
const plain = (model: unknown): Model => model as Model;

const readme = definePlugin({
  name: "readme",
  emit: () => ({ "README.md": OUTPUT_README }),
});

const types = definePlugin({
  name: "types",
  emit: ({ document, banner }) => ({ "types.ts": emitTypes(document as Record<string, unknown>, banner) }),
});

const schemas = definePlugin({
  name: "schemas",
  emit: ({ model, document, banner }) => {
    const names = namesOf(plain(model));
    const printer = schemaPrinter(document as Record<string, unknown>, names.schema);
    return { "schemas.ts": emitSchemas(plain(model), document as Record<string, unknown>, names, printer, banner) };
  },
});

const operations = definePlugin({
  name: "operations",
  emit: ({ model, banner }) => ({ "operations.ts": emitOperations(plain(model), banner) }),
});

/**
 * `release.ts`: the release and hashes the client was generated from (`generatedFrom`). Not in
 * `index.ts`, which stays as it was: the runtime re-exports it from `mattermost-typed`.
 */
const release = definePlugin({
  name: "release",
  emit: ({ inputs, banner }) => ({ "release.ts": emitRelease(inputs, banner) }),
});

/** `events.ts` and `actions.ts`; nothing when generating without an event catalog. */
const events = definePlugin({
  name: "events",
  emit: ({ model, catalog, banner }) => {
    if (catalog === undefined) return {};
    const schemaAliases = namesOf(plain(model)).schema;
    return emitEvents(catalog as Catalog, { banner, schemaNames: new Set(schemaAliases.keys()), schemaAliases });
  },
});

/**
 * What `index.ts` says for a file the core plugins write, in the order it says it. `types.ts` is
 * not re-exported: a program importing one function would parse all of it (its own entry point,
 * `mattermost-typed/openapi-types`, serves the programs that want `paths` or `components`).
 */
const INDEX_EXPORTS: readonly (readonly [file: string, statement: string | undefined])[] = [
  ["endpoints/index.ts", 'export * from "./endpoints/index.js";'],
  ["schemas.ts", 'export * from "./schemas.js";'],
  ["operations.ts", 'export { operations, type OperationInfo, type OperationName } from "./operations.js";'],
  ["types.ts", undefined],
  ["events.ts", 'export * from "./events.js";'],
  ["actions.ts", 'export * from "./actions.js";'],
];
const INDEXED = ["endpoints", "schemas", "operations", "types", "events"] as const;

/** `index.ts`: re-exports what the other core plugins wrote (a replaced one's top-level files too). */
const index = definePlugin({
  name: "index",
  dependsOn: INDEXED,
  emit: ({ banner, output }) => {
    const written = new Set<string>();
    for (const name of INDEXED) for (const file of output(name).keys()) written.add(file);
    const known = new Set(INDEX_EXPORTS.map(([file]) => file));
    const statements = INDEX_EXPORTS.filter(([file, statement]) => written.has(file) && statement !== undefined).map(
      ([, statement]) => statement as string,
    );
    const others = [...written]
      .filter((file) => !known.has(file) && /^[^/]+\.ts$/.test(file) && !file.endsWith(".d.ts") && file !== "index.ts")
      .sort();
    statements.push(...others.map((file) => `export * from "./${file.replace(/\.ts$/, ".js")}";`));
    return { "index.ts": `${banner}\n${statements.join("\n")}\n` };
  },
});

/** The core plugins, by name. */
export const corePlugins: readonly Plugin<unknown>[] = [
  endpoints,
  events,
  index,
  operations,
  readme,
  release,
  schemas,
  types,
] as readonly Plugin<unknown>[];
