// The load stage's parse (js-yaml with its parse events): the document, the duplicate keys and the
// `file:line` of every node must be what the `yaml` package's Document says about the same text, on
// the real upstream files and on small texts that hit each case.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Document, isMap, isScalar } from "yaml";
import { loadSpec, parseSpecText, type LoadedSpec } from "../../generator/load.js";
import { packageRoot } from "../../generator/paths.js";
import { generatorFailure } from "../support/generator-failure.js";
import { allPaths, type Path, yamlReference } from "../support/yaml-reference.js";

const shared = join(packageRoot, "..", "shared", "mattermost-api");
const v11Bundle = join(shared, "v11.6.0", "mattermost-openapi-v4.yaml");
const v11Source = join(shared, "v11.6.0", "source");
const v2023Bundle = join(shared, "2023-06", "mattermost-openapi-v4.yaml");

/** What the `yaml` package reads from a text: the value, and for a path, the line of its key (or item). */
function reference(text: string): { value: unknown; line(path: Path): number | undefined; doc: Document } {
  const { doc, reach } = yamlReference(text, false);
  const line = (path: Path): number | undefined => {
    const { line, whole } = reach(path);
    return whole ? line : undefined;
  };
  return { value: doc.toJS({ maxAliasCount: -1 }), line, doc };
}

function lines(spec: LoadedSpec, paths: readonly (readonly (string | number)[])[]): (number | undefined)[] {
  return paths.map((path) => spec.locate(path)?.line);
}

describe.skipIf(!existsSync(shared))("the real specs read as the yaml package reads them", () => {
  for (const [name, file] of [
    ["v11.6.0", v11Bundle],
    ["2023-06", v2023Bundle],
  ] as const) {
    it(`${name}: the same document and a line for every node`, async () => {
      const spec = await loadSpec(file);
      const expected = reference(readFileSync(file, "utf8"));
      expect(spec.document).toStrictEqual(expected.value);
      const paths = allPaths(spec.document);
      expect(paths.length).toBeGreaterThan(20_000);
      expect(lines(spec, paths)).toEqual(paths.map((path) => expected.line(path)));
      expect(spec.locate(["paths", "/api/v4/users/{user_id}", "get"])?.file).toBe(spec.location);
    });
  }

  it("v11.6.0: the path defined twice is the one duplicate, with both values and both lines", async () => {
    const spec = await loadSpec(v11Bundle);
    const { doc } = reference(readFileSync(v11Bundle, "utf8"));
    const paths = doc.get("paths", true);
    if (!isMap(paths)) throw new Error("paths is not a mapping");
    const key = "/api/v4/sharedchannels/{channel_id}/remotes";
    const both = paths.items
      .filter((pair) => isScalar(pair.key) && pair.key.value === key)
      .map((pair) => doc.createNode(pair.value).toJSON() as unknown);
    expect(spec.duplicates).toHaveLength(1);
    const [duplicate] = spec.duplicates;
    expect(duplicate?.parent).toEqual(["paths"]);
    expect(duplicate?.key).toBe(key);
    expect([duplicate?.first.location.line, duplicate?.second.location.line]).toEqual([8500, 18875]);
    expect([duplicate?.first.value, duplicate?.second.value]).toStrictEqual(both);
    // The document keeps the second (last-wins); the first stays reachable through locate.
    expect((spec.document.paths as Record<string, unknown>)[key]).toStrictEqual(both[1]);
    expect(spec.locate(["paths", key])?.line).toBe(8500);
  });

  it("v11.6.0 fragments: the same document, lines mapped back to each fragment", async () => {
    const [folder, bundle] = await Promise.all([loadSpec(v11Source), loadSpec(v11Bundle)]);
    expect(folder.sha256).toBe(bundle.sha256);
    expect(folder.document).toStrictEqual(bundle.document);
    const [duplicate] = folder.duplicates;
    const where = [duplicate?.first.location, duplicate?.second.location].map((l) => `${l?.file.split("/").pop()}:${l?.line}`);
    expect(where).toEqual(["channels.yaml:2550", "sharedchannels.yaml:236"]);
    const createPost = folder.locate(["paths", "/api/v4/posts", "post"]);
    expect(createPost?.file).toMatch(/source\/posts\.yaml$/);
    const text = readFileSync(join(v11Source, "posts.yaml"), "utf8").split("\n");
    expect(text[(createPost?.line ?? 0) - 1]?.trim()).toBe("post:");
  });
});

