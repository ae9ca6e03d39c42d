/**
 * The plugin API: every file in the output folder is written by a plugin, the core ones included.
 * A plugin is a name, optional options (parsed and checked by the plugin), the names of the plugins
 * whose output it reads, and a function from the read-only model to files.
 *
 * Stability: `PLUGIN_API_VERSION` is bumped when anything in this file changes incompatibly. The
 * model handed to plugins is `Model` (`modelVersion` says which shape); fields may be added to the
 * model and to `PluginContext` without a bump, never removed or changed.
 */
import type { Catalog } from "../events/catalog.js";
import type { Model } from "../model.js";

export const PLUGIN_API_VERSION = 1;

/** Deeply read-only view of plain data. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<K, DeepReadonly<V>>
    : T extends readonly (infer U)[]
      ? readonly DeepReadonly<U>[]
      : T extends object
        ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
        : T;

/** Files a plugin writes: paths relative to the output folder, with `/` separators, to their text. */
export type PluginFiles = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

/** What the output is generated from: for banners of files that are not TypeScript (JSON, Markdown). */
export interface PluginInputs {
  readonly generatorVersion: string;
  /** The spec location as the user named it. */
  readonly spec: string;
  readonly specSha256: string;
  /** Hash over the spec, the overlays and the event catalog. */
  readonly inputsSha256: string;
  /** The Mattermost release the spec describes (`11.6.0`), or `null` when nothing says (generator/release.ts). */
  readonly release: string | null;
}

export interface PluginContext<Options> {
  /** The normalized model (frozen). */
  readonly model: DeepReadonly<Model>;
  /** The repaired OpenAPI document, overlays applied (frozen). */
  readonly document: DeepReadonly<Record<string, unknown>>;
  /** The WebSocket event catalog, when one was given (frozen). */
  readonly catalog: DeepReadonly<Catalog> | undefined;
  /** This plugin's options, as its `parseOptions` returned them. */
  readonly options: Options;
  /** The header every generated TypeScript file starts with (generator version, input hashes). */
  readonly banner: string;
  /** The inputs the banner names, as data. */
  readonly inputs: PluginInputs;
  /** The files written by a plugin named in `dependsOn`. */
  output(pluginName: string): ReadonlyMap<string, string>;
}

export interface Plugin<Options = undefined> {
  /** Unique name, used in configs, `--plugin`, `dependsOn` and error messages. */
  readonly name: string;
  /** Plugins whose output this one reads through `context.output`; they run first. */
  readonly dependsOn?: readonly string[];
  /**
   * Checks the raw options from the config and returns them typed. Throw `PluginOptionsError`
   * naming the field and what to do. Without it, the plugin takes no options.
   */
  parseOptions?(raw: unknown): Options;
  emit(context: PluginContext<Options>): PluginFiles | Promise<PluginFiles>;
}

/** Identity function that gives a plugin object its types. */
export function definePlugin<Options = undefined>(plugin: Plugin<Options>): Plugin<Options> {
  return plugin;
}

/** Thrown by `parseOptions`; the pipeline adds the plugin's name and the config file. */
export class PluginOptionsError extends Error {
  constructor(
    /** Dotted path of the offending option, e.g. `unknownKeys`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "PluginOptionsError";
  }
}
