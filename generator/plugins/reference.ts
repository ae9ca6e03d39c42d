/**
 * The `reference` plugin (built in, opt-in): a Markdown API reference of the generated client in
 * `reference/README.md` (every file and operation) and `reference/<file>.md` (one per endpoints
 * file): per operation its function, TypeScript signature, route, parameters, body, response and
 * deprecation.
 *
 * It reads the `endpoints` plugin's output rather than deciding names itself, so the signatures are
 * the ones users call, hooks (`functionName`, `fileFor`) included. Functions are matched to the
 * model's operations by their `client.call(method, route, ...)`.
 *
 * Option `descriptions` (default true): include the spec's description of each operation.
 */
import type TypeScript from "typescript";
import type { ModelOperation } from "../model.js";
import { tagFileName } from "../naming.js";
import { definePlugin, PluginOptionsError, type DeepReadonly, type PluginInputs } from "./types.js";

export interface ReferenceOptions {
  /** Include each operation's description from the spec (default true). */
  readonly descriptions: boolean;
}

type Operation = DeepReadonly<ModelOperation>;

interface EmittedFunction {
  /** `endpoints/<file>.ts` without folder and extension. */
  readonly file: string;
  readonly name: string;
  /** `function name(...): Promise<...>`, as emitted. */
  readonly signature: string;
  readonly returns: string;
  /** Property name → type of the function's args interface. */
  readonly argTypes: ReadonlyMap<string, string>;
}

function parseReferenceOptions(raw: unknown): ReferenceOptions {
  if (raw === undefined) return { descriptions: true };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new PluginOptionsError("(options)", "expected an object such as { descriptions: false }.");
  for (const [key, value] of Object.entries(raw)) {
    if (key !== "descriptions") throw new PluginOptionsError(key, "unknown option; the only option is descriptions (boolean).");
    if (typeof value !== "boolean") throw new PluginOptionsError(key, `expected true or false, got ${JSON.stringify(value)}.`);
  }
  return { descriptions: (raw as { descriptions?: boolean }).descriptions ?? true };
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim();

/** The exported functions of the endpoint files, keyed by `METHOD route`. */
function readEndpoints(ts: typeof TypeScript, files: ReadonlyMap<string, string>): Map<string, EmittedFunction> {
  const found = new Map<string, EmittedFunction>();
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  for (const [path, text] of files) {
    const file = /^endpoints\/(.+)\.ts$/.exec(path)?.[1];
    if (file === undefined || file === "index") continue;
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
    // Types written out inline carry their properties' doc comments: printed without them.
    const typeText = (node: TypeScript.TypeNode): string => oneLine(printer.printNode(ts.EmitHint.Unspecified, node, source));
    const interfaces = new Map<string, Map<string, string>>();
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue;
      const members = new Map<string, string>();
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || member.type === undefined) continue;
        const name = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
        members.set(name, typeText(member.type));
      }
      interfaces.set(statement.name.text, members);
    }
    for (const statement of source.statements) {
      if (!ts.isFunctionDeclaration(statement) || statement.name === undefined || statement.body === undefined) continue;
      const call = /client\.call\(("[A-Z]+"), ("(?:[^"\\]|\\.)*")/.exec(statement.body.getText(source));
      if (call === null) continue;
      const key = `${JSON.parse(call[1] ?? '""') as string} ${JSON.parse(call[2] ?? '""') as string}`;
      const argsType = statement.parameters.find((parameter) => parameter.name.getText(source) === "args")?.type?.getText(source);
      const declared = oneLine(text.slice(statement.getStart(source), statement.body.getStart(source))).replace(/^export\s+/, "");
      const returns = statement.type === undefined ? "unknown" : typeText(statement.type).replace(/^Promise<(.*)>$/, "$1");
      found.set(key, {
        file,
        name: statement.name.text,
        signature: declared,
        returns,
        argTypes: (argsType === undefined ? undefined : interfaces.get(argsType)) ?? new Map(),
      });
    }
  }
  return found;
}

/** A table cell: one line, pipes escaped. */
const cell = (text: string): string => oneLine(text).replaceAll("|", "\\|");
const code = (text: string): string => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);
/** The anchor GitHub gives a heading made of one function name. */
const anchor = (name: string): string => name.toLowerCase().replace(/[^a-z0-9_-]/g, "");

function markdownBanner(inputs: PluginInputs): string {
  return [
    "<!--",
    `  Generated by mattermost-typed ${inputs.generatorVersion} (reference plugin). Do not edit this file.`,
    `  Spec: ${inputs.spec} (sha256 ${inputs.specSha256})`,
    `  Inputs (spec, overlays, event catalog): sha256 ${inputs.inputsSha256}`,
    "-->",
    "",
  ].join("\n");
}

interface Entry {
  readonly operation: Operation;
  readonly emitted: EmittedFunction | undefined;
  readonly name: string;
  readonly file: string;
}

