// Reading overlays (generator/overlay.ts): the real overlays give the actions the `yaml` package reads
// from them, each located at its item's first line, and every kind of bad overlay is an
// OVERLAY_INVALID error at the line of what is wrong.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LineCounter, parseDocument, type YAMLSeq } from "yaml";
import { GeneratorError } from "../../generator/errors.js";
import { parseOverlay, readOverlays } from "../../generator/overlay.js";
import { packageRoot } from "../../generator/paths.js";

describe("the real overlays", () => {
  const overlays = readOverlays(join(packageRoot, "spec", "overlays"), "spec/overlays");

  it("are all read, in file name order", () => {
    expect(overlays.length).toBeGreaterThanOrEqual(9);
    expect(overlays.map((overlay) => overlay.file)).toEqual(overlays.map((overlay) => overlay.file).sort());
    expect(overlays.every((overlay) => overlay.file.startsWith("spec/overlays/"))).toBe(true);
  });

  it("hold the actions the yaml package reads, each at its item's first line", () => {
    for (const overlay of overlays) {
      const counter = new LineCounter();
      const doc = parseDocument(overlay.text, { lineCounter: counter });
      expect(doc.errors).toEqual([]);
      const data = doc.toJS() as { info: { title: string }; actions: Record<string, unknown>[] };
      const items = (doc.get("actions", true) as YAMLSeq).items as { range: [number] }[];
      expect(overlay.title).toBe(data.info.title);
      expect(overlay.actions).toStrictEqual(
        data.actions.map((action, index) => ({
          target: action.target,
          description: String(action.description).trim(),
          ...("update" in action ? { update: action.update } : { remove: true }),
          location: { file: overlay.file, line: counter.linePos(items[index]?.range[0] ?? -1).line },
        })),
      );
    }
  });
});

describe("a bad overlay", () => {
  function failure(text: string): GeneratorError {
    try {
      parseOverlay(text, "overlays/10-bad.yaml");
    } catch (error) {
      if (error instanceof GeneratorError) return error;
      throw error;
    }
    throw new Error("expected a GeneratorError");
  }

  const head = "overlay: 1.0.0\ninfo:\n  title: T\n  version: 1.0.0\n";
  const one = "  - target: $.a\n    description: d\n    remove: true\n";
  const structure = /^An overlay is an OpenAPI Overlay 1\.0 document/;

  it("names the file and the line of what is wrong", () => {
    const cases: [string, string, number, RegExp, RegExp][] = [
      [
        "syntax",
        `${head}actions:\n  - target: $.a\n   description: d\n`,
        7,
        /^The overlay is not valid YAML: bad indentation of a sequence entry\.$/,
        structure,
      ],
      [
        "unclosed at the end",
        `${head}actions: [\n\n`,
        5,
        /^The overlay is not valid YAML: unexpected end of the stream within a flow collection\.$/,
        structure,
      ],
      ["two documents", `${head}actions: []\n---\nx: 1\n`, 7, /^The overlay is not valid YAML: expected a single document/, structure],
      ["empty", "", 1, /^The overlay is empty or not a mapping\.$/, structure],
      ["comments only", "# nothing yet\n", 1, /^The overlay is empty or not a mapping\.$/, structure],
      ["a list", "\n- a\n", 2, /^The overlay is empty or not a mapping\.$/, structure],
      ["no overlay field", "# x\ninfo: {}\nactions: []\n", 2, /has no `overlay: 1\.0\.0` field/, structure],
      ["another version", "# x\ninfo: {}\noverlay: 2.0.0\nactions: []\n", 3, /has no `overlay: 1\.0\.0` field/, structure],
      ["no actions", head, 1, /^The overlay has no `actions` list\.$/, structure],
      ["actions not a list", `${head}actions:\n  a: 1\n`, 5, /^The overlay has no `actions` list\.$/, structure],
      ["an action that is text", `${head}actions:\n${one}\n  - just text\n`, 10, /^Action 2 is not a mapping\.$/, structure],
      ["an action that is a list", `${head}actions:\n${one}  - [a]\n`, 9, /^Action 2 is not a mapping\.$/, structure],
      [
        "an action without target",
        `${head}actions:\n${one}  # why\n  - description: d\n    remove: true\n`,
        10,
        /^Action 2 has no `target`\.$/,
        structure,
      ],
      [
        "an action without description",
        `${head}actions:\n  -\n    target: $.b\n    remove: true\n`,
        7,
        /^Action 1 \(\$\.b\) has no `description`/,
        structure,
      ],
      [
        "an action with both",
        `${head}actions: [{ target: $.a, description: d, remove: true, update: {} }]\n`,
        5,
        /needs exactly one of `update` or `remove: true`/,
        structure,
      ],
      [
        "a key twice",
        `${head}actions:\n  - target: $.a\n    description: d\n    update:\n      x: 1\n      x: 2\n`,
        10,
        /the key "x" is written twice in one mapping, at lines 9 and 10\.$/,
        /^Keep one of the two/,
      ],
      [
        "a key twice on one line",
        `${head}actions: [{ target: $.a, target: $.b }]\n`,
        5,
        /the key "target" is written twice in one mapping, both on line 5\.$/,
        /^Keep one of the two/,
      ],
    ];
    for (const [name, text, line, message, hint] of cases) {
      const error = failure(text);
      expect({ name, code: error.code, file: error.file, line: error.line, message: error.message, hint: error.hint }).toEqual({
        name,
        code: "OVERLAY_INVALID",
        file: "overlays/10-bad.yaml",
        line,
        message: expect.stringMatching(message),
        hint: expect.stringMatching(hint),
      });
    }
  });

  it("falls back to the actions key's line when an empty item leaves the items unlocated", () => {
    const error = failure(`${head}actions:\n${one}  -\n`);
    expect([error.message, error.line]).toEqual(["Action 2 is not a mapping.", 5]);
  });

  it("read from a folder, is named by the folder as shown and its file name", () => {
    // Not overlays: the first file by name, bad-syntax.yaml, has a flow mapping left open on line 8.
    let error: unknown;
    try {
      readOverlays(join(packageRoot, "test", "fixtures", "events"), "fixtures/events");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as GeneratorError).location).toBe("fixtures/events/bad-syntax.yaml:9");
    expect((error as GeneratorError).message).toMatch(/^The overlay is not valid YAML: /);
  });
});