describe("duplicate keys at any depth", () => {
  const text = [
    "openapi: 3.0.0", // 1
    "info: {title: a, version: '1', title: b}", // 2
    "paths:", // 3
    "  /a:", // 4
    "    get:", // 5
    "      parameters:", // 6
    "        - name: x", // 7
    "          in: query", // 8
    "          in: path", // 9
    "        - {name: y, name: z}", // 10
    "      responses:", // 11
    "        '200': {description: ok}", // 12
    "        200:", // 13
    "          description: again", // 14
    "  /a:", // 15
    "    post: {}", // 16
    "",
  ].join("\n");

  it("records each with its parent path, both lines and both values, in document order", () => {
    const spec = parseSpecText(text, "inline.yaml");
    expect(spec.duplicates.map((d) => [d.parent.join("/"), d.key, d.first.location.line, d.second.location.line])).toEqual([
      ["info", "title", 2, 2],
      ["paths//a/get/parameters/0", "in", 8, 9],
      ["paths//a/get/parameters/1", "name", 10, 10],
      ["paths//a/get/responses", "200", 12, 13],
      ["paths", "/a", 4, 15],
    ]);
    const responses = spec.duplicates[3];
    expect([responses?.first.value, responses?.second.value]).toEqual([{ description: "ok" }, { description: "again" }]);
    expect(spec.duplicates.every((d) => d.first.location.file === "inline.yaml")).toBe(true);
  });

  it("keeps the last value in the document and locates the first key", () => {
    const spec = parseSpecText(text, "inline.yaml");
    expect(spec.document).toStrictEqual(reference(text).value);
    expect(spec.document.paths).toEqual({ "/a": { post: {} } });
    // Paths inside the first definition still have a line; the second's do not (as before).
    expect(
      lines(spec, [
        ["paths", "/a"],
        ["paths", "/a", "get", "responses", "200"],
        ["paths", "/a", "post"],
        ["info", "title"],
      ]),
    ).toEqual([4, 12, undefined, 2]);
  });

  it("hands out copies: changing the document does not change a recorded value", () => {
    const spec = parseSpecText(text, "inline.yaml");
    const last = spec.duplicates.at(-1);
    (spec.document.paths as Record<string, Record<string, unknown>>)["/a"]!.patched = true;
    expect(last?.second.value).toEqual({ post: {} });
  });

  it("pairs a key written three times as first-second and second-third", () => {
    const spec = parseSpecText("openapi: 3.0.0\na: 1\nb: 2\na: 3\na:\n  x: [1]\n", "inline.yaml");
    expect(spec.duplicates.map((d) => [d.key, d.first.location.line, d.first.value, d.second.location.line, d.second.value])).toEqual([
      ["a", 2, 1, 4, 3],
      ["a", 4, 3, 5, { x: [1] }],
    ]);
    expect(spec.document.a).toEqual({ x: [1] });
    expect(spec.locate(["a"])?.line).toBe(2);
  });

  it("finds them in JSON too", () => {
    const json =
      '{\n  "openapi": "3.0.0",\n  "paths": {\n    "/a": {"get": {}},\n    "/a": {"put": {}}\n  },\n  "tags": [{"name": "x", "name": "y"}]\n}\n';
    const spec = parseSpecText(json, "inline.json");
    expect(spec.duplicates.map((d) => [d.parent.join("/"), d.key, d.first.location.line, d.second.location.line])).toEqual([
      ["paths", "/a", 4, 5],
      ["tags/0", "name", 7, 7],
    ]);
    expect(lines(spec, [["openapi"], ["paths", "/a", "get"], ["tags", 0, "name"]])).toEqual([2, 4, 7]);
  });
});

describe("locate", () => {
  const text = [
    "openapi: 3.1.0", // 1
    "info:", // 2
    "  title: t", // 3
    "  description:", // 4
    "    a plain scalar", // 5
    "    on two lines", // 6
    "paths:", // 7
    "  /x:", // 8
    "    get:", // 9
    "      tags:", // 10
    "      - one", // 11
    "      -", // 12
    "        two", // 13
    "      parameters:", // 14
    "        [{name: a, in: query}]", // 15
    "      responses:", // 16
    "        '200': &ok", // 17
    "          description: fine", // 18
    "        '404': *ok", // 19
    "",
  ].join("\n");

  it("answers the key's line for mapping entries and the item's first line for sequence items", () => {
    const spec = parseSpecText(text, "inline.yaml");
    const expected = reference(text);
    expect(spec.document).toStrictEqual(expected.value);
    const paths = [
      ...allPaths(spec.document),
      ["nope"],
      ["paths", "/x", "get", "tags", "first"],
      ["paths", "/x", "get", "responses", "404", "description"],
    ];
    expect(lines(spec, paths)).toEqual(paths.map((path) => expected.line(path)));
    expect(
      lines(spec, [[], ["info", "description"], ["paths", "/x", "get", "tags", 1], ["paths", "/x", "get", "parameters", 0, "in"]]),
    ).toEqual([1, 4, 13, 15]);
  });

  it("answers nothing after release()", () => {
    const spec = parseSpecText(text, "inline.yaml");
    expect(spec.locate(["info"])).toEqual({ file: "inline.yaml", line: 2 });
    spec.release();
    expect(spec.locate(["info"])).toBeUndefined();
    expect(spec.locate([])).toBeUndefined();
  });
});

