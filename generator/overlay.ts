/**
 * Stage 3: overlays. Project-owned repairs and supplements of the upstream spec, as OpenAPI
 * Overlay 1.0 documents. Each action has a JSONPath `target`, an `update` (merged into objects,
 * appended to arrays) or `remove: true`, and a one-line `description` saying why it exists.
 *
 * Each action ends a run in a state (applied, already upstream, not in this release, conflicting:
 * overlay-states.ts); what a run does about the ones that did not apply is overlay-report.ts's
 * policy: for the pinned release they fail the run, so the overlays cannot rot.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GeneratorError } from "./errors.js";
import { isRecord } from "./json.js";
import { JsonPathSyntaxError, type JsonMatch } from "./jsonpath.js";
import type { SourceLocation } from "./load.js";
import { type Classification, classifyAction, type OverlayState, pendingComponents } from "./overlay-states.js";
import { findNearestLocation, parseOwnYaml } from "./yaml-locations.js";

export interface OverlayAction {
  readonly target: string;
  readonly description: string;
  readonly update?: unknown;
  readonly remove?: boolean;
  readonly location: SourceLocation;
}

export interface Overlay {
  readonly file: string;
  readonly title: string;
  readonly text: string;
  readonly actions: readonly OverlayAction[];
}

export interface OverlayResult {
  /** Actions applied, over all overlays. */
  readonly applied: number;
  /** Nodes changed or removed, over all actions. */
  readonly nodes: number;
  /** Every action, in order, with its state. */
  readonly outcomes: readonly OverlayOutcome[];
}

/** Reads every `*.yaml`/`*.yml`/`*.json` overlay of a folder, sorted by file name. */
export function readOverlays(folder: string, shownFolder: string): Overlay[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => /\.(ya?ml|json)$/i.test(name));
  } catch {
    return [];
  }
  return names.sort().map((name) => parseOverlay(readFileSync(join(folder, name), "utf8"), `${shownFolder}/${name}`));
}

const OVERLAY_HINT =
  "An overlay is an OpenAPI Overlay 1.0 document: `overlay: 1.0.0`, `info`, and `actions` with `target`, `description` and `update` or `remove: true`.";

/**
 * Parses and checks one overlay document. Errors name the line of what is wrong: the action's first
 * line, or the nearest enclosing line when the action itself has none (an empty `-` item).
 */
export function parseOverlay(text: string, file: string): Overlay {
  const bad = (message: string, line: number | undefined, hint = OVERLAY_HINT): never => {
    throw new GeneratorError("OVERLAY_INVALID", message, { file, line: line ?? 1, hint });
  };
  const result = parseOwnYaml(text);
  if ("refusal" in result) return bad(`The overlay is not valid YAML: ${result.refusal.reason}`, result.refusal.line, result.refusal.hint);
  const { parsed } = result;
  const at = (...path: (string | number)[]): number | undefined => findNearestLocation(parsed.root, path);
  const root = parsed.value;
  if (root === null || typeof root !== "object" || Array.isArray(root)) return bad("The overlay is empty or not a mapping.", at());
  const record = root as Record<string, unknown>;
  if (typeof record.overlay !== "string" || !record.overlay.startsWith("1."))
    bad("The overlay has no `overlay: 1.0.0` field.", at("overlay"));
  const info = record.info as Record<string, unknown> | undefined;
  const title = typeof info?.title === "string" ? info.title : file;
  if (!Array.isArray(record.actions)) return bad("The overlay has no `actions` list.", at("actions"));
  const actions = (record.actions as unknown[]).map((raw, index): OverlayAction => {
    const line = at("actions", index) ?? 1;
    const location = { file, line };
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return bad(`Action ${index + 1} is not a mapping.`, line);
    const action = raw as Record<string, unknown>;
    if (typeof action.target !== "string") return bad(`Action ${index + 1} has no \`target\`.`, line);
    if (typeof action.description !== "string" || action.description.trim() === "") {
      return bad(`Action ${index + 1} (${action.target}) has no \`description\`: every action needs a one-line reason.`, line);
    }
    const hasUpdate = "update" in action;
    const remove = action.remove === true;
    if (hasUpdate === remove)
      return bad(`Action ${index + 1} (${action.target}) needs exactly one of \`update\` or \`remove: true\`.`, line);
    return {
      target: action.target,
      description: action.description.trim(),
      ...(hasUpdate ? { update: action.update } : { remove }),
      location,
    };
  });
  return { file, title, text, actions };
}

