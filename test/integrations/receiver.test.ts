// The integrations receiver over a real socket: node:http on 127.0.0.1, port 0, through
// toNodeListener, sent requests shaped as the server sends them (channels/app/command.go,
// app/webhook.go, app/integration_action.go). The end-to-end test has the real server send them.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  type ActionPayload,
  type CommandPayload,
  createReceiver,
  type DialogResponse,
  type OutgoingWebhookPayload,
  toNodeListener,
} from "../../runtime/integrations/index.js";
import { tokenMatches } from "../../runtime/integrations/security.js";

const SECRET = "s3cret-receiver-key-0123456789abcdef";
const COMMAND_TOKEN = "cmdtoken0123456789abcdefgh";
const HOOK_TOKEN = "hooktoken123456789abcdefgh";
const calls: string[] = [];
const errors: unknown[] = [];
let base = "";
let http: Server;

const receiver = createReceiver({
  secret: SECRET,
  url: () => `${base}/mm`,
  maxBodyBytes: 4096,
  onError: (error) => void errors.push(error),
});
let lastCommand: CommandPayload | undefined;
receiver.command("deploy", { token: COMMAND_TOKEN }, (payload) => {
  calls.push("command");
  lastCommand = payload;
  return payload.text === "boom" ? Promise.reject(new Error(`exploded with ${COMMAND_TOKEN} at /srv/app.js:12`)) : `ok ${payload.text}`;
});
receiver.command("unset", { token: () => undefined }, () => void calls.push("unset"));
let lastHook: OutgoingWebhookPayload | undefined;
receiver.outgoingWebhook("hook", { token: HOOK_TOKEN }, (payload) => {
  calls.push("hook");
  lastHook = payload;
  return { text: "heard" };
});
let lastAction: ActionPayload<{ id: number; tags: string[] }> | undefined;
const pick = receiver.action<{ id: number; tags: string[] }>("pick", (payload) => {
  calls.push("action");
  lastAction = payload;
  return { ephemeral_text: `picked ${payload.selected_option ?? "nothing"}` };
});
const survey = receiver.dialog(
  {
    callback_id: "survey",
    title: "Survey",
    elements: [
      { name: "name", display_name: "Name", type: "text", max_length: 5 },
      {
        name: "colours",
        display_name: "Colours",
        type: "select",
        multiselect: true,
        options: [
          { text: "Red", value: "red" },
          { text: "Blue", value: "blue" },
        ],
      },
      { name: "who", display_name: "Who", type: "select", data_source: "users", optional: true },
      {
        name: "size",
        display_name: "Size",
        type: "radio",
        options: [
          { text: "S", value: "s" },
          { text: "L", value: "l" },
        ],
      },
      { name: "comment", display_name: "Comment", type: "textarea", optional: true },
    ],
  },
  {
    submit: ({ submission }) => {
      calls.push("submit");
      expectTypeOf(submission).toEqualTypeOf<{
        name: string;
        colours: ("red" | "blue")[];
        size: "s" | "l";
        who?: string;
        comment?: string;
      }>();
      return submission.name === "err" ? { error: "Try again later." } : undefined;
    },
  },
);

/** What `survey.open` sends the server, captured by a Transport. */
async function openedState(userId: string, state = "st"): Promise<string> {
  let body: unknown;
  await survey.open(
    {
      call: async <T>(_method: string, _route: string, args: object | undefined) => {
        body = (args as { body: unknown }).body;
        return {} as T;
      },
    },
    { trigger_id: "trigger", user_id: userId },
    { state },
  );
  return (body as { dialog: { state: string } }).dialog.state;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** A request to the receiver over TCP; `chunks` are written one by one (no Content-Length). */
function send(method: string, path: string, headers: Record<string, string>, chunks: string[] | string = []): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on("error", reject);
    if (typeof chunks === "string") req.end(chunks);
    else {
      for (const chunk of chunks) req.write(chunk);
      req.end();
    }
  });
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const JSON_TYPE = { "content-type": "application/json" };
const commandFields = {
  token: COMMAND_TOKEN,
  team_id: "t1",
  team_domain: "team",
  channel_id: "c1",
  channel_name: "town",
  user_id: "u1",
  user_name: "alice",
  command: "/deploy",
  text: "1.2",
  trigger_id: "tr",
  root_id: "",
  response_url: "http://mm/hooks/commands/x",
};
const hookFields = {
  token: HOOK_TOKEN,
  team_id: "t1",
  team_domain: "team",
  channel_id: "c1",
  channel_name: "town",
  timestamp: "1700000000",
  user_id: "u1",
  user_name: "alice",
  post_id: "p1",
  text: "deploy now",
  trigger_word: "deploy",
  file_ids: "",
};

