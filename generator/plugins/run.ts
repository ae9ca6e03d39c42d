/**
 * Runs the selected plugins in memory: options parsed, order resolved from `dependsOn`, each
 * plugin's files checked (relative paths inside the output folder, text content, no file written
 * by two plugins) and gathered into one sorted map. Nothing touches the disk; a failing plugin
 * stops the run with a GeneratorError naming it, before anything is written.
 */
import type { Catalog } from "../events/catalog.js";
import { GeneratorError } from "../errors.js";
import type { Model } from "../model.js";
import type { SelectedPlugin } from "./select.js";
import type { DeepReadonly, PluginContext, PluginInputs } from "./types.js";

export interface RunInput {
  readonly model: Model;
  readonly document: Record<string, unknown>;
  readonly catalog: Catalog | undefined;
  readonly banner: string;
  readonly inputs: PluginInputs;
}

interface Ready {
  readonly selected: SelectedPlugin;
  readonly options: unknown;
}

function where(selected: SelectedPlugin): { file?: string } {
  return selected.file === undefined ? {} : { file: selected.file };
}

function label(selected: SelectedPlugin): string {
  return selected.origin === undefined ? `Plugin "${selected.plugin.name}"` : `Plugin "${selected.plugin.name}" (${selected.origin})`;
}

/** PluginOptionsError by shape, so a plugin built against another copy of this package is understood too. */
function optionsField(error: unknown): string | undefined {
  const field: unknown =
    error instanceof Error && error.name === "PluginOptionsError" ? (error as Error & { field?: unknown }).field : undefined;
  return typeof field === "string" ? field : undefined;
}

