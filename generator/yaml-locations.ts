/**
 * The YAML/JSON parse of the load stage (and of the overlays, the WebSocket catalog and the drift
 * list), in one pass: js-yaml's loader builds the plain value, and its parse events (an "open" and a
 * "close" for every node, keys included) tell us where each mapping key and sequence item starts and
 * which keys appear twice in one mapping.
 *
 * What is kept for `file:line` answers is small: a line number per key or item, and for a mapping
 * or sequence value a `Map` or array of its children. No syntax tree survives the parse.
 */
import { FAILSAFE_SCHEMA, load, Type, YAMLException, type State } from "js-yaml";
import { firstLine } from "./errors.js";

/**
 * Where an entry of a mapping or a sequence is: a 1-based line (the key's line for a mapping entry,
 * the item's first line for a sequence item), with the entry's own children when its value is a
 * non-empty mapping or sequence.
 */
export type Location = number | LocatedNode;

export interface LocatedNode {
  readonly line: number;
  readonly children: Children;
}

/** The children of a mapping (by key, the first occurrence of a duplicate key) or a sequence. */
type Children = ReadonlyMap<string, Location> | readonly Location[];

/**
 * A key that appears twice in one mapping: the path of the mapping (JSON pointer segments), the key,
 * and each occurrence's value and place (`Where`: by default its 1-based line in the parsed text).
 */
export interface RepeatedKey<Where = { readonly line: number }> {
  readonly parent: readonly string[];
  readonly key: string;
  readonly first: Where & { readonly value: unknown };
  readonly second: Where & { readonly value: unknown };
}

export interface ParsedYaml {
  /** The plain value; null for an empty document. */
  readonly value: unknown;
  /** The root node's location (its first line and children); undefined for an empty document. */
  readonly root: Location | undefined;
  /** In document order, as a walk that checks each key before entering its value would find them. */
  readonly repeated: readonly RepeatedKey[];
}

/** A syntax error: js-yaml's reason, with the 1-based line and the offset where it was found. */
export class YamlSyntaxError extends Error {
  override readonly name = "YamlSyntaxError";
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly offset: number | undefined,
  ) {
    super(message);
  }
}

/** A repeated key on its way up to the root: the parent path is built backwards, one level per close. */
interface PendingRepeat {
  readonly reversedParent: string[];
  readonly key: string;
  readonly first: { readonly line: number; readonly value: unknown };
  readonly second: { readonly line: number; readonly value: unknown };
}

/**
 * The YAML 1.2 core schema exactly as the `yaml` package resolves plain scalars (js-yaml's own core
 * schema also reads `0b101` and signed hex and octal as numbers): null, booleans, decimal, `0o` and
 * `0x` integers, and floats.
 */
const CORE_NULL = /^(?:~|[Nn]ull|NULL)$/;
const CORE_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+)$/;
const SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type("tag:yaml.org,2002:null", {
      kind: "scalar",
      resolve: (data: unknown) => typeof data === "string" && CORE_NULL.test(data),
      construct: () => null,
    }),
    new Type("tag:yaml.org,2002:bool", {
      kind: "scalar",
      resolve: (data: unknown) => typeof data === "string" && CORE_BOOL.test(data),
      construct: (data: string) => data.startsWith("t") || data.startsWith("T"),
    }),
    new Type("tag:yaml.org,2002:int", {
      kind: "scalar",
      resolve: (data: unknown) => typeof data === "string" && CORE_INT.test(data),
      construct: (data: string) =>
        data.startsWith("0o") ? parseInt(data.slice(2), 8) : data.startsWith("0x") ? parseInt(data.slice(2), 16) : parseInt(data, 10),
    }),
    new Type("tag:yaml.org,2002:float", {
      kind: "scalar",
      resolve: (data: unknown) => typeof data === "string" && (CORE_FLOAT.test(data) || CORE_FLOAT_SPECIAL.test(data)),
      construct: (data: string) =>
        CORE_FLOAT_SPECIAL.test(data)
          ? data.slice(-3).toLowerCase() === "nan"
            ? NaN
            : data.startsWith("-")
              ? -Infinity
              : Infinity
          : parseFloat(data),
    }),
  ],
});

