/**
 * The pipeline, end to end, as a library: load → merge duplicates → overlays → repair → check refs
 * → model → emit. Returns the files and a summary; writing them is `write.ts`'s job and printing is
 * the CLI's. Progress is reported through a callback, never printed.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { findConfigFile, loadConfig, type LoadedConfig, type PluginEntry } from "./config.js";
import { displayPath, loadSpec, type LoadedSpec, type SourceLocation } from "./load.js";
import { buildModel, type Model } from "./model.js";
import { applyOverlays, hashOverlays, type Overlay, type OverlayOutcome, readOverlays } from "./overlay.js";
import { enforceOverlayPolicy, type OverlayReport, reportOverlays } from "./overlay-report.js";
import { generatorVersion, packageRoot, readDefaultSpec, specDir } from "./paths.js";
import { specRelease } from "./release.js";
import { checkReferences, mergeDuplicateKeys, repairDocument } from "./repair.js";
import { countWarnings, formatWarning, type GeneratorWarning } from "./warnings.js";
import { loadEventCatalog, type EventCatalogInput } from "./events/input.js";
import { openMissingSchemas } from "./events/missing-schemas.js";

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
  /**
   * A config file to read (relative to `cwd`), or `true` to look for `mattermost-typed.config.*`
   * from `cwd` up to the project root (what the CLI does). Default: none. Options given here win
   * over the config's `spec`, `overlays` and `catalog`.
   */
  readonly config?: string | boolean;
  /** Plugins added after the config's (module paths relative to `cwd`). See docs/templates.md. */
  readonly plugins?: readonly PluginEntry[];
  /**
   * The folder the files are for (relative to `cwd`; default: the config's `out`, else `generated`).
   * The banner names a spec file relative to this folder's parent, so that the same inputs give the
   * same files from any working directory. Nothing is written: see `writeOutput`.
   */
  readonly out?: string;
  /** How messages name an entry of `plugins` (the CLI passes `--plugin`); default `plugins[i]`. */
  readonly pluginsFrom?: string;
  /**
   * Fail when an overlay action does not apply, as for the pinned release (spec/default.json),
   * which always fails. Default: warn and go on (docs/upgrading.md).
   */
  readonly strictOverlays?: boolean;
  /**
   * The Mattermost release the spec describes (`11.7.0`), for `release.ts`. Default: the pinned
   * release for the pinned spec, else a `vX.Y.Z` folder in the spec's location, else none.
   */
  readonly release?: string;
}

export interface GenerateSummary {
  readonly generatorVersion: string;
  readonly spec: string;
  readonly specSha256: string;
  readonly inputsSha256: string;
  readonly apiVersion: string;
  /** The Mattermost release the spec describes, or `null` when unknown (generator/release.ts). */
  readonly release: string | null;
  readonly operations: number;
  readonly schemas: number;
  readonly events: number;
  readonly actions: number;
  readonly files: number;
  /** Overlay actions applied (`overlays.counts.applied`). */
  readonly overlayActions: number;
  /** Every overlay action's state: counts, and each action not applied with its file:line and reason. */
  readonly overlays: OverlayReport;
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
  /** The config file read, if any (the CLI takes its `out`). */
  readonly config: LoadedConfig | undefined;
}

