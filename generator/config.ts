/**
 * The config file: `mattermost-typed.config.{json,mjs,js,ts}`, found in the working directory or
 * the nearest parent up to the project root (the first folder holding a package.json), or named
 * with `--config`. It selects plugins and their options and gives defaults for the spec, output,
 * overlays and catalog (command-line options win). Paths in it are relative to its folder.
 *
 * ```ts
 * // mattermost-typed.config.ts
 * import { defineConfig } from "mattermost-typed/generator";
 * export default defineConfig({ plugins: ["reference", ["validators", { unknownKeys: "strict" }]] });
 * ```
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { GeneratorError } from "./errors.js";
import { isRecord } from "./json.js";
import { displayPath } from "./load.js";
import type { EndpointsOptions } from "./plugins/endpoints.js";
import { importModule } from "./plugins/load-module.js";
import type { Plugin } from "./plugins/types.js";

/** Any plugin, whatever its options. */
export type AnyPlugin = Plugin<unknown>;

/**
 * One entry of `plugins`: a built-in plugin's name (`"reference"`, `"validators"`, or a core one to
 * configure it), a module path (`"./plugins/routes.ts"`, default-exporting a plugin), a plugin
 * object, or one of those with options: `["validators", { unknownKeys: "strict" }]`.
 */
export type PluginEntry = string | AnyPlugin | readonly ["endpoints", EndpointsOptions] | readonly [string | AnyPlugin, unknown];

export interface MattermostTypedConfig {
  /** Plugins to add to (or, by giving one with a core plugin's name, replace in) the core set. */
  readonly plugins?: readonly PluginEntry[];
  /** Spec file, folder of fragments or URL (default: `MATTERMOST_SPEC`, else the pinned release). */
  readonly spec?: string;
  /** Output folder (default: `generated`). */
  readonly out?: string;
  /** Folder of overlays (default: the package's `spec/overlays`); `false` for none. */
  readonly overlays?: string | false;
  /** WebSocket event catalog (default: the package's `spec/websocket-events.yaml`); `false` for none. */
  readonly catalog?: string | false;
}

/** Identity function that gives a config object its types. */
export function defineConfig(config: MattermostTypedConfig): MattermostTypedConfig {
  return config;
}

/** Config file names, looked for in this order; two in one folder is an error. */
export const CONFIG_FILE_NAMES = [
  "mattermost-typed.config.ts",
  "mattermost-typed.config.mjs",
  "mattermost-typed.config.js",
  "mattermost-typed.config.json",
] as const;

/** A config read from disk and checked; paths are absolute. */
export interface LoadedConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** The config file as messages show it. */
  readonly shown: string;
  readonly plugins: readonly PluginEntry[];
  readonly spec: string | undefined;
  readonly out: string | undefined;
  readonly overlays: string | false | undefined;
  readonly catalog: string | false | undefined;
}

/** The config file for `cwd`: in it or the nearest parent, stopping at the project root. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const found = CONFIG_FILE_NAMES.filter((name) => existsSync(join(dir, name)));
    if (found.length > 1) {
      throw new GeneratorError("CONFIG_INVALID", `${dir} holds ${found.length} config files (${found.join(", ")}).`, {
        file: displayPath(join(dir, found[0] ?? ""), cwd),
        hint: "Keep one of them.",
      });
    }
    if (found[0] !== undefined) return join(dir, found[0]);
    if (existsSync(join(dir, "package.json"))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const FIELDS = ["plugins", "spec", "out", "overlays", "catalog"] as const;

/** Reads and checks a config file. Throws GeneratorError (CONFIG_INVALID) naming the file and field. */
export async function loadConfig(file: string, cwd: string = process.cwd()): Promise<LoadedConfig> {
  const absolute = resolve(cwd, file);
  const shown = displayPath(absolute, cwd);
  let value: unknown;
  if (absolute.toLowerCase().endsWith(".json")) {
    if (!existsSync(absolute)) {
      throw new GeneratorError("CONFIG_INVALID", `The config file ${shown} does not exist.`, {
        file: shown,
        hint: "Check the --config path.",
      });
    }
    value = parseJson(readFileSync(absolute, "utf8"), shown);
  } else {
    const exports = await importModule({ file: absolute, shown, code: "CONFIG_INVALID", what: "config file" });
    if (!("default" in exports)) {
      throw new GeneratorError("CONFIG_INVALID", "The config file has no default export.", {
        file: shown,
        hint: "End it with `export default defineConfig({ ... })`.",
      });
    }
    value = exports.default;
  }
  return checkConfig(value, absolute, shown);
}

