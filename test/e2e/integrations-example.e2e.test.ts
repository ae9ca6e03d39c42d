// examples/integrations-bot.ts against the real server, as a user meets it: `/deploy 2.0.0` → the
// bot's card with a button → the dialog the button opens → the card updated by the dialog's answer.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DeployBot, startDeployBot } from "../../examples/integrations-bot.js";
import {
  createCommand,
  doPostAction,
  executeCommand,
  getPost,
  getPostsForChannel,
  submitInteractiveDialog,
} from "../../generated/endpoints/index.js";
import type { OpenDialogEvent } from "../../generated/events.js";
import type { Channel, Post } from "../../generated/schemas.js";
import { createMattermostSocket, type MattermostSocket } from "../../runtime/socket/index.js";
import { adminClient, clientFor, freshChannel, type ThrowawayUser, throwawayUser, waitFor } from "./fixtures.js";
import { mattermost } from "./server-facts.js";

let bot: DeployBot;
let commandToken = "";
const botErrors: unknown[] = [];
let user: ThrowawayUser;
let channel: Channel;
let socket: MattermostSocket | undefined;

beforeAll(async () => {
  const server = mattermost();
  const admin = adminClient();
  bot = await startDeployBot({
    mattermostUrl: server.url,
    botToken: server.bot.token,
    secret: randomBytes(32).toString("hex"),
    commandToken: () => commandToken,
    onError: (error) => void botErrors.push(error),
  });
  const command = await createCommand(admin, { body: { team_id: server.team.id, method: "P", trigger: "deploy", url: bot.commandUrl } });
  commandToken = command.token ?? "";
  user = await throwawayUser(admin, "deployer");
  channel = await freshChannel(admin, "releases", [user.id, server.bot.id]);
});
afterAll(async () => {
  await socket?.close();
  await bot.close();
});

async function botPost(match: (post: Post) => boolean): Promise<Post> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const list = await getPostsForChannel(adminClient(), { channel_id: channel.id ?? "" });
    const found = Object.values(list.posts ?? {}).find((post) => post.user_id === mattermost().bot.id && match(post));
    if (found) return found;
    if (Date.now() > deadline) throw new Error("timed out waiting for the bot's post");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("runs the round trip: command, card with a button, dialog, updated card", async () => {
  const server = mattermost();
  const me = clientFor(user.token);
  socket = createMattermostSocket({ url: server.url, token: user.token });
  const dialogs: OpenDialogEvent[] = [];
  socket.on("open_dialog", (event) => void dialogs.push(event));
  await socket.ready();

  const answer = await executeCommand(me, { body: { channel_id: channel.id ?? "", command: "/deploy 2.0.0" } });
  expect(answer.text).toBe("Posted the card for 2.0.0.");
  const card = await botPost((post) => post.message.startsWith("Release **2.0.0** is ready"));
  expect(card.message).toBe(`Release **2.0.0** is ready, asked by @${user.username}.`);
  const actionId = (card.props as { attachments: { actions: { id: string; name: string }[] }[] }).attachments[0]?.actions[0];
  expect(actionId?.name).toBe("Approve");

  const { trigger_id } = await doPostAction(me, { post_id: card.id ?? "", action_id: actionId?.id ?? "" });
  const opened = await waitFor(
    "the dialog of this click",
    () => dialogs.find((event) => event.data.dialog.trigger_id === trigger_id),
    15_000,
  );
  const { dialog, url } = opened.data.dialog;
  expect(dialog.title).toBe("Approve the release");
  const submit = (submission: Record<string, unknown>) =>
    submitInteractiveDialog(me, {
      body: {
        url,
        callback_id: dialog.callback_id,
        state: dialog.state,
        channel_id: channel.id ?? "",
        team_id: server.team.id,
        submission,
      },
    });

  // The bot's own rule, returned as a field error, reaches the user.
  expect((await submit({ environment: "production", reason: "now" })).errors).toEqual({ reason: "Production needs a longer reason." });
  expect((await getPost(me, { post_id: card.id ?? "" })).message).toBe(card.message);

  expect((await submit({ environment: "production", reason: "the login fix is urgent" })).errors ?? {}).toEqual({});
  const updated = await getPost(me, { post_id: card.id ?? "" });
  expect(updated.message).toBe(`Approved for **production** by @${user.username}: the login fix is urgent`);
  expect((updated.props as { attachments?: unknown[] }).attachments ?? []).toEqual([]);
  expect(botErrors).toEqual([]);
});
