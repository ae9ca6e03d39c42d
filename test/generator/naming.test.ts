// generator/naming.ts decides every generated name. Unit cases for each decision, then the
// decisions over the real v11.6.0 spec: every function, args and schema name is a usable identifier,
// unique, and the names upstream's operationIds give are the ones users import.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../generator/generate.js";
import type { Model } from "../../generator/model.js";
import * as naming from "../../generator/naming.js";

const v11 = join(import.meta.dirname, "..", "..", "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml");

/** `[input, expected]` pairs, checked through `decide`. */
function table<I, O>(decide: (input: I) => O, cases: readonly (readonly [I, O])[]): void {
  expect(cases.map(([input]) => decide(input))).toEqual(cases.map(([, expected]) => expected));
}

describe("operation ids and function names", () => {
  it("names an operation without an id from its method and the route's words", () => {
    table(
      ([method, path]: readonly [string, string]) => naming.operationIdFromRoute(method, path),
      [
        [["get", "/api/v4/users/{user_id}/sessions"], "GetUsersUserIdSessions"],
        [["post", "/api/v4/channels/{channel_id}/members/{user_id}/schemeRoles"], "PostChannelsChannelIdMembersUserIdSchemeRoles"],
        // Only the /api/vN prefix is dropped.
        [["delete", "/plugins/com.mattermost.calls/api/v1/calls"], "DeletePluginsComMattermostCallsApiV1Calls"],
        [["get", "/"], "Get"],
      ],
    );
  });

  it("numbers a name from 2 until it is free", () => {
    table(
      (taken: readonly string[]) => naming.numberedName("SearchFiles", new Set(taken)),
      [
        [[], "SearchFiles"],
        [["SearchFiles"], "SearchFiles2"],
        [["SearchFiles", "SearchFiles2", "SearchFiles3"], "SearchFiles4"],
        [["SearchFiles", "SearchFiles3"], "SearchFiles2"],
      ],
    );
    expect(naming.numberedName("getMe", new Map([["getMe", 1]]))).toBe("getMe2");
  });

  it("turns an operationId into camelCase, keeping acronyms readable, never a reserved word", () => {
    table(naming.camelName, [
      ["CreatePost", "createPost"],
      ["GetLDAPGroups", "getLDAPGroups"],
      ["LDAPSync", "ldapSync"],
      ["SAML", "saml"],
      ["get-user_by id", "getUserById"],
      ["2faSetup", "op2faSetup"],
      ["Delete", "deleteOperation"],
      ["Import", "importOperation"],
      // Strict code cannot declare these at all.
      ["Eval", "evalOperation"],
      ["Arguments", "argumentsOperation"],
      ["Deleted", "deleted"],
    ]);
    expect(["await", "yield", "let", "static", "enum", "undefined", "NaN"].filter((word) => !naming.RESERVED_WORDS.has(word))).toEqual([]);
  });
});

describe("identifiers, files and events", () => {
  it("quotes a property only when it is not an identifier", () => {
    expect(["channel_id", "$ref", "_"].every(naming.isIdentifier)).toBe(true);
    expect(["2fa", "", "a-b", "a b"].some(naming.isIdentifier)).toBe(false);
    table(naming.propertyKey, [
      ["channel_id", "channel_id"],
      ["X-Requested-With", '"X-Requested-With"'],
      ['a"b', '"a\\"b"'],
    ]);
  });

  it("files a tag under lowercase words and dashes, and accepts only such names from fileFor", () => {
    table(naming.tagFileName, [
      ["shared channels", "shared-channels"],
      ["OAuth", "oauth"],
      ["  --  ", "untagged"],
    ]);
    expect(["users", "shared-channels", "v2"].every(naming.isEndpointFileName)).toBe(true);
    expect(["index", "Users", "users.ts", "-users", "a--b", ""].some(naming.isEndpointFileName)).toBe(false);
  });

  it("names an event's interface and constant from its wire name", () => {
    table(naming.interfaceName, [
      ["posted", "PostedEvent"],
      ["post_edited", "PostEditedEvent"],
    ]);
    expect(naming.constantName("post_edited")).toBe("POST_EDITED");
  });
});

