// The conformance sweep's presence record (scripts/conformance/presence.ts) and the always-sent
// overlay it feeds (scripts/conformance/always-sent.mjs), on the real pinned spec: answers shaped
// like the server's are walked beside their schemas. The sweep itself runs them on the real server
// (test/e2e/conformance.e2e.test.ts).
import { describe, expect, it } from "vitest";
import { loadOverlaidSpec } from "../../generator/generate.js";
import { queryJsonPath } from "../../generator/jsonpath.js";
import { packageRoot } from "../../generator/paths.js";
// @ts-expect-error: a plain .mjs script without declarations.
import { planAlwaysSent, requestSchemas } from "../../scripts/conformance/always-sent.mjs";
import { alwaysSentOptional, PresenceRecorder } from "../../scripts/conformance/presence.js";

const { spec } = await loadOverlaidSpec({ cwd: packageRoot });
const document = spec.document;

describe("the presence record", () => {
  it("counts each declared property of the objects an answer holds, through references, lists and maps", () => {
    const recorder = new PresenceRecorder(document);
    const post = (id: string, extra: object) => ({ id, create_at: 1, ...extra });
    recorder.record("getPostsForChannel", "GetPostsForChannel", 200, {
      order: ["a", "b"],
      posts: { a: post("a", { message: "x" }), b: post("b", {}) },
      next_post_id: "",
    });
    recorder.record("getReactions", "GetReactions", 200, null);
    const entries = recorder.result();
    const of = (owner: string, property: string) => entries.find((entry) => entry.owner === owner && entry.property === property);
    expect(of("schema Post", "id")).toMatchObject({ seen: 2, present: 2, operations: ["getPostsForChannel"] });
    expect(of("schema Post", "message")).toMatchObject({ seen: 2, present: 1 });
    expect(of("schema PostList", "order")).toMatchObject({ seen: 1, present: 1, target: "$.components.schemas.PostList" });
    expect(of("schema PostList", "prev_post_id")).toMatchObject({ seen: 1, present: 0 });
    // A null answer holds no object.
    expect(entries.some((entry) => entry.operations.includes("getReactions"))).toBe(false);
    const always = alwaysSentOptional(entries);
    expect(always.every((entry) => !entry.required && entry.present === entry.seen)).toBe(true);
    expect(always.map((entry) => `${entry.owner}.${entry.property}`)).not.toContain("schema Post.message");
    expect(always.map((entry) => `${entry.owner}.${entry.property}`)).not.toContain("schema PostList.prev_post_id");
  });
});

describe("the always-sent plan", () => {
  const fields = [
    { struct: "Session", json: "id", omitempty: false, goType: "string", file: "model/session.go", line: 1 },
    { struct: "Session", json: "props", omitempty: false, goType: "StringMap", file: "model/session.go", line: 2 },
    { struct: "Session", json: "local", omitempty: true, goType: "bool", file: "model/session.go", line: 3 },
    { struct: "Command", json: "id", omitempty: false, goType: "string", file: "model/command.go", line: 1 },
  ];
  const entry = (owner: string, property: string, target: string) => ({
    owner,
    property,
    target,
    required: false,
    seen: 3,
    present: 3,
    operations: ["x"],
  });

  // A small spec: Session answers, Command is also a request body.
  const small = {
    paths: {
      "/api/v4/commands": {
        post: { requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Command" } } } } },
      },
    },
    components: {
      schemas: {
        Session: { type: "object", required: ["token"], properties: { id: {}, token: {}, props: {}, local: {}, nope: {} } },
        Command: { type: "object", properties: { id: {} } },
      },
    },
  };

  it("marks required what has no omitempty, and explains omitempty, unknown structs and request schemas", () => {
    const plan = planAlwaysSent(
      [
        entry("schema Session", "id", "$.components.schemas.Session"),
        entry("schema Session", "local", "$.components.schemas.Session"),
        entry("schema Session", "nope", "$.components.schemas.Session"),
        entry("schema Command", "id", "$.components.schemas.Command"),
        { ...entry("schema Session", "props", "$.components.schemas.Session"), present: 2 },
      ],
      small,
      fields,
      queryJsonPath,
    ) as { actions: { target: string; update: { required: string[] } }[]; explained: string[] };
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]?.target).toBe("$.components.schemas.Session");
    expect(plan.actions[0]?.update.required).toEqual(["token", "id"]);
    expect(plan.actions[0]?.update.required).not.toContain("local");
    expect(plan.explained).toHaveLength(3);
    expect(plan.explained.join("\n")).toMatch(
      /schema Session `local`: 3 objects seen; model\.Session \(model\/session\.go:3\) says omitempty/,
    );
    expect(plan.explained.join("\n")).toMatch(/schema Session `nope`: .*has no such JSON field/);
    expect(plan.explained.join("\n")).toMatch(/schema Command `id`: .*also a request body/);
    expect([...(requestSchemas(small) as Set<string>)]).toEqual(["Command"]);
    expect((requestSchemas(document) as Set<string>).has("Config")).toBe(true);
  });
});
