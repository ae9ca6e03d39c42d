/**
 * The shape of an API diff: what `diffModels` returns and what `formatJson` prints (docs/diff.md
 * documents it; `version` is bumped on incompatible changes). Plain data, sorted, no Maps.
 */

/** What changed. Every kind is listed in docs/diff.md with when it is breaking. */
export type ChangeKind =
  | "operation-added"
  | "operation-removed"
  | "operation-renamed"
  | "operation-moved"
  | "operation-deprecated"
  | "operation-undeprecated"
  | "parameter-added"
  | "parameter-removed"
  | "parameter-renamed"
  | "parameter-required"
  | "parameter-optional"
  | "body-added"
  | "body-removed"
  | "body-required"
  | "body-optional"
  | "body-kind-changed"
  | "response-kind-changed"
  | "field-added"
  | "field-removed"
  | "field-required"
  | "field-optional"
  | "type-changed"
  | "enum-values-added"
  | "enum-values-removed"
  | "schema-added"
  | "schema-removed"
  | "schema-deprecated"
  | "event-added"
  | "event-removed"
  | "action-added"
  | "action-removed"
  | "shape-added"
  | "shape-removed";

/** Where a change is: the part of the generated package it affects. */
export type ChangeSection = "operations" | "schemas" | "events" | "actions" | "shapes";

export interface Change {
  readonly section: ChangeSection;
  readonly kind: ChangeKind;
  /** Whether code written against the old generated package may stop compiling (or type-checking honestly). */
  readonly breaking: boolean;
  /** One line, for people. */
  readonly reason: string;
  /** The operation's tag (new side, else old); `schemas`, `websocket` for the others. */
  readonly group: string;
  /**
   * What changed: `METHOD /route/{param}` for an operation (the new route when it exists), the
   * schema, event, action or shape name otherwise.
   */
  readonly subject: string;
  /** For operations: the generated function name (new side, else old). */
  readonly name?: string;
  /** Inside the subject: `query parameter page`, `body.props.key`, `response[].id`, `data.post`. */
  readonly at?: string;
  /** The old and new value, when there is one to show (a type, a name, enum values). */
  readonly before?: string;
  readonly after?: string;
}

export interface DiffSide {
  readonly title: string;
  readonly apiVersion: string;
  readonly operations: number;
  readonly schemas: number;
  /** Present when a catalog was given. */
  readonly events?: number;
  readonly actions?: number;
}

export interface DiffCounts {
  readonly added: number;
  readonly removed: number;
  /** Existing items with at least one change (for operations: renames, moves and deprecations excluded). */
  readonly changed: number;
}

export interface DiffSummary {
  readonly changes: number;
  readonly breaking: number;
  /** `moved`: operations found on another method or route (their other changes count as `changed`). */
  readonly operations: DiffCounts & { readonly renamed: number; readonly moved: number; readonly deprecated: number };
  readonly schemas: DiffCounts;
  /** Present when both catalogs were given. */
  readonly events?: DiffCounts;
  readonly actions?: DiffCounts;
}

export interface ApiDiff {
  readonly version: 1;
  readonly old: DiffSide;
  readonly new: DiffSide;
  readonly summary: DiffSummary;
  /** Sorted by section, group, subject, kind, `at`. */
  readonly changes: readonly Change[];
}
