#!/usr/bin/env node
// spec/overlays/56-always-sent.yaml from a conformance sweep's presence record: every response
// property that was present in every object the sweep saw and is typed optional is either marked
// required (when its model struct field has no omitempty: Go always sends it) or explained in a
// comment (omitempty, or no struct to read).
//
//   node scripts/conformance/always-sent.mjs [--report .cache/conformance/report.json] [--check]
//
// The report is what `npm run conformance` (or the e2e sweep, e2e-report.json) wrote. The struct
// tags come from scripts/nullable-fields/main.go -structs on the built server's modules (the sweep
// needs them built anyway). `required` is judged against the spec with the overlays before 56, so
// that running it again gives the same file. Needs the built generator.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { locateModules, readStructFields } from "../nullable-fields/modules.mjs";
import { INLINE_ANSWERS, SCHEMA_OF_STRUCT } from "../nullable-fields/write.mjs";

const root = join(import.meta.dirname, "../..");
export const OVERLAY = join(root, "spec/overlays/56-always-sent.yaml");

async function loadBase() {
  const { loadOverlaidSpec } = await import(pathToFileURL(join(root, "dist/generator/generate.js")).href);
  const folder = mkdtempSync(join(tmpdir(), "mattermost-typed-always-sent-"));
  try {
    for (const name of readdirSync(join(root, "spec/overlays")).sort()) {
      if (name < "56") symlinkSync(join(root, "spec/overlays", name), join(folder, name));
    }
    return (await loadOverlaidSpec({ cwd: root, overlays: folder })).spec.document;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `*[]*model.Post` → `Post`; `map[string]*FileInfo` → `FileInfo` (the struct a value of the type holds). */
const elementStruct = (goType) => goType.replace(/^(\*|\[\]|map\[[^\]]*\])+/, "").replace(/^model\./, "");

/**
 * The model struct behind a presence owner: `schema UserThread` → ThreadResponse; `UploadFile 201`
 * → FileUploadResponse; an inline object below one (`schema Config.ServiceSettings`, `X 200.items[]`)
 * → the struct its field's Go type names.
 */
function structOf(owner, fields) {
  const match = /^(schema [^ .[{]+|[A-Za-z0-9]+ \d{3})((?:\.[^.[{]+|\[\]|\{\})*)$/.exec(owner);
  if (match === null) return undefined;
  let struct;
  const head = match[1];
  if (head.startsWith("schema ")) {
    const name = head.slice("schema ".length);
    struct = Object.entries(SCHEMA_OF_STRUCT).find(([, value]) => value === name)?.[0] ?? name;
  } else {
    const [id, status] = head.split(" ");
    struct = Object.entries(INLINE_ANSWERS).find(([, answers]) => answers.some(([i, s]) => i === id && s === status))?.[0];
  }
  for (const step of match[2].match(/\.[^.[{]+|\[\]|\{\}/g) ?? []) {
    if (struct === undefined) return undefined;
    if (step === "[]" || step === "{}") continue; // the element type was taken with the field
    const field = fields.get(`${struct}\u0000${step.slice(1)}`);
    struct = field === undefined ? undefined : elementStruct(field.goType);
  }
  return struct;
}

/** Component schemas a request body uses, directly or through references. */
export function requestSchemas(document) {
  const schemas = document.components?.schemas ?? {};
  const used = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")) {
          const name = decodeURIComponent(value.slice("#/components/schemas/".length));
          if (!used.has(name)) {
            used.add(name);
            visit(schemas[name]);
          }
        } else visit(value);
      }
    }
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) if (operation?.requestBody !== undefined) visit(operation.requestBody);
  }
  return used;
}

/** Plans the overlay: one action per schema object, and an explanation for every other candidate. */
export function planAlwaysSent(presence, document, structFields, queryJsonPath) {
  const inRequests = requestSchemas(document);
  const fields = new Map(structFields.map((field) => [`${field.struct}\u0000${field.json}`, field]));
  const structs = new Set(structFields.map((field) => field.struct));
  const bySchema = new Map();
  const explained = [];
  for (const entry of presence) {
    if (entry.seen === 0 || entry.present !== entry.seen) continue;
    const node = queryJsonPath(document, entry.target)[0]?.value;
    const required = Array.isArray(node?.required) ? node.required : [];
    if (required.includes(entry.property)) continue;
    const label = `${entry.owner} \`${entry.property}\``;
    const struct = structOf(entry.owner, fields);
    const seen = `${entry.seen} object${entry.seen === 1 ? "" : "s"} seen`;
    if (struct === undefined || !structs.has(struct)) {
      explained.push(
        `${label}: ${seen}; no model struct is known for this ${struct === undefined ? "inline object" : `schema (no model.${struct})`}, so nothing says it is always sent`,
      );
      continue;
    }
    const field = fields.get(`${struct}\u0000${entry.property}`);
    if (field === undefined) {
      explained.push(
        `${label}: ${seen}; model.${struct} has no such JSON field (the handler adds it or writes another type), so nothing says it is always sent`,
      );
      continue;
    }
    const top = /^schema ([^ .[{]+)/.exec(entry.owner)?.[1];
    if (top !== undefined && inRequests.has(top)) {
      explained.push(
        `${label}: ${seen}; model.${struct} (${field.file}:${field.line}) always sends it, but schema ${top} is also a request body, where required would oblige callers to send it`,
      );
      continue;
    }
    if (field.omitempty) {
      explained.push(
        `${label}: ${seen}; model.${struct} (${field.file}:${field.line}) says omitempty: sent only when not empty, and every answer seen had a value`,
      );
      continue;
    }
    let group = bySchema.get(entry.target);
    if (group === undefined) {
      group = { target: entry.target, owner: entry.owner, struct, file: field.file, required, add: [] };
      bySchema.set(entry.target, group);
    }
    group.add.push(entry.property);
  }
  const actions = [...bySchema.values()]
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
    .map((group) => ({
      target: group.target,
      description: `model.${group.struct} (${group.file}) has these fields without omitempty, so Go always sends them, and every answer the sweep saw had them: ${[...group.add].sort().join(", ")}.`,
      update: { required: [...group.required, ...[...group.add].sort()] },
    }));
  const added = [...bySchema.values()].reduce((sum, group) => sum + group.add.length, 0);
  return { actions, explained: explained.sort(), added };
}

const flow = (value) =>
  JSON.stringify(value)
    .replace(/"([A-Za-z_$][A-Za-z0-9_]*)":/g, "$1: ")
    .replace(/,/g, ", ");

export function formatAlwaysSent(plan, report) {
  const out = [
    "overlay: 1.0.0",
    "info:",
    '  title: "Response fields the server always sends, marked required"',
    "  version: 1.0.0",
    "# Written by scripts/conformance/always-sent.mjs from a conformance sweep's presence record",
    `# (server ${report.server?.version?.split(".").slice(0, 3).join(".") ?? "unknown"}) and the model structs' JSON tags (main.go -structs); do not edit by hand.`,
    "# A property present in every object the sweep saw, typed optional, is marked required below when",
    "# its struct field has no omitempty (Go always sends it), or explained here:",
  ];
  if (plan.explained.length === 0) out.push("#   (none)");
  for (const line of plan.explained) out.push(`#   - ${line}`);
  out.push("actions:");
  for (const action of plan.actions) {
    out.push(`  - target: ${action.target}`);
    out.push(`    description: ${JSON.stringify(action.description)}`);
    out.push(`    update: ${flow(action.update)}`);
  }
  return `${out.join("\n")}\n`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      report: { type: "string", default: join(root, ".cache/conformance/report.json") },
      check: { type: "boolean", default: false },
    },
  });
  const report = JSON.parse(readFileSync(values.report, "utf8"));
  if (!Array.isArray(report.presence))
    throw new Error(`${values.report} has no presence record: run npm run conformance with this version`);
  const modules = await locateModules();
  if (modules.missing !== undefined) throw new Error(`cannot read the model structs: ${modules.missing}`);
  const structFields = await readStructFields(modules);
  const { queryJsonPath } = await import(pathToFileURL(join(root, "dist/generator/jsonpath.js")).href);
  const plan = planAlwaysSent(report.presence, await loadBase(), structFields, queryJsonPath);
  const text = formatAlwaysSent(plan, report);
  let current = "";
  try {
    current = readFileSync(OVERLAY, "utf8");
  } catch {}
  if (values.check) return current === text ? 0 : 1;
  if (current !== text) writeFileSync(OVERLAY, text);
  process.stderr.write(
    `${relative(root, OVERLAY)}: ${plan.added} fields marked required in ${plan.actions.length} schemas, ${plan.explained.length} explained\n`,
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`always-sent: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
