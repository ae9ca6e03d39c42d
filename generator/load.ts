/**
 * Stage 1: load. Reads the spec (a file, a folder of fragments, or a URL), parses it with js-yaml
 * (`yaml-locations.ts`: one pass that also records the line of every key and sequence item), keeps
 * a way back from every node to `file:line`, and records duplicate map keys instead of silently
 * dropping one.
 *
 * A folder of fragments is one YAML document split into files, exactly as upstream keeps it: the
 * fragments are concatenated in the order of `build-order.txt` (in the folder or beside it) and
 * parsed as one document. Lines of the combined text map back to the fragment they came from.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { firstLine, GeneratorError } from "./errors.js";
import { findLocation, parseYamlWithLocations, type Location, type RepeatedKey, YamlSyntaxError } from "./yaml-locations.js";

/** A place in the input: the file (or URL) and the 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** A map key that appears twice in one mapping, placed by file and line. Both values are kept for the repair stage. */
export type DuplicateKey = RepeatedKey<{ readonly location: SourceLocation }>;

export interface LoadedSpec {
  /** What the user named, for messages and the banner (relative to the working directory when inside it). */
  readonly location: string;
  readonly kind: "file" | "folder" | "url";
  /** sha256 of the exact text parsed (for a folder: the concatenation). */
  readonly sha256: string;
  /** The parsed document, plain JSON data. Duplicate keys resolved last-wins, as YAML loaders do. */
  readonly document: Record<string, unknown>;
  readonly duplicates: readonly DuplicateKey[];
  /** Where a node (given as path segments from the root) is defined, when it is in the input. */
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
  /** Frees the line numbers behind `locate` (after it, `locate` answers undefined). */
  release(): void;
}

/** One piece of input text and where it came from. */
interface Segment {
  readonly file: string;
  readonly text: string;
}

export interface LoadOptions {
  /** Working directory for relative paths and for display. */
  readonly cwd?: string;
  /** Timeout for URL inputs, in milliseconds. */
  readonly timeoutMs?: number;
  /** Fragment order for URL folders (a URL ending in `/`). */
  readonly fragments?: readonly string[];
}

/** Read and parse a spec from a path or URL. */
export async function loadSpec(spec: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const cwd = options.cwd ?? process.cwd();
  if (/^https?:\/\//i.test(spec)) {
    const segments = await fetchSegments(spec, options);
    return parseSegments(segments, spec, "url");
  }
  const path = resolve(cwd, spec);
  const shown = displayPath(path, cwd);
  if (!existsSync(path)) {
    throw new GeneratorError("SPEC_NOT_FOUND", `The spec "${shown}" does not exist.`, {
      file: shown,
      hint: "Pass --spec with a YAML or JSON file, a folder of fragments, or an http(s) URL (or set MATTERMOST_SPEC).",
    });
  }
  if (statSync(path).isDirectory()) {
    return parseSegments(readFolder(path, cwd), shown, "folder");
  }
  return parseSegments([{ file: shown, text: readText(path, shown) }], shown, "file");
}

/** Parse text that is already in memory (tests, stdin). */
export function parseSpecText(text: string, file: string): LoadedSpec {
  return parseSegments([{ file, text }], file, "file");
}

export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  const shown = rel === "" ? "." : rel;
  return sep === "/" ? shown : shown.split(sep).join("/");
}

function readText(path: string, shown: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    throw new GeneratorError("SPEC_NOT_FOUND", `The spec "${shown}" cannot be read: ${(cause as Error).message}.`, {
      file: shown,
      hint: "Check the path and its permissions.",
    });
  }
}

/** The fragments of a folder, in upstream's build order. */
function readFolder(folder: string, cwd: string): Segment[] {
  const names = readdirSync(folder).filter((name) => /\.(ya?ml|json)$/i.test(name));
  const shownFolder = displayPath(folder, cwd);
  if (names.length === 0) {
    throw new GeneratorError("SPEC_EMPTY", `The folder "${shownFolder}" holds no .yaml, .yml or .json fragment.`, {
      file: shownFolder,
      hint: "Point --spec at the folder that holds the fragments (upstream: api/v4/source) or at a bundled file.",
    });
  }
  const order = buildOrder(folder, names);
  return order.map((name) => {
    const path = join(folder, name);
    const shown = displayPath(path, cwd);
    return { file: shown, text: readText(path, shown) };
  });
}

/**
 * `build-order.txt` in the folder or its parent lists the fragments in upstream's order. Without it:
 * `introduction` first, `definitions` last, the rest by name (upstream's layout).
 */
function buildOrder(folder: string, names: readonly string[]): string[] {
  for (const candidate of [join(folder, "build-order.txt"), join(dirname(folder), "build-order.txt")]) {
    if (!existsSync(candidate)) continue;
    const listed = readFileSync(candidate, "utf8")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => basename(line));
    const present = new Set(names);
    const ordered = listed.filter((name) => present.has(name));
    const rest = names.filter((name) => !listed.includes(name)).sort();
    // Fragments the order file does not know go before definitions, like upstream's Makefile would need.
    return [...ordered, ...rest];
  }
  const rank = (name: string): number => (name.startsWith("introduction.") ? 0 : name.startsWith("definitions.") ? 2 : 1);
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch (cause) {
    const timedOut = (cause as Error).name === "TimeoutError";
    throw new GeneratorError(
      "SPEC_FETCH",
      timedOut
        ? `Fetching the spec timed out after ${timeoutMs} ms.`
        : `The spec URL cannot be reached: ${(cause as Error).message}${causeText(cause)}.`,
      { file: url, hint: "Check the URL and the network, or download the file and pass its path with --spec." },
    );
  }
  if (!response.ok) {
    throw new GeneratorError("SPEC_FETCH", `The server answered ${response.status} ${response.statusText} for the spec URL.`, {
      file: url,
      hint: "Check the URL (a release tag that exists, the right file name), or pass a local path with --spec.",
    });
  }
  return response.text();
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : "";
}

