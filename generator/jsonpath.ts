/**
 * The JSONPath subset that overlay targets use. Written here rather than taken from a package: the
 * subset is small, it must report the exact node (parent and key) so that `remove` can delete it,
 * and it must reject what it does not understand instead of matching nothing.
 *
 * Supported: `$`, `.name`, `['name']` / `["name"]`, `[0]`, `.*` / `[*]`, `..name` / `..*`
 * (recursive descent), and filters `[?(@.key == 'value')]` / `[?@.key != 'value']` on string,
 * number and boolean literals (`@.a.b` paths allowed).
 */

import { isRecord } from "./json.js";

export type JsonContainer = Record<string, unknown> | unknown[];

/** A matched node: its value, the container holding it and its key there. */
export interface JsonMatch {
  readonly value: unknown;
  readonly parent: JsonContainer | undefined;
  readonly key: string | number | undefined;
  readonly path: readonly (string | number)[];
}

type Step =
  | { readonly kind: "child"; readonly name: string | number }
  | { readonly kind: "wildcard" }
  | { readonly kind: "descend"; readonly name: string | undefined }
  | { readonly kind: "filter"; readonly path: readonly string[]; readonly op: "==" | "!="; readonly literal: unknown };

export class JsonPathSyntaxError extends Error {
  override readonly name = "JsonPathSyntaxError";
}

/** Parses a JSONPath expression into steps; throws JsonPathSyntaxError with the offending position. */
export function parseJsonPath(expression: string): readonly Step[] {
  if (!expression.startsWith("$")) throw new JsonPathSyntaxError(`a JSONPath must start with "$": ${expression}`);
  const steps: Step[] = [];
  let index = 1;
  const fail = (what: string): never => {
    throw new JsonPathSyntaxError(`${what} at position ${index} of ${expression}`);
  };
  const readName = (): string => {
    const match = /^[A-Za-z0-9_$-]+/.exec(expression.slice(index));
    if (match === null) return fail("expected a name");
    index += match[0].length;
    return match[0];
  };
  const readQuoted = (): string => {
    const quote = expression[index];
    let value = "";
    index += 1;
    while (index < expression.length && expression[index] !== quote) {
      if (expression[index] === "\\") index += 1;
      value += expression[index] ?? "";
      index += 1;
    }
    if (expression[index] !== quote) fail("unterminated string");
    index += 1;
    return value;
  };
  const skipSpaces = (): void => {
    while (expression[index] === " ") index += 1;
  };
  while (index < expression.length) {
    const char = expression[index];
    if (char === "." && expression[index + 1] === ".") {
      index += 2;
      if (expression[index] === "*") {
        index += 1;
        steps.push({ kind: "descend", name: undefined });
      } else {
        steps.push({ kind: "descend", name: readName() });
      }
    } else if (char === ".") {
      index += 1;
      if (expression[index] === "*") {
        index += 1;
        steps.push({ kind: "wildcard" });
      } else {
        steps.push({ kind: "child", name: readName() });
      }
    } else if (char === "[") {
      index += 1;
      skipSpaces();
      const next = expression[index];
      if (next === "'" || next === '"') {
        steps.push({ kind: "child", name: readQuoted() });
      } else if (next === "*") {
        index += 1;
        steps.push({ kind: "wildcard" });
      } else if (next === "?") {
        index += 1;
        skipSpaces();
        const parenthesized = expression[index] === "(";
        if (parenthesized) index += 1;
        skipSpaces();
        if (expression.slice(index, index + 2) !== "@.") fail('expected "@." in a filter');
        index += 2;
        const path = [readName()];
        while (expression[index] === ".") {
          index += 1;
          path.push(readName());
        }
        skipSpaces();
        const op = expression.slice(index, index + 2);
        if (op !== "==" && op !== "!=") fail('expected "==" or "!=" in a filter');
        index += 2;
        skipSpaces();
        let literal: unknown;
        const quote = expression[index];
        if (quote === "'" || quote === '"') {
          literal = readQuoted();
        } else {
          const match = /^(true|false|null|-?\d+(\.\d+)?)/.exec(expression.slice(index));
          if (match === null) return fail("expected a literal in a filter");
          index += match[0].length;
          literal = JSON.parse(match[0]) as unknown;
        }
        skipSpaces();
        if (parenthesized) {
          if (expression[index] !== ")") fail('expected ")"');
          index += 1;
        }
        steps.push({ kind: "filter", path, op: op as "==" | "!=", literal });
      } else {
        const match = /^\d+/.exec(expression.slice(index));
        if (match === null) return fail("expected a quoted name, an index, * or a filter");
        index += match[0].length;
        steps.push({ kind: "child", name: Number(match[0]) });
      }
      skipSpaces();
      if (expression[index] !== "]") fail('expected "]"');
      index += 1;
    } else {
      fail(`unexpected "${char ?? ""}"`);
    }
  }
  return steps;
}