describe("plain scalars resolve as in the YAML 1.2 core schema", () => {
  it("matches the yaml package on numbers, booleans, nulls and look-alikes", () => {
    const scalars = [
      "0",
      "-0",
      "+12",
      "007",
      "0o17",
      "0o8",
      "0x1F",
      "0X1F",
      "-0x1F",
      "0b101",
      "1_000",
      "1.5",
      "-.5",
      "1.",
      "1e3",
      "-1.5e+3",
      ".inf",
      "-.Inf",
      ".nan",
      ".NaN",
      "NaN",
      "~",
      "null",
      "Null",
      "nULL",
      "true",
      "TRUE",
      "tRUE",
      "yes",
      "off",
      "2023-01-01",
      "2001-12-14t21:59:43.10-05:00",
      "12:30",
      "123456789012345678901",
      "'12'",
      "!!str 12",
      "<<",
    ];
    const text = `openapi: 3.0.0\nvalues:\n${scalars.map((s) => `  - ${s}\n`).join("")}merge: {<<: {a: 1}, b: 2}\n`;
    const spec = parseSpecText(text, "inline.yaml");
    expect(spec.document).toStrictEqual(reference(text).value);
    const values = spec.document.values as unknown[];
    expect(values.slice(0, 10)).toStrictEqual([0, -0, 12, 7, 15, "0o8", 31, "0X1F", "-0x1F", "0b101"]);
    expect(values[scalars.indexOf("2023-01-01")]).toBe("2023-01-01");
    expect(spec.document.merge).toEqual({ "<<": { a: 1 }, b: 2 });
  });
});

describe("errors", () => {
  it("names the line of a syntax error, without a stack", async () => {
    const error = await generatorFailure(Promise.resolve().then(() => parseSpecText("openapi: 3.0.0\ninfo:\n\ttitle: x\n", "tabs.yaml")));
    expect(error.code).toBe("SPEC_PARSE");
    expect(error.location).toBe("tabs.yaml:3");
    expect(error.message).toMatch(/^The spec is not valid YAML or JSON: .+\.$/);
    expect(error.message).not.toMatch(/\n/);
    expect(error.hint).toMatch(/^Fix the syntax/);
  });

  it("says a file cut in the middle of a value looks truncated", async () => {
    const error = await generatorFailure(Promise.resolve().then(() => parseSpecText('openapi: 3.0.0\ninfo:\n  title: "abc\n', "cut.yaml")));
    expect(error.code).toBe("SPEC_PARSE");
    expect(error.hint).toMatch(/truncated/);
  });

  it("maps an error in a fragment back to the fragment", async () => {
    const folder = mkdtempSync(join(tmpdir(), "mmt-load-"));
    try {
      writeFileSync(join(folder, "introduction.yaml"), "openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths:\n");
      writeFileSync(join(folder, "users.yaml"), "  /a:\n    get:\n     summary: bad indentation\n      operationId: A\n");
      const error = await generatorFailure(loadSpec(folder));
      expect(error.code).toBe("SPEC_PARSE");
      expect(error.location).toMatch(/users\.yaml:4$/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("points at the second document of a stream with two", async () => {
    const error = await generatorFailure(Promise.resolve().then(() => parseSpecText("openapi: 3.0.0\n---\nopenapi: 3.0.0\n", "two.yaml")));
    expect(error.code).toBe("SPEC_PARSE");
    expect(error.location).toBe("two.yaml:3");
  });

  it("locates the swagger field of a Swagger 2.0 document", async () => {
    const error = await generatorFailure(
      Promise.resolve().then(() => parseSpecText("# a comment\ninfo: {}\nswagger: '2.0'\n", "old.yaml")),
    );
    expect(error.code).toBe("SPEC_SWAGGER2");
    expect(error.location).toBe("old.yaml:3");
  });
});