/** Nesting deeper than this is an error (js-yaml's own default, 100, is low for a large spec). */
const MAX_DEPTH = 1000;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * Parses `text` (one YAML or JSON document) with duplicate keys resolved last-wins, as YAML loaders
 * do, and the YAML 1.2 core schema (no timestamps, no merge keys), as `yaml` reads it by default.
 */
export function parseYamlWithLocations(text: string): ParsedYaml {
  // Nodes that are open, innermost last: the 0-based line each starts on and where its children begin
  // in the arrays below.
  const openLine: number[] = [];
  const openFirstChild: number[] = [];
  // Closed nodes not yet taken by their parent, in parallel arrays (no object per scalar); the first
  // `closed` entries are live, the ones after are stale and overwritten.
  let closed = 0;
  const nodeLine: number[] = [];
  const nodeIsKey: boolean[] = [];
  const nodeKind: (string | null)[] = [];
  const nodeValue: unknown[] = [];
  const nodeChildren: (Children | undefined)[] = [];
  const nodeRepeats: (PendingRepeat[] | undefined)[] = [];

  const listener = (event: "open" | "close", state: State): void => {
    if (event === "open") {
      openLine.push(state.line);
      openFirstChild.push(closed);
      return;
    }
    const first = openFirstChild.pop() ?? 0;
    const line = openLine.pop() ?? 0;
    const end = closed;
    // `state.kind` is null for an empty node or an alias (js-yaml's typings say string).
    const kind = state.kind as string | null;
    const value: unknown = state.result;
    let children: Children | undefined;
    let repeats: PendingRepeat[] | undefined;
    if (end > first) {
      if (end - first === 1 && !nodeIsKey[first] && nodeValue[first] === value && value !== null && typeof value === "object") {
        // A value on the line after its key (or an item after `- `) is first read as a possible key of
        // a block mapping; when it is a flow collection and no `:` follows, that node is the value.
        children = nodeChildren[first];
        repeats = nodeRepeats[first];
      } else if (kind === "mapping") {
        ({ children, repeats } = closeMapping(first, end));
      } else if (kind === "sequence") {
        ({ children, repeats } = closeSequence(first, end, Array.isArray(value) ? value.length : -1));
      }
      // Any other kind: the children were a first attempt that turned out to be a scalar (a plain
      // scalar on the line after its key is read as a possible key first); they are dropped.
    }
    nodeLine[first] = line;
    nodeIsKey[first] = followedByColon(state.input, state.position);
    nodeKind[first] = kind;
    nodeValue[first] = value;
    nodeChildren[first] = children;
    nodeRepeats[first] = repeats;
    closed = first + 1;
  };

  /**
   * A mapping's children arrive as key, value, key, value. A key is a node followed by `:` on its
   * line; a value is the node after a key. Keys in explicit `? key` notation are not followed by
   * `:` on their line and are not located (no OpenAPI document uses them).
   */
  const closeMapping = (first: number, end: number): { children: Children; repeats: PendingRepeat[] | undefined } => {
    const children = new Map<string, Location>();
    let repeats: PendingRepeat[] | undefined;
    for (let index = first; index < end; ) {
      if (!nodeIsKey[index]) {
        index += 1;
        continue;
      }
      const keyIndex = index;
      const valueIndex = index + 1 < end && !nodeIsKey[index + 1] ? index + 1 : -1;
      index += valueIndex === -1 ? 1 : 2;
      if (nodeKind[keyIndex] !== "scalar") continue;
      const key = String(nodeValue[keyIndex]);
      const keyLine = (nodeLine[keyIndex] ?? 0) + 1;
      const grandchildren = valueIndex === -1 ? undefined : nodeChildren[valueIndex];
      if (!children.has(key)) {
        children.set(key, grandchildren === undefined ? keyLine : { line: keyLine, children: grandchildren });
      } else {
        const earlier = previousKey(first, keyIndex, key);
        repeats ??= [];
        repeats.push({
          reversedParent: [],
          key,
          first: { line: (nodeLine[earlier] ?? 0) + 1, value: copy(valueAfter(earlier, end)) },
          second: { line: keyLine, value: copy(valueIndex === -1 ? null : nodeValue[valueIndex]) },
        });
      }
      const inner = valueIndex === -1 ? undefined : nodeRepeats[valueIndex];
      if (inner !== undefined) {
        repeats ??= [];
        for (const repeat of inner) {
          repeat.reversedParent.push(key);
          repeats.push(repeat);
        }
      }
    }
    return { children, repeats };
  };

  /** The index of the latest key node named `key` before `before` (a key written three times makes two pairs). */
  const previousKey = (first: number, before: number, key: string): number => {
    for (let index = before - 1; index >= first; index -= 1) {
      if (nodeIsKey[index] && nodeKind[index] === "scalar" && String(nodeValue[index]) === key) return index;
    }
    return before;
  };

  const valueAfter = (keyIndex: number, end: number): unknown =>
    keyIndex + 1 < end && !nodeIsKey[keyIndex + 1] ? nodeValue[keyIndex + 1] : null;

  /**
   * A sequence's children are its items. When their count differs from the items' (an empty item
   * has no node; `[a: 1]` makes one item of two nodes), the items are not located.
   */
  const closeSequence = (
    first: number,
    end: number,
    length: number,
  ): { children: Children | undefined; repeats: PendingRepeat[] | undefined } => {
    const located = end - first === length;
    const children: Location[] = [];
    let repeats: PendingRepeat[] | undefined;
    for (let index = first; index < end; index += 1) {
      const position = index - first;
      if (located) {
        const line = (nodeLine[index] ?? 0) + 1;
        const grandchildren = nodeChildren[index];
        children.push(grandchildren === undefined ? line : { line, children: grandchildren });
      }
      const inner = nodeRepeats[index];
      if (inner !== undefined) {
        repeats ??= [];
        for (const repeat of inner) {
          repeat.reversedParent.push(String(position));
          repeats.push(repeat);
        }
      }
    }
    return { children: located ? children : undefined, repeats };
  };

  let value: unknown;
  try {
    value = load(text, { schema: SCHEMA, json: true, listener, maxDepth: MAX_DEPTH } as Parameters<typeof load>[1]);
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = error.mark as YAMLException["mark"] | undefined;
      // No mark: "expected a single document in the stream, but found more"; the second document's
      // first node says where.
      const line = mark === undefined ? (closed > 1 ? (nodeLine[1] ?? 0) + 1 : undefined) : mark.line + 1;
      throw new YamlSyntaxError(error.reason, line, mark?.position);
    }
    throw error;
  }
  const rootLine = (nodeLine[0] ?? 0) + 1;
  const rootChildren = nodeChildren[0];
  // An empty document (no text, or comments only) is null, as `yaml` reads it, and has no node to
  // locate (js-yaml opens one where the text ends).
  const empty = closed === 0 || (nodeKind[0] === null && value == null);
  return {
    value: value ?? null,
    root: empty ? undefined : rootChildren === undefined ? rootLine : { line: rootLine, children: rootChildren },
    repeated: (nodeRepeats[0] ?? []).map((repeat) => ({
      parent: repeat.reversedParent.reverse(),
      key: repeat.key,
      first: repeat.first,
      second: repeat.second,
    })),
  };
}