async function fetchSegments(url: string, options: LoadOptions): Promise<Segment[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!url.endsWith("/")) return [{ file: url, text: await fetchText(url, timeoutMs) }];
  const fragments = options.fragments;
  if (fragments === undefined || fragments.length === 0) {
    throw new GeneratorError("SPEC_FETCH", "A URL ending in / names a folder of fragments, but no fragment order is known for it.", {
      file: url,
      hint: "Pass the URL of a bundled file, or list the fragments in spec/default.json.",
    });
  }
  return Promise.all(fragments.map(async (name) => ({ file: url + name, text: await fetchText(url + name, timeoutMs) })));
}

/** Maps a line of the combined text back to its fragment. */
class LineMap {
  private readonly starts: number[] = [];
  private readonly files: string[] = [];

  add(firstLine: number, file: string): void {
    this.starts.push(firstLine);
    this.files.push(file);
  }

  map(line: number): SourceLocation {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= line) low = mid;
      else high = mid - 1;
    }
    return { file: this.files[low] ?? "", line: line - (this.starts[low] ?? 1) + 1 };
  }
}

function parseSegments(segments: readonly Segment[], location: string, kind: LoadedSpec["kind"]): LoadedSpec {
  const lines = new LineMap();
  let line = 1;
  const parts: string[] = [];
  for (const segment of segments) {
    if (segment.text.trim() === "") {
      throw new GeneratorError("SPEC_EMPTY", "The spec file is empty.", {
        file: segment.file,
        hint: "Point --spec at a Mattermost OpenAPI 3 document (YAML or JSON).",
      });
    }
    const text = segment.text.endsWith("\n") ? segment.text : `${segment.text}\n`;
    lines.add(line, segment.file);
    parts.push(text);
    line += countLines(text);
  }
  const text = parts.join("");
  const sha256 = createHash("sha256").update(text).digest("hex");
  const firstFile = segments[0]?.file ?? location;
  let parsed: ReturnType<typeof parseYamlWithLocations>;
  try {
    parsed = parseYamlWithLocations(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    const truncated = error.offset !== undefined && error.offset >= text.length - 2;
    throw new GeneratorError("SPEC_PARSE", `The spec is not valid YAML or JSON: ${firstLine(error.message)}.`, {
      ...(error.line === undefined ? { file: firstFile } : lines.map(error.line)),
      hint: truncated
        ? "The file ends in the middle of a value: it looks truncated. Download it again."
        : "Fix the syntax at that line (indentation, quotes, brackets), or download the file again.",
    });
  }
  const document = parsed.value;
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new GeneratorError("SPEC_NOT_OPENAPI", "The spec is not an OpenAPI document: its top level is not a mapping.", {
      file: firstFile,
      line: 1,
      hint: "Point --spec at a Mattermost OpenAPI 3 document (YAML or JSON).",
    });
  }
  const root = document as Record<string, unknown>;
  let tree: Location | undefined = parsed.root;
  const locate = (path: readonly (string | number)[]): SourceLocation | undefined => {
    const line = findLocation(tree, path);
    return line === undefined ? undefined : lines.map(line);
  };
  checkVersion(root, firstFile, locate);
  return {
    location,
    kind,
    sha256,
    document: root,
    duplicates: parsed.repeated.map((repeat) => ({
      parent: repeat.parent,
      key: repeat.key,
      first: { location: lines.map(repeat.first.line), value: repeat.first.value },
      second: { location: lines.map(repeat.second.line), value: repeat.second.value },
    })),
    locate,
    release: () => {
      tree = undefined;
    },
  };
}

function countLines(text: string): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) count += 1;
  return count;
}

function checkVersion(root: Record<string, unknown>, file: string, locate: (path: string[]) => SourceLocation | undefined): void {
  if ("swagger" in root) {
    throw new GeneratorError("SPEC_SWAGGER2", `The spec is Swagger ${String(root.swagger)}, not OpenAPI 3.`, {
      ...(locate(["swagger"]) ?? { file, line: 1 }),
      hint: "mattermost-typed reads OpenAPI 3.0 and 3.1. Convert the document first (for example with swagger2openapi), or use Mattermost's OpenAPI 3 spec.",
    });
  }
  const version = root.openapi;
  if (typeof version !== "string" || !/^3\.\d+(\.\d+)?/.test(version)) {
    throw new GeneratorError(
      "SPEC_NOT_OPENAPI",
      version === undefined
        ? "The spec has no `openapi` field, so it is not an OpenAPI 3 document."
        : `The spec says openapi: ${String(version)}; only OpenAPI 3.x is supported.`,
      {
        ...(locate(["openapi"]) ?? { file, line: 1 }),
        hint: "Point --spec at a Mattermost OpenAPI 3 document; a folder of fragments must start with the introduction fragment.",
      },
    );
  }
}