beforeAll(async () => {
  http = createServer(toNodeListener(receiver.fetch));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => http.close(resolve)));

describe("slash commands", () => {
  it("parses the form, mentions included, and answers text as an ephemeral response", async () => {
    const body = `${form(commandFields)}&user_mentions=bob&user_mentions_ids=u2&channel_mentions=ops&channel_mentions_ids=c9`;
    const answer = await send("POST", "/mm/commands/deploy", { ...FORM, authorization: `Token ${COMMAND_TOKEN}` }, body);
    expect(answer).toMatchObject({ status: 200, body: { response_type: "ephemeral", text: "ok 1.2" } });
    const { token: _token, ...expected } = commandFields;
    expect(lastCommand).toEqual({ ...expected, user_mentions: { bob: "u2" }, channel_mentions: { ops: "c9" } });
  });

  it("takes a GET command's fields from the query", async () => {
    const answer = await send("GET", `/mm/commands/deploy?${form({ ...commandFields, text: "via-get" })}`, {});
    expect(answer.body.text).toBe("ok via-get");
  });

  it("answers 401 to a missing or wrong token, in the body or the header, and runs no handler", async () => {
    calls.length = 0;
    const { token: _token, ...noToken } = commandFields;
    for (const [headers, body] of [
      [FORM, form(noToken)],
      [FORM, form({ ...commandFields, token: "x" })],
      [FORM, form({ ...commandFields, token: `${COMMAND_TOKEN}x` })],
      [{ ...FORM, authorization: "Token wrong" }, form(commandFields)],
    ] as const) {
      const answer = await send("POST", "/mm/commands/deploy", headers, body);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe("commands/deploy: missing or wrong token");
    }
    // A token source that has nothing yet accepts nothing, an empty token included.
    expect((await send("POST", "/mm/commands/unset", FORM, form({ ...commandFields, token: "" }))).status).toBe(401);
    expect(calls).toEqual([]);
  });

  it("answers 400 with the reason to a body that is not the route's, 404 and 405 to the wrong route or method", async () => {
    expect(await send("POST", "/mm/commands/deploy", JSON_TYPE, "{}")).toMatchObject({
      status: 400,
      body: { error: 'commands/deploy: expected a form (application/x-www-form-urlencoded), got "application/json"' },
    });
    const { user_id: _user, ...noUser } = commandFields;
    expect((await send("POST", "/mm/commands/deploy", FORM, form(noUser))).body).toEqual({
      error: 'commands/deploy: the field "user_id" is missing',
    });
    expect((await send("POST", "/mm/commands/deploy", FORM, `${form(commandFields)}&user_mentions=bob`)).status).toBe(400);
    expect(await send("POST", "/mm/commands/nope", FORM, form(commandFields))).toMatchObject({
      status: 404,
      body: { error: "no route for POST /mm/commands/nope" },
    });
    expect((await send("PUT", "/mm/commands/deploy", FORM, form(commandFields))).status).toBe(405);
  });

  it("answers 500 without the error, its stack or the token when the handler throws; onError gets the error", async () => {
    errors.length = 0;
    const answer = await send("POST", "/mm/commands/deploy", FORM, form({ ...commandFields, text: "boom" }));
    expect(answer).toMatchObject({ status: 500, body: { error: "the handler failed" } });
    expect(answer.text).not.toContain("exploded");
    expect(answer.text).not.toContain("app.js");
    expect(answer.text).not.toContain(COMMAND_TOKEN);
    expect(errors).toHaveLength(1);
  });

  it("answers 413 to a body over the limit, declared or streamed, without running the handler", async () => {
    calls.length = 0;
    const big = form({ ...commandFields, text: "x".repeat(5000) });
    expect(await send("POST", "/mm/commands/deploy", FORM, big)).toMatchObject({
      status: 413,
      body: { error: "the body is larger than the receiver's limit of 4096 bytes" },
    });
    // Chunked: no Content-Length, the limit stops the reading.
    expect((await send("POST", "/mm/commands/deploy", FORM, [big.slice(0, 3000), big.slice(3000)])).status).toBe(413);
    expect(calls).toEqual([]);
  });
});

