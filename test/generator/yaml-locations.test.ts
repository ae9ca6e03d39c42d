// What the overlay and catalog readers use on top of the js-yaml parse (generator/yaml-locations.ts):
// the same data as the `yaml` package reads, the line of the deepest node of a path that is in the
// text (what the catalog reader used to compute on a `yaml` Document), the line shown for a syntax
// error at the end of the text, and empty documents.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";
import {
  findLocation,
  findNearestLocation,
  parseYamlWithLocations,
  syntaxErrorLine,
  YamlSyntaxError,
} from "../../generator/yaml-locations.js";
import { allPaths, type Path, yamlReference } from "../support/yaml-reference.js";

/**
 * The catalog reader's former answer, on the `yaml` package's Document: the line of the last map key
 * or sequence item on the path that exists, starting from the root's first line.
 */
function nearestByYaml(text: string): { value: unknown; line(path: Path): number } {
  const { doc, reach } = yamlReference(text, true);
  return { value: doc.toJS(), line: (path) => reach(path).line };
}

const inputs = [
  "spec/websocket-events.yaml",
  "spec/websocket-events.drift.yaml",
  "test/fixtures/events/small.yaml",
  ...readdirSync(join(packageRoot, "spec", "overlays")).map((name) => `spec/overlays/${name}`),
];

describe("the overlays and the WebSocket catalog read as the yaml package reads them", () => {
  for (const file of inputs) {
    it(`${file}: the same data, and the same nearest line for every path, missing ends included`, () => {
      const text = readFileSync(join(packageRoot, file), "utf8");
      const parsed = parseYamlWithLocations(text);
      const expected = nearestByYaml(text);
      expect(parsed.value).toStrictEqual(expected.value);
      expect(parsed.repeated).toEqual([]);
      const paths = allPaths(parsed.value).flatMap((path) => [path, [...path, "missing"], [...path, 9999]]);
      expect(paths.length).toBeGreaterThan(30);
      expect(paths.map((path) => findNearestLocation(parsed.root, path))).toEqual(paths.map((path) => expected.line(path)));
    });
  }
});

describe("findNearestLocation", () => {
  const text = [
    "# a comment", // 1
    "events:", // 2
    "  - name: a", // 3
    "    data:", // 4
    "      k: { type: string }", // 5
    "  -", // 6
    "    name: b", // 7
    "actions: []", // 8
    "",
  ].join("\n");
  const { root } = parseYamlWithLocations(text);

  it("answers findLocation's line when the whole path is there", () => {
    for (const path of [["events"], ["events", 0, "data", "k", "type"], ["events", 1], ["events", 1, "name"], ["actions"]]) {
      expect(findNearestLocation(root, path)).toBe(findLocation(root, path));
    }
    expect(findNearestLocation(root, ["events", 1])).toBe(7);
  });

  it("falls back to the nearest ancestor that is in the text", () => {
    expect(findLocation(root, ["events", 0, "data", "missing"])).toBeUndefined();
    expect(findNearestLocation(root, ["events", 0, "data", "missing"])).toBe(4);
    expect(findNearestLocation(root, ["events", 0, "data", "k", "type", "deeper"])).toBe(5);
    expect(findNearestLocation(root, ["events", 5, "name"])).toBe(2);
    expect(findNearestLocation(root, ["events", "first"])).toBe(2);
    expect(findNearestLocation(root, ["actions", 0])).toBe(8);
    expect(findNearestLocation(root, ["nope"])).toBe(2);
    expect(findNearestLocation(root, [])).toBe(2);
  });

  it("has nothing to answer for an empty document, which is null", () => {
    for (const empty of ["", "\n\n", "# only a comment\n"]) {
      const parsed = parseYamlWithLocations(empty);
      expect(parsed.value).toBeNull();
      expect(parsed.root).toBeUndefined();
      expect(findNearestLocation(parsed.root, ["events"])).toBeUndefined();
    }
    expect(parseYamlWithLocations("\n~\n").root).toBe(2);
  });
});

describe("syntaxErrorLine", () => {
  function lineOf(text: string): { own: number | undefined; shown: number | undefined } {
    try {
      parseYamlWithLocations(text);
    } catch (error) {
      if (!(error instanceof YamlSyntaxError)) throw error;
      return { own: error.line, shown: syntaxErrorLine(error, text) };
    }
    throw new Error("expected a syntax error");
  }

  it("names the last line with text for an error at the end (an unclosed bracket or quote)", () => {
    expect(lineOf("a: 1\nb: [\n")).toEqual({ own: 3, shown: 2 });
    expect(lineOf("a: 1\nb: [\n\n  \n")).toEqual({ own: 5, shown: 2 });
    expect(lineOf('a: "x\nb: 1\n')).toEqual({ own: 3, shown: 2 });
    // js-yaml reads a text without a final line break as if it had one, and drops a byte order mark.
    expect(lineOf("a: [")).toEqual({ own: 2, shown: 1 });
    expect(lineOf("\uFEFFa: 1\nb: [\n")).toEqual({ own: 3, shown: 2 });
  });

  it("keeps the line of an error inside the text", () => {
    expect(lineOf("a:\n  - x\n   b: 1\n")).toEqual({ own: 3, shown: 3 });
    expect(lineOf("a: 1\n---\nb: 2\n")).toEqual({ own: 3, shown: 3 });
  });
});
