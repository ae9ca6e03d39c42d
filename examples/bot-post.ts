/**
 * A bot posts a message with an attachment (the coloured box with fields and a button).
 *
 *   MATTERMOST_URL=... MATTERMOST_TOKEN=<bot token> CHANNEL_ID=... npx tsx examples/bot-post.ts
 */
import { createPost } from "../generated/endpoints/index.js";
import type { MessageAttachment } from "../generated/schemas.js";
import { createClient } from "../runtime/index.js";
import { env } from "./env.js";

const client = createClient({ baseUrl: env("MATTERMOST_URL"), token: env("MATTERMOST_TOKEN") });

const attachment: MessageAttachment = {
  fallback: "Deploy 1.4.2 to production: succeeded",
  color: "good",
  pretext: "Deployment finished",
  title: "Release 1.4.2",
  title_link: "https://ci.example.com/releases/1.4.2",
  text: "All **312** checks passed.",
  fields: [
    { title: "Environment", value: "production", short: true },
    { title: "Duration", value: "4 min 12 s", short: true },
  ],
  actions: [
    {
      name: "Roll back",
      type: "button",
      style: "danger",
      integration: { url: "https://ci.example.com/hooks/rollback", context: { release: "1.4.2" } },
    },
  ],
};

const post = await createPost(client, {
  body: { channel_id: env("CHANNEL_ID"), message: "", props: { attachments: [attachment] } },
});
console.log(`posted ${post.id}`);