function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split("\n").length;
    throw new GeneratorError("CONFIG_INVALID", `The config file is not valid JSON: ${message.replace(/\.$/, "")}.`, {
      file: shown,
      ...(line === undefined ? {} : { line }),
      hint: "Fix the JSON syntax.",
    });
  }
}

function fail(shown: string, field: string, message: string, hint: string): never {
  throw new GeneratorError("CONFIG_INVALID", `${field}: ${message}`, { file: shown, hint });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function checkConfig(value: unknown, file: string, shown: string): LoadedConfig {
  if (!isRecord(value))
    fail(
      shown,
      "(top level)",
      `expected an object, got ${describe(value)}.`,
      'Export (or write) an object such as { "plugins": ["reference"] }.',
    );
  const dir = dirname(file);
  for (const key of Object.keys(value)) {
    if (key !== "$schema" && !(FIELDS as readonly string[]).includes(key)) {
      fail(shown, key, "unknown field.", `The fields are ${FIELDS.join(", ")} (see docs/templates.md#the-config-file).`);
    }
  }
  const path = (field: "spec" | "out"): string | undefined => {
    const raw = value[field];
    if (raw === undefined) return undefined;
    if (typeof raw !== "string" || raw.trim() === "")
      fail(
        shown,
        field,
        `expected a non-empty string, got ${describe(raw)}.`,
        `Give a path relative to ${shown}${field === "spec" ? " or an http(s) URL" : ""}.`,
      );
    return /^https?:\/\//i.test(raw) ? raw : resolve(dir, raw);
  };
  const pathOrFalse = (field: "overlays" | "catalog"): string | false | undefined => {
    const raw = value[field];
    if (raw === undefined || raw === false) return raw;
    if (typeof raw !== "string" || raw.trim() === "")
      fail(shown, field, `expected a path or false, got ${describe(raw)}.`, `Give a path relative to ${shown}, or false for none.`);
    return resolve(dir, raw);
  };
  const plugins = value.plugins;
  if (plugins !== undefined && !Array.isArray(plugins))
    fail(
      shown,
      "plugins",
      `expected an array, got ${describe(plugins)}.`,
      'Write a list such as ["reference", ["validators", { "unknownKeys": "strict" }]].',
    );
  const entries = (plugins ?? []) as unknown[];
  for (const [index, entry] of entries.entries()) checkEntry(entry, `plugins[${index}]`, shown);
  return {
    file,
    shown,
    plugins: entries as PluginEntry[],
    spec: path("spec"),
    out: path("out"),
    overlays: pathOrFalse("overlays"),
    catalog: pathOrFalse("catalog"),
  };
}

/** The shape of one plugins entry (whether the named plugin exists is checked when it is loaded). */
function checkEntry(entry: unknown, field: string, shown: string): void {
  const hint = 'An entry is a plugin name ("reference"), a module path ("./my-plugin.ts"), a plugin object, or [name, options].';
  if (typeof entry === "string") {
    if (entry.trim() === "") fail(shown, field, "empty plugin name.", hint);
    return;
  }
  if (Array.isArray(entry)) {
    if (entry.length < 1 || entry.length > 2) fail(shown, field, `expected [name, options], got an array of ${entry.length}.`, hint);
    const [name] = entry as unknown[];
    if (typeof name === "string" ? name.trim() === "" : !isRecord(name))
      fail(shown, `${field}[0]`, `expected a plugin name or object, got ${describe(name)}.`, hint);
    return;
  }
  if (isRecord(entry)) return;
  fail(shown, field, `expected a plugin name, path, object or [name, options], got ${describe(entry)}.`, hint);
}
