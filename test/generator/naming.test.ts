// generator/naming.ts decides every generated name. Unit cases for each decision, then the
// decisions over the real v11.6.0 spec: every function, args and schema name is a usable identifier,
// unique, and the names upstream's operationIds give are the ones users import.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../generator/generate.js";
import type { Model } from "../../generator/model.js";
import {
  camelName,
  checkFunctionName,
  constantName,
  decideNames,
  FILE_DECLARATIONS,
  interfaceName,
  isEndpointFileName,
  isIdentifier,
  namesOf,
  numberedName,
  operationIdFromRoute,
  propertyKey,
  RESERVED_WORDS,
  RUNTIME_NAMES,
  tagFileName,
} from "../../generator/naming.js";

const v11 = join(import.meta.dirname, "..", "..", "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml");

describe("operation ids and function names", () => {
  it("names an operation without an id from its method and the route's words", () => {
    expect(operationIdFromRoute("get", "/api/v4/users/{user_id}/sessions")).toBe("GetUsersUserIdSessions");
    expect(operationIdFromRoute("post", "/api/v4/channels/{channel_id}/members/{user_id}/schemeRoles")).toBe(
      "PostChannelsChannelIdMembersUserIdSchemeRoles",
    );
    // Only the /api/vN prefix is dropped.
    expect(operationIdFromRoute("delete", "/plugins/com.mattermost.calls/api/v1/calls")).toBe("DeletePluginsComMattermostCallsApiV1Calls");
    expect(operationIdFromRoute("get", "/")).toBe("Get");
  });

  it("numbers a name from 2 until it is free", () => {
    expect(numberedName("SearchFiles", new Set())).toBe("SearchFiles");
    expect(numberedName("SearchFiles", new Set(["SearchFiles"]))).toBe("SearchFiles2");
    expect(numberedName("SearchFiles", new Set(["SearchFiles", "SearchFiles2", "SearchFiles3"]))).toBe("SearchFiles4");
    expect(numberedName("getMe", new Map([["getMe", 1]]))).toBe("getMe2");
  });

  it("turns an operationId into camelCase, keeping acronyms readable", () => {
    expect(camelName("CreatePost")).toBe("createPost");
    expect(camelName("GetLDAPGroups")).toBe("getLDAPGroups");
    expect(camelName("LDAPSync")).toBe("ldapSync");
    expect(camelName("SAML")).toBe("saml");
    expect(camelName("get-user_by id")).toBe("getUserById");
    expect(camelName("2faSetup")).toBe("op2faSetup");
  });

  it("never gives a reserved word, including those strict code cannot declare", () => {
    expect(camelName("Delete")).toBe("deleteOperation");
    expect(camelName("Import")).toBe("importOperation");
    expect(camelName("Eval")).toBe("evalOperation");
    expect(camelName("Arguments")).toBe("argumentsOperation");
    expect(camelName("Deleted")).toBe("deleted");
    for (const word of ["await", "yield", "let", "static", "enum", "undefined", "NaN"]) expect(RESERVED_WORDS.has(word)).toBe(true);
  });
});

describe("identifiers, files and events", () => {
  it("quotes a property only when it is not an identifier", () => {
    expect(isIdentifier("channel_id")).toBe(true);
    expect(isIdentifier("$ref")).toBe(true);
    expect(isIdentifier("2fa")).toBe(false);
    expect(isIdentifier("")).toBe(false);
    expect(propertyKey("channel_id")).toBe("channel_id");
    expect(propertyKey("X-Requested-With")).toBe('"X-Requested-With"');
    expect(propertyKey('a"b')).toBe('"a\\"b"');
  });

  it("files a tag under lowercase words and dashes, and accepts only such names from fileFor", () => {
    expect(tagFileName("shared channels")).toBe("shared-channels");
    expect(tagFileName("OAuth")).toBe("oauth");
    expect(tagFileName("  --  ")).toBe("untagged");
    for (const name of ["users", "shared-channels", "v2"]) expect(isEndpointFileName(name)).toBe(true);
    for (const name of ["index", "Users", "users.ts", "-users", "a--b", ""]) expect(isEndpointFileName(name)).toBe(false);
  });

  it("names an event's interface and constant from its wire name", () => {
    expect(interfaceName("posted")).toBe("PostedEvent");
    expect(interfaceName("post_edited")).toBe("PostEditedEvent");
    expect(constantName("post_edited")).toBe("POST_EDITED");
  });
});

