// The `yaml` package's reading of a text, as the reference the js-yaml based parse is held to
// (test/generator/load.test.ts and yaml-locations.test.ts).
import { expect } from "vitest";
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";

export type Path = readonly (string | number)[];

/** How far a path reaches into the document: the line of its last map key or item found, and whether all of it was. */
export interface Reach {
  readonly line: number;
  readonly whole: boolean;
}

/** Parses `text` with `yaml` (no errors allowed) and walks paths on its Document. */
export function yamlReference(text: string, uniqueKeys: boolean): { doc: Document; reach(path: Path): Reach } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys });
  expect(doc.errors).toEqual([]);
  const start = (node: unknown): number | undefined => (node as { range?: [number] } | null)?.range?.[0];
  const reach = (path: Path): Reach => {
    let node: unknown = doc.contents;
    let offset = start(node) ?? 0;
    let found = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair === undefined) break;
        offset = start(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)];
        if (item === undefined) break;
        offset = start(item) ?? offset;
        node = item;
      } else {
        break;
      }
      found++;
    }
    return { line: counter.linePos(offset).line, whole: found === path.length };
  };
  return { doc, reach };
}

/** Every path to a node of a plain value, the root included. */
export function allPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(value)) for (const [index, item] of value.entries()) allPaths(item, [...path, index], out);
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) allPaths(item, [...path, key], out);
  return out;
}
