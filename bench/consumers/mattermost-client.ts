// The fixed consumer program of the type-check benchmark, with @mattermost/client: Client4 for the
// five REST calls, its WebSocketClient for the handler narrowing three events (the JSON-text
// `post` field is decoded by hand, as its users do).
import { Client4, WebSocketClient, WebSocketEvents } from "@mattermost/client";
import type { Post } from "@mattermost/types/posts";

const url = "https://chat.example.com";
const token = "personal-access-token";
const client = new Client4();
client.setUrl(url);
client.setToken(token);

export async function postReport(channel_id: string, file: Blob): Promise<string> {
  const me = await client.getMe();
  const form = new FormData();
  form.append("channel_id", channel_id);
  form.append("files", file);
  const uploaded = await client.uploadFile(form);
  const file_ids = uploaded.file_infos.map((info) => info.id);
  const post = await client.createPost({ channel_id, message: `report from @${me.username}`, file_ids });
  const recent = await client.getPosts(channel_id, 0, 30);
  const author = await client.getUser(post.user_id);
  return `${author.username} posted ${post.id}; ${recent.order.length} posts in the channel`;
}

export const seen: string[] = [];
const socket = new WebSocketClient();
socket.addMessageListener((ev) => {
  switch (ev.event) {
    case WebSocketEvents.Posted: {
      const post = JSON.parse(ev.data.post) as Post;
      seen.push(`${ev.data.channel_name}: ${post.message}`);
      break;
    }
    case WebSocketEvents.Typing:
      seen.push(`${ev.data.user_id} is typing in ${ev.data.parent_id || "the channel"}`);
      break;
    case WebSocketEvents.StatusChange:
      seen.push(`${ev.data.user_id} is ${ev.data.status}`);
      break;
  }
});
socket.initialize(`${url.replace(/^http/, "ws")}/api/v4/websocket`, token);
