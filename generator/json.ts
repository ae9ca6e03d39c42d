/**
 * The JSON helpers every stage shares: the object test, structural equality, and JSON pointers
 * (RFC 6901: `~0` is `~`, `~1` is `/`; in a `$ref`, the `#/...` fragment is also URI-encoded).
 * Plain functions over plain data.
 */

/** A JSON object (or any plain object read as one). */
export type Json = Record<string, unknown>;

/** An object that is not an array (and not `null`). */
export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export interface DeepEqualOptions {
  /**
   * Lists of plain values (strings, numbers, booleans, `null`) of the same length compare as sets,
   * for fields whose order means nothing (`required`, `enum`). Default: lists compare in order.
   */
  readonly scalarListsAsSets?: boolean;
}

/** Structural equality of JSON data; key order is ignored. */
export function deepEqual(a: unknown, b: unknown, options: DeepEqualOptions = {}): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    if (options.scalarListsAsSets === true && a.every(isScalar) && b.every(isScalar)) {
      const set = new Set(a);
      return b.every((item) => set.has(item));
    }
    return a.every((item, index) => deepEqual(item, b[index], options));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key], options));
  }
  return false;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== "object";
}

/** One key as a JSON pointer segment: `a/b~c` → `a~1b~0c`. */
export function escapePointerSegment(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** A JSON pointer segment back to its key: `a~1b~0c` → `a/b~c`. */
export function unescapePointerSegment(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** A segment of a `$ref` fragment (`#/...`, URI-encoded) back to its key. */
export function refSegmentKey(segment: string): string {
  return unescapePointerSegment(decodeURIComponent(segment));
}

/** `#/components/schemas/` followed by the escaped name. */
export function schemaPointer(name: string): string {
  return `#/components/schemas/${escapePointerSegment(name)}`;
}

/**
 * Resolves a local `$ref` (`#/components/...`) in a document: own keys of objects, decimal
 * indexes of arrays. Anything else, or a reference outside the document, is `undefined`.
 */
export function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    const key = refSegmentKey(raw);
    if (isRecord(node) && Object.hasOwn(node, key)) node = node[key];
    else if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
    else return undefined;
  }
  return node;
}

/** The value at a path of keys (array indexes as strings or numbers), or `undefined`. */
export function readPath(root: unknown, path: readonly (string | number)[]): unknown {
  let node: unknown = root;
  for (const key of path) node = isRecord(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  return node;
}