describe("schema aliases and args types", () => {
  const decide = (schemas: string[], operations: string[]): naming.Names =>
    naming.decideNames({
      schemas: schemas.map((name) => ({ name, description: undefined, deprecated: false })),
      operations: operations.map((name) => ({ name })),
    } as unknown as Pick<Model, "schemas" | "operations">);

  it("keeps a schema's name, fixes what is not an identifier, and steps aside from runtime names", () => {
    const names = decide(["User", "Promise", "Team.Member", "Team_Member", "Blob"], ["getUser"]);
    expect(Object.fromEntries(names.schema)).toEqual({
      User: "User",
      Promise: "PromiseSchema",
      "Team.Member": "Team_Member",
      Team_Member: "Team_Member_",
      Blob: "BlobSchema",
    });
    expect(names.args.get("getUser")).toBe("GetUserArgs");
  });

  it("gives an args type a name no schema has", () => {
    const names = decide(["GetUserArgs"], ["getUser"]);
    expect([names.schema.get("GetUserArgs"), names.args.get("getUser")]).toEqual(["GetUserArgs", "GetUserArgs_"]);
  });
});

describe("a plugin's functionName", () => {
  const aliases = new Set(["User", "PromiseSchema"]);
  const problem = (chosen: unknown): string | undefined => naming.checkFunctionName(chosen, aliases)?.problem;

  it("accepts an identifier nobody uses, and refuses what is not an identifier, saying what it got", () => {
    table(problem, [
      ["fetchMe", undefined],
      ["get-me", 'returned "get-me", which is not a JavaScript identifier'],
      [42, "returned 42, which is not a JavaScript identifier"],
      [undefined, "returned undefined, which is not a JavaScript identifier"],
    ]);
    expect(naming.checkFunctionName("1st", aliases)?.hint).toBe("Return letters, digits, _ or $, not starting with a digit.");
  });

  it("refuses reserved words, runtime names, the operations table and schema aliases", () => {
    const taken = ["delete", "eval", "Promise", "Transport", "operations", "User", "PromiseSchema"];
    table(
      problem,
      taken.map(
        (name) =>
          [name, `returned "${name}", a name the generated files already use (a reserved word, a runtime type or a schema)`] as const,
      ),
    );
  });
});

describe("over the real v11.6.0 spec", () => {
  let model: Model;
  beforeAll(async () => {
    model = (await loadModel({ spec: v11 })).model;
  });

  it("gives every operation a unique function name that a plugin could also have chosen", () => {
    const names = model.operations.map((operation) => operation.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(500);
    const aliases = new Set(naming.namesOf(model).schema.values());
    expect(names.filter((name) => naming.checkFunctionName(name, aliases) !== undefined)).toEqual([]);
    const byId = new Map(model.operations.map((operation) => [operation.operationId, operation.name]));
    expect([byId.get("SearchFiles2"), byId.get("GetOAuthApps")]).toEqual(["searchFiles2", "getOAuthApps"]);
  });

  it("gives every schema and args type a unique identifier that no generated file declares", () => {
    const names = naming.namesOf(model);
    expect(naming.namesOf(model)).toBe(names);
    const all = [...names.schema.values(), ...names.args.values()];
    expect(new Set(all).size).toBe(all.length);
    const declared = new Set([...naming.RUNTIME_NAMES, ...naming.FILE_DECLARATIONS.events, ...naming.FILE_DECLARATIONS.validators]);
    expect(all.filter((name) => !naming.isIdentifier(name) || naming.RESERVED_WORDS.has(name) || declared.has(name))).toEqual([]);
    expect([names.schema.get("User"), names.args.get("createPost")]).toEqual(["User", "CreatePostArgs"]);
  });
});
