// The fixed consumer program of the type-check benchmark, with openapi-fetch and types written by
// openapi-typescript's CLI from our repaired v11.6.0 bundle (`openapi-types.d.ts`, made in
// bench/.work). Neither covers the WebSocket: the three events are typed by hand over the
// platform's WebSocket, as their users have to.
import createClient from "openapi-fetch";
import type { components, paths } from "./openapi-types.js";

type Post = components["schemas"]["Post"];
const url = "https://chat.example.com";
const token = "personal-access-token";
const client = createClient<paths>({ baseUrl: url, headers: { Authorization: `Bearer ${token}` } });

function ok<T>(result: { data?: T; error?: unknown }): T {
  if (result.data === undefined) throw new Error(`request failed: ${JSON.stringify(result.error)}`);
  return result.data;
}

export async function postReport(channel_id: string, file: Blob): Promise<string> {
  const me = ok(await client.GET("/api/v4/users/me"));
  const form = new FormData();
  form.append("channel_id", channel_id);
  form.append("files", file);
  // The generated body types binary fields as strings; the form is sent as is.
  const uploaded = ok(await client.POST("/api/v4/files", { body: { files: "" }, bodySerializer: () => form }));
  const file_ids = (uploaded.file_infos ?? []).flatMap((info) => (info.id === undefined ? [] : [info.id]));
  const post = ok(await client.POST("/api/v4/posts", { body: { channel_id, message: `report from @${me.username ?? "?"}`, file_ids } }));
  const recent = ok(await client.GET("/api/v4/channels/{channel_id}/posts", { params: { path: { channel_id }, query: { per_page: 30 } } }));
  const author = ok(await client.GET("/api/v4/users/{user_id}", { params: { path: { user_id: post.user_id ?? "" } } }));
  return `${author.username ?? "?"} posted ${post.id ?? "?"}; ${recent.order?.length ?? 0} posts in the channel`;
}

type SocketEvent =
  | { event: "posted"; seq: number; data: { channel_name: string; post: string } }
  | { event: "typing"; seq: number; data: { user_id: string; parent_id: string } }
  | { event: "status_change"; seq: number; data: { user_id: string; status: string } };

export const seen: string[] = [];
const socket = new WebSocket(`${url.replace(/^http/, "ws")}/api/v4/websocket`);
socket.addEventListener("open", () => socket.send(JSON.stringify({ seq: 1, action: "authentication_challenge", data: { token } })));
socket.addEventListener("message", (message: MessageEvent<string>) => {
  const ev = JSON.parse(message.data) as SocketEvent;
  switch (ev.event) {
    case "posted": {
      const post = JSON.parse(ev.data.post) as Post;
      seen.push(`${ev.data.channel_name}: ${post.message ?? ""}`);
      break;
    }
    case "typing":
      seen.push(`${ev.data.user_id} is typing in ${ev.data.parent_id || "the channel"}`);
      break;
    case "status_change":
      seen.push(`${ev.data.user_id} is ${ev.data.status}`);
      break;
  }
});
