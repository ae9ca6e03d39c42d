// `call` and `listen` load the runtime and the generated tables at run time and declare the shapes
// they use (the generator is compiled without them). These checks keep the declarations true:
// at compile time (`tsc -p tsconfig.json` type-checks this file) and at run time.
import { describe, expect, expectTypeOf, it } from "vitest";
import type { WebSocketEvent } from "../../generated/events.js";
import * as eventsModule from "../../generated/events.js";
import * as operationsModule from "../../generated/operations.js";
import type { ClientModule, ErrorsModule, OperationEntry, OperationsModule } from "../../generator/commands/call.js";
import { closeMatches, findOperation, parseParams } from "../../generator/commands/call.js";
import type { EventFrame, EventsModule, RecoverModules, SignalsLike, SocketModule } from "../../generator/commands/listen.js";
import { formatEventLine } from "../../generator/commands/listen.js";
import * as clientModule from "../../runtime/client.js";
import * as errorsModule from "../../runtime/errors.js";
import * as recoverFileModule from "../../runtime/recover/file.js";
import * as recoverModule from "../../runtime/recover/index.js";
import * as socketModule from "../../runtime/socket/index.js";
import type { SocketSignals } from "../../runtime/socket/types.js";

describe("the declared shapes match the real modules", () => {
  it("operations table, client, errors, events", () => {
    expectTypeOf(operationsModule).toMatchTypeOf<OperationsModule>();
    expectTypeOf(clientModule).toMatchTypeOf<ClientModule>();
    expectTypeOf(errorsModule).toMatchTypeOf<ErrorsModule>();
    expectTypeOf(eventsModule).toMatchTypeOf<EventsModule>();
    expectTypeOf(socketModule).toMatchTypeOf<SocketModule>();
    expectTypeOf(clientModule).toMatchTypeOf<Pick<RecoverModules, "createClient">>();
    expectTypeOf(recoverModule).toMatchTypeOf<Pick<RecoverModules, "recovery">>();
    expectTypeOf(recoverFileModule).toMatchTypeOf<Pick<RecoverModules, "fileCursorStore">>();
    expectTypeOf<WebSocketEvent>().toMatchTypeOf<EventFrame>();
    // Run time: the same names exist.
    expect(typeof clientModule.createClient).toBe("function");
    expect(Object.keys(operationsModule.operations).length).toBeGreaterThan(500);
  });

  it("socket signals", () => {
    type Real = SocketSignals<WebSocketEvent>;
    expectTypeOf<Real["socket:hello"]>().toMatchTypeOf<SignalsLike["socket:hello"]>();
    expectTypeOf<Real["socket:resumed"]>().toMatchTypeOf<SignalsLike["socket:resumed"]>();
    expectTypeOf<Real["socket:reconnecting"]>().toMatchTypeOf<SignalsLike["socket:reconnecting"]>();
    expectTypeOf<Real["socket:lost"]>().toMatchTypeOf<SignalsLike["socket:lost"]>();
    expectTypeOf<Real["socket:close"]>().toMatchTypeOf<SignalsLike["socket:close"]>();
    expectTypeOf<Real["socket:error"]>().toMatchTypeOf<SignalsLike["socket:error"]>();
  });
});

describe("names and parameters", () => {
  const operations: Readonly<Record<string, OperationEntry>> = operationsModule.operations;

  it("finds operations by function name, operationId and case", () => {
    expect(findOperation(operations, "getMe")[0]).toBe("getMe");
    expect(findOperation(operations, "GetMe")[0]).toBe("getMe");
    expect(findOperation(operations, "SearchFiles2")[0]).toBe("searchFiles2");
    expect(() => findOperation(operations, "postCreate")).toThrow(/unknown operation "postCreate"\. Did you mean: .*createPost/);
  });

  it("close matches", () => {
    expect(closeMatches("per-page", ["page", "per_page", "since"])).toEqual(["per_page", "page"]);
    expect(closeMatches("zzzz", ["page", "per_page"])).toEqual([]);
  });

  it("parameters: repeated query values become arrays", () => {
    const op = operations.getUsers as OperationEntry;
    expect(parseParams("getUsers", op, ["in_team=t1", "sort=a", "sort=b"])).toEqual({ in_team: "t1", sort: ["a", "b"] });
  });

  it("a value may contain '='", () => {
    const op = operations.getUsers as OperationEntry;
    expect(parseParams("getUsers", op, ["role=a=b"])).toEqual({ role: "a=b" });
  });

  it("event lines are cut to the width", () => {
    const line = formatEventLine({ event: "typing", seq: 3, data: { user_id: "u".repeat(300) } }, true, 80);
    expect(line).toHaveLength(80);
    expect(line).toMatch(/ typing seq=3 user_id=u+\.\.\.$/);
  });
});