function parseOptions(selected: SelectedPlugin): unknown {
  const { plugin } = selected;
  if (plugin.parseOptions === undefined) {
    if (selected.hasOptions && selected.rawOptions !== undefined) {
      throw new GeneratorError("CONFIG_INVALID", `${label(selected)} takes no options.`, {
        ...where(selected),
        hint: "Name it without options.",
      });
    }
    return undefined;
  }
  try {
    return plugin.parseOptions(selected.rawOptions);
  } catch (error) {
    if (error instanceof GeneratorError) throw error;
    const field = optionsField(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new GeneratorError(
      "CONFIG_INVALID",
      field === undefined ? `${label(selected)}: its options were rejected: ${message}` : `${label(selected)}, option ${field}: ${message}`,
      {
        ...where(selected),
        hint: `Fix the options of "${plugin.name}" (see its documentation).`,
      },
    );
  }
}

/** Topological order over `dependsOn`; among plugins ready at the same time, by name. */
export function orderPlugins<T extends { readonly name: string; readonly dependsOn?: readonly string[] | undefined }>(
  plugins: readonly T[],
): T[] {
  const byName = new Map(plugins.map((plugin) => [plugin.name, plugin]));
  for (const plugin of plugins) {
    for (const dependency of plugin.dependsOn ?? []) {
      if (!byName.has(dependency)) {
        throw new GeneratorError("CONFIG_INVALID", `Plugin "${plugin.name}" depends on "${dependency}", which is not selected.`, {
          hint: `Add "${dependency}" to the config's plugins, or remove it from "${plugin.name}"'s dependsOn.`,
        });
      }
    }
  }
  const waiting = new Map(plugins.map((plugin) => [plugin.name, new Set(plugin.dependsOn ?? [])]));
  const order: T[] = [];
  while (waiting.size > 0) {
    const ready = [...waiting].filter(([, deps]) => deps.size === 0).map(([name]) => name);
    if (ready.length === 0) {
      const cycle = findCycle(waiting);
      throw new GeneratorError(
        "CONFIG_INVALID",
        `The plugins depend on each other in a cycle: ${cycle.map((name) => `"${name}"`).join(" → ")}.`,
        {
          hint: "Remove one of these dependsOn entries: a plugin can only read the output of plugins that run before it.",
        },
      );
    }
    const next = ready.sort()[0] as string;
    waiting.delete(next);
    for (const deps of waiting.values()) deps.delete(next);
    order.push(byName.get(next) as T);
  }
  return order;
}

function findCycle(waiting: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  // Every waiting plugin has a waiting dependency, so walking from any one must revisit a name.
  const path: string[] = [];
  let current = [...waiting.keys()].sort()[0] as string;
  while (!path.includes(current)) {
    path.push(current);
    current = [...(waiting.get(current) ?? [])].sort()[0] as string;
  }
  return [...path.slice(path.indexOf(current)), current];
}

/** Why a file name is refused, or undefined when it is a clean relative path. */
export function badFileName(name: string): string | undefined {
  if (name === "") return "an empty file name";
  if (name.includes("\0")) return "a NUL character";
  if (name.includes("\\")) return "a backslash (use / between folders)";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "an absolute path";
  const segments = name.split("/");
  if (segments.includes("..")) return "a .. segment that leaves the output folder";
  if (segments.some((segment) => segment === "" || segment === ".")) return "an empty or . segment";
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

function toEntries(files: unknown, selected: SelectedPlugin): [string, unknown][] {
  if (files instanceof Map) return [...(files as Map<unknown, unknown>)].map(([name, content]) => [checkName(name, selected), content]);
  if (files !== null && typeof files === "object" && !Array.isArray(files)) return Object.entries(files);
  throw new GeneratorError(
    "EMIT_FAILED",
    `${label(selected)} returned ${files === null ? "null" : Array.isArray(files) ? "an array" : typeof files} instead of its files.`,
    {
      ...where(selected),
      hint: "emit must return a Map or an object of file name → text (an empty one to write nothing).",
    },
  );
}

function checkName(name: unknown, selected: SelectedPlugin): string {
  if (typeof name === "string") return name;
  throw new GeneratorError("EMIT_FAILED", `${label(selected)} returned a file name that is not a string (${String(name)}).`, {
    ...where(selected),
    hint: "Name files with strings.",
  });
}

/** Runs the plugins; resolves to every file, sorted by name. */
export async function runPlugins(selection: readonly SelectedPlugin[], input: RunInput): Promise<Map<string, string>> {
  const ready = new Map<string, Ready>();
  for (const selected of selection) ready.set(selected.plugin.name, { selected, options: parseOptions(selected) });
  const order = orderPlugins(selection.map(({ plugin }) => plugin));
  // Only the plugins that came with a config or --plugin (or hooks) get frozen inputs: the core
  // emitters do not mutate them and the default run should not pay for the walk.
  const external = selection.some((selected) => selected.origin !== undefined);
  const model = (external ? deepFreeze(input.model) : input.model) as DeepReadonly<Model>;
  const document = (external ? deepFreeze(input.document) : input.document) as DeepReadonly<Record<string, unknown>>;
  const catalog = (external ? deepFreeze(input.catalog) : input.catalog) as DeepReadonly<Catalog> | undefined;
  const outputs = new Map<string, ReadonlyMap<string, string>>();
  const owner = new Map<string, string>();
  const folders = new Map<string, string>();
  for (const plugin of order) {
    const { selected, options } = ready.get(plugin.name) as Ready;
    const allowed = new Set(plugin.dependsOn ?? []);
    const context: PluginContext<unknown> = {
      model,
      document,
      catalog,
      options,
      banner: input.banner,
      inputs: input.inputs,
      output: (name: string) => {
        const files = outputs.get(name);
        if (!allowed.has(name) || files === undefined) {
          throw new GeneratorError("EMIT_FAILED", `${label(selected)} read the output of "${name}" without listing it in dependsOn.`, {
            ...where(selected),
            hint: `Add "${name}" to the plugin's dependsOn so that it runs first.`,
          });
        }
        return files;
      },
    };
    let files: unknown;
    try {
      files = await plugin.emit(context);
    } catch (error) {
      if (error instanceof GeneratorError) throw error;
      throw new GeneratorError("EMIT_FAILED", `${label(selected)} failed: ${error instanceof Error ? error.message : String(error)}`, {
        ...where(selected),
        hint:
          selected.core && selected.origin === undefined
            ? "This is a bug in mattermost-typed; please report it."
            : `Fix the plugin "${plugin.name}" or remove it from the config.`,
      });
    }
    const own = new Map<string, string>();
    for (const [name, content] of toEntries(files, selected)) {
      const problem = badFileName(name);
      if (problem !== undefined) {
        throw new GeneratorError("EMIT_FAILED", `${label(selected)} returned the file "${name}", which has ${problem}.`, {
          ...where(selected),
          hint: "Return paths relative to the output folder, with / between folders, such as reference/README.md.",
        });
      }
      if (typeof content !== "string") {
        throw new GeneratorError(
          "EMIT_FAILED",
          `${label(selected)} returned ${content === null ? "null" : typeof content} as the content of "${name}", not a string.`,
          {
            ...where(selected),
            hint: "Return each file's text as a string.",
          },
        );
      }
      const other = owner.get(name);
      if (other !== undefined) {
        throw new GeneratorError("EMIT_FAILED", `Plugins "${other}" and "${plugin.name}" both write "${name}".`, {
          ...where(selected),
          hint: "Give one of them another file name, or replace the core plugin by giving yours its name.",
        });
      }
      const inside = folders.get(name);
      if (inside !== undefined) {
        throw new GeneratorError(
          "EMIT_FAILED",
          `Plugin "${plugin.name}" writes the file "${name}", a folder that "${inside}" writes files in.`,
          {
            ...where(selected),
            hint: "Give one of them another name.",
          },
        );
      }
      const segments = name.split("/");
      for (let depth = 1; depth < segments.length; depth += 1) {
        const folder = segments.slice(0, depth).join("/");
        const file = owner.get(folder);
        if (file !== undefined) {
          throw new GeneratorError(
            "EMIT_FAILED",
            `Plugin "${plugin.name}" writes "${name}" inside "${folder}", a file written by "${file}".`,
            {
              ...where(selected),
              hint: "Give one of them another name.",
            },
          );
        }
        if (!folders.has(folder)) folders.set(folder, plugin.name);
      }
      own.set(name, content);
      owner.set(name, plugin.name);
    }
    outputs.set(plugin.name, own);
  }
  const all: [string, string][] = [];
  for (const files of outputs.values()) all.push(...files);
  return new Map(all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
