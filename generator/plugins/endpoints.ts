/**
 * The core `endpoints` plugin: `endpoints/<file>.ts`, one function per operation, and
 * `endpoints/index.ts`. Its hooks change a piece of it without a fork:
 *
 * - `functionName(operation)`: the exported function's name (its args type follows: `<Name>Args`);
 * - `jsdoc(operation, defaultLines)`: the lines of the function's JSDoc;
 * - `fileFor(operation)`: the file under `endpoints/` (lowercase words and dashes, no extension).
 *
 * Without hooks, the emitter runs exactly as before (nothing is copied or parsed again). `operations.ts`
 * stays keyed by the model's names whatever `functionName` returns.
 */
import { emitEndpoints } from "../emit/endpoints.js";
import { docText, jsDoc } from "../emit/jsdoc.js";
import { schemaPrinter } from "../emit/openapi-ts.js";
import { GeneratorError } from "../errors.js";
import type { Model, ModelOperation } from "../model.js";
import { checkFunctionName, decideNames, isEndpointFileName, namesOf } from "../naming.js";
import { definePlugin, PluginOptionsError, type DeepReadonly } from "./types.js";

export interface EndpointsOptions {
  /** The function name of an operation (default: `operation.name`, the operationId in camelCase). */
  readonly functionName?: (operation: DeepReadonly<ModelOperation>) => string;
  /** The JSDoc lines of an operation's function; `defaultLines` are the ones written by default. */
  readonly jsdoc?: (operation: DeepReadonly<ModelOperation>, defaultLines: readonly string[]) => readonly string[];
  /** The file under `endpoints/` an operation goes to, e.g. `"users"` (default: its first tag, as `users`). */
  readonly fileFor?: (operation: DeepReadonly<ModelOperation>) => string;
}

const HOOKS = ["functionName", "jsdoc", "fileFor"] as const;

function parseEndpointsOptions(raw: unknown): EndpointsOptions {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new PluginOptionsError("(options)", "expected an object of hooks { functionName?, jsdoc?, fileFor? }.");
  const record = raw as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (!(HOOKS as readonly string[]).includes(key))
      throw new PluginOptionsError(key, `unknown option; the hooks are ${HOOKS.join(", ")}.`);
    if (value !== undefined && typeof value !== "function") {
      throw new PluginOptionsError(
        key,
        `expected a function, got ${value === null ? "null" : typeof value}. Hooks are functions, so set them from a .ts, .js or .mjs config.`,
      );
    }
  }
  return record as EndpointsOptions;
}

function hookFailed(hook: string, operation: ModelOperation, message: string, hint: string): never {
  throw new GeneratorError("EMIT_FAILED", `Plugin "endpoints": the ${hook} hook ${message} (operation ${operation.operationId}).`, {
    hint,
  });
}

function callHook<T>(hook: string, operation: ModelOperation, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof GeneratorError) throw error;
    return hookFailed(hook, operation, `threw: ${error instanceof Error ? error.message : String(error)}`, "Fix the hook in the config.");
  }
}

/** The model as the emitter should see it: operations renamed and regrouped by the hooks. */
function applyNaming(model: Model, options: EndpointsOptions): Model {
  const { functionName, fileFor } = options;
  if (functionName === undefined && fileFor === undefined) return model;
  const schemaAliases = new Set(namesOf(model).schema.values());
  const seen = new Map<string, string>();
  const operations = model.operations.map((operation) => {
    let name = operation.name;
    if (functionName !== undefined) {
      const chosen: unknown = callHook("functionName", operation, () => functionName(operation));
      const rejected = checkFunctionName(chosen, schemaAliases);
      if (rejected !== undefined) hookFailed("functionName", operation, rejected.problem, rejected.hint);
      // A name checkFunctionName accepts is an identifier, a string.
      const accepted = chosen as string;
      const previous = seen.get(accepted);
      if (previous !== undefined)
        hookFailed(
          "functionName",
          operation,
          `returned "${accepted}", the name it gave ${previous} too`,
          "Return a different name for each operation.",
        );
      seen.set(accepted, operation.operationId);
      name = accepted;
    }
    let tag = operation.tag;
    if (fileFor !== undefined) {
      const file: unknown = callHook("fileFor", operation, () => fileFor(operation));
      if (typeof file !== "string" || !isEndpointFileName(file)) {
        hookFailed(
          "fileFor",
          operation,
          `returned ${JSON.stringify(file) ?? String(file)}, which is not a file name`,
          'Return lowercase letters, digits and dashes without an extension, such as "users" (not "index").',
        );
      }
      // The emitter files an operation under tagFileName(tag), which leaves such a name as it is.
      tag = file;
    }
    return name === operation.name && tag === operation.tag ? operation : { ...operation, name, tag };
  });
  // The args type names follow the new function names: decided again by the caller.
  return { ...model, operations };
}