function children(match: JsonMatch): JsonMatch[] {
  const { value, path } = match;
  if (Array.isArray(value)) return value.map((item, key) => ({ value: item, parent: value, key, path: [...path, key] }));
  if (isRecord(value)) return Object.keys(value).map((key) => ({ value: value[key], parent: value, key, path: [...path, key] }));
  return [];
}

function descendants(match: JsonMatch): JsonMatch[] {
  const out: JsonMatch[] = [];
  const visit = (node: JsonMatch): void => {
    for (const child of children(node)) {
      out.push(child);
      visit(child);
    }
  };
  visit(match);
  return out;
}

function readPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Every node the expression selects, in document order. */
export function queryJsonPath(root: unknown, expression: string): JsonMatch[] {
  return selectSteps(root, parseJsonPath(expression));
}

/**
 * Where an expression that selects nothing stops matching: `steps` is the parsed expression,
 * `matched` how many of its steps still select something, `nodes` what those steps select (the
 * root when the first step already fails).
 */
export interface JsonPathMiss {
  readonly steps: readonly Step[];
  readonly matched: number;
  readonly nodes: readonly JsonMatch[];
}

/** For an expression that selects nothing: how far it gets. Only called on a miss, so the cost of re-walking does not matter. */
export function explainMiss(root: unknown, expression: string): JsonPathMiss {
  const steps = parseJsonPath(expression);
  let nodes: JsonMatch[] = [{ value: root, parent: undefined, key: undefined, path: [] }];
  for (let index = 0; index < steps.length; index += 1) {
    const next = selectSteps(root, steps.slice(0, index + 1));
    if (next.length === 0) return { steps, matched: index, nodes };
    nodes = next;
  }
  return { steps, matched: steps.length, nodes };
}

export type { Step as JsonPathStep };

function selectSteps(root: unknown, steps: readonly Step[]): JsonMatch[] {
  let current: JsonMatch[] = [{ value: root, parent: undefined, key: undefined, path: [] }];
  for (const step of steps) {
    const next: JsonMatch[] = [];
    for (const match of current) {
      switch (step.kind) {
        case "child": {
          const value = match.value;
          if (typeof step.name === "number" && Array.isArray(value) && step.name < value.length) {
            next.push({ value: value[step.name], parent: value, key: step.name, path: [...match.path, step.name] });
          } else if (isRecord(value) && Object.hasOwn(value, String(step.name))) {
            const key = String(step.name);
            next.push({ value: value[key], parent: value, key, path: [...match.path, key] });
          }
          break;
        }
        case "wildcard":
          next.push(...children(match));
          break;
        case "descend":
          for (const node of [match, ...descendants(match)]) {
            if (step.name === undefined) next.push(...children(node));
            else next.push(...children(node).filter((child) => child.key === step.name));
          }
          break;
        case "filter":
          for (const child of children(match)) {
            const equal = readPath(child.value, step.path) === step.literal;
            if (equal === (step.op === "==")) next.push(child);
          }
          break;
      }
    }
    current = next;
  }
  return current;
}
