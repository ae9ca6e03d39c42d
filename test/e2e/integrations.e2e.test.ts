// The integrations receiver (mattermost-typed/integrations) against the real server: the server calls
// a receiver listening on 127.0.0.1, port 0 (config.mjs allows it through
// ServiceSettings.AllowedUntrustedInternalConnections), for a slash command, outgoing webhooks, a
// button and a dialog; the test also posts through an incoming webhook and sends wrong tokens.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  createCommand,
  createIncomingWebhook,
  createOutgoingWebhook,
  createPost,
  doPostAction,
  executeCommand,
  getPost,
  getPostsForChannel,
  submitInteractiveDialog,
} from "../../generated/endpoints/index.js";
import type { OpenDialogEvent } from "../../generated/events.js";
import type { Channel, Post } from "../../generated/schemas.js";
import { MattermostError } from "../../runtime/index.js";
import {
  type ActionPayload,
  type CommandPayload,
  createReceiver,
  type DialogCancellationPayload,
  incomingWebhookUrl,
  type OutgoingWebhookPayload,
  postToIncomingWebhook,
  respondLater,
  toNodeListener,
  WebhookError,
} from "../../runtime/integrations/index.js";
import { createMattermostSocket, type MattermostSocket } from "../../runtime/socket/index.js";
import { adminClient, clientFor, freshChannel, type ThrowawayUser, throwawayUser, waitFor } from "./fixtures.js";
import { mattermost } from "./server-facts.js";

const ID = /^[a-z0-9]{26}$/;

/** Every request the server made to the receiver: route and the status it got. */
const answered: { path: string; status: number }[] = [];
const handlerErrors: unknown[] = [];
const tokens = { command: "", wrongCommand: "", jsonHook: "", formHook: "" };
const seen = {
  commands: [] as CommandPayload[],
  hooks: [] as OutgoingWebhookPayload[],
  actions: [] as ActionPayload<{ release: string; attempt: number }>[],
  submissions: [] as { reason: string; environment: "production" | "staging"; replicas?: number; notify: boolean }[],
  cancels: [] as DialogCancellationPayload<typeof deployDialog.definition>[],
};
let baseUrl = "";
let http: Server;

const receiver = createReceiver({
  secret: randomBytes(32).toString("hex"),
  url: () => baseUrl,
  onError: (error) => void handlerErrors.push(error),
});

const deployCommand = receiver.command("e2e-deploy", { token: () => tokens.command }, (payload) => {
  seen.commands.push(payload);
  return { response_type: "in_channel", text: `Deploying ${payload.text} for @${payload.user_name}` };
});
receiver.command("e2e-wrong", { token: () => tokens.wrongCommand }, (payload) => {
  seen.commands.push(payload);
  return "never";
});
receiver.outgoingWebhook("json", { token: () => tokens.jsonHook }, (payload) => {
  seen.hooks.push(payload);
  return { text: `json heard "${payload.trigger_word}"`, response_type: "comment" };
});
receiver.outgoingWebhook("form", { token: () => tokens.formHook }, (payload) => {
  seen.hooks.push(payload);
  return { text: `form heard "${payload.trigger_word}"` };
});

const deployDialog = receiver.dialog(
  {
    callback_id: "e2e-deploy-reason",
    title: "Deploy",
    notify_on_cancel: true,
    elements: [
      { name: "reason", display_name: "Reason", type: "text" },
      {
        name: "environment",
        display_name: "Environment",
        type: "select",
        options: [
          { text: "Production", value: "production" },
          { text: "Staging", value: "staging" },
        ],
      },
      { name: "replicas", display_name: "Replicas", type: "text", subtype: "number", optional: true },
      { name: "notify", display_name: "Notify", type: "bool" },
    ],
  },
  {
    submit: ({ submission }) => {
      // The type follows from the definition above: no cast.
      expectTypeOf(submission).toEqualTypeOf<{
        reason: string;
        environment: "production" | "staging";
        notify: boolean;
        replicas?: number;
      }>();
      if (submission.reason === "because") return { errors: { reason: "Say why, in a sentence." } };
      seen.submissions.push(submission);
      return undefined;
    },
    cancel: (payload) => void seen.cancels.push(payload),
  },
);

const approve = receiver.action<{ release: string; attempt: number }>("approve", async (action) => {
  seen.actions.push(action);
  await deployDialog.open(adminClient(), action, { state: `release=${action.context.release}` });
  return {
    update: { message: `Release ${action.context.release} approved by @${action.user_name}`, props: { attachments: [] } },
    ephemeral_text: "Tell us why in the dialog.",
  };
});

