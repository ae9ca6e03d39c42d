/**
 * A release bot, the whole round trip of mattermost-typed/integrations:
 * `/deploy 1.4.2` → the bot posts a card with an Approve button → the button opens a dialog →
 * the dialog's answer updates the card.
 *
 *   MATTERMOST_URL=https://chat.example.com MATTERMOST_TOKEN=<bot token> \
 *   RECEIVER_SECRET=<32+ random characters> RECEIVER_URL=https://bot.example.com PORT=3000 \
 *   MATTERMOST_COMMAND_TOKEN=<the slash command's token> npx tsx examples/integrations-bot.ts
 *
 * Register a custom slash command `deploy` whose URL is `${RECEIVER_URL}/commands/deploy`, and make
 * the bot a member of the channels it is used in. test/e2e/integrations-example.e2e.test.ts runs it
 * against a real server. In your own project, import from "mattermost-typed/integrations".
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createPost, patchPost } from "../generated/endpoints/index.js";
import { createClient } from "../runtime/index.js";
import { createReceiver, type TokenSource, toNodeListener } from "../runtime/integrations/index.js";
import { env } from "./env.js";

export interface DeployBotOptions {
  readonly mattermostUrl: string;
  readonly botToken: string;
  readonly secret: string;
  /** The slash command's token (known once the command exists). */
  readonly commandToken: TokenSource;
  /** Where Mattermost reaches the bot; default http://127.0.0.1:<port>. */
  readonly publicUrl?: string;
  readonly port?: number;
  readonly onError?: (error: unknown, route: string) => void;
}

export interface DeployBot {
  /** The URL to register the `deploy` slash command with. */
  readonly commandUrl: string;
  close(): Promise<void>;
}

export async function startDeployBot(options: DeployBotOptions): Promise<DeployBot> {
  const bot = createClient({ baseUrl: options.mattermostUrl, token: options.botToken });
  let publicUrl = options.publicUrl ?? "";
  const receiver = createReceiver({
    secret: options.secret,
    url: () => publicUrl,
    ...(options.onError ? { onError: options.onError } : {}),
  });

  // The dialog: its submission's type follows from the elements.
  const approval = receiver.dialog(
    {
      callback_id: "approve-release",
      title: "Approve the release",
      submit_label: "Approve",
      elements: [
        {
          name: "environment",
          display_name: "Environment",
          type: "select",
          options: [
            { text: "Staging", value: "staging" },
            { text: "Production", value: "production" },
          ],
        },
        { name: "reason", display_name: "Why now?", type: "textarea", min_length: 3 },
      ],
    },
    {
      // `state` is what the button put there: the card to update and who clicked.
      async submit({ state, submission }) {
        const { post, by } = JSON.parse(state) as { post: string; by: string };
        if (submission.environment === "production" && submission.reason.length < 10) {
          return { errors: { reason: "Production needs a longer reason." } };
        }
        await patchPost(bot, {
          post_id: post,
          body: {
            message: `Approved for **${submission.environment}** by @${by}: ${submission.reason}`,
            props: { attachments: [] },
          },
        });
        return undefined;
      },
    },
  );

  // The button: its context is typed, and signed so that nobody else can forge a click.
  const approve = receiver.action<{ release: string }>("approve", async (click) => {
    await approval.open(bot, click, { state: JSON.stringify({ post: click.post_id, by: click.user_name }) });
    return { ephemeral_text: `Approving ${click.context.release}: fill in the dialog.` };
  });

  receiver.command("deploy", { token: options.commandToken }, async (command) => {
    const release = command.text.trim();
    if (release === "") return "Usage: /deploy <release>";
    const button = await approve.button({ name: "Approve", style: "primary", context: { release } });
    await createPost(bot, {
      body: {
        channel_id: command.channel_id,
        message: `Release **${release}** is ready, asked by @${command.user_name}.`,
        props: { attachments: [{ fallback: `Approve ${release}`, text: "Approve it?", actions: [button] }] },
      },
    });
    return `Posted the card for ${release}.`;
  });

  const server = createServer(toNodeListener(receiver.fetch));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  if (publicUrl === "") publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    commandUrl: `${publicUrl}/commands/deploy`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bot = await startDeployBot({
    mattermostUrl: env("MATTERMOST_URL"),
    botToken: env("MATTERMOST_TOKEN"),
    secret: env("RECEIVER_SECRET"),
    commandToken: env("MATTERMOST_COMMAND_TOKEN"),
    publicUrl: env("RECEIVER_URL"),
    port: Number(process.env.PORT ?? "3000"),
    onError: (error, route) => console.error(`${route}:`, error),
  });
  console.log(`listening; register the slash command with ${bot.commandUrl}`);
}
