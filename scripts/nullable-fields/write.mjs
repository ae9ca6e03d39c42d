#!/usr/bin/env node
// spec/overlays/55-nullable.yaml from scripts/nullable-fields/table.json: one action per struct
// field or route where the server can send `null` for a list or an object (docs/nulls.md).
//
//   node scripts/nullable-fields/write.mjs [--run] [--check]
//     --run    first re-read the server's sources with main.go (needs Go and the built server's
//              modules in the Go module cache) and rewrite table.json
//     --check  write nothing; exit 1 when table.json or the overlay would change
//
// The overlay is written against the pinned spec with the overlays before it applied (55 and
// later left out), so that every action applies there: a field whose struct has no schema in the
// spec, or whose schema lacks the property, is listed in the overlay's comments instead.
// Needs the built generator (`npm run build:generator`).
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { here, locateModules, readServerTable, TABLE } from "./modules.mjs";

const root = join(here, "../..");
export const OVERLAY = join(root, "spec/overlays/55-nullable.yaml");

/** Structs the spec names otherwise. */
export const SCHEMA_OF_STRUCT = {
  SlackAttachment: "MessageAttachment",
  SlackAttachmentField: "MessageAttachmentField",
  ThreadResponse: "UserThread",
  Threads: "UserThreads",
  PostSearchResults: "PostListWithSearchMatches",
  Manifest: "PluginManifest",
  BaseMarketplacePlugin: "MarketplacePlugin",
  RetentionPolicyWithTeamAndChannelCounts: "DataRetentionPolicyWithTeamAndChannelCounts",
  RetentionPolicyWithTeamAndChannelIDs: "DataRetentionPolicyWithTeamAndChannelIds",
  GroupsAssociatedToChannel: "GroupsAssociatedToChannels",
};

/** Structs the spec writes inline, as the answer of these operations (operationId, status). */
export const INLINE_ANSWERS = {
  FileUploadResponse: [["UploadFile", "201"]],
  PluginsResponse: [["GetPlugins", "200"]],
  GroupsWithCount: [
    ["GetGroupsByChannel", "200"],
    ["GetGroupsByTeam", "200"],
  ],
  RetentionPolicyWithTeamAndChannelCountsList: [["GetDataRetentionPolicies", "200"]],
  TeamsWithCount: [["GetTeamsForRetentionPolicy", "200"]],
  LookupDialogResponse: [["LookupInteractiveDialog", "200"]],
};

const isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const quote = (text) => `'${text.replace(/'/g, "''")}'`;
const key = (name) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `[${quote(name)}]`);
const byOperation = (id) => `$.paths.*[?(@.operationId == ${quote(id)})]`;

/** The pinned spec with the overlays before 55 applied. */
async function loadBase() {
  const { loadOverlaidSpec } = await import(pathToFileURL(join(root, "dist/generator/generate.js")).href);
  const folder = mkdtempSync(join(tmpdir(), "mattermost-typed-nullable-"));
  try {
    for (const name of readdirSync(join(root, "spec/overlays")).sort()) {
      if (name < "55") symlinkSync(join(root, "spec/overlays", name), join(folder, name));
    }
    const overlaid = await loadOverlaidSpec({ cwd: root, overlays: folder, spec: undefined });
    return overlaid.spec.document;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Where a struct's properties are: `[{ path, properties }]`, one per schema or inline answer. */
function homes(document, struct) {
  const found = [];
  const name = SCHEMA_OF_STRUCT[struct] ?? struct;
  const schema = document.components?.schemas?.[name];
  if (isRecord(schema)) {
    const base = `$.components.schemas${key(name)}`;
    if (isRecord(schema.properties)) found.push({ path: base, properties: schema.properties, label: `schema ${name}` });
    (Array.isArray(schema.allOf) ? schema.allOf : []).forEach((part, index) => {
      if (isRecord(part) && isRecord(part.properties))
        found.push({ path: `${base}.allOf[${index}]`, properties: part.properties, label: `schema ${name}` });
    });
  }
  for (const [id, status] of INLINE_ANSWERS[struct] ?? []) {
    for (const item of Object.values(document.paths ?? {})) {
      for (const operation of Object.values(item ?? {})) {
        if (!isRecord(operation) || operation.operationId !== id) continue;
        const inline = operation.responses?.[status]?.content?.["application/json"]?.schema;
        if (isRecord(inline) && isRecord(inline.properties)) {
          found.push({
            path: `${byOperation(id)}.responses[${quote(status)}].content['application/json'].schema`,
            properties: inline.properties,
            label: `the ${status} answer of ${id}`,
          });
        }
      }
    }
  }
  return found;
}

/** The spec's operation for a server route: `{param}` segments match whatever the spec names them. */
function operationOf(document, method, route) {
  const shape = (path) => path.replace(/\{[^}]+\}/g, "{}");
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (shape(path) !== shape(route) || !isRecord(item)) continue;
    const operation = item[method.toLowerCase()];
    if (isRecord(operation) && typeof operation.operationId === "string") return operation;
  }
  return undefined;
}

