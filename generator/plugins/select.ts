/**
 * Which plugins run: the core ones, then each entry of the config's `plugins` and of `--plugin`,
 * resolved to a plugin object. A string is a built-in plugin's name or a module path; built-in
 * plugins outside the core are imported only when selected. Resolving needs only the core
 * plugins' names, so it runs before the spec is read (a typo fails fast) without loading the
 * emitters; `combinePlugins` joins the result with the core plugins afterwards.
 */
import { resolve } from "node:path";
import type { AnyPlugin, PluginEntry } from "../config.js";
import { GeneratorError } from "../errors.js";
import { isRecord } from "../json.js";
import { displayPath } from "../load.js";
import { importModule } from "./load-module.js";
import type { Plugin } from "./types.js";

/** The core plugins' names (generator/plugins/core.ts holds the plugins). */
export const CORE_PLUGIN_NAMES: readonly string[] = ["endpoints", "events", "index", "operations", "readme", "release", "schemas", "types"];

/** Built-in plugins outside the core, loaded on demand. */
const OPTIONAL_BUILT_INS: Readonly<Record<string, () => Promise<{ default: unknown }>>> = {
  reference: () => import("./reference.js"),
  validators: () => import("./validators.js"),
};

export const BUILT_IN_PLUGIN_NAMES: readonly string[] = [...CORE_PLUGIN_NAMES, ...Object.keys(OPTIONAL_BUILT_INS)].sort();

/** Plugin entries and where they come from. */
export interface PluginRequest {
  readonly entries: readonly PluginEntry[];
  /** Folder module paths are relative to. */
  readonly base: string;
  /** How messages name an entry, e.g. `mattermost-typed.config.ts: plugins[2]` or `--plugin ./x.ts`. */
  readonly label: (index: number, entry: PluginEntry) => string;
  /** The file messages point at (the config file), when there is one. */
  readonly file: string | undefined;
}

/** A plugin chosen to run, with its raw options. */
export interface SelectedPlugin {
  readonly plugin: AnyPlugin;
  /** Raw options from the config; `hasOptions` says whether any were given. */
  readonly rawOptions: unknown;
  readonly hasOptions: boolean;
  /** Where it was selected, for messages; undefined for a core plugin left as it is. */
  readonly origin: string | undefined;
  readonly file: string | undefined;
  readonly core: boolean;
}

function looksLikePath(entry: string): boolean {
  return entry.startsWith(".") || entry.startsWith("/") || entry.includes("/") || entry.includes("\\") || /\.(?:m?js|m?ts)$/i.test(entry);
}

/** Checks that a value is a plugin object; `where` names it in the message. */
export function checkPlugin(value: unknown, where: string, file: string | undefined): AnyPlugin {
  const problem = ((): string | undefined => {
    if (!isRecord(value))
      return `expected a plugin object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`;
    if (typeof value.name !== "string" || !/^[A-Za-z0-9@][A-Za-z0-9@._:/-]*$/.test(value.name))
      return `the plugin's name must be a non-empty string of letters, digits and @._:/- (got ${JSON.stringify(value.name) ?? "nothing"})`;
    if (typeof value.emit !== "function") return `the plugin "${value.name}" has no emit function`;
    if (value.parseOptions !== undefined && typeof value.parseOptions !== "function")
      return `the plugin "${value.name}"'s parseOptions is not a function`;
    if (value.dependsOn !== undefined && !(Array.isArray(value.dependsOn) && value.dependsOn.every((name) => typeof name === "string"))) {
      return `the plugin "${value.name}"'s dependsOn is not a list of plugin names`;
    }
    return undefined;
  })();
  if (problem !== undefined) {
    throw new GeneratorError("CONFIG_INVALID", `${where}: ${problem}.`, {
      ...(file === undefined ? {} : { file }),
      hint: "A plugin is { name, emit, dependsOn?, parseOptions? }; see docs/templates.md.",
    });
  }
  return value as unknown as AnyPlugin;
}