describe("outgoing webhooks", () => {
  it("reads JSON (milliseconds) and forms (seconds) into the same payload", async () => {
    const json = { ...hookFields, timestamp: 1_700_000_000_123 };
    expect(await send("POST", "/mm/outgoing/hook", JSON_TYPE, JSON.stringify(json))).toMatchObject({
      status: 200,
      body: { text: "heard" },
    });
    const { token: _token, ...expected } = json;
    expect(lastHook).toEqual(expected);
    await send("POST", "/mm/outgoing/hook", FORM, form(hookFields));
    expect(lastHook?.timestamp).toBe(1_700_000_000_000);
  });

  it("answers 401 to a wrong token, 400 to a body that is neither JSON nor a form or lacks a field", async () => {
    calls.length = 0;
    expect((await send("POST", "/mm/outgoing/hook", JSON_TYPE, JSON.stringify({ ...hookFields, token: COMMAND_TOKEN }))).status).toBe(401);
    expect((await send("POST", "/mm/outgoing/hook", { "content-type": "text/plain" }, "hi")).body).toEqual({
      error: 'outgoing/hook: expected JSON or a form, got "text/plain"',
    });
    expect((await send("POST", "/mm/outgoing/hook", JSON_TYPE, "[1]")).body).toEqual({
      error: "outgoing/hook: the body is not a JSON object",
    });
    expect((await send("POST", "/mm/outgoing/hook", JSON_TYPE, "{")).body).toEqual({ error: "outgoing/hook: the body is not valid JSON" });
    const { post_id: _post, ...noPost } = hookFields;
    expect((await send("POST", "/mm/outgoing/hook", JSON_TYPE, JSON.stringify(noPost))).body).toEqual({
      error: 'outgoing/hook: the field "post_id" is missing or not a string',
    });
    expect(calls).toEqual([]);
  });
});

describe("post actions", () => {
  const request = (context: unknown, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      user_id: "u1",
      user_name: "alice",
      channel_id: "c1",
      channel_name: "town",
      team_id: "t1",
      team_domain: "team",
      post_id: "p1",
      trigger_id: "tr",
      type: "button",
      data_source: "",
      context,
      ...extra,
    });

  it("makes buttons whose signed context comes back typed, without the signature; a menu's choice apart", async () => {
    const button = await pick.button({ name: "Pick", context: { id: 7, tags: ["a", "b"] } });
    expect(button).toMatchObject({ name: "Pick", type: "button", integration: { url: `${base}/mm/actions/pick` } });
    // The server stores the context and sends it back as Go re-encodes it: keys sorted.
    const context = JSON.parse(JSON.stringify(button.integration?.context)) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(context).reverse());
    expect(await send("POST", "/mm/actions/pick", JSON_TYPE, request(reordered))).toMatchObject({
      status: 200,
      body: { ephemeral_text: "picked nothing" },
    });
    expect(lastAction?.context).toEqual({ id: 7, tags: ["a", "b"] });
    expectTypeOf(lastAction?.context).toEqualTypeOf<{ id: number; tags: string[] } | undefined>();

    const menu = await pick.menu({ name: "Choose", options: [{ text: "One", value: "1" }], context: { id: 8, tags: [] } });
    const withChoice = { ...(menu.integration?.context as object), selected_option: "1" };
    expect((await send("POST", "/mm/actions/pick", JSON_TYPE, request(withChoice, { type: "select" }))).body).toEqual({
      ephemeral_text: "picked 1",
    });
    expect(lastAction).toMatchObject({ type: "select", selected_option: "1", context: { id: 8, tags: [] } });
  });

  it("answers 401 to a context that is unsigned, altered or signed for another action", async () => {
    calls.length = 0;
    const button = await pick.button({ name: "Pick", context: { id: 7, tags: [] } });
    const signed = button.integration?.context as Record<string, unknown>;
    const other = createReceiver({ secret: `${SECRET}-other`, url: base }).action<{ id: number; tags: string[] }>("pick", () => undefined);
    const foreign = (await other.button({ name: "x", context: { id: 7, tags: [] } })).integration?.context;
    for (const context of [{ id: 7, tags: [] }, { ...signed, id: 8 }, foreign, undefined]) {
      const answer = await send("POST", "/mm/actions/pick", JSON_TYPE, request(context));
      expect(answer.status).toBe(401);
      expect(answer.text).not.toContain(SECRET);
    }
    expect(calls).toEqual([]);
  });

  it("refuses a context key the receiver uses itself, naming it", async () => {
    await expect(
      pick.button({ name: "x", context: { id: 1, tags: [], selected_option: "y" } as { id: number; tags: string[] } }),
    ).rejects.toThrow('action "pick": the context may not have the key "selected_option" (the receiver uses it)');
  });
});