async function readConfig(option: GenerateOptions["config"], cwd: string): Promise<LoadedConfig | undefined> {
  if (option === undefined || option === false) return undefined;
  const file = option === true ? findConfigFile(cwd) : resolve(cwd, option);
  return file === undefined ? undefined : loadConfig(file, cwd);
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

/**
 * Whether `spec` (as given, relative to `cwd`) is the pinned release of spec/default.json: its
 * local copy or its upstream URL. Its overlays must all apply.
 */
export function isPinnedSpec(spec: string, cwd: string): boolean {
  const pinned = readDefaultSpec();
  if (/^https?:\/\//.test(spec)) return spec.replace(/\/+$/, "") === pinned.url.replace(/\/+$/, "");
  return resolve(cwd, spec) === resolve(packageRoot, pinned.local);
}

/** The spec with the overlays applied, and every action's state: what `overlays` shows. */
export interface OverlaidSpec {
  readonly spec: LoadedSpec;
  /** The spec as the user named it (or the default). */
  readonly shownSpec: string;
  /** Whether it is the pinned release (spec/default.json). */
  readonly pinned: boolean;
  readonly overlays: readonly Overlay[];
  /** The overlay folder as shown; `undefined` without overlays. */
  readonly overlayFolder: string | undefined;
  readonly outcomes: readonly OverlayOutcome[];
  readonly report: OverlayReport;
  /** What merging duplicate keys warned about. */
  readonly warnings: readonly GeneratorWarning[];
}

/** Loads the spec, merges duplicate keys and applies the overlays, classifying every action. */
export async function loadOverlaidSpec(options: GenerateOptions = {}): Promise<OverlaidSpec> {
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
  const overlayFolder = overlayDir === false ? undefined : displayPath(resolve(cwd, overlayDir), cwd);
  const overlays = overlayDir === false ? [] : readOverlays(resolve(cwd, overlayDir), overlayFolder ?? "");
  const { outcomes } = applyOverlays(spec.document, overlays);
  return {
    spec,
    shownSpec: chosen.spec,
    pinned: isPinnedSpec(chosen.spec, cwd),
    overlays,
    overlayFolder,
    outcomes,
    report: reportOverlays(outcomes),
    warnings,
  };
}

/** Where the catalog names a schema (`ref: Name`), read only when some schema is missing. */
function catalogLines(path: string, shown: string): (schema: string) => SourceLocation[] {
  let lines: string[] | undefined;
  return (schema) => {
    lines ??= readFileSync(path, "utf8").split("\n");
    const pattern = new RegExp(`\\bref:\\s*["']?${schema.replace(/[^A-Za-z0-9_]/g, "\\$&")}["']?(?![A-Za-z0-9_])`);
    const found: SourceLocation[] = [];
    lines.forEach((line, index) => {
      if (!line.trimStart().startsWith("#") && pattern.test(line)) found.push({ file: shown, line: index + 1 });
    });
    return found;
  };
}

/** Loads the spec and runs every stage up to the model; shared by `generate` and `diff`. */
export async function loadModel(options: GenerateOptions = {}): Promise<{
  spec: LoadedSpec;
  model: Model;
  overlays: readonly Overlay[];
  overlayActions: number;
  overlayReport: OverlayReport;
  catalog: EventCatalogInput | undefined;
  inputsSha256: string;
}> {
  const cwd = options.cwd ?? process.cwd();
  const progress = options.onProgress ?? (() => undefined);
  const overlaid = await loadOverlaidSpec(options);
  const { spec, overlays, report: overlayReport } = overlaid;
  const warnings = [...overlaid.warnings];
  if (overlaid.overlayFolder !== undefined) {
    const notApplied = enforceOverlayPolicy(overlayReport, {
      spec: overlaid.shownSpec,
      pinned: overlaid.pinned,
      strict: options.strictOverlays === true,
      pinnedVersion: readDefaultSpec().version,
      overlays: overlaid.overlayFolder,
    });
    if (notApplied !== undefined) warnings.push(notApplied);
  }
  warnings.push(...repairDocument(spec));
  checkReferences(spec);
  const catalogPath = options.catalog === undefined ? join(specDir, "websocket-events.yaml") : options.catalog;
  let catalog =
    catalogPath === false ? undefined : loadEventCatalog(resolve(cwd, catalogPath), displayPath(resolve(cwd, catalogPath), cwd));
  if (catalog !== undefined) {
    // A release without some schema the catalog names: those values become open objects.
    const components = spec.document.components as { schemas?: Record<string, unknown> } | undefined;
    const opened = openMissingSchemas(
      catalog.catalog,
      new Set(Object.keys(components?.schemas ?? {})),
      catalogLines(resolve(cwd, catalogPath as string), catalog.file),
    );
    if (opened.warnings.length > 0) {
      warnings.push(...opened.warnings);
      catalog = { ...catalog, catalog: opened.catalog };
    }
  }
  progress("building the model");
  const model = buildModel({ document: spec.document, warnings, locate: spec.locate });
  // Locations are all resolved now; their line numbers can go.
  spec.release();
  const inputsSha256 = createHash("sha256")
    .update(spec.sha256)
    .update(hashOverlays(overlays))
    .update(catalog?.sha256 ?? "")
    .digest("hex");
  return { spec, model, overlays, overlayActions: overlayReport.counts.applied, overlayReport, catalog, inputsSha256 };
}

/**
 * The spec as the banner names it: a URL as given, a file or folder relative to the parent of the
 * output folder (the project root, usually), not to the working directory.
 */
function bannerLocation(spec: LoadedSpec, cwd: string, out: string | undefined): string {
  if (spec.kind === "url") return spec.location;
  return displayPath(resolve(cwd, spec.location), dirname(resolve(cwd, out ?? "generated")));
}

/** Runs the whole pipeline in memory. Throws GeneratorError on bad input. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  // The config and the plugins first: a typo in a plugin name fails before the spec is read.
  const config = await readConfig(options.config, cwd);
  const { CORE_PLUGIN_NAMES, resolvePlugins } = await import("./plugins/select.js");
  const plugins = await resolvePlugins(
    [
      ...(config === undefined
        ? []
        : [{ entries: config.plugins, base: dirname(config.file), file: config.shown, label: (index: number) => `plugins[${index}]` }]),
      {
        entries: options.plugins ?? [],
        base: cwd,
        file: undefined,
        label: (index: number, entry: PluginEntry) =>
          options.pluginsFrom === undefined
            ? `plugins[${index}]`
            : `${options.pluginsFrom} ${typeof entry === "string" ? entry : `#${index + 1}`}`,
      },
    ],
    cwd,
  );
  const { spec, model, overlayActions, overlayReport, catalog, inputsSha256 } = await loadModel({
    ...options,
    spec: options.spec === undefined || options.spec === "" ? config?.spec : options.spec,
    ...(options.overlays === undefined && config?.overlays !== undefined ? { overlays: config.overlays } : {}),
    ...(options.catalog === undefined && config?.catalog !== undefined ? { catalog: config.catalog } : {}),
  });
  const release = specRelease({
    location: spec.location,
    kind: spec.kind,
    cwd,
    explicit: options.release,
    pinned: readDefaultSpec(),
    packageRoot,
  });
  const added = plugins.filter((requested) => !CORE_PLUGIN_NAMES.includes(requested.name)).map((requested) => requested.name);
  options.onProgress?.(`emitting ${model.operations.length} operations${added.length === 0 ? "" : ` (plugins: ${added.join(", ")})`}`);
  // Loaded here, after the spec's locations are released: `diff` shares loadModel and never pays
  // for the emitters, and generate's peak memory does not hold both.
  const { emitAll } = await import("./emit/index.js");
  const files = await emitAll(
    {
      model,
      document: spec.document,
      catalog,
      banner: {
        generatorVersion,
        specLocation: bannerLocation(spec, cwd, options.out ?? config?.out),
        specSha256: spec.sha256,
        inputsSha256,
        overlaysNotApplied: overlayReport.notApplied.length,
        overlaysTotal: overlayReport.total,
      },
      release,
    },
    plugins,
  );
  const summary: GenerateSummary = {
    generatorVersion,
    spec: spec.location,
    specSha256: spec.sha256,
    inputsSha256,
    apiVersion: model.apiVersion,
    release,
    operations: model.operations.length,
    schemas: model.schemas.length,
    events: catalog?.events ?? 0,
    actions: catalog?.actions ?? 0,
    files: files.size,
    overlayActions,
    overlays: overlayReport,
    warningsByKind: countWarnings(model.warnings),
    warnings: model.warnings.map(formatWarning),
    timeMs: Math.round(performance.now() - started),
  };
  return { files, model, warnings: model.warnings, summary, document: spec.document, config };
}