/** Whether the next character on the line after `position`, past spaces and tabs, is `:`. */
function followedByColon(input: string, position: number): boolean {
  let code = input.charCodeAt(position);
  while (code === SPACE || code === TAB) code = input.charCodeAt(++position);
  return code === COLON;
}

/** The values of repeated keys are handed out as copies, like the rest of the document is data. */
function copy(value: unknown): unknown {
  return value !== null && typeof value === "object" ? structuredClone(value) : value;
}

/** The location of the node at `path` (the first occurrence on a repeated key), or undefined. */
export function findLocation(root: Location | undefined, path: readonly (string | number)[]): number | undefined {
  let node: Location | undefined = root;
  for (const segment of path) {
    if (node === undefined || typeof node === "number") return undefined;
    node = child(node, segment);
  }
  return node === undefined ? undefined : lineOf(node);
}

/**
 * The line of the deepest node on `path` that is in the text: the line `findLocation` gives when the
 * whole path is there, else the line of its nearest ancestor that is (the key whose value lacks the
 * rest of the path, the sequence item, or the root's first line). Undefined only for a text with no
 * node at all (empty, or comments only).
 */
export function findNearestLocation(root: Location | undefined, path: readonly (string | number)[]): number | undefined {
  if (root === undefined) return undefined;
  let node: Location = root;
  for (const segment of path) {
    if (typeof node === "number") break;
    const next = child(node, segment);
    if (next === undefined) break;
    node = next;
  }
  return lineOf(node);
}