const nullableAction = (target, description) => ({ target, description, update: { nullable: true } });

/** The actions and the comment lines of the overlay. */
export function planOverlay(document, table) {
  const actions = [];
  const notes = { noSchema: [], noProperty: [], already: [], pointers: [], unknownRoutes: [], noOperation: [] };
  for (const field of table.fields) {
    const where = `${field.file}:${field.line}`;
    const label = `${field.struct}.${field.field}`;
    if (field.kind === "pointer") {
      notes.pointers.push(`${label} (${field.goType}, ${where})`);
      continue;
    }
    const places = homes(document, field.struct);
    if (places.length === 0) {
      notes.noSchema.push(`${label} \`${field.json}\` (${where})`);
      continue;
    }
    const withProperty = places.filter((place) => isRecord(place.properties[field.json]));
    if (withProperty.length === 0) {
      notes.noProperty.push(`${label} \`${field.json}\` (${where}; ${places[0].label} lists no such property)`);
      continue;
    }
    for (const place of withProperty) {
      const property = place.properties[field.json];
      const target = `${place.path}.properties${key(field.json)}`;
      const why = `${label} (${where}) is ${field.goType} without omitempty: Go sends a nil ${field.kind} as null.`;
      if (property.nullable === true) {
        notes.already.push(`${label} (${place.label})`);
      } else if (typeof property.$ref === "string") {
        // `nullable` beside `$ref` is ignored (OpenAPI 3.0): the reference goes under allOf.
        actions.push({ target, description: `Replaced below by its nullable form (${label}).`, remove: true });
        actions.push({
          target: `${place.path}.properties`,
          description: why,
          update: { [field.json]: { allOf: [{ $ref: property.$ref }], nullable: true } },
        });
      } else {
        actions.push(nullableAction(target, why));
      }
    }
  }
  for (const handler of table.handlers) {
    const where = `${handler.file}:${handler.line}`;
    const operation = operationOf(document, handler.method, handler.route);
    const line = `${handler.method} ${handler.route} (${handler.handler}, ${where})`;
    if (handler.nil === "unknown") {
      notes.unknownRoutes.push(`${line}: ${handler.evidence[handler.evidence.length - 1] ?? ""}`);
      continue;
    }
    if (handler.nil !== "yes") continue;
    if (operation === undefined) {
      notes.noOperation.push(line);
      continue;
    }
    const id = operation.operationId;
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (!/^2\d\d$/.test(status)) continue;
      const schema = response?.content?.["application/json"]?.schema;
      if (!isRecord(schema)) continue;
      const source = handler.evidence.find((entry) => entry.includes("stays nil") || entry.endsWith(": nil")) ?? handler.evidence[0] ?? "";
      const why = `${handler.handler} (${where}) writes a ${handler.goType} that can be nil: ${source.replace(/ \(channels\/[^)]*\)/, "")}; Go sends it as null.`;
      const target = `${byOperation(id)}.responses[${quote(status)}].content['application/json'].schema`;
      if (schema.nullable === true) notes.already.push(`${id} ${status}`);
      else if (typeof schema.$ref === "string") {
        actions.push({ target, description: `Replaced below by its nullable form (${id}).`, remove: true });
        actions.push({
          target: `${byOperation(id)}.responses[${quote(status)}].content['application/json']`,
          description: why,
          update: { schema: { allOf: [{ $ref: schema.$ref }], nullable: true } },
        });
      } else actions.push(nullableAction(target, why));
    }
  }
  return { actions, notes };
}

