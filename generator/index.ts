/** The generator as a library: the same pipeline the CLI runs, without printing or writing. */
export { GeneratorError, isGeneratorError, type GeneratorErrorCode } from "./errors.js";
export { defaultSpecLocation, generate, loadModel, type GenerateOptions, type GenerateResult, type GenerateSummary } from "./generate.js";
export { loadSpec, parseSpecText, type LoadedSpec, type SourceLocation } from "./load.js";
export type { Model, ModelBody, ModelOperation, ModelParameter, ModelResponse, ModelSchema } from "./model.js";
export { formatWarning, type GeneratorWarning, type WarningKind } from "./warnings.js";
export { compareOutput, writeOutput } from "./write.js";
