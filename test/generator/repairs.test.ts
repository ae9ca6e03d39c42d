// Each named repair of repairDocument on its own, over a small hand-made document shaped like the
// upstream spec (paths under /api/v4, parameters as components, tags on operations): what it changes,
// what it leaves, and the warning it gives with the line of the place (the paths start at line 9). The real spec is in real-spec.test.ts.
import { describe, expect, it } from "vitest";
import { parseSpecText } from "../../generator/load.js";
import {
  REPAIRS,
  repairContext,
  repairDocument,
  repairEmptyMediaTypes,
  repairOperationIds,
  repairPathParameters,
  repairUndeclaredTags,
} from "../../generator/repair.js";

const FILE = "spec.yaml";

/** A document in upstream's shape; `paths` is the YAML of the paths object, indented by two spaces. */
function spec(paths: string, extra = "") {
  const text = [
    "openapi: 3.0.0",
    "info:",
    "  title: Mattermost API Reference",
    "  version: 4.0.0",
    "tags:",
    "  - name: users",
    "  - name: posts",
    "paths:",
    paths,
    "components:",
    "  parameters:",
    "    UserId:",
    "      name: user_id",
    "      in: path",
    "      required: true",
    "      schema:",
    "        type: string",
    extra,
  ].join("\n");
  return parseSpecText(text, FILE);
}

const operation = (document: Record<string, unknown>, path: string, method: string): Record<string, unknown> =>
  ((document.paths as Record<string, Record<string, unknown>>)[path]?.[method] ?? {}) as Record<string, unknown>;

describe("repairDocument", () => {
  it("runs the named repairs in order", () => {
    expect(REPAIRS.map((repair) => repair.name)).toEqual(["operation-ids", "path-parameters", "undeclared-tags", "empty-media-types"]);
  });

  it("returns the warnings of every repair, in the order the repairs run", () => {
    const loaded = spec(
      [
        "  /api/v4/users/{user_id}/sessions:",
        "    get:",
        "      tags: [sessions]",
        "      responses:",
        '        "200":',
        "          content:",
        "            application/json:",
      ].join("\n"),
    );
    expect(repairDocument(loaded).map((warning) => warning.kind)).toEqual([
      "missing-operation-id",
      "undeclared-path-parameter",
      "undeclared-tag",
      "empty-media-type",
    ]);
  });
});

describe("repairOperationIds", () => {
  const paths = [
    "  /api/v4/users/{user_id}/sessions:",
    "    get:",
    "      parameters:",
    '        - $ref: "#/components/parameters/UserId"',
    "      responses: {}",
    "  /api/v4/teams/{team_id}/files/search:",
    "    post:",
    "      operationId: SearchFiles",
    "      responses: {}",
    "  /api/v4/files/search:",
    "    post:",
    "      operationId: SearchFiles",
    "      responses: {}",
    "  /api/v4/channels/{channel_id}/files/search:",
    "    post:",
    "      operationId: SearchFiles",
    "      responses: {}",
  ].join("\n");

  it("names an operation without an id from its method and route, and numbers the later users of one id", () => {
    const loaded = spec(paths);
    const warnings = repairOperationIds(repairContext(loaded));
    const document = loaded.document;
    expect(operation(document, "/api/v4/users/{user_id}/sessions", "get").operationId).toBe("GetUsersUserIdSessions");
    expect(operation(document, "/api/v4/teams/{team_id}/files/search", "post").operationId).toBe("SearchFiles");
    expect(operation(document, "/api/v4/files/search", "post").operationId).toBe("SearchFiles2");
    expect(operation(document, "/api/v4/channels/{channel_id}/files/search", "post").operationId).toBe("SearchFiles3");
    expect(warnings.map((warning) => [warning.kind, warning.action])).toEqual([
      ["missing-operation-id", "named it GetUsersUserIdSessions"],
      ["duplicate-operation-id", "the second is named SearchFiles2 (rename it with an overlay if you prefer another name)"],
      ["duplicate-operation-id", "the second is named SearchFiles3 (rename it with an overlay if you prefer another name)"],
    ]);
    expect(warnings[0]?.message).toBe("GET /api/v4/users/{user_id}/sessions has no operationId");
    expect(warnings[1]?.message).toBe(
      "the operationId SearchFiles is used by POST /api/v4/teams/{team_id}/files/search and by POST /api/v4/files/search",
    );
    // Both operationId lines; the one without an id at its operation.
    expect(warnings[1]?.locations).toEqual([
      { file: FILE, line: 16 },
      { file: FILE, line: 20 },
    ]);
    expect(warnings[0]?.locations).toEqual([{ file: FILE, line: 10 }]);
  });

  it("numbers a generated id that another operation already has", () => {
    const loaded = spec(
      [
        "  /api/v4/users/{user_id}/sessions:",
        "    get:",
        "      responses: {}",
        "  /api/v4/users/{user_id}/sessions/all:",
        "    get:",
        "      operationId: GetUsersUserIdSessions",
        "      responses: {}",
      ].join("\n"),
    );
    repairOperationIds(repairContext(loaded));
    expect(operation(loaded.document, "/api/v4/users/{user_id}/sessions", "get").operationId).toBe("GetUsersUserIdSessions2");
  });

  it("leaves unique ids alone and says nothing", () => {
    const loaded = spec(["  /api/v4/users/me:", "    get:", "      operationId: GetMe", "      responses: {}"].join("\n"));
    expect(repairOperationIds(repairContext(loaded))).toEqual([]);
    expect(operation(loaded.document, "/api/v4/users/me", "get").operationId).toBe("GetMe");
  });
});