const flow = (value) =>
  JSON.stringify(value)
    .replace(/"([A-Za-z_$][A-Za-z0-9_]*)":/g, "$1: ")
    .replace(/,/g, ", ");

/** The overlay's text. */
export function formatOverlay(table, plan) {
  const { actions, notes } = plan;
  const out = [
    "overlay: 1.0.0",
    "info:",
    '  title: "Lists and objects the server sends as null, from its structs and handlers"',
    "  version: 1.0.0",
    "# Written by scripts/nullable-fields/write.mjs from table.json (main.go over the server's sources:",
    `# ${table.public}, ${table.server}); do not edit by hand. docs/nulls.md says why these are typed`,
    "# `T[] | null` (the wire as it is) rather than rewritten to [] at run time.",
    "#",
    "# Go's encoding/json writes a nil slice or map as null. Every field below is a slice or map",
    "# without omitempty in public/model; every route is one whose handler writes a slice or map",
    "# that is nil when there is nothing to list.",
  ];
  const section = (title, lines) => {
    if (lines.length === 0) return;
    out.push("#", `# ${title} (${lines.length}):`);
    for (const line of lines) out.push(`#   - ${line}`);
  };
  section("Fields of structs the spec has no schema or inline answer for (nothing to mark)", notes.noSchema);
  section("Fields whose schema lacks the property (the spec does not list it; nothing to mark)", notes.noProperty);
  section("Already nullable in the spec", notes.already);
  section(
    "Pointers to structs without omitempty, left as the spec types them: the code that builds each of these structs sets them (docs/nulls.md)",
    notes.pointers,
  );
  section(
    "Routes answering a list whose source main.go does not follow to the end (an interface, a service, a conversion); not marked, the conformance sweep checks the ones it can call",
    notes.unknownRoutes,
  );
  section("Routes that can answer null but have no operation in the spec", notes.noOperation);
  out.push("actions:");
  for (const action of actions) {
    out.push(`  - target: ${action.target}`);
    out.push(`    description: ${JSON.stringify(action.description)}`);
    if (action.remove) out.push("    remove: true");
    else out.push(`    update: ${flow(action.update)}`);
  }
  return `${out.join("\n")}\n`;
}

async function main() {
  const { values } = parseArgs({ options: { run: { type: "boolean", default: false }, check: { type: "boolean", default: false } } });
  let tableText = "";
  try {
    tableText = readFileSync(TABLE, "utf8");
  } catch (error) {
    if (!values.run) throw error;
  }
  if (values.run) {
    const modules = await locateModules();
    if (modules.missing !== undefined) throw new Error(`cannot read the server's sources: ${modules.missing}`);
    const fresh = await readServerTable(modules);
    if (fresh !== tableText) {
      if (values.check) {
        process.stderr.write(`${relative(root, TABLE)} is out of date: run node scripts/nullable-fields/write.mjs --run\n`);
        return 1;
      }
      writeFileSync(TABLE, fresh);
      process.stderr.write(`wrote ${relative(root, TABLE)}\n`);
      tableText = fresh;
    }
  }
  const table = JSON.parse(tableText);
  const plan = planOverlay(await loadBase(), table);
  const text = formatOverlay(table, plan);
  let current = "";
  try {
    current = readFileSync(OVERLAY, "utf8");
  } catch {}
  if (values.check) {
    if (current !== text) {
      process.stderr.write(`${relative(root, OVERLAY)} is out of date: run node scripts/nullable-fields/write.mjs\n`);
      return 1;
    }
    return 0;
  }
  if (current !== text) writeFileSync(OVERLAY, text);
  const n = plan.notes;
  process.stderr.write(
    `${relative(root, OVERLAY)}: ${plan.actions.filter((action) => !action.remove).length} fields and answers marked nullable; ` +
      `${n.noSchema.length} fields without a schema, ${n.noProperty.length} without a property, ${n.already.length} already nullable, ` +
      `${n.pointers.length} pointers left, ${n.unknownRoutes.length} routes not followed to the end\n`,
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`nullable-fields: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
