/**
 * The pipeline, end to end, as a library: load → merge duplicates → overlays → repair → check refs
 * → model → emit. Returns the files and a summary; writing them is `write.ts`'s job and printing is
 * the CLI's. Progress is reported through a callback, never printed.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { displayPath, loadSpec, type LoadedSpec } from "./load.js";
import { buildModel, type Model } from "./model.js";
import { applyOverlays, hashOverlays, readOverlays, type Overlay } from "./overlay.js";
import { generatorVersion, packageRoot, readDefaultSpec, specDir } from "./paths.js";
import { checkReferences, mergeDuplicateKeys, repairDocument } from "./repair.js";
import { countWarnings, formatWarning, type GeneratorWarning } from "./warnings.js";
import { loadEventCatalog, type EventCatalogInput } from "./events/input.js";

export interface GenerateOptions {
  /** File, folder of fragments or URL. Default: `MATTERMOST_SPEC`, else the pinned release. */
  readonly spec?: string | undefined;
  /** Working directory for relative paths and for the locations shown. */
  readonly cwd?: string;
  /** Folder of overlays (default: the package's `spec/overlays`); `false` for none. */
  readonly overlays?: string | false;
  /** Event catalog (default: the package's `spec/websocket-events.yaml`); `false` for none. */
  readonly catalog?: string | false;
  /** Timeout for URL inputs, in milliseconds. */
  readonly timeoutMs?: number;
  /** Called at the start of each step; the CLI shows it as progress. */
  readonly onProgress?: (step: string) => void;
}

export interface GenerateSummary {
  readonly generatorVersion: string;
  readonly spec: string;
  readonly specSha256: string;
  readonly inputsSha256: string;
  readonly apiVersion: string;
  readonly operations: number;
  readonly schemas: number;
  readonly events: number;
  readonly actions: number;
  readonly files: number;
  readonly overlayActions: number;
  readonly warningsByKind: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
  readonly timeMs: number;
}

export interface GenerateResult {
  readonly files: ReadonlyMap<string, string>;
  readonly model: Model;
  readonly warnings: readonly GeneratorWarning[];
  readonly summary: GenerateSummary;
  /** The repaired document (what `--write-spec` saves; peers get it in benchmarks). */
  readonly document: Record<string, unknown>;
}

/** The spec to read when none is given: `MATTERMOST_SPEC`, else the pinned release (local copy first). */
export function defaultSpecLocation(cwd: string): { spec: string; fragments?: readonly string[] } {
  const fromEnv = process.env.MATTERMOST_SPEC;
  if (fromEnv !== undefined && fromEnv !== "") return { spec: fromEnv };
  const pinned = readDefaultSpec();
  const local = resolve(packageRoot, pinned.local);
  if (existsSync(local)) return { spec: displayPath(local, cwd) };
  return { spec: pinned.url, fragments: pinned.fragments };
}

/** Loads the spec and runs every stage up to the model; shared by `generate` and `diff`. */
export async function loadModel(options: GenerateOptions = {}): Promise<{
  spec: LoadedSpec;
  model: Model;
  overlays: readonly Overlay[];
  overlayActions: number;
  catalog: EventCatalogInput | undefined;
  inputsSha256: string;
}> {
  const cwd = options.cwd ?? process.cwd();
  const progress = options.onProgress ?? (() => undefined);
  const chosen = options.spec === undefined || options.spec === "" ? defaultSpecLocation(cwd) : { spec: options.spec };
  progress(`loading ${chosen.spec}`);
  const spec = await loadSpec(chosen.spec, {
    cwd,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(chosen.fragments === undefined ? {} : { fragments: chosen.fragments }),
  });
  progress("repairing");
  const warnings: GeneratorWarning[] = mergeDuplicateKeys(spec);
  const overlayDir = options.overlays === undefined ? join(specDir, "overlays") : options.overlays;
  const overlays = overlayDir === false ? [] : readOverlays(resolve(cwd, overlayDir), displayPath(resolve(cwd, overlayDir), cwd));
  const { applied } = applyOverlays(spec.document, overlays);
  warnings.push(...repairDocument(spec));
  checkReferences(spec);
  const catalogPath = options.catalog === undefined ? join(specDir, "websocket-events.yaml") : options.catalog;
  const catalog = catalogPath === false ? undefined : loadEventCatalog(resolve(cwd, catalogPath), displayPath(resolve(cwd, catalogPath), cwd));
  progress("building the model");
  const model = buildModel({ document: spec.document, warnings, locate: spec.locate });
  // Locations are all resolved now; the syntax tree is the largest thing in memory.
  spec.release();
  const inputsSha256 = createHash("sha256")
    .update(spec.sha256)
    .update(hashOverlays(overlays))
    .update(catalog?.sha256 ?? "")
    .digest("hex");
  return { spec, model, overlays, overlayActions: applied, catalog, inputsSha256 };
}

/** Runs the whole pipeline in memory. Throws GeneratorError on bad input. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const started = performance.now();
  const { spec, model, overlayActions, catalog, inputsSha256 } = await loadModel(options);
  options.onProgress?.(`emitting ${model.operations.length} operations`);
  // Loaded here, not at the top: `diff` shares loadModel and never pays for the emitters.
  const { emitAll } = await import("./emit/index.js");
  const files = emitAll({
    model,
    document: spec.document,
    catalog,
    banner: { generatorVersion, specLocation: spec.location, specSha256: spec.sha256, inputsSha256 },
  });
  const summary: GenerateSummary = {
    generatorVersion,
    spec: spec.location,
    specSha256: spec.sha256,
    inputsSha256,
    apiVersion: model.apiVersion,
    operations: model.operations.length,
    schemas: model.schemas.length,
    events: catalog?.events ?? 0,
    actions: catalog?.actions ?? 0,
    files: files.size,
    overlayActions,
    warningsByKind: countWarnings(model.warnings),
    warnings: model.warnings.map(formatWarning),
    timeMs: Math.round(performance.now() - started),
  };
  return { files, model, warnings: model.warnings, summary, document: spec.document };
}