/**
 * A stable hash of the overlays (file names and texts), for the banner and staleness checks. The
 * name without its folder: `file` is shown relative to the working directory, which must not
 * change the hash of the same inputs.
 */
export function hashOverlays(overlays: readonly Overlay[]): string {
  const hash = createHash("sha256");
  for (const overlay of overlays) {
    const name = overlay.file.slice(overlay.file.lastIndexOf("/") + 1);
    hash.update(name).update("\0").update(overlay.text).update("\0");
  }
  return hash.digest("hex");
}

/** Objects merge key by key, recursively; anything else is replaced. */
function merge(target: Record<string, unknown>, update: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(update)) {
    const existing = target[key];
    if (isRecord(existing) && isRecord(value)) merge(existing, value);
    else target[key] = structuredClone(value);
  }
}

function applyToMatch(match: JsonMatch, action: OverlayAction): void {
  if (action.remove === true) {
    const { parent, key } = match;
    if (parent === undefined || key === undefined) {
      throw new GeneratorError("OVERLAY_INVALID", `The action ${action.target} would remove the whole document.`, action.location);
    }
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[String(key)];
    return;
  }
  const { value } = match;
  if (Array.isArray(value)) {
    value.push(structuredClone(action.update));
  } else if (isRecord(value) && isRecord(action.update)) {
    merge(value, action.update);
  } else {
    throw new GeneratorError(
      "OVERLAY_INVALID",
      `The action ${action.target} updates a ${value === null ? "null" : typeof value} node; only objects (merged) and arrays (appended to) can be updated.`,
      { ...action.location, hint: "Target the object that holds the value and update it with a mapping." },
    );
  }
}

/** One action's end state in a run. */
export interface OverlayOutcome {
  readonly action: OverlayAction;
  readonly state: OverlayState;
  /** Why the action was not applied, in one line; empty for `applied`. */
  readonly reason: string;
}

/**
 * Applies the overlays in order, in place: each action is classified against the document as the
 * earlier ones left it (generator/overlay-states.ts) and applied only when it changes something
 * that is there. Never throws for an action that does not apply (the caller's policy decides, see
 * overlay-report.ts); throws OVERLAY_INVALID for an action that cannot be understood.
 */
export function applyOverlays(document: Record<string, unknown>, overlays: readonly Overlay[]): OverlayResult {
  let applied = 0;
  let nodes = 0;
  const outcomes: OverlayOutcome[] = [];
  const all = overlays.flatMap((overlay) => overlay.actions);
  const pending = pendingComponents(document, all);
  for (const action of all) {
    let classified: Classification;
    try {
      classified = classifyAction(document, action, pending);
    } catch (error) {
      if (error instanceof JsonPathSyntaxError) {
        throw new GeneratorError("OVERLAY_INVALID", `The target is not a JSONPath the generator understands: ${error.message}.`, {
          ...action.location,
          hint: "Use $, .name, ['name'], [n], [*], ..name and [?(@.key == 'value')] filters.",
        });
      }
      throw error;
    }
    outcomes.push({ action, state: classified.state, reason: classified.reason });
    if (classified.state !== "applied") continue;
    const { matches } = classified;
    // Removing from arrays back to front keeps the earlier indexes valid.
    for (const match of action.remove === true ? [...matches].reverse() : matches) applyToMatch(match, action);
    applied += 1;
    nodes += matches.length;
  }
  return { applied, nodes, outcomes };
}
