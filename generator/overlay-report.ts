/**
 * What a run does about the overlay actions that did not apply: the report (counts by state and
 * every action not applied, with its `file:line`) and the policy. For the pinned release
 * (spec/default.json) any action not applied fails the run, all of them listed at once, so the
 * overlays cannot rot; `strict` does the same for any spec. Otherwise the run goes on with one
 * warning. When more than half of the actions do not apply, the spec is probably not a Mattermost
 * release: one error says so, instead of a list of hundreds.
 */
import { GeneratorError } from "./errors.js";
import type { OverlayOutcome } from "./overlay.js";
import { OVERLAY_STATES, type OverlayState, STATE_LABELS } from "./overlay-states.js";
import type { GeneratorWarning } from "./warnings.js";

/** An action that did not apply, for `--json` and the `overlays` command. */
export interface OverlayIssue {
  /** The overlay file, as shown (relative to the working directory). */
  readonly file: string;
  readonly line: number;
  readonly state: Exclude<OverlayState, "applied">;
  readonly reason: string;
  readonly target: string;
  /** The action's own description: why it exists. */
  readonly description: string;
}

export interface OverlayReport {
  /** Actions over all overlay files. */
  readonly total: number;
  /** Actions by state; every state is present. */
  readonly counts: Readonly<Record<OverlayState, number>>;
  /** Every action not applied, in file and line order. */
  readonly notApplied: readonly OverlayIssue[];
}

export function reportOverlays(outcomes: readonly OverlayOutcome[]): OverlayReport {
  const counts = Object.fromEntries(OVERLAY_STATES.map((state) => [state, 0])) as Record<OverlayState, number>;
  const notApplied: OverlayIssue[] = [];
  for (const { action, state, reason } of outcomes) {
    counts[state] += 1;
    if (state === "applied") continue;
    notApplied.push({
      file: action.location.file,
      line: action.location.line,
      state,
      reason,
      target: action.target,
      description: action.description,
    });
  }
  return { total: outcomes.length, counts, notApplied };
}

/** `440 applied, 2 already upstream, 8 not in this release, 0 conflicting`. */
export function formatOverlayCounts(report: OverlayReport): string {
  return OVERLAY_STATES.map((state) => `${report.counts[state]} ${STATE_LABELS[state]}`).join(", ");
}

/** `spec/overlays/10-users-me.yaml:6: not in this release: this release has no operation GetMe`. */
export function formatIssue(issue: OverlayIssue): string {
  return `${issue.file}:${issue.line}: ${STATE_LABELS[issue.state]}: ${issue.reason}`;
}

/** More than this share of the actions not applying means the spec is probably not Mattermost's. */
export const MISMATCH_SHARE = 0.5;

export interface OverlayPolicy {
  /** The spec as shown to the user. */
  readonly spec: string;
  /** The spec is the pinned release (spec/default.json), whose overlays must all apply. */
  readonly pinned: boolean;
  /** `--strict-overlays`: fail like the pinned release. */
  readonly strict: boolean;
  /** The pinned release's version, for messages (`v11.6.0`). */
  readonly pinnedVersion: string;
  /** Where the overlays were read from, as shown. */
  readonly overlays: string;
}

/**
 * Applies the policy: throws OVERLAY_MISMATCH when most actions do not apply, OVERLAY_STALE for
 * any action not applied to the pinned release (or with `strict`); otherwise returns the one
 * warning to add (none when every action applied).
 */
export function enforceOverlayPolicy(report: OverlayReport, policy: OverlayPolicy): GeneratorWarning | undefined {
  const missed = report.notApplied.length;
  if (missed === 0) return undefined;
  if (missed > report.total * MISMATCH_SHARE) {
    throw new GeneratorError(
      "OVERLAY_MISMATCH",
      `${missed} of the ${report.total} overlay actions in ${policy.overlays} do not apply to ${policy.spec} (${formatOverlayCounts(report)}): it may not be a Mattermost release, or one far from what the overlays were written for (${policy.pinnedVersion}).`,
      {
        hint: `To generate this spec without the project's Mattermost repairs and event catalog, pass --no-overlays --no-catalog; to generate a Mattermost release, pass --spec with its mattermost-openapi-v4.yaml or its source/ folder. \`mattermost-typed overlays --spec ${policy.spec}\` lists every action.`,
      },
    );
  }
  if (policy.pinned || policy.strict) {
    const why = policy.pinned
      ? `the pinned release (${policy.pinnedVersion}, spec/default.json), whose overlays must all apply`
      : "and --strict-overlays is set";
    throw new GeneratorError(
      "OVERLAY_STALE",
      `${missed} of the ${report.total} overlay actions do not apply to ${policy.spec}, ${why} (${formatOverlayCounts(report)}):\n${report.notApplied.map((issue) => `  ${formatIssue(issue)}`).join("\n")}\n`,
      {
        hint: "Delete an action that is already upstream; move a conflicting one to what its target became; for one not in this release, check the target's spelling or move the action to an overlay for the release that has it.",
      },
    );
  }
  return {
    kind: "overlays-not-applied",
    message: `${missed} of the ${report.total} overlay actions did not apply to this spec (${formatOverlayCounts(report)})`,
    action: `generated without them; \`mattermost-typed overlays --spec ${policy.spec}\` gives each one's file, line and reason (--strict-overlays makes this an error)`,
    locations: [],
  };
}