beforeAll(async () => {
  http = createServer(
    toNodeListener(async (request) => {
      const response = await receiver.fetch(request);
      answered.push({ path: new URL(request.url).pathname, status: response.status });
      return response;
    }),
  );
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mattermost`;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  expect(handlerErrors).toEqual([]);
});

let user: ThrowawayUser;
let channel: Channel;
beforeAll(async () => {
  const admin = adminClient();
  user = await throwawayUser(admin, "integrations");
  channel = await freshChannel(admin, "integrations", [user.id]);
});

const channelPosts = async (): Promise<Post[]> => {
  const list = await getPostsForChannel(adminClient(), { channel_id: channel.id ?? "" });
  return (list.order ?? []).map((id) => list.posts?.[id]).filter((post): post is Post => post !== undefined);
};

/** Resolves with the first post of the channel that `match` accepts (polling the API). */
async function postMatching(what: string, match: (post: Post) => boolean): Promise<Post> {
  let found: Post | undefined;
  const deadline = Date.now() + 15_000;
  while (!found) {
    found = (await channelPosts()).find(match);
    if (found) break;
    if (Date.now() > deadline) throw new Error(`timed out waiting for a post: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return found;
}

describe("slash commands", () => {
  it("runs the typed handler with the user, channel and text; its in-channel answer is a post", async () => {
    const admin = adminClient();
    const server = mattermost();
    const command = await createCommand(admin, {
      body: { team_id: server.team.id, method: "P", trigger: "e2e-deploy", url: deployCommand.url },
    });
    tokens.command = command.token ?? "";
    expect(tokens.command).toMatch(ID);

    const response = await executeCommand(clientFor(user.token), { body: { channel_id: channel.id ?? "", command: "/e2e-deploy 1.4.2" } });
    expect(response.response_type).toBe("in_channel");

    const payload = seen.commands.at(-1);
    expect(payload).toMatchObject({
      user_id: user.id,
      user_name: user.username,
      channel_id: channel.id,
      channel_name: channel.name,
      team_id: server.team.id,
      team_domain: server.team.name,
      command: "/e2e-deploy",
      text: "1.4.2",
      root_id: "",
    });
    expect(payload?.trigger_id).not.toBe("");
    expect(payload?.response_url).toMatch(/\/hooks\/commands\/[a-z0-9]{26}$/);
    expect(payload).not.toHaveProperty("token");
    const post = await postMatching("the command's answer", (one) => one.message === `Deploying 1.4.2 for @${user.username}`);
    expect(post.user_id).toBe(user.id);

    // Answering later through the response_url posts again (the server allows 5 uses in 30 minutes).
    await respondLater(payload?.response_url ?? "", { response_type: "in_channel", text: "Deployed 1.4.2" });
    await postMatching("the later answer", (one) => one.message === "Deployed 1.4.2");
  });

  it("gets 401 for a command whose token the receiver does not hold; no handler runs", async () => {
    const admin = adminClient();
    const command = await createCommand(admin, {
      body: { team_id: mattermost().team.id, method: "P", trigger: "e2e-wrong", url: `${baseUrl}/commands/e2e-wrong` },
    });
    tokens.wrongCommand = `${command.token ?? ""}x`;
    const before = seen.commands.length;
    const error = await executeCommand(clientFor(user.token), { body: { channel_id: channel.id ?? "", command: "/e2e-wrong now" } }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MattermostError);
    expect((error as MattermostError).id).toBe("api.command.execute_command.failed_resp.app_error");
    expect(seen.commands.length).toBe(before);
    expect(answered.filter((one) => one.path.endsWith("/commands/e2e-wrong")).map((one) => one.status)).toEqual([401]);
  });
});

describe("outgoing webhooks", () => {
  it("hands the typed payload over, in JSON and in a form, and the replies are posted", async () => {
    const admin = adminClient();
    const team_id = mattermost().team.id;
    const jsonHook = await createOutgoingWebhook(admin, {
      body: {
        team_id,
        channel_id: channel.id ?? "",
        display_name: "json",
        trigger_words: ["deploy-json"],
        callback_urls: [`${baseUrl}/outgoing/json`],
        content_type: "application/json",
      },
    });
    const formHook = await createOutgoingWebhook(admin, {
      body: {
        team_id,
        channel_id: channel.id ?? "",
        display_name: "form",
        trigger_words: ["deploy-form"],
        callback_urls: [`${baseUrl}/outgoing/form`],
        content_type: "application/x-www-form-urlencoded",
      },
    });
    tokens.jsonHook = jsonHook.token;
    tokens.formHook = formHook.token;

    const userClient = clientFor(user.token);
    const jsonPost = await createPost(userClient, { body: { channel_id: channel.id ?? "", message: "deploy-json 1.4.2 please" } });
    const reply = await postMatching("the JSON hook's reply", (one) => one.message === 'json heard "deploy-json"');
    // response_type "comment": the reply is in the thread of the post that triggered it.
    expect(reply.root_id).toBe(jsonPost.id);
    const jsonPayload = seen.hooks.find((one) => one.post_id === jsonPost.id);
    expect(jsonPayload).toMatchObject({
      channel_id: channel.id,
      channel_name: channel.name,
      team_id,
      team_domain: mattermost().team.name,
      user_id: user.id,
      user_name: user.username,
      text: "deploy-json 1.4.2 please",
      trigger_word: "deploy-json",
      file_ids: "",
      timestamp: jsonPost.create_at,
    });

    const formPost = await createPost(userClient, { body: { channel_id: channel.id ?? "", message: "deploy-form now" } });
    const formReply = await postMatching("the form hook's reply", (one) => one.message === 'form heard "deploy-form"');
    expect(formReply.root_id).toBe("");
    const formPayload = seen.hooks.find((one) => one.post_id === formPost.id);
    expect(formPayload).toMatchObject({ trigger_word: "deploy-form", text: "deploy-form now", user_id: user.id });
    // A form carries the time in seconds; the payload has milliseconds, as in JSON.
    expect(formPayload?.timestamp).toBe(Math.floor((formPost.create_at ?? 0) / 1000) * 1000);
    expect(formPayload).not.toHaveProperty("token");
  });

  it("gets 401 for a hook whose token is not the receiver's; nothing is posted", async () => {
    const hook = await createOutgoingWebhook(adminClient(), {
      body: {
        team_id: mattermost().team.id,
        channel_id: channel.id ?? "",
        display_name: "wrong",
        trigger_words: ["deploy-wrong"],
        // The JSON route holds the JSON hook's token, not this one's.
        callback_urls: [`${baseUrl}/outgoing/json`],
        content_type: "application/json",
      },
    });
    expect(hook.token).not.toBe(tokens.jsonHook);
    const before = seen.hooks.length;
    const posted = await createPost(clientFor(user.token), { body: { channel_id: channel.id ?? "", message: "deploy-wrong x" } });
    await waitFor(
      "the server's request to the receiver",
      () => (answered.some((one) => one.path.endsWith("/outgoing/json") && one.status === 401) ? true : undefined),
      15_000,
    );
    expect(seen.hooks.length).toBe(before);
    expect((await channelPosts()).filter((one) => one.root_id === posted.id)).toEqual([]);
  });
});

describe("a button, then a dialog", () => {
  let sockets: MattermostSocket[] = [];
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    sockets = [];
  });

  it("a click reaches the handler with its typed context and updates the post; the dialog it opens is submitted, refused, and cancelled", async () => {
    const admin = adminClient();
    const server = mattermost();
    const button = await approve.button({ name: "Approve", style: "primary", context: { release: "1.4.2", attempt: 1 } });
    const post = await createPost(admin, {
      body: {
        channel_id: channel.id ?? "",
        message: "Release 1.4.2 is ready",
        props: { attachments: [{ text: "Approve it?", actions: [button] }] },
      },
    });
    const stored = await getPost(admin, { post_id: post.id ?? "" });
    const actionId = (stored.props as { attachments: { actions: { id: string }[] }[] }).attachments[0]?.actions[0]?.id ?? "";
    expect(actionId).not.toBe("");

    // The user's own socket receives the dialog the handler opens with the action's trigger_id.
    const socket = createMattermostSocket({ url: server.url, token: user.token });
    sockets.push(socket);
    const dialogs: OpenDialogEvent[] = [];
    socket.on("open_dialog", (event) => void dialogs.push(event));
    await socket.ready();

    // The answer's trigger_id is the click's own id; the open_dialog event of the dialog opened for
    // this click carries the same one.
    const clicked = await doPostAction(clientFor(user.token), { post_id: post.id ?? "", action_id: actionId });
    expectTypeOf(clicked).toEqualTypeOf<{ status: string; trigger_id: string }>();
    expect(clicked.status).toBe("OK");
    expect(clicked.trigger_id).toMatch(/^[a-z0-9]{26}$/);
    const action = seen.actions.at(-1);
    expectTypeOf(action?.context).toEqualTypeOf<{ release: string; attempt: number } | undefined>();
    expect(action).toMatchObject({
      user_id: user.id,
      user_name: user.username,
      channel_id: channel.id,
      team_id: server.team.id,
      post_id: post.id,
      type: "button",
      context: { release: "1.4.2", attempt: 1 },
    });
    // The receiver's signature is not part of what the handler sees.
    expect(Object.keys(action?.context ?? {}).sort()).toEqual(["attempt", "release"]);
    const updated = await getPost(admin, { post_id: post.id ?? "" });
    expect(updated.message).toBe(`Release 1.4.2 approved by @${user.username}`);

    const opened = await waitFor(
      "the open_dialog event of this click",
      () => dialogs.find((event) => event.data.dialog.trigger_id === clicked.trigger_id),
      15_000,
    );
    const { dialog, url } = opened.data.dialog;
    expect(url).toBe(`${baseUrl}/dialogs/e2e-deploy-reason`);
    expect(dialog.title).toBe("Deploy");
    const submit = (submission: Record<string, unknown>, extra: { cancelled?: boolean; state?: string } = {}) =>
      submitInteractiveDialog(clientFor(user.token), {
        body: {
          url,
          callback_id: dialog.callback_id,
          state: extra.state ?? dialog.state ?? "",
          channel_id: channel.id ?? "",
          team_id: server.team.id,
          submission,
          ...(extra.cancelled ? { cancelled: true } : {}),
        },
      });

    // A field error from the handler reaches the submitter; nothing is recorded.
    const refused = await submit({ reason: "because", environment: "staging", notify: true });
    expect(refused.errors).toEqual({ reason: "Say why, in a sentence." });
    // The receiver checks the submission against the definition before the handler runs.
    const invalid = await submit({ reason: "x", environment: "moon", notify: true });
    expect(invalid.errors).toEqual({ environment: "Not one of the options." });
    expect(seen.submissions).toEqual([]);

    const accepted = await submit({ reason: "Fixes the login bug", environment: "production", replicas: "3", notify: false });
    expect(accepted.errors ?? {}).toEqual({});
    expect(seen.submissions).toEqual([{ reason: "Fixes the login bug", environment: "production", replicas: 3, notify: false }]);

    await submit({}, { cancelled: true });
    expect(seen.cancels).toEqual([
      { callback_id: "e2e-deploy-reason", state: "release=1.4.2", user_id: user.id, channel_id: channel.id, team_id: server.team.id },
    ]);

    // A state not signed by the receiver (here: another state) gets 401, which the submitter sees as an error.
    const forged = await submit({ reason: "x", environment: "staging", notify: true }, { state: "release=9.9.9" }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(forged).toBeInstanceOf(MattermostError);
    expect(answered.filter((one) => one.path.endsWith("/dialogs/e2e-deploy-reason")).at(-1)?.status).toBe(401);
    expect(seen.submissions).toHaveLength(1);
  });

  it("gets 401 for an action whose context the receiver did not sign; no handler runs", async () => {
    const admin = adminClient();
    const before = seen.actions.length;
    const post = await createPost(admin, {
      body: {
        channel_id: channel.id ?? "",
        message: "forged",
        props: {
          attachments: [{ actions: [{ name: "Forged", integration: { url: approve.url, context: { release: "6.6.6", attempt: 1 } } }] }],
        },
      },
    });
    const stored = await getPost(admin, { post_id: post.id ?? "" });
    const actionId = (stored.props as { attachments: { actions: { id: string }[] }[] }).attachments[0]?.actions[0]?.id ?? "";
    await expect(doPostAction(clientFor(user.token), { post_id: post.id ?? "", action_id: actionId })).rejects.toBeInstanceOf(
      MattermostError,
    );
    expect(answered.filter((one) => one.path.endsWith("/actions/approve")).at(-1)?.status).toBe(401);
    expect(seen.actions.length).toBe(before);
  });
});

describe("incoming webhooks", () => {
  it("posts through a hook the test creates; a wrong hook id is refused with the id masked", async () => {
    const hook = await createIncomingWebhook(adminClient(), { body: { channel_id: channel.id ?? "", display_name: "e2e" } });
    const url = incomingWebhookUrl(mattermost().url, hook.id);
    await postToIncomingWebhook(url, { text: "From the incoming webhook", attachments: [{ title: "Build 77", color: "good" }] });
    const post = await postMatching("the incoming webhook's post", (one) => one.message === "From the incoming webhook");
    expect(post.props).toMatchObject({ from_webhook: "true", attachments: [{ title: "Build 77", color: "good" }] });

    const wrong = await postToIncomingWebhook(incomingWebhookUrl(mattermost().url, "a".repeat(26)), { text: "no" }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(wrong).toBeInstanceOf(WebhookError);
    expect((wrong as WebhookError).status).toBe(400);
    expect((wrong as WebhookError).message).toContain("/hooks/********");
    expect((wrong as WebhookError).message).not.toContain("a".repeat(26));
  });
});
