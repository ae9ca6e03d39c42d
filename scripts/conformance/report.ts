/** docs/conformance.md from a sweep result: counts, every mismatch, and where each operation stands. */
import type { OperationResult, Outcome, SweepResult } from "./sweep.js";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const names = (results: readonly OperationResult[]): string => results.map((result) => `\`${result.op}\``).join(", ");

function byReason(results: readonly OperationResult[]): string[] {
  if (results.length === 0) return ["None."];
  const groups = new Map<string, OperationResult[]>();
  for (const result of results) {
    const reason = result.reason ?? "";
    groups.set(reason, [...(groups.get(reason) ?? []), result]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason, group]) => `- ${reason || "(no reason)"} (${group.length}): ${names(group)}`);
}

export function formatMarkdown(result: SweepResult): string {
  const { totals } = result;
  const of = (outcome: Outcome): OperationResult[] => result.operations.filter((operation) => operation.outcome === outcome);
  const lines = [
    "# Conformance of the spec to a real server",
    "",
    "Written by `npm run conformance` (`scripts/conformance/`), which starts a real Mattermost server with a fresh",
    "database and seed data, calls every operation that is safe to call, and checks each answer with the",
    "validators the `validators` plugin generates in strict mode: the status code, required fields that are",
    "missing, values of the wrong type (including `null` where the spec does not allow it), and fields the",
    "spec does not list. Repairs of the spec live in `spec/overlays/` (`40-conformance-*.yaml`), each with its reason.",
    "The operations it cannot call were read against their handlers in the same server instead",
    "(`45-handler-responses.yaml`, `46-audit-*` to `49-audit-*`).",
    "",
    // X-Version-Id continues with build and config hashes that change from run to run: keep the release.
    `- Server: ${result.server.version?.split(".").slice(0, 3).join(".") ?? "unknown"}${result.server.module ? ` (\`${result.server.module}\` at ${result.server.commit ?? "?"})` : ""}`,
    `- Spec: ${result.spec.release === undefined ? "" : `Mattermost ${result.spec.release}, `}API ${result.spec.apiVersion} (sha256 \`${result.spec.sha256.slice(0, 16)}…\`), ${result.spec.overlayActions} overlay actions applied`,
    `- Overlays from this sweep: ${result.spec.conformanceOverlays.map((overlay) => `\`${overlay.file}\` (${overlay.actions})`).join(", ") || "none"}`,
    "",
    "| | operations |",
    "| --- | ---: |",
    `| in the spec | ${totals.operations} |`,
    `| swept (called, answered 2xx, validated) | ${totals.swept} |`,
    `| conforming | ${totals.conforms} |`,
    `| with mismatches | ${totals.mismatch} |`,
    `| not on this server (no such route: newer than the server, or no longer routed) | ${totals["not on this server"]} |`,
    `| unavailable (needs a license, plugin, cloud or setting) | ${totals.unavailable} |`,
    `| nothing to read on a fresh server (404) | ${totals["nothing to read"]} |`,
    `| called, but the call failed | ${totals.failed} |`,
    `| skipped on purpose | ${totals.skipped} |`,
    `| not planned (no safe way to call them with the seed data) | ${totals["not planned"]} |`,
    "",
    `${totals.calls} calls in all.`,
    "",
    "## Mismatches",
    "",
  ];
  const mismatches = of("mismatch");
  if (mismatches.length === 0) lines.push("None: every swept response conforms.", "");
  else {
    lines.push("| operation | field | kind | finding | calls |", "| --- | --- | --- | --- | ---: |");
    for (const operation of mismatches) {
      for (const issue of operation.issues)
        lines.push(`| \`${operation.op}\` | \`${cell(issue.path)}\` | ${issue.kind} | ${cell(issue.message)} | ${issue.count} |`);
    }
    lines.push("");
  }
  const presence = result.presenceTotals;
  lines.push(
    "## Fields always sent",
    "",
    "For every property the answers' schemas declare, the sweep counts the objects that held it. A",
    "property present in every object seen but not `required` is marked required in",
    "`spec/overlays/56-always-sent.yaml` when its struct field has no `omitempty` (Go always sends",
    "it), or explained in that file's comments (`scripts/conformance/always-sent.mjs` writes it).",
    "",
    "| | properties |",
    "| --- | ---: |",
    `| declared and seen in at least one answer | ${presence.properties} |`,
    `| present in every object seen | ${presence.alwaysPresent} |`,
    `| present in every object seen, still typed optional (each explained in 56-always-sent.yaml) | ${presence.alwaysPresentOptional} |`,
    "",
  );
  lines.push(`## Conforming (${totals.conforms})`, "", names(of("conforms")), "");
  lines.push(
    `## Not on this server (${totals["not on this server"]})`,
    "",
    "Answered 404 `api.context.404.app_error`, the server's answer for a route it does not have: routes added after it was built, and routes it no longer serves.",
    "",
    names(of("not on this server")),
    "",
  );
  lines.push(
    `## Unavailable (${totals.unavailable})`,
    "",
    "By the status and error id of the answer:",
    "",
    ...byReason(of("unavailable")),
    "",
  );
  lines.push(`## Nothing to read (${totals["nothing to read"]})`, "", ...byReason(of("nothing to read")), "");
  lines.push(
    `## Failed calls (${totals.failed})`,
    "",
    "Called, but answered with an error that none of the above explains:",
    "",
    ...byReason(of("failed")),
    "",
  );
  lines.push(`## Skipped on purpose (${totals.skipped})`, "", ...byReason(of("skipped")), "");
  lines.push(`## Not planned (${totals["not planned"]})`, "", ...byReason(of("not planned")), "");
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