describe("schema aliases and args types", () => {
  const model = (schemas: string[], operations: string[]): Pick<Model, "schemas" | "operations"> =>
    ({
      schemas: schemas.map((name) => ({ name, description: undefined, deprecated: false })),
      operations: operations.map((name) => ({ name })),
    }) as unknown as Pick<Model, "schemas" | "operations">;

  it("keeps a schema's name, fixes what is not an identifier, and steps aside from runtime names", () => {
    const names = decideNames(model(["User", "Promise", "Team.Member", "Team_Member", "Blob"], ["getUser"]));
    expect([...names.schema]).toEqual([
      ["User", "User"],
      ["Promise", "PromiseSchema"],
      ["Team.Member", "Team_Member"],
      ["Team_Member", "Team_Member_"],
      ["Blob", "BlobSchema"],
    ]);
    expect(names.args.get("getUser")).toBe("GetUserArgs");
  });

  it("gives an args type a name no schema has", () => {
    const names = decideNames(model(["GetUserArgs"], ["getUser"]));
    expect(names.schema.get("GetUserArgs")).toBe("GetUserArgs");
    expect(names.args.get("getUser")).toBe("GetUserArgs_");
  });
});

describe("a plugin's functionName", () => {
  const aliases = new Set(["User", "PromiseSchema"]);

  it("accepts an identifier nobody uses", () => {
    expect(checkFunctionName("fetchMe", aliases)).toBeUndefined();
  });

  it("refuses what is not an identifier, saying what it got", () => {
    expect(checkFunctionName("get-me", aliases)?.problem).toBe('returned "get-me", which is not a JavaScript identifier');
    expect(checkFunctionName(42, aliases)?.problem).toBe("returned 42, which is not a JavaScript identifier");
    expect(checkFunctionName(undefined, aliases)?.problem).toBe("returned undefined, which is not a JavaScript identifier");
    expect(checkFunctionName("1st", aliases)?.hint).toBe("Return letters, digits, _ or $, not starting with a digit.");
  });

  it("refuses reserved words, runtime names, the operations table and schema aliases", () => {
    for (const name of ["delete", "eval", "Promise", "Transport", "operations", "User", "PromiseSchema"]) {
      expect(checkFunctionName(name, aliases)?.problem, name).toBe(
        `returned "${name}", a name the generated files already use (a reserved word, a runtime type or a schema)`,
      );
    }
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
    const aliases = new Set(namesOf(model).schema.values());
    expect(names.filter((name) => checkFunctionName(name, aliases) !== undefined)).toEqual([]);
    expect(model.operations.find((operation) => operation.operationId === "SearchFiles2")?.name).toBe("searchFiles2");
    expect(model.operations.find((operation) => operation.operationId === "GetOAuthApps")?.name).toBe("getOAuthApps");
  });

  it("gives every schema and args type a unique identifier that no generated file declares", () => {
    const names = namesOf(model);
    expect(namesOf(model)).toBe(names);
    const all = [...names.schema.values(), ...names.args.values()];
    expect(new Set(all).size).toBe(all.length);
    const declared = new Set([...RUNTIME_NAMES, ...FILE_DECLARATIONS.events, ...FILE_DECLARATIONS.validators]);
    expect(all.filter((name) => !isIdentifier(name) || RESERVED_WORDS.has(name) || declared.has(name))).toEqual([]);
    expect(names.schema.get("User")).toBe("User");
    expect(names.args.get("createPost")).toBe("CreatePostArgs");
  });
});
