/**
 * Drift of the event list: our catalog is written by hand from facts about one server release, so
 * it can fall behind. This compares its event names with another list (the names the official
 * `@mattermost/client` package declares) and with the differences we know and accept, each with a
 * reason. Pure: the caller reads the files.
 */
import { GeneratorError } from "../errors.js";
import { parseYamlWithLocations, syntaxErrorLine, twoLines, YamlSyntaxError } from "../yaml-locations.js";

export interface AcceptedDifference {
  readonly name: string;
  /** Which side has the name: `ours` (the catalog only) or `theirs` (the other list only). */
  readonly side: "ours" | "theirs";
  readonly reason: string;
}

export interface DriftReport {
  /** In the catalog, not in the other list, and not accepted. */
  readonly onlyOurs: readonly string[];
  /** In the other list, not in the catalog, and not accepted. */
  readonly onlyTheirs: readonly string[];
  /** Accepted differences that are no longer differences (remove them from the list). */
  readonly stale: readonly AcceptedDifference[];
  /** Accepted differences still present. */
  readonly accepted: readonly AcceptedDifference[];
}

const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

export function compareEventNames(
  ours: Iterable<string>,
  theirs: Iterable<string>,
  acceptedList: readonly AcceptedDifference[] = [],
): DriftReport {
  const oursSet = new Set(ours);
  const theirsSet = new Set(theirs);
  const acceptedKeys = new Set(acceptedList.map((entry) => `${entry.side}:${entry.name}`));
  const present = (entry: AcceptedDifference): boolean =>
    entry.side === "ours" ? oursSet.has(entry.name) && !theirsSet.has(entry.name) : theirsSet.has(entry.name) && !oursSet.has(entry.name);
  return {
    onlyOurs: sorted([...oursSet].filter((name) => !theirsSet.has(name) && !acceptedKeys.has(`ours:${name}`))),
    onlyTheirs: sorted([...theirsSet].filter((name) => !oursSet.has(name) && !acceptedKeys.has(`theirs:${name}`))),
    stale: acceptedList.filter((entry) => !present(entry)),
    accepted: acceptedList.filter(present),
  };
}

/** Whether the report asks for action: a difference nobody explained, or an explanation of nothing. */
export function hasDrift(report: DriftReport): boolean {
  return report.onlyOurs.length > 0 || report.onlyTheirs.length > 0 || report.stale.length > 0;
}

/** Reads the accepted differences (`spec/websocket-events.drift.yaml`). */
export function parseAcceptedDifferences(text: string, file: string): { checkedAgainst: string; accepted: AcceptedDifference[] } {
  const fail = (message: string, line?: number): never => {
    throw new GeneratorError("CATALOG_INVALID", message, {
      file,
      ...(line === undefined ? {} : { line }),
      hint: "Each entry under `accepted` needs `name`, `side` (ours or theirs) and a `reason`.",
    });
  };
  let raw: unknown;
  try {
    const parsed = parseYamlWithLocations(text);
    const repeated = parsed.repeated[0];
    if (repeated !== undefined) {
      return fail(
        `not valid YAML: the key "${repeated.key}" is written twice in one mapping, ${twoLines(repeated.first.line, repeated.second.line)}.`,
        repeated.second.line,
      );
    }
    raw = parsed.value;
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return fail(`not valid YAML: ${error.message}.`, syntaxErrorLine(error, text));
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return fail("the file must be a mapping with `checked_against` and `accepted`.");
  const record = raw as Record<string, unknown>;
  const checkedAgainst =
    typeof record.checked_against === "string"
      ? record.checked_against
      : fail("`checked_against` (the package and version compared) is missing.");
  const list = Array.isArray(record.accepted) ? (record.accepted as unknown[]) : fail("`accepted` must be a list.");
  const accepted = list.map((entry, index): AcceptedDifference => {
    const item = (entry ?? {}) as Record<string, unknown>;
    const name = typeof item.name === "string" && item.name !== "" ? item.name : fail(`accepted[${index}].name is missing.`);
    const side = item.side === "ours" || item.side === "theirs" ? item.side : fail(`accepted[${index}].side must be "ours" or "theirs".`);
    const reason =
      typeof item.reason === "string" && item.reason.trim() !== ""
        ? item.reason
        : fail(`accepted[${index}].reason is missing: say why ${name} differs.`);
    return { name, side, reason };
  });
  return { checkedAgainst, accepted };
}

/** A report for a terminal. */
export function formatDrift(report: DriftReport, otherLabel: string): string {
  const lines: string[] = [];
  const list = (title: string, names: readonly string[]): void => {
    if (names.length > 0) lines.push(`${title} (${names.length}):`, ...names.map((name) => `  ${name}`));
  };
  list(`in our catalog but not in ${otherLabel}`, report.onlyOurs);
  list(`in ${otherLabel} but not in our catalog`, report.onlyTheirs);
  list(
    "accepted differences that no longer differ (remove them)",
    report.stale.map((entry) => `${entry.name} (${entry.side})`),
  );
  if (lines.length === 0)
    lines.push(`no drift: the catalog and ${otherLabel} agree, apart from ${report.accepted.length} accepted differences`);
  return `${lines.join("\n")}\n`;
}
