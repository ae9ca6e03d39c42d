/**
 * Renderings of an `ApiDiff`: Markdown for release notes (grouped by tag, breaking changes first),
 * stable JSON (the shape in docs/diff.md), and a short text summary for a terminal. Pure: each
 * returns a string ending in a newline.
 */
import type { ApiDiff, Change, ChangeSection, DiffCounts } from "./types.js";

const SECTION_TITLES: Record<ChangeSection, string> = {
  operations: "Operations",
  schemas: "Schemas",
  events: "WebSocket events",
  actions: "WebSocket actions",
  shapes: "WebSocket shapes",
};

function sideLabel(side: ApiDiff["old"]): string {
  return `${side.title} ${side.apiVersion}`;
}

function countLine(label: string, counts: DiffCounts & { renamed?: number; moved?: number; deprecated?: number }): string {
  const parts = [`${counts.added} added`, `${counts.removed} removed`];
  if (counts.renamed !== undefined) parts.push(`${counts.renamed} renamed`);
  if (counts.moved !== undefined && counts.moved > 0) parts.push(`${counts.moved} moved`);
  parts.push(`${counts.changed} changed`);
  if (counts.deprecated !== undefined && counts.deprecated > 0) parts.push(`${counts.deprecated} deprecated`);
  return `${label}: ${parts.join(", ")}`;
}

function countLines(diff: ApiDiff): string[] {
  const { summary } = diff;
  const lines = [countLine("operations", summary.operations), countLine("schemas", summary.schemas)];
  if (summary.events !== undefined) lines.push(countLine("events", summary.events));
  if (summary.actions !== undefined) lines.push(countLine("actions", summary.actions));
  return lines;
}

/** `GET /api/v4/x` (`getX`) for operations, the bare name otherwise. */
function subjectLabel(change: Change): string {
  return change.name === undefined ? `\`${change.subject}\`` : `\`${change.subject}\` (\`${change.name}\`)`;
}

function groupBy(changes: readonly Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const key = `${change.section}\u0000${change.group}`;
    const list = groups.get(key) ?? [];
    list.push(change);
    groups.set(key, list);
  }
  return groups;
}

function groupTitle(change: Change): string {
  return change.section === "operations" ? `${SECTION_TITLES.operations}: ${change.group}` : SECTION_TITLES[change.section];
}

function markdownList(changes: readonly Change[], breaking: boolean): string[] {
  const lines: string[] = [];
  for (const list of groupBy(changes).values()) {
    const first = list[0];
    if (first === undefined) continue;
    lines.push(`### ${groupTitle(first)}`, "");
    for (const change of list) lines.push(`- ${breaking ? "**BREAKING** " : ""}${subjectLabel(change)}: ${change.reason}`);
    lines.push("");
  }
  return lines;
}

/** A changelog section a maintainer can paste into release notes. */
export function formatMarkdown(diff: ApiDiff): string {
  const breaking = diff.changes.filter((change) => change.breaking);
  const other = diff.changes.filter((change) => !change.breaking);
  const lines = [
    `## API changes: ${sideLabel(diff.old)} → ${sideLabel(diff.new)}`,
    "",
    `${diff.summary.changes} changes, ${diff.summary.breaking} breaking.`,
    "",
    ...countLines(diff).map((line) => `- ${line}`),
    "",
  ];
  if (diff.changes.length === 0) return `${[...lines, "No changes.", ""].join("\n")}`;
  if (breaking.length > 0) lines.push("## Breaking changes", "", ...markdownList(breaking, true));
  if (other.length > 0) lines.push(breaking.length > 0 ? "## Other changes" : "## Changes", "", ...markdownList(other, false));
  while (lines.at(-1) === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

/** The diff as stable JSON (2-space indent, keys in a fixed order, changes sorted). */
export function formatJson(diff: ApiDiff): string {
  const changes = diff.changes.map((change) => ({
    section: change.section,
    group: change.group,
    subject: change.subject,
    ...(change.name === undefined ? {} : { name: change.name }),
    kind: change.kind,
    breaking: change.breaking,
    ...(change.at === undefined ? {} : { at: change.at }),
    ...(change.before === undefined ? {} : { before: change.before }),
    ...(change.after === undefined ? {} : { after: change.after }),
    reason: change.reason,
  }));
  return `${JSON.stringify({ version: diff.version, old: diff.old, new: diff.new, summary: diff.summary, changes }, null, 2)}\n`;
}

/** A short summary for a terminal: the counts, every breaking change on one line, then the other moves. */
export function formatText(diff: ApiDiff): string {
  const lines = [
    `${sideLabel(diff.old)} → ${sideLabel(diff.new)}`,
    ...countLines(diff),
    `changes: ${diff.summary.changes} (${diff.summary.breaking} breaking)`,
  ];
  const breaking = diff.changes.filter((change) => change.breaking);
  if (breaking.length > 0) {
    lines.push("breaking:");
    for (const change of breaking) {
      const subject = change.name === undefined ? change.subject : `${change.subject} (${change.name})`;
      lines.push(`  ${subject}: ${change.reason.replaceAll("`", "")}`);
    }
  }
  // A move that breaks nothing is still news: the route a caller sees in a trace or a proxy log.
  const moves = diff.changes.filter((change) => change.kind === "operation-moved" && !change.breaking);
  if (moves.length > 0) {
    lines.push("moved:");
    for (const change of moves) lines.push(`  ${change.subject} (${change.name ?? ""}): ${change.reason.replaceAll("`", "")}`);
  }
  return `${lines.join("\n")}\n`;
}
