// The consumer program of the type-check benchmark with mattermost-typed, importing the functions
// from their endpoint files (mattermost-typed/endpoints/<file>) instead of the `generated` barrel:
// otherwise the same program as mattermost-typed.ts. Resolved against the package as built into
// bench/.work (declarations of runtime/ and a fresh generation), the way an application sees it.
import { createClient } from "mattermost-typed";
import { uploadFile } from "mattermost-typed/endpoints/files";
import { createPost, getPostsForChannel } from "mattermost-typed/endpoints/posts";
import { getMe, getUser } from "mattermost-typed/endpoints/users";
import { createMattermostSocket } from "mattermost-typed/socket";

const url = "https://chat.example.com";
const token = "personal-access-token";
const client = createClient({ baseUrl: url, token });

export async function postReport(channel_id: string, file: Blob): Promise<string> {
  const me = await getMe(client);
  const uploaded = await uploadFile(client, { body: { channel_id, files: file } });
  const file_ids = (uploaded.file_infos ?? []).flatMap((info) => (info.id === undefined ? [] : [info.id]));
  const post = await createPost(client, { body: { channel_id, message: `report from @${me.username ?? "?"}`, file_ids } });
  const recent = await getPostsForChannel(client, { channel_id, per_page: 30 });
  const author = await getUser(client, { user_id: post.user_id ?? "" });
  return `${author.username ?? "?"} posted ${post.id ?? "?"}; ${recent.order?.length ?? 0} posts in the channel`;
}

export const seen: string[] = [];
const socket = createMattermostSocket({ url, token });
socket.on("*", (ev) => {
  switch (ev.event) {
    case "posted":
      seen.push(`${ev.data.channel_name}: ${ev.data.post.message ?? ""}`);
      break;
    case "typing":
      seen.push(`${ev.data.user_id} is typing in ${ev.data.parent_id || "the channel"}`);
      break;
    case "status_change":
      seen.push(`${ev.data.user_id} is ${ev.data.status}`);
      break;
  }
});
