/**
 * The emit stage: every output file is written by a plugin (generator/plugins/). The core plugins
 * wrap the emitters of this folder; a config adds plugins, configures the core ones or replaces
 * them. This module selects the plugins and runs them in memory; it never touches the disk.
 */
import type { EventCatalogInput } from "../events/input.js";
import type { Model } from "../model.js";
import { corePlugins } from "../plugins/core.js";
import { runPlugins } from "../plugins/run.js";
import { combinePlugins, type RequestedPlugin } from "../plugins/select.js";
import { banner, type BannerInput } from "./banner.js";

export { OUTPUT_README } from "../plugins/core.js";

export interface EmitInput {
  readonly model: Model;
  readonly document: Record<string, unknown>;
  readonly catalog: EventCatalogInput | undefined;
  readonly banner: BannerInput;
  /** The Mattermost release the spec describes, when known (generator/release.ts). */
  readonly release?: string | null;
}

/**
 * Runs the core plugins and the requested ones (from `resolvePlugins`; none: today's output) and
 * returns every file, sorted by name. Throws GeneratorError naming the plugin that failed.
 */
export async function emitAll(input: EmitInput, requested: readonly RequestedPlugin[] = []): Promise<Map<string, string>> {
  return runPlugins(combinePlugins(corePlugins, requested), {
    model: input.model,
    document: input.document,
    catalog: input.catalog?.catalog,
    banner: banner(input.banner),
    inputs: {
      generatorVersion: input.banner.generatorVersion,
      spec: input.banner.specLocation,
      specSha256: input.banner.specSha256,
      inputsSha256: input.banner.inputsSha256,
      release: input.release ?? null,
    },
  });
}