/** Replaces the JSDoc of each exported function with what the hook returns. */
function rewriteDocs(text: string, byName: ReadonlyMap<string, ModelOperation>, hook: NonNullable<EndpointsOptions["jsdoc"]>): string {
  const marker = "\nexport function ";
  const parts: string[] = [];
  let from = 0;
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) {
    const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(at + marker.length, at + marker.length + 200))?.[0];
    const operation = name === undefined ? undefined : byName.get(name);
    if (operation === undefined) continue;
    // The emitter writes every function's JSDoc at column 0 right above it; its lines start with " *".
    const hasDoc = text.slice(at - 2, at) === "*/";
    const start = hasDoc ? text.lastIndexOf("\n/**", at - 2) + 1 : at + 1;
    const block = hasDoc ? text.slice(start, at) : "";
    const defaultLines =
      block === ""
        ? []
        : block.includes("\n")
          ? block
              .split("\n")
              .slice(1, -1)
              .map((line) => line.replace(/^ \*(?: |$)/, ""))
          : [block.slice(4, -3)];
    const lines: unknown = callHook("jsdoc", operation, () => hook(operation, defaultLines));
    if (!Array.isArray(lines) || !lines.every((line): line is string => typeof line === "string")) {
      hookFailed(
        "jsdoc",
        operation,
        "did not return an array of strings",
        "Return the JSDoc lines as strings (defaultLines to keep the default).",
      );
    }
    parts.push(text.slice(from, start), jsDoc(docText(lines.join("\n"))));
    from = at + 1;
  }
  parts.push(text.slice(from));
  return parts.join("");
}

export default definePlugin<EndpointsOptions>({
  name: "endpoints",
  parseOptions: parseEndpointsOptions,
  emit({ model: frozen, document, banner, options }) {
    const model = frozen as Model;
    if (options.functionName === undefined && options.fileFor === undefined && options.jsdoc === undefined) {
      const names = namesOf(model);
      return emitEndpoints(model, names, schemaPrinter(document as Record<string, unknown>, names.schema), banner).files;
    }
    const named = applyNaming(model, options);
    const names = named === model ? namesOf(model) : decideNames(named);
    const argsNames = new Set(names.args.values());
    for (const [index, operation] of named.operations.entries()) {
      if (argsNames.has(operation.name)) {
        hookFailed(
          "functionName",
          model.operations[index] ?? operation,
          `returned "${operation.name}", the name of an args type`,
          "Return another name.",
        );
      }
    }
    const { files } = emitEndpoints(named, names, schemaPrinter(document as Record<string, unknown>, names.schema), banner);
    const { jsdoc } = options;
    if (jsdoc === undefined) return files;
    const byName = new Map<string, ModelOperation>();
    for (const [index, operation] of named.operations.entries()) byName.set(operation.name, model.operations[index] ?? operation);
    const rewritten = new Map<string, string>();
    for (const [file, text] of files) rewritten.set(file, file === "endpoints/index.ts" ? text : rewriteDocs(text, byName, jsdoc));
    return rewritten;
  },
});