describe("dialogs", () => {
  const submission = (state: string, values: Record<string, unknown>, userId = "u1", extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      type: "dialog_submission",
      callback_id: "survey",
      state,
      user_id: userId,
      channel_id: "c1",
      team_id: "t1",
      submission: values,
      cancelled: false,
      ...extra,
    });

  it("checks the submission against the definition, answering field errors before the handler runs", async () => {
    calls.length = 0;
    const state = await openedState("u1");
    const answer = await send(
      "POST",
      "/mm/dialogs/survey",
      JSON_TYPE,
      submission(state, { name: "toolong", colours: ["red", "green"], who: "" }),
    );
    expect(answer).toMatchObject({
      status: 200,
      body: { errors: { name: "At most 5 characters.", colours: "Not one of the options.", size: "This field is required." } },
    });
    expect(calls).toEqual([]);
    const accepted = await send(
      "POST",
      "/mm/dialogs/survey",
      JSON_TYPE,
      submission(state, { name: "ann", colours: "red, blue", size: "l", comment: "" }),
    );
    expect(accepted).toMatchObject({ status: 200, body: {} });
    expect(calls).toEqual(["submit"]);
    expect(
      (await send("POST", "/mm/dialogs/survey", JSON_TYPE, submission(state, { name: "err", colours: ["red"], size: "s" }))).body,
    ).toEqual({
      error: "Try again later.",
    });
  });

  it("answers 401 to a state that is missing, forged, for another user or expired", async () => {
    calls.length = 0;
    const state = await openedState("u1");
    const values = { name: "ann", colours: ["red"], size: "s" };
    const [sealed, signature] = state.split(".");
    const forged = `${Buffer.from(JSON.stringify({ s: "st", u: "u2", x: Date.now() + 60_000 })).toString("base64url")}.${signature}`;
    for (const [raw, user] of [
      ["", "u1"],
      ["st", "u1"],
      [`${sealed}.AAAA`, "u1"],
      [state, "u2"],
      [forged, "u2"],
    ] as const) {
      expect((await send("POST", "/mm/dialogs/survey", JSON_TYPE, submission(raw, values, user))).status).toBe(401);
    }
    const shortLived = createReceiver({ secret: SECRET, url: base, dialogLifetimeMs: -1 });
    const expiring = shortLived.dialog({ callback_id: "survey", title: "t", elements: [] }, { submit: () => void calls.push("late") });
    let expired = "";
    await expiring.open(
      {
        call: async <T>(_m: string, _r: string, args: object | undefined) => {
          expired = (args as { body: { dialog: { state: string } } }).body.dialog.state;
          return {} as T;
        },
      },
      { trigger_id: "t", user_id: "u1" },
    );
    const late = await shortLived.fetch(
      new Request(`${base}/dialogs/survey`, { method: "POST", headers: JSON_TYPE, body: submission(expired, {}) }),
    );
    expect(late.status).toBe(401);
    expect(calls).toEqual([]);
  });

  it("opens through POST /api/v4/actions/dialogs/open with the receiver's URL and the definition", async () => {
    let sent: { method: string; route: string; body: Record<string, unknown> } | undefined;
    await survey.open(
      {
        call: async <T>(method: string, route: string, args: object | undefined) => {
          sent = { method, route, body: (args as { body: Record<string, unknown> }).body };
          return {} as T;
        },
      },
      { trigger_id: "trig", user_id: "u1" },
    );
    expect(sent).toMatchObject({
      method: "POST",
      route: "/api/v4/actions/dialogs/open",
      body: { trigger_id: "trig", url: `${base}/mm/dialogs/survey`, dialog: { callback_id: "survey", title: "Survey" } },
    });
    expect(JSON.stringify(sent)).not.toContain(SECRET);
  });
});

describe("definitions and tokens", () => {
  it("refuses a short secret, a name that is not a path segment and a route registered twice", () => {
    expect(() => createReceiver({ secret: "short", url: base })).toThrow("at least 32 characters");
    expect(() => receiver.command("a/b", { token: "x" }, () => undefined)).toThrow('command "a/b": use letters, digits and _ . ~ - only');
    expect(() => receiver.command("deploy", { token: "x" }, () => undefined)).toThrow("commands/deploy is registered twice");
  });

  it("compares tokens for equality only, never accepting an empty expected token", async () => {
    expect(await tokenMatches("abc", "abc")).toBe(true);
    expect(await tokenMatches("abc", "abd")).toBe(false);
    expect(await tokenMatches("abc", "abcd")).toBe(false);
    expect(await tokenMatches("", "")).toBe(false);
    expect(await tokenMatches(undefined, "abc")).toBe(false);
  });

  it("types what programs pass: a context must match, a dialog error must name an element", () => {
    // @ts-expect-error the context is { id: number; tags: string[] }
    void pick.button({ name: "x", context: { id: "7", tags: [] } });
    const typed = receiver.dialog(
      { callback_id: "typed", title: "t", elements: [{ name: "a", display_name: "A", type: "bool" }] },
      {
        submit: ({ submission }) => {
          expectTypeOf(submission).toEqualTypeOf<{ a: boolean }>();
          return { errors: { a: "no" } };
        },
      },
    );
    // @ts-expect-error "b" is not an element of the dialog
    const wrong: DialogResponse<typeof typed.definition> = { errors: { b: "no" } };
    expect(wrong).toBeDefined();
  });
});
