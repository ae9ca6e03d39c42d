import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { loadCatalog, parseCatalog } from "../generator/events/catalog.js";
import type { Catalog, CatalogField, TypeSpec } from "../generator/events/types.js";
import { GeneratorError } from "../generator/errors.js";
import { readSchemaNames, referencedSchemas } from "./fixtures/events/openapi-schema-names.js";

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const CATALOG = here("../spec/websocket-events.yaml");
const FACTS = here("../../shared/mattermost-api/v11.6.0/websocket-events.facts.json");
const OPENAPI = here("../../shared/mattermost-api/v11.6.0/mattermost-openapi-v4.yaml");
const FIXTURES = here("./fixtures/events/");

// ---------------------------------------------------------------------------------------------
// The facts file, as far as these tests read it.

interface FactType {
  type: "string" | "number" | "boolean" | "string[]" | "object" | "json-string" | "ref" | "unknown";
  of?: string;
  array?: boolean;
  optional?: boolean;
  per_recipient?: boolean;
  enum?: (string | number | boolean)[];
  fields?: Record<string, FactType>;
}
interface FactEvent {
  name: string;
  data: Record<string, FactType>;
  broadcast_scope: string;
  emitted_by_server: boolean;
  data_known: "full" | "unknown" | "none";
  notes_facts: string[];
  variants?: { when: string; scope: string; keys: string[]; facts?: string[] }[];
  webapp_differences?: string[];
}
interface FactAction {
  action: string;
  requires_auth: boolean;
  request_data: Record<string, FactType>;
  reply_data: FactType | null;
  facts: string[];
}
interface Facts {
  server_version: string;
  events: FactEvent[];
  actions: FactAction[];
}

const facts: Facts = JSON.parse(readFileSync(FACTS, "utf8"));
const catalog = loadCatalog(CATALOG);

// ---------------------------------------------------------------------------------------------
// One canonical, TypeScript-like text for a type on each side, so they can be compared.

/** The facts' free-form `of` types that are not `Record<string, …>`, in our canonical spelling. */
const TS_LIKE_OF: Readonly<Record<string, string>> = {
  "Array<{text: string; value: string}> | null": "{text: string; value: string}[] | null",
  "{time_interval?: number; location_timezone?: string; allow_manual_time_entry?: boolean}":
    "{allow_manual_time_entry?: boolean; location_timezone?: string; time_interval?: number}",
};

function literals(values: readonly (string | number | boolean)[]): string {
  return values.map((value) => JSON.stringify(value)).join(" | ");
}

