// Each named repair of repairDocument on its own, over a small hand-made spec shaped like upstream's
// (routes under /api/v4, `$ref` parameters, tags on operations; test/fixtures/specs/repairs/): what
// it changes, what it leaves, and each warning with the line of its place. The real spec: real-spec.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../generator/load.js";
import * as repair from "../../generator/repair.js";
import type { GeneratorWarning } from "../../generator/warnings.js";

const folder = join(import.meta.dirname, "..", "fixtures", "specs", "repairs");

/** The fixture, loaded, with `line(text, n)`: the line of the n-th line of the file that contains `text`. */
async function fixture(name: string) {
  const file = join(folder, name);
  const lines = readFileSync(file, "utf8").split("\n");
  const spec = await loadSpec(file);
  const line = (text: string, nth = 1): number => {
    const found = lines.flatMap((content, index) => (content.includes(text) ? [index + 1] : []));
    expect(found.length, `"${text}" is in ${name} ${nth} times`).toBeGreaterThanOrEqual(nth);
    return found[nth - 1] ?? 0;
  };
  const operation = (path: string, method: string): Record<string, unknown> => {
    const item = (spec.document.paths as Record<string, Record<string, unknown>>)[path];
    return (item?.[method] ?? {}) as Record<string, unknown>;
  };
  return { spec, file: spec.location, line, operation, context: repair.repairContext(spec) };
}

/** A warning as the tests compare it: kind, message, action, and the lines of its places. */
const shown = (warning: GeneratorWarning): [string, string, string, number[]] => [
  warning.kind,
  warning.message,
  warning.action,
  warning.locations.map((location) => location.line),
];

describe("repairDocument", () => {
  it("runs the named repairs in order, and lists their warnings in that order", async () => {
    expect(repair.REPAIRS.map((step) => step.name)).toEqual(["operation-ids", "path-parameters", "undeclared-tags", "empty-media-types"]);
    const { spec } = await fixture("all.yaml");
    const kinds = repair.repairDocument(spec).map((warning) => warning.kind);
    expect(kinds.join(" ")).toBe("missing-operation-id undeclared-path-parameter undeclared-tag empty-media-type");
  });
});

describe("repairOperationIds", () => {
  it("names an operation without an id from its route, numbers a taken one, and renames the later users of one id", async () => {
    const { context, line, operation, file } = await fixture("operation-ids.yaml");
    const warnings = repair.repairOperationIds(context);
    const ids = [
      ["/api/v4/users/{user_id}/sessions", "get"],
      ["/api/v4/users/{user_id}/audits", "get"],
      ["/api/v4/users/{user_id}/audits/all", "get"],
      ["/api/v4/teams/{team_id}/files/search", "post"],
      ["/api/v4/files/search", "post"],
      ["/api/v4/channels/{channel_id}/files/search", "post"],
      ["/api/v4/users/me", "get"],
    ].map(([path = "", method = ""]) => operation(path, method).operationId);
    expect(ids).toEqual([
      "GetUsersUserIdSessions",
      "GetUsersUserIdAudits2",
      "GetUsersUserIdAudits",
      "SearchFiles",
      "SearchFiles2",
      "SearchFiles3",
      "GetMe",
    ]);
    const renamed = (to: string): string => `the second is named ${to} (rename it with an overlay if you prefer another name)`;
    const used = (by: string): string =>
      `the operationId SearchFiles is used by POST /api/v4/teams/{team_id}/files/search and by POST ${by}`;
    expect(warnings.map(shown)).toEqual([
      [
        "missing-operation-id",
        "GET /api/v4/users/{user_id}/sessions has no operationId",
        "named it GetUsersUserIdSessions",
        [line("get:")],
      ],
      [
        "missing-operation-id",
        "GET /api/v4/users/{user_id}/audits has no operationId",
        "named it GetUsersUserIdAudits2",
        [line("get:", 2)],
      ],
      [
        "duplicate-operation-id",
        used("/api/v4/files/search"),
        renamed("SearchFiles2"),
        [line("operationId: SearchFiles"), line("operationId: SearchFiles", 2)],
      ],
      [
        "duplicate-operation-id",
        used("/api/v4/channels/{channel_id}/files/search"),
        renamed("SearchFiles3"),
        [line("operationId: SearchFiles"), line("operationId: SearchFiles", 3)],
      ],
    ]);
    expect(warnings.every((warning) => warning.locations.every((location) => location.file === file))).toBe(true);
  });
});