function operationSection(entry: Entry, options: ReferenceOptions): string {
  const { operation, emitted } = entry;
  const lines = [`## ${entry.name}`, ""];
  if (operation.summary !== undefined) lines.push(oneLine(operation.summary), "");
  lines.push("```ts", emitted?.signature ?? `function ${entry.name}(...)`, "```", "");
  lines.push(`${code(`${operation.method} ${operation.path}`)} · operationId ${code(operation.operationId)}`, "");
  if (operation.deprecated) lines.push("> **Deprecated** by the API.", "");
  if (options.descriptions && operation.description !== undefined && operation.description !== operation.summary) {
    // Headings in the spec's prose stay below the operation's own (##).
    lines.push(operation.description.trim().replace(/^#{1,3}(?= )/gm, "####"), "");
  }
  if (operation.parameters.length > 0) {
    lines.push("| parameter | in | required | type |", "| --- | --- | --- | --- |");
    for (const parameter of operation.parameters) {
      const type = emitted?.argTypes.get(parameter.name) ?? "unknown";
      lines.push(
        `| ${code(parameter.name)}${parameter.deprecated ? " (deprecated)" : ""} | ${parameter.in} | ${parameter.required ? "yes" : "no"} | ${code(cell(type))} |`,
      );
    }
    lines.push("");
  }
  if (operation.body !== undefined) {
    const type = emitted?.argTypes.get("body") ?? "unknown";
    lines.push(
      `**Body** (${code(operation.body.mediaType)}, ${operation.body.required ? "required" : "optional"}): ${code(oneLine(type))}`,
      "",
    );
  }
  const { response } = operation;
  const status = response.status === undefined ? "" : `${response.status} `;
  const media = response.mediaType === undefined ? "no body" : code(response.mediaType);
  lines.push(`**Response** (${status}${media}): ${code(emitted?.returns ?? "unknown")}`, "");
  return lines.join("\n");
}

function tagFile(file: string, entries: readonly Entry[], inputs: PluginInputs, options: ReferenceOptions): string {
  const tags = [...new Set(entries.map((entry) => entry.operation.tag))].sort();
  const lines = [
    markdownBanner(inputs),
    `# ${tags.join(", ")}`,
    "",
    `${entries.length} operation${entries.length === 1 ? "" : "s"}, exported by \`endpoints/${file}.ts\` (and the package index). [All files](README.md).`,
    "",
    ...entries.map(
      (entry) =>
        `- [${entry.name}](#${anchor(entry.name)})${entry.operation.summary === undefined ? "" : `: ${oneLine(entry.operation.summary)}`}`,
    ),
    "",
    ...entries.map((entry) => operationSection(entry, options)),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}

function indexFile(byFile: ReadonlyMap<string, readonly Entry[]>, title: string, apiVersion: string, inputs: PluginInputs): string {
  const total = [...byFile.values()].reduce((sum, entries) => sum + entries.length, 0);
  const lines = [
    markdownBanner(inputs),
    "# API reference",
    "",
    `${title} ${apiVersion}: ${total} operations in ${byFile.size} files. Each function takes a client first (\`createClient\`), then its args, then per-call options.`,
    "",
    "| file | tags | operations |",
    "| --- | --- | --- |",
    ...[...byFile].map(
      ([file, entries]) =>
        `| [${file}](${file}.md) | ${cell([...new Set(entries.map((entry) => entry.operation.tag))].sort().join(", "))} | ${entries.length} |`,
    ),
    "",
    "## Operations",
    "",
    "| function | route | deprecated |",
    "| --- | --- | --- |",
    ...[...byFile.values()]
      .flat()
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(
        (entry) =>
          `| [${entry.name}](${entry.file}.md#${anchor(entry.name)}) | ${code(cell(`${entry.operation.method} ${entry.operation.path}`))} | ${entry.operation.deprecated ? "yes" : ""} |`,
      ),
  ];
  return `${lines.join("\n")}\n`;
}

export default definePlugin<ReferenceOptions>({
  name: "reference",
  dependsOn: ["endpoints"],
  parseOptions: parseReferenceOptions,
  async emit({ model, options, inputs, output }) {
    // Loaded when the plugin runs (the types emitter has loaded it by then), not when it is selected.
    const { default: ts } = await import("typescript");
    const emitted = readEndpoints(ts, output("endpoints"));
    const byFile = new Map<string, Entry[]>();
    for (const operation of model.operations) {
      const found = emitted.get(`${operation.method} ${operation.path}`);
      const entry: Entry = {
        operation,
        emitted: found,
        name: found?.name ?? operation.name,
        file: found?.file ?? tagFileName(operation.tag),
      };
      const list = byFile.get(entry.file) ?? [];
      list.push(entry);
      byFile.set(entry.file, list);
    }
    const sorted = new Map([...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const entries of sorted.values()) entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files = new Map<string, string>([["reference/README.md", indexFile(sorted, model.title, model.apiVersion, inputs)]]);
    for (const [file, entries] of sorted) files.set(`reference/${file}.md`, tagFile(file, entries, inputs, options));
    return files;
  },
});
