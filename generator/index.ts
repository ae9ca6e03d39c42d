/** The generator as a library: the same pipeline the CLI runs, without printing or writing. */
export { GeneratorError, isGeneratorError, type GeneratorErrorCode } from "./errors.js";
export { defaultSpecLocation, generate, loadModel, type GenerateOptions, type GenerateResult, type GenerateSummary } from "./generate.js";
export { loadSpec, parseSpecText, type LoadedSpec, type SourceLocation } from "./load.js";
export type { Model, ModelBody, ModelOperation, ModelParameter, ModelResponse, ModelSchema } from "./model.js";
export { formatWarning, type GeneratorWarning, type WarningKind } from "./warnings.js";
export { compareOutput, writeOutput } from "./write.js";
export {
  CONFIG_FILE_NAMES,
  defineConfig,
  findConfigFile,
  loadConfig,
  type AnyPlugin,
  type LoadedConfig,
  type MattermostTypedConfig,
  type PluginEntry,
} from "./config.js";
export type { Catalog } from "./events/catalog.js";
export type { EndpointsOptions } from "./plugins/endpoints.js";
export type { ReferenceOptions } from "./plugins/reference.js";
export {
  definePlugin,
  PLUGIN_API_VERSION,
  PluginOptionsError,
  type DeepReadonly,
  type Plugin,
  type PluginContext,
  type PluginFiles,
  type PluginInputs,
} from "./plugins/types.js";