describe("repairPathParameters", () => {
  it("declares a route parameter declared nowhere as a required string, and drops one the route lacks", async () => {
    const { context, line, operation } = await fixture("path-parameters.yaml");
    const warnings = repair.repairPathParameters(context);
    expect(operation("/api/v4/users/{user_id}/reset_failed_attempts", "post").parameters).toEqual([
      { name: "user_id", in: "path", required: true, schema: { type: "string" } },
    ]);
    // user_id is declared by the path item; team_id is not in the route; the query parameter stays.
    expect(operation("/api/v4/users/{user_id}/image", "get").parameters).toEqual([{ name: "_", in: "query", schema: { type: "number" } }]);
    expect(operation("/api/v4/users/{user_id}", "get").parameters).toEqual([{ $ref: "#/components/parameters/UserId" }]);
    expect(warnings.map(shown)).toEqual([
      [
        "undeclared-path-parameter",
        "POST /api/v4/users/{user_id}/reset_failed_attempts uses {user_id} without declaring it",
        "added user_id as a required string path parameter",
        [line("post:")],
      ],
      [
        "unused-path-parameter",
        "GET /api/v4/users/{user_id}/image declares the path parameter team_id, which its route does not contain",
        "dropped it",
        [line("get:")],
      ],
    ]);
  });
});

describe("repairUndeclaredTags", () => {
  it("declares each tag used but not declared, sorted, once, at its first use", async () => {
    const { context, line, spec } = await fixture("tags.yaml");
    const warnings = repair.repairUndeclaredTags(context);
    expect(spec.document.tags).toEqual([{ name: "users" }, { name: "bookmarks" }, { name: "threads" }]);
    expect(warnings.map(shown)).toEqual([
      [
        "undeclared-tag",
        'the tag "bookmarks" is used (first by GET /api/v4/channels/{channel_id}/bookmarks) but not declared',
        "declared it",
        [line("tags: [bookmarks]")],
      ],
      [
        "undeclared-tag",
        'the tag "threads" is used (first by GET /api/v4/users/{user_id}/threads) but not declared',
        "declared it",
        [line("tags: [threads, users]")],
      ],
    ]);
    // Declared now: a second run has nothing to do.
    expect(repair.repairUndeclaredTags(context)).toEqual([]);
  });
});

describe("repairEmptyMediaTypes", () => {
  it("gives a media type listed with no value an empty media type, in responses and request bodies", async () => {
    const { context, line, operation } = await fixture("media-types.yaml");
    const warnings = repair.repairEmptyMediaTypes(context);
    const path = "/api/v4/users/{user_id}/custom_profile_attributes";
    expect(operation(path, "get").responses).toEqual({ "200": { content: { "application/json": {} } } });
    expect(operation(path, "patch").requestBody).toEqual({ content: { "application/json": {} } });
    expect(operation(path, "patch").responses).toEqual({ "200": { content: { "application/json": { schema: { type: "object" } } } } });
    const message = (method: string): string => `${method} ${path} lists the media type application/json with no schema`;
    expect(warnings.map(shown)).toEqual([
      ["empty-media-type", message("GET"), "treated it as a body of unknown shape", [line("application/json:")]],
      ["empty-media-type", message("PATCH"), "treated it as a body of unknown shape", [line("application/json:", 2)]],
    ]);
  });
});