describe("repairPathParameters", () => {
  const paths = [
    "  /api/v4/users/{user_id}/reset_failed_attempts:",
    "    post:",
    "      operationId: ResetFailedAttempts",
    "      responses: {}",
    "  /api/v4/users/{user_id}/image:",
    "    parameters:",
    '      - $ref: "#/components/parameters/UserId"',
    "    get:",
    "      operationId: GetProfileImage",
    "      parameters:",
    "        - name: team_id",
    "          in: path",
    "          required: true",
    "          schema:",
    "            type: string",
    "        - name: _",
    "          in: query",
    "          schema:",
    "            type: number",
    "      responses: {}",
  ].join("\n");

  it("declares a path parameter the route uses as a required string, and drops one the route lacks", () => {
    const loaded = spec(paths);
    const warnings = repairPathParameters(repairContext(loaded));
    expect(operation(loaded.document, "/api/v4/users/{user_id}/reset_failed_attempts", "post").parameters).toEqual([
      { name: "user_id", in: "path", required: true, schema: { type: "string" } },
    ]);
    // user_id comes from the path item's $ref; team_id is not in the route; the query parameter stays.
    expect(operation(loaded.document, "/api/v4/users/{user_id}/image", "get").parameters).toEqual([
      { name: "_", in: "query", schema: { type: "number" } },
    ]);
    expect(warnings.map((warning) => [warning.kind, warning.message, warning.action])).toEqual([
      [
        "undeclared-path-parameter",
        "POST /api/v4/users/{user_id}/reset_failed_attempts uses {user_id} without declaring it",
        "added user_id as a required string path parameter",
      ],
      [
        "unused-path-parameter",
        "GET /api/v4/users/{user_id}/image declares the path parameter team_id, which its route does not contain",
        "dropped it",
      ],
    ]);
    expect(warnings[0]?.locations).toEqual([{ file: FILE, line: 10 }]);
  });

  it("says nothing when every used parameter is declared", () => {
    const loaded = spec(
      [
        "  /api/v4/users/{user_id}:",
        "    get:",
        "      operationId: GetUser",
        "      parameters:",
        '        - $ref: "#/components/parameters/UserId"',
        "      responses: {}",
      ].join("\n"),
    );
    expect(repairPathParameters(repairContext(loaded))).toEqual([]);
  });
});

describe("repairUndeclaredTags", () => {
  it("declares each tag used but not declared, sorted, once, at its first use", () => {
    const paths = [
      "  /api/v4/users/{user_id}/threads:",
      "    get:",
      "      operationId: GetUserThreads",
      "      tags: [threads, users]",
      "      responses: {}",
      "  /api/v4/users/{user_id}/threads/read:",
      "    put:",
      "      operationId: UpdateThreadsReadForUser",
      "      tags: [threads]",
      "      responses: {}",
      "  /api/v4/bookmarks:",
      "    get:",
      "      operationId: ListBookmarks",
      "      tags: [bookmarks]",
      "      responses: {}",
    ].join("\n");
    const loaded = spec(paths);
    const warnings = repairUndeclaredTags(repairContext(loaded));
    expect(loaded.document.tags).toEqual([{ name: "users" }, { name: "posts" }, { name: "bookmarks" }, { name: "threads" }]);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'the tag "bookmarks" is used (first by GET /api/v4/bookmarks) but not declared',
      'the tag "threads" is used (first by GET /api/v4/users/{user_id}/threads) but not declared',
    ]);
    expect(warnings.every((warning) => warning.kind === "undeclared-tag" && warning.action === "declared it")).toBe(true);
    expect(warnings[1]?.locations).toEqual([{ file: FILE, line: 12 }]);
  });

  it("leaves the document's tags as they are when every tag is declared", () => {
    const loaded = spec(
      ["  /api/v4/users/me:", "    get:", "      operationId: GetMe", "      tags: [users]", "      responses: {}"].join("\n"),
    );
    const before = loaded.document.tags;
    expect(repairUndeclaredTags(repairContext(loaded))).toEqual([]);
    expect(loaded.document.tags).toBe(before);
  });
});

describe("repairEmptyMediaTypes", () => {
  it("gives a media type listed with no value an empty media type, in bodies and responses", () => {
    const paths = [
      "  /api/v4/users/{user_id}/custom_profile_attributes:",
      "    get:",
      "      operationId: ListCPAValues",
      "      parameters:",
      '        - $ref: "#/components/parameters/UserId"',
      "      responses:",
      '        "200":',
      "          content:",
      "            application/json:",
      "    patch:",
      "      operationId: PatchCPAValues",
      "      parameters:",
      '        - $ref: "#/components/parameters/UserId"',
      "      requestBody:",
      "        content:",
      "          application/json:",
      "      responses:",
      '        "200":',
      "          content:",
      "            application/json:",
      "              schema:",
      "                type: object",
    ].join("\n");
    const loaded = spec(paths);
    const warnings = repairEmptyMediaTypes(repairContext(loaded));
    const path = "/api/v4/users/{user_id}/custom_profile_attributes";
    expect(operation(loaded.document, path, "get").responses).toEqual({ "200": { content: { "application/json": {} } } });
    expect(operation(loaded.document, path, "patch").requestBody).toEqual({ content: { "application/json": {} } });
    expect(operation(loaded.document, path, "patch").responses).toEqual({
      "200": { content: { "application/json": { schema: { type: "object" } } } },
    });
    expect(warnings.map((warning) => [warning.kind, warning.message, warning.action, warning.locations[0]?.line])).toEqual([
      ["empty-media-type", `GET ${path} lists the media type application/json with no schema`, "treated it as a body of unknown shape", 17],
      [
        "empty-media-type",
        `PATCH ${path} lists the media type application/json with no schema`,
        "treated it as a body of unknown shape",
        24,
      ],
    ]);
  });
});
