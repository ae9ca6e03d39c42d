/**
 * What changed since the last generation: the output folder's banner names the spec it was made
 * from (location and sha256), so `generate` can load that spec again and diff it against the new
 * one, ending with "12 operations added, 2 breaking changes: ..." without a second command.
 *
 * Both sides are compared without overlays, as `mattermost-typed diff` does by default: overlays
 * are written against one release, and what they fix is ours, not the API's. Event catalogs are not
 * compared (the banner keeps only their hash).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { diffModels } from "./diff/compare.js";
import type { ApiDiff } from "./diff/types.js";
import { readBanner } from "./emit/banner.js";
import { isGeneratorError } from "./errors.js";
import { loadModel } from "./generate.js";
import { displayPath } from "./load.js";

export type PreviousComparison =
  /** No earlier output (or none with our banner): nothing to compare. */
  | { readonly kind: "none" }
  /** The earlier output was made from the same spec (same sha256). */
  | { readonly kind: "same-spec" }
  /** The earlier spec cannot be read any more (moved, offline, ...). */
  | { readonly kind: "unreadable"; readonly location: string; readonly reason: string }
  /** The earlier spec's location now holds something else (edited in place). */
  | { readonly kind: "changed-in-place"; readonly location: string }
  | { readonly kind: "diff"; readonly from: string; readonly to: string; readonly diff: ApiDiff };

export interface PreviousOptions {
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly onProgress?: (step: string) => void;
}

/** The banner fields of an output folder, read from its `index.ts`. */
export function readPreviousBanner(outDir: string): ReturnType<typeof readBanner> {
  const index = join(outDir, "index.ts");
  if (!existsSync(index)) return undefined;
  return readBanner(readFileSync(index, "utf8").slice(0, 2_000));
}

/**
 * Compares the spec the output folder was generated from with the new one. Call it before the new
 * output replaces the old. Never throws for an unreadable earlier spec: that is a result.
 */
export async function compareWithPrevious(
  outDir: string,
  current: { readonly spec: string; readonly specSha256: string },
  options: PreviousOptions = {},
): Promise<PreviousComparison> {
  const previous = readPreviousBanner(outDir);
  if (previous === undefined) return { kind: "none" };
  if (previous.specSha256 === current.specSha256) return { kind: "same-spec" };
  const cwd = options.cwd ?? process.cwd();
  // The banner names a spec file relative to the output folder's parent (the project root, usually);
  // older banners named it relative to the folder that run was started in.
  const candidates = /^https?:\/\//.test(previous.specLocation)
    ? [previous.specLocation]
    : [resolve(dirname(resolve(cwd, outDir)), previous.specLocation), resolve(cwd, previous.specLocation)];
  const found = candidates.find((candidate) => /^https?:\/\//.test(candidate) || existsSync(candidate));
  if (found === undefined) {
    // Where it was looked for first, shown from here like every path in messages.
    const location = candidates[0] === undefined ? previous.specLocation : displayPath(candidates[0], cwd);
    return { kind: "unreadable", location, reason: "it is no longer there" };
  }
  options.onProgress?.(`comparing with the previous spec ${previous.specLocation}`);
  const load = (spec: string) =>
    loadModel({ spec, cwd, overlays: false, catalog: false, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  let before: Awaited<ReturnType<typeof load>>;
  try {
    before = await load(found);
  } catch (error) {
    if (!isGeneratorError(error)) throw error;
    return { kind: "unreadable", location: previous.specLocation, reason: error.message };
  }
  // Shown from here, like the new spec (the banner's location is relative to the output's parent).
  const shown = before.spec.location;
  if (before.spec.sha256 !== previous.specSha256) return { kind: "changed-in-place", location: shown };
  const after = await load(current.spec);
  const diff = diffModels({ model: before.model, document: before.spec.document }, { model: after.model, document: after.spec.document });
  return { kind: "diff", from: shown, to: current.spec, diff };
}

/** One paragraph for the end of `generate`'s summary. */
export function formatPreviousComparison(comparison: PreviousComparison, limit = 10): string {
  switch (comparison.kind) {
    case "none":
    case "same-spec":
      return "";
    case "unreadable":
      return `changes since the previous output: unknown (its spec ${comparison.location} cannot be read: ${comparison.reason})\n`;
    case "changed-in-place":
      return `changes since the previous output: unknown (its spec ${comparison.location} was changed in place since)\n`;
    case "diff": {
      const { summary } = comparison.diff;
      const counts = [
        [summary.operations.added, "operations added"],
        [summary.operations.removed, "operations removed"],
        [summary.operations.renamed, "operations renamed"],
        [summary.operations.moved, "operations moved"],
        [summary.operations.changed, "operations changed"],
        [summary.schemas.added, "schemas added"],
        [summary.schemas.removed, "schemas removed"],
        [summary.schemas.changed, "schemas changed"],
      ]
        .filter(([count]) => count !== 0)
        .map(([count, label]) => `${count} ${label}`);
      const head = `changes since the previous output (${comparison.from} → ${comparison.to}): ${counts.length === 0 ? "none in the API" : counts.join(", ")}; ${summary.breaking} breaking`;
      const breaking = comparison.diff.changes.filter((change) => change.breaking);
      const lines = [head + (breaking.length > 0 ? ":" : "")];
      for (const change of breaking.slice(0, limit)) {
        const subject = change.name === undefined ? change.subject : `${change.subject} (${change.name})`;
        lines.push(`  ${subject}: ${change.reason.replaceAll("`", "")}`);
      }
      if (breaking.length > limit) lines.push(`  ... and ${breaking.length - limit} more`);
      lines.push(`full report: mattermost-typed diff ${comparison.from} ${comparison.to} --format markdown`);
      return `${lines.join("\n")}\n`;
    }
  }
}

/** The comparison for `generate --json`: the kind, and for a diff its summary (not every change). */
export function summarizePrevious(comparison: PreviousComparison): Record<string, unknown> {
  if (comparison.kind !== "diff") return { ...comparison };
  return {
    kind: "diff",
    from: comparison.from,
    to: comparison.to,
    summary: comparison.diff.summary,
    breaking: comparison.diff.changes.filter((change) => change.breaking),
  };
}