async function loadNamed(name: string, where: string, request: PluginRequest, cwd: string): Promise<AnyPlugin | string> {
  if (CORE_PLUGIN_NAMES.includes(name)) return name;
  const builtIn = OPTIONAL_BUILT_INS[name];
  if (builtIn !== undefined) return checkPlugin((await builtIn()).default, where, request.file);
  if (!looksLikePath(name)) {
    throw new GeneratorError("CONFIG_INVALID", `${where}: no built-in plugin is named "${name}".`, {
      ...(request.file === undefined ? {} : { file: request.file }),
      hint: `The built-in plugins are ${BUILT_IN_PLUGIN_NAMES.join(", ")}; a module is named by a path starting with ./ or ../.`,
    });
  }
  const file = resolve(request.base, name);
  const exports = await importModule({ file, shown: displayPath(file, cwd), code: "CONFIG_INVALID", what: "plugin module" });
  if (!("default" in exports)) {
    throw new GeneratorError("CONFIG_INVALID", `${where}: the module ${displayPath(file, cwd)} has no default export.`, {
      file: displayPath(file, cwd),
      hint: "Default-export the plugin: `export default definePlugin({ ... })`.",
    });
  }
  return checkPlugin(exports.default, `${where} (${displayPath(file, cwd)})`, displayPath(file, cwd));
}

/** A requested plugin: a plugin object, or the name of a core plugin to configure. */
export interface RequestedPlugin {
  readonly name: string;
  /** Undefined when the entry names a core plugin (which it configures). */
  readonly plugin: AnyPlugin | undefined;
  readonly rawOptions: unknown;
  readonly hasOptions: boolean;
  readonly origin: string;
  readonly file: string | undefined;
}

/**
 * Resolves the requested entries: strings to built-in plugins (imported now) or modules, core
 * names kept as names. A name requested twice is an error naming both places.
 */
export async function resolvePlugins(requests: readonly PluginRequest[], cwd: string): Promise<RequestedPlugin[]> {
  const byName = new Map<string, RequestedPlugin>();
  for (const request of requests) {
    for (const [index, entry] of request.entries.entries()) {
      const where = request.label(index, entry);
      const [head, rawOptions, hasOptions] = Array.isArray(entry)
        ? [entry[0] as unknown, entry[1] as unknown, entry.length > 1]
        : [entry as unknown, undefined, false];
      const loaded = typeof head === "string" ? await loadNamed(head, where, request, cwd) : checkPlugin(head, where, request.file);
      const name = typeof loaded === "string" ? loaded : loaded.name;
      const previous = byName.get(name);
      if (previous !== undefined) {
        throw new GeneratorError("CONFIG_INVALID", `The plugin "${name}" is selected twice: by ${previous.origin} and by ${where}.`, {
          ...(request.file === undefined ? {} : { file: request.file }),
          hint: "Keep one entry (its options, if any, go there).",
        });
      }
      byName.set(name, {
        name,
        plugin: typeof loaded === "string" ? undefined : loaded,
        rawOptions,
        hasOptions,
        origin: where,
        file: request.file,
      });
    }
  }
  return [...byName.values()];
}

/**
 * The plugins to run: the core set with the requested ones applied (a core name configures that
 * plugin; a plugin with a core plugin's name replaces it), then the others.
 */
export function combinePlugins(core: readonly Plugin<unknown>[], requested: readonly RequestedPlugin[]): SelectedPlugin[] {
  const selected = new Map<string, SelectedPlugin>();
  for (const plugin of core) {
    if (!CORE_PLUGIN_NAMES.includes(plugin.name)) throw new Error(`core plugin ${plugin.name} is missing from CORE_PLUGIN_NAMES`);
    selected.set(plugin.name, { plugin, rawOptions: undefined, hasOptions: false, origin: undefined, file: undefined, core: true });
  }
  for (const request of requested) {
    const base = selected.get(request.name);
    const plugin = request.plugin ?? base?.plugin;
    if (plugin === undefined) throw new Error(`core plugin ${request.name} missing`);
    selected.set(request.name, {
      plugin,
      rawOptions: request.rawOptions,
      hasOptions: request.hasOptions,
      origin: request.origin,
      file: request.file,
      core: request.plugin === undefined,
    });
  }
  return [...selected.values()];
}