function canonObject(entries: [string, string, boolean][]): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([name, type, optional]) => `${name}${optional ? "?" : ""}: ${type}`).join("; ")}}`;
}

function canonFact(fact: FactType): string {
  const arrayed = (text: string): string => (fact.array === true ? `${text}[]` : text);
  switch (fact.type) {
    case "string":
    case "number":
    case "boolean":
      return fact.enum === undefined ? fact.type : literals(fact.enum);
    case "unknown":
    case "string[]":
      return fact.type;
    case "ref":
      return arrayed(`ref(${schemaOf(fact.of)})`);
    case "json-string": {
      const of = fact.of ?? "";
      if (of.startsWith("#/")) return `json(${arrayed(`ref(${schemaOf(of)})`)})`;
      if (fact.fields !== undefined) return `json(${arrayed(canonFactFields(fact.fields))})`;
      return `json(${arrayed(of)})`;
    }
    case "object": {
      if (fact.fields !== undefined) return arrayed(canonFactFields(fact.fields));
      const of = fact.of ?? "Record<string, unknown>";
      const record = /^Record<string, (.+)>$/.exec(of);
      if (record?.[1] !== undefined) return arrayed(`Record<string, ${record[1].replaceAll("'", '"')}>`);
      const known = TS_LIKE_OF[of];
      if (known === undefined) throw new Error(`Add the facts type ${JSON.stringify(of)} to TS_LIKE_OF`);
      return known;
    }
  }
}

function canonFactFields(fields: Record<string, FactType>): string {
  return canonObject(Object.entries(fields).map(([name, fact]) => [name, canonFact(fact), fact.optional === true]));
}

function schemaOf(of: string | undefined): string {
  const match = /^#\/components\/schemas\/(\w+)$/.exec(of ?? "");
  if (match?.[1] === undefined) throw new Error(`not a schema ref: ${String(of)}`);
  return match[1];
}

function canonOurs(spec: TypeSpec, shapes: Catalog["shapes"]): string {
  if (spec.kind === "json") return `json(${canonOurs(spec.of, shapes)})`;
  let text: string;
  switch (spec.kind) {
    case "primitive": {
      const base = spec.enum === undefined ? spec.type : literals(spec.enum);
      // The facts spell an array of plain strings "string[]".
      text = spec.array ? `${base}[]` : base;
      break;
    }
    case "object": {
      const base =
        spec.fields !== undefined
          ? canonOurFields(spec.fields, shapes)
          : spec.values !== undefined
            ? `Record<string, ${canonOurs(spec.values, shapes)}>`
            : "Record<string, unknown>";
      text = spec.array ? `${base}[]` : base;
      break;
    }
    case "ref":
      text = spec.array ? `ref(${spec.schema})[]` : `ref(${spec.schema})`;
      break;
    case "shape": {
      const shape = shapes.find((candidate) => candidate.name === spec.shape);
      if (shape === undefined) throw new Error(`no shape ${spec.shape}`);
      const base = canonOurFields(shape.fields, shapes);
      text = spec.array ? `${base}[]` : base;
      break;
    }
  }
  return spec.nullable ? `${text} | null` : text;
}

function canonOurFields(fields: readonly CatalogField[], shapes: Catalog["shapes"]): string {
  return canonObject(fields.map((field) => [field.name, canonOurs(field.type, shapes), field.optional]));
}

/** `name?: type` plus the per-recipient flag, for every key: one comparable line each. */
function factKeys(data: Record<string, FactType>): string[] {
  return Object.entries(data)
    .map(
      ([name, fact]) =>
        `${name}${fact.optional === true ? "?" : ""}: ${canonFact(fact)}${fact.per_recipient === true ? " (per recipient)" : ""}`,
    )
    .sort();
}

function ourKeys(fields: readonly CatalogField[]): string[] {
  return fields
    .map(
      (field) =>
        `${field.name}${field.optional ? "?" : ""}: ${canonOurs(field.type, catalog.shapes)}${field.per_recipient ? " (per recipient)" : ""}`,
    )
    .sort();
}

// ---------------------------------------------------------------------------------------------

describe("spec/websocket-events.yaml", () => {
  it("validates and loads", () => {
    expect(catalog.file).toBe(CATALOG);
    expect(catalog.server_version).toBe(facts.server_version);
    expect(catalog.events).toHaveLength(99);
    expect(catalog.actions).toHaveLength(8);
  });

  it("is kept sorted by name in the file", () => {
    const raw: unknown = parseDocument(readFileSync(CATALOG, "utf8")).toJS();
    const names = (section: string): string[] => {
      if (typeof raw !== "object" || raw === null || !(section in raw)) return [];
      const list: unknown = (raw as Record<string, unknown>)[section];
      return Array.isArray(list) ? list.map((item: { name: string }) => item.name) : [];
    };
    for (const section of ["events", "actions", "shapes"]) {
      const written = names(section);
      expect(written, section).toEqual([...written].sort());
    }
  });

  it("has every event of the facts, and no other", () => {
    expect(catalog.events.map((event) => event.name)).toEqual(facts.events.map((event) => event.name).sort());
  });

  it("has every action of the facts, and no other", () => {
    expect(catalog.actions.map((action) => action.name)).toEqual(facts.actions.map((action) => action.action).sort());
  });

  describe.each(facts.events.map((fact) => [fact.name, fact] as const))("event %s", (name, fact) => {
    const event = catalog.events.find((candidate) => candidate.name === name);

    it("agrees on scope, emitted and whether the data is known", () => {
      expect(event?.scope).toBe(fact.broadcast_scope);
      expect(event?.emitted).toBe(fact.emitted_by_server);
      expect(event?.data === "unknown").toBe(fact.data_known !== "full");
    });

    it("agrees on every data key: type, JSON-text target, optional, per recipient", () => {
      if (event === undefined || event.data === "unknown") {
        expect(fact.data).toEqual({});
        return;
      }
      expect(ourKeys(event.data)).toEqual(factKeys(fact.data));
    });

    it("agrees on the variants", () => {
      const ours = event?.variants.map((variant) => ({ scope: variant.scope, keys: [...variant.keys].sort() })) ?? [];
      const theirs = (fact.variants ?? []).map((variant) => ({ scope: variant.scope, keys: [...variant.keys].sort() }));
      expect(ours).toEqual(theirs);
    });
  });

  describe.each(facts.actions.map((fact) => [fact.action, fact] as const))("action %s", (name, fact) => {
    const action = catalog.actions.find((candidate) => candidate.name === name);

    it("agrees on authentication, request keys and reply", () => {
      expect(action?.requires_auth).toBe(fact.requires_auth);
      expect(ourKeys(action?.request ?? [])).toEqual(factKeys(fact.request_data));
      const reply = action?.reply ?? null;
      expect(reply === null ? null : canonOurs(reply, catalog.shapes)).toEqual(
        fact.reply_data === null ? null : canonFact(fact.reply_data),
      );
    });
  });

  it("refers only to schemas of the v11.6.0 OpenAPI document", () => {
    const schemas = readSchemaNames(OPENAPI);
    expect(schemas.size).toBe(185);
    const refs = referencedSchemas(catalog);
    expect(refs.filter((ref) => !schemas.has(ref))).toEqual([]);
    for (const shape of catalog.shapes) expect(schemas.has(shape.name), shape.name).toBe(false);
  });

  it("words its descriptions itself (no run of six words taken from the facts' prose)", () => {
    const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9_']+/g) ?? [];
    const shingles = (text: string): string[] => {
      const list = words(text);
      return list.slice(0, Math.max(0, list.length - 5)).map((_, index) => list.slice(index, index + 6).join(" "));
    };
    const prose = [
      ...facts.events.flatMap((event) => [
        ...event.notes_facts,
        ...(event.webapp_differences ?? []),
        ...(event.variants ?? []).flatMap((variant) => [variant.when, ...(variant.facts ?? [])]),
      ]),
      ...facts.actions.flatMap((action) => action.facts),
    ];
    const theirs = new Set(prose.flatMap(shingles));
    const ours = [
      ...catalog.events.flatMap((event) => [
        event.description,
        ...event.variants.map((variant) => variant.when),
        ...(event.data === "unknown" ? [] : event.data.flatMap((field) => field.description ?? [])),
      ]),
      ...catalog.actions.map((action) => action.description),
      ...catalog.shapes.map((shape) => shape.description),
    ];
    const copied = ours.filter((text) => shingles(text).some((shingle) => theirs.has(shingle)));
    expect(copied).toEqual([]);
  });
});

describe("parseCatalog", () => {
  const small = readFileSync(`${FIXTURES}small.yaml`, "utf8");

  it("normalizes a small catalog: sorted, flags defaulted, variants kept in order", () => {
    const parsed = parseCatalog(small, "small.yaml");
    expect(parsed.events.map((event) => event.name)).toEqual([
      "guests_deactivated",
      "multiple_channels_viewed",
      "posted",
      "response",
      "thread_read_changed",
      "typing",
    ]);
    expect(parsed.actions.map((action) => action.name)).toEqual(["authentication_challenge", "get_statuses", "ping"]);
    const posted = parsed.events.find((event) => event.name === "posted");
    expect(posted?.data).not.toBe("unknown");
    const data = posted?.data === "unknown" ? [] : (posted?.data ?? []);
    expect(data.map((field) => field.name)).toEqual(["channel_type", "draft", "image", "mentions", "post"]);
    expect(data.find((field) => field.name === "mentions")).toEqual({
      name: "mentions",
      type: { kind: "json", of: { kind: "primitive", type: "string", array: true, nullable: false } },
      optional: true,
      per_recipient: true,
    });
    const thread = parsed.events.find((event) => event.name === "thread_read_changed");
    expect(thread?.variants.map((variant) => variant.keys)).toEqual([[], ["timestamp"], ["thread_id", "timestamp"]]);
    expect(parsed.actions.find((action) => action.name === "authentication_challenge")?.reply).toBeNull();
    expect(parsed.events.find((event) => event.name === "guests_deactivated")?.data).toEqual([]);
  });

  function failure(run: () => unknown): GeneratorError {
    try {
      run();
    } catch (error) {
      if (error instanceof GeneratorError) return error;
      throw error;
    }
    throw new Error("expected a GeneratorError");
  }

  it("reports a YAML syntax error with file and line", () => {
    const error = failure(() => loadCatalog(`${FIXTURES}bad-syntax.yaml`));
    expect(error.code).toBe("CATALOG_INVALID");
    expect(error.file).toBe(`${FIXTURES}bad-syntax.yaml`);
    expect(error.line).toBeGreaterThanOrEqual(8);
    expect(error.line).toBeLessThanOrEqual(9);
    expect(error.format()).toContain(`${FIXTURES}bad-syntax.yaml:${String(error.line)}: `);
    expect(error.hint).toMatch(/syntax/);
  });

  it("reports an unknown key at its line, with the keys that are allowed", () => {
    const error = failure(() => loadCatalog(`${FIXTURES}bad-unknown-key.yaml`));
    expect(error.code).toBe("CATALOG_INVALID");
    expect(error.line).toBe(9);
    expect(error.message).toContain('"optinal" is not a known key');
    expect(error.message).toContain("events[0] (typing) → data → parent_id");
    expect(error.hint).toContain("optional");
  });

  it("reports a key with two types at the key's line", () => {
    const error = failure(() => loadCatalog(`${FIXTURES}bad-two-types.yaml`));
    expect(error.line).toBe(9);
    expect(error.message).toContain("has more than one of the keys type, ref, shape, json");
  });

  it("reports a variant naming a key the event does not have", () => {
    const error = failure(() => loadCatalog(`${FIXTURES}bad-variant.yaml`));
    expect(error.line).toBe(16);
    expect(error.message).toContain('"channel_id" is not one of the event\'s data keys');
  });

  it("names the line of each kind of mistake", () => {
    const cases: [string, number, RegExp][] = [
      ["events: []\nactions: []\n", 1, /"server_version" is missing/],
      [
        "server_version: 1.0.0\nevents:\n  - name: Bad-Name\n    description: x\n    scope: user\n    emitted: true\n    data: {}\nactions: []\n",
        3,
        /does not have the expected form/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data: {}\n  - name: a\n    description: y\n    scope: user\n    emitted: true\n    data: {}\nactions: []\n",
        8,
        /listed twice/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: somewhere\n    emitted: true\n    data: {}\nactions: []\n",
        5,
        /"somewhere" is not one of/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k: { json: { json: { type: string } } }\nactions: []\n",
        8,
        /json is only allowed directly/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k: { json: { ref: Post }, array: true }\nactions: []\n",
        8,
        /"array" next to json/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k: { shape: Nope }\nactions: []\n",
        8,
        /no shape named "Nope"/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k: { type: number, enum: [a] }\nactions: []\n",
        8,
        /"a" is not a number/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k: { type: string, fields: {} }\nactions: []\n",
        8,
        /only allowed with type object/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: false\n    data: unknown\nactions: []\n",
        5,
        /does not send has scope "user"/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: mixed\n    emitted: true\n    data: {}\nactions: []\n",
        5,
        /needs variants/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data: nothing\nactions: []\n",
        7,
        /must be "unknown"/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data: 5\nactions: []\n",
        7,
        /expected object or string, found a number\.$/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: mixed\n    emitted: true\n    data:\n      k: { type: string }\n    variants:\n      - when: one\n        scope: user\n        keys: [k]\n      - when: two\n        scope: team\n        keys: []\nactions: []\n",
        15,
        /required key "k" is missing from this variant/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k: { type: string, optional: true }\n    variants:\n      - when: one\n        scope: user\n        keys: [k]\nactions: []\n",
        8,
        /optional but every variant lists it/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k: { type: string }\n    variants:\n      - when: one\n        scope: user\n        keys: [k]\n      - when: two\n        scope: team\n        keys: [k]\nactions: []\n",
        5,
        /variants say scope "mixed"/,
      ],
      [
        "server_version: 1.0.0\nevents: []\nactions:\n  - name: a\n    description: x\n    requires_auth: true\n    request:\n      k: { json: { type: string } }\n    reply: none\n",
        8,
        /json is only allowed directly/,
      ],
      [
        "server_version: 1.0.0\nevents: []\nactions:\n  - name: a\n    description: x\n    requires_auth: true\n    request: {}\n    reply: nothing\n",
        8,
        /must be "none"/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k: { optional: true }\nactions: []\n",
        8,
        /has none of the keys type, ref, shape, json/,
      ],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n    data:\n      k-x: { type: string }\nactions: []\n",
        8,
        /"k-x" is not a valid key name/,
      ],
      ["", 1, /expected object, found null/],
      ["# only a comment\n", 1, /expected object, found null/],
      ["# a comment\n\nevents: []\nactions: []\n", 3, /the key "server_version" is missing/],
      [
        "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\nactions: []\n",
        3,
        /the key "data" is missing/,
      ],
    ];
    for (const [text, line, message] of cases) {
      const error = failure(() => parseCatalog(text, "inline.yaml"));
      expect({ text, line: error.line, message: error.message }).toEqual({ text, line, message: expect.stringMatching(message) });
      expect(error.file).toBe("inline.yaml");
      expect(error.hint).toContain("spec/websocket-events.schema.json");
    }
  });

  it("reports a key written twice at the second, naming both lines and where", () => {
    const head = "server_version: 1.0.0\nevents:\n  - name: a\n    description: x\n    scope: user\n    emitted: true\n";
    const cases: [string, number, string][] = [
      [
        "server_version: 1.0.0\nevents: []\nactions: []\nevents: []\n",
        4,
        'the key "events" is written twice at the top level, at lines 2 and 4.',
      ],
      [`${head}    scope: team\n    data: {}\nactions: []\n`, 7, 'the key "scope" is written twice in events[0] (a), at lines 5 and 7.'],
      [
        `${head}    data:\n      k:\n        type: object\n        fields:\n          f: { type: string }\n          f: { type: number }\nactions: []\n`,
        12,
        'the key "f" is written twice in events[0] (a) → data → k → fields, at lines 11 and 12.',
      ],
      [
        `${head}    data:\n      k: { type: string, type: number }\nactions: []\n`,
        8,
        'the key "type" is written twice in events[0] (a) → data → k, both on line 8.',
      ],
    ];
    for (const [text, line, message] of cases) {
      const error = failure(() => parseCatalog(text, "inline.yaml"));
      expect({ code: error.code, file: error.file, line: error.line, message: error.message }).toEqual({
        code: "CATALOG_INVALID",
        file: "inline.yaml",
        line,
        message: `The WebSocket catalog is not valid YAML: ${message}`,
      });
      expect(error.hint).toMatch(/^Keep one of the two/);
    }
  });

  it("reports a bracket left open at the end of the file at the last line with text", () => {
    const error = failure(() => parseCatalog("server_version: 1.0.0\nevents: [\nactions: []\n\n", "inline.yaml"));
    expect(error.line).toBe(3);
    expect(error.message).toBe("The WebSocket catalog is not valid YAML: unexpected end of the stream within a flow collection.");
    expect(error.hint).toMatch(/syntax/);
  });

  it("says when the file cannot be read", () => {
    const error = failure(() => loadCatalog(`${FIXTURES}missing.yaml`));
    expect(error.code).toBe("CATALOG_INVALID");
    expect(error.message).toContain("ENOENT");
    expect(error.file).toBe(`${FIXTURES}missing.yaml`);
  });
});