function child(node: LocatedNode, segment: string | number): Location | undefined {
  const children: Children = node.children;
  return children instanceof Map ? children.get(String(segment)) : (children as readonly Location[])[Number(segment)];
}

function lineOf(node: Location): number {
  return typeof node === "number" ? node : node.line;
}

/**
 * The line to show for a syntax error: its own line, except that an error found at the end of the
 * text (an unclosed bracket or quote) names the last line that holds something, not an empty line
 * after it. `load.ts` keeps the plain line (its hint says the file looks truncated).
 */
export function syntaxErrorLine(error: YamlSyntaxError, text: string): number | undefined {
  if (error.line === undefined) return undefined;
  const content = text.trimEnd();
  let last = 1;
  for (let index = content.indexOf("\n"); index !== -1; index = content.indexOf("\n", index + 1)) last += 1;
  return Math.min(error.line, last);
}

/** Why a YAML text of ours (an overlay, the event catalog) is refused before its content is checked. */
export interface YamlRefusal {
  /** What is wrong, to follow "is not valid YAML: "; ends in a period. */
  readonly reason: string;
  readonly line: number | undefined;
  /** What to do about a key written twice; for a syntax error, undefined: each file has its own hint. */
  readonly hint: string | undefined;
}

/**
 * `parseYamlWithLocations`, refusing a syntax error (its parser's first line, at `syntaxErrorLine`)
 * and a key written twice (the first one, at its second line), which a YAML loader would resolve by
 * silently dropping a value. `where` places the mapping of a repeated key ("in one mapping" by default).
 */
export function parseOwnYaml(
  text: string,
  where: (repeated: RepeatedKey, value: unknown) => string = () => "in one mapping",
): { readonly parsed: ParsedYaml } | { readonly refusal: YamlRefusal } {
  let parsed: ParsedYaml;
  try {
    parsed = parseYamlWithLocations(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return { refusal: { reason: `${firstLine(error.message)}.`, line: syntaxErrorLine(error, text), hint: undefined } };
  }
  const repeated = parsed.repeated[0];
  if (repeated === undefined) return { parsed };
  return {
    refusal: {
      reason: `the key "${repeated.key}" is written twice ${where(repeated, parsed.value)}, ${twoLines(repeated.first.line, repeated.second.line)}.`,
      line: repeated.second.line,
      hint: "Keep one of the two (merge their values if both are needed): a YAML loader would silently drop the first.",
    },
  };
}

/** Where a repeated key is, for a message: "at lines 3 and 9", or "both on line 3" (a flow mapping). */
export function twoLines(first: number, second: number): string {
  return first === second ? `both on line ${first}` : `at lines ${first} and ${second}`;
}
