/**
 * `mattermost-typed overlays [--spec S] [--json]`: what the day a release lands starts with. Loads
 * the spec, applies the overlays as `generate` does and prints, grouped by file, each action's state
 * (applied, already upstream, not in this release, conflicting) and why. It never fails for an
 * action that does not apply: it is the list to work through, not the gate (`generate` is).
 */
import type { Argv, CommandModule } from "yargs";
import type { Io } from "../cli.js";
import { loadOverlaidSpec, type OverlaidSpec } from "../generate.js";
import { MISMATCH_SHARE } from "../overlay-report.js";
import { OVERLAY_STATES, type OverlayState, STATE_LABELS } from "../overlay-states.js";
import { readDefaultSpec } from "../paths.js";

interface OverlaysArgs {
  spec: string | undefined;
  overlays: string | false | undefined;
  json: boolean;
  timeout: number;
}

/** One action as `--json` lists it. */
export interface OverlayActionState {
  readonly line: number;
  readonly state: OverlayState;
  /** Why it did not apply; empty for `applied`. */
  readonly reason: string;
  readonly target: string;
  readonly description: string;
}

/** What `overlays --json` prints. */
export interface OverlaysJson {
  readonly spec: string;
  readonly specSha256: string;
  readonly pinned: boolean;
  readonly overlays: string | null;
  readonly total: number;
  readonly counts: Readonly<Record<OverlayState, number>>;
  /** Set when more than half of the actions do not apply: what to pass instead. */
  readonly notMattermost: string | null;
  readonly files: readonly { readonly file: string; readonly title: string; readonly actions: readonly OverlayActionState[] }[];
}

export function overlaysJson(overlaid: OverlaidSpec): OverlaysJson {
  const byAction = new Map(overlaid.outcomes.map((outcome) => [outcome.action, outcome]));
  return {
    spec: overlaid.shownSpec,
    specSha256: overlaid.spec.sha256,
    pinned: overlaid.pinned,
    overlays: overlaid.overlayFolder ?? null,
    total: overlaid.report.total,
    counts: overlaid.report.counts,
    notMattermost: mismatchNote(overlaid) ?? null,
    files: overlaid.overlays.map((overlay) => ({
      file: overlay.file,
      title: overlay.title,
      actions: overlay.actions.map((action): OverlayActionState => {
        const outcome = byAction.get(action);
        return {
          line: action.location.line,
          state: outcome?.state ?? "applied",
          reason: outcome?.reason ?? "",
          target: action.target,
          description: action.description,
        };
      }),
    })),
  };
}

/** The one line said when most actions do not apply. */
function mismatchNote(overlaid: OverlaidSpec): string | undefined {
  const { report } = overlaid;
  if (report.notApplied.length <= report.total * MISMATCH_SHARE) return undefined;
  return `More than half of the actions do not apply: ${overlaid.shownSpec} may not be a Mattermost release (the overlays are written for ${readDefaultSpec().version}). Generate it with --no-overlays --no-catalog, or pass --spec with a Mattermost release's mattermost-openapi-v4.yaml or source/ folder.`;
}

/** The text report: a head, then each file with one line per action. */
export function formatOverlays(data: OverlaysJson): string {
  const lines = [
    `spec: ${data.spec} (sha256 ${data.specSha256.slice(0, 12)})${data.pinned ? ", the pinned release: generate fails unless every action applies" : ""}`,
    data.overlays === null
      ? "overlays: none"
      : `overlays: ${data.overlays}, ${data.total} actions: ${OVERLAY_STATES.map((state) => `${data.counts[state]} ${STATE_LABELS[state]}`).join(", ")}`,
  ];
  if (data.notMattermost !== null) lines.push(data.notMattermost);
  const width = Math.max(...OVERLAY_STATES.map((state) => STATE_LABELS[state].length));
  for (const file of data.files) {
    const applied = file.actions.filter((action) => action.state === "applied").length;
    lines.push("", `${file.file}: ${file.title} (${applied} of ${file.actions.length} applied)`);
    const lineWidth = Math.max(...file.actions.map((action) => String(action.line).length), 1);
    for (const action of file.actions) {
      const label = STATE_LABELS[action.state].padEnd(width);
      const line = String(action.line).padStart(lineWidth);
      lines.push(`  ${line}  ${label}  ${action.state === "applied" ? action.target : action.reason}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function overlaysCommand(io: Io): CommandModule<object, OverlaysArgs> {
  return {
    command: "overlays",
    describe: "Show each overlay action's state on a spec (applied, already upstream, not in this release, conflicting) and why",
    builder: (argv: Argv) =>
      argv
        .option("spec", {
          type: "string",
          describe: "Spec file (YAML/JSON), folder of fragments, or http(s) URL [default: $MATTERMOST_SPEC, else the pinned release]",
        })
        .option("overlays", {
          type: "string",
          describe: "Folder of overlay documents [default: the package's spec/overlays]",
        })
        .option("json", { type: "boolean", default: false, describe: "Print the states as JSON on stdout" })
        .option("timeout", {
          type: "number",
          default: 30_000,
          describe: "Timeout for URL inputs, in milliseconds",
        }) as unknown as Argv<OverlaysArgs>,
    handler: async (args) => {
      const overlaid = await loadOverlaidSpec({
        spec: args.spec,
        timeoutMs: args.timeout,
        ...(args.overlays === undefined ? {} : { overlays: args.overlays }),
      });
      const data = overlaysJson(overlaid);
      io.out(args.json ? `${JSON.stringify(data, null, 2)}\n` : formatOverlays(data));
    },
  };
}
