/**
 * Warnings: what the generator repaired or noticed in the input, each with where and what was done.
 * They are data (the CLI prints them); the summary groups them by kind.
 */
import type { SourceLocation } from "./load.js";

export type WarningKind =
  | "duplicate-key"
  | "duplicate-operation-id"
  | "undeclared-path-parameter"
  | "unused-path-parameter"
  | "undeclared-tag"
  | "missing-operation-id"
  | "empty-media-type"
  | "name-collision"
  | "overlays-not-applied"
  | "catalog-schema-missing";

export interface GeneratorWarning {
  readonly kind: WarningKind;
  /** What is wrong in the input. */
  readonly message: string;
  /** What the generator did about it. */
  readonly action: string;
  /** Every place involved (both definitions for a duplicate). */
  readonly locations: readonly SourceLocation[];
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}`;
}

export function formatWarning(warning: GeneratorWarning): string {
  const where = warning.locations.map(formatLocation).join(", ");
  return `${warning.kind}: ${warning.message}${where === "" ? "" : ` (${where})`}; ${warning.action}`;
}

/** Where docs/errors.md says what the generator did about `kind` and what you can do: `docs/errors.md#duplicate-key`. */
export function warningDocs(kind: WarningKind): string {
  return `docs/errors.md#${kind}`;
}

/** Counts by kind, sorted by kind. */
export function countWarnings(warnings: readonly GeneratorWarning[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const warning of [...warnings].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))) {
    counts[warning.kind] = (counts[warning.kind] ?? 0) + 1;
  }
  return counts;
}
