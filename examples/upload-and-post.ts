/**
 * Upload a file and post it in a channel.
 *
 *   MATTERMOST_URL=... MATTERMOST_TOKEN=... CHANNEL_ID=... npx tsx examples/upload-and-post.ts report.pdf
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { createPost, uploadFile } from "../generated/endpoints/index.js";
import { createClient, namedFile } from "../runtime/index.js";
import { env } from "./env.js";

const client = createClient({ baseUrl: env("MATTERMOST_URL"), token: env("MATTERMOST_TOKEN") });
const channel_id = env("CHANNEL_ID");
const path = process.argv[2] ?? "package.json";

// A Blob, File, Buffer, Uint8Array or stream; the part needs a file name, which namedFile gives it.
const files = await namedFile(await readFile(path), basename(path));
const uploaded = await uploadFile(client, { body: { channel_id, files } });
const file_ids = (uploaded.file_infos ?? []).flatMap((info) => (info.id ? [info.id] : []));

const post = await createPost(client, { body: { channel_id, message: `Here is ${basename(path)}`, file_ids } });
console.log(`posted ${post.id} with ${file_ids.length} file(s)`);
