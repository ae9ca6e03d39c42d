// Type-level tests of the generated API: compiled by test/generator/typecheck.test.ts. Each
// `@ts-expect-error` line is a call that must NOT compile; tsc fails if one of them does.
import type { CallOptions, Transport } from "../../runtime/transport.js";
import { createPost, getFile, type getMe, getUser, patchPost } from "../../generated/index.js";
import type { MessageAttachment, Post, User } from "../../generated/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
declare const client: Transport;

// createPost needs channel_id and message.
void createPost(client, { body: { channel_id: "c1", message: "hello" } });
// @ts-expect-error message is required
void createPost(client, { body: { channel_id: "c1" } });
// @ts-expect-error channel_id is required
void createPost(client, { body: { message: "hello" } });
// @ts-expect-error the body is required
void createPost(client, {});

// A wrong path parameter name does not compile; the right one does.
// @ts-expect-error userId is not a parameter of getUser (user_id is)
void getUser(client, { userId: "u1" });
void getUser(client, { user_id: "u1" });

// getUser and getMe return User; createPost returns Post.
export const userIsUser: Equal<Awaited<ReturnType<typeof getUser>>, User> = true;
export const meIsUser: Equal<Awaited<ReturnType<typeof getMe>>, User> = true;
export const postIsPost: Equal<Awaited<ReturnType<typeof createPost>>, Post> = true;

// Message attachments are typed on createPost and patchPost.
const attachment: MessageAttachment = { fallback: "f", color: "#FF8000", fields: [{ title: "t", value: "v", short: true }] };
void createPost(client, { body: { channel_id: "c1", message: "", props: { attachments: [attachment] } } });
// @ts-expect-error short is a boolean
void patchPost(client, { post_id: "p1", body: { props: { attachments: [{ fields: [{ title: "t", value: "v", short: "yes" }] }] } } });

// Binary downloads resolve to Blob by default and follow `as`.
const blob = getFile(client, { file_id: "f1" });
export const fileIsBlob: Equal<Awaited<typeof blob>, Blob> = true;
declare const init: CallOptions;
export const asBuffer: Promise<ArrayBuffer> = getFile(client, { file_id: "f1" }, { ...init, as: "arrayBuffer" });

// schemas.ts and the endpoint files print their types standalone; they must be the same types as
// openapi-typescript's full output in types.ts (mattermost-typed/openapi-types).
import type { components, operations as operationTypes } from "../../generated/types.js";
import type { CreatePostArgs, GetPostsByIdsArgs, getPostsByIds } from "../../generated/index.js";
import type { PostList, Channel, Team } from "../../generated/schemas.js";
export const userSame: Equal<User, components["schemas"]["User"]> = true;
export const postListSame: Equal<PostList, components["schemas"]["PostList"]> = true;
export const channelSame: Equal<Channel, components["schemas"]["Channel"]> = true;
export const teamSame: Equal<Team, components["schemas"]["Team"]> = true;
export const attachmentSame: Equal<MessageAttachment, components["schemas"]["MessageAttachment"]> = true;
export const createPostBodySame: Equal<
  CreatePostArgs["body"],
  NonNullable<operationTypes["CreatePost"]["requestBody"]>["content"]["application/json"]
> = true;
export const postsByIdsBodySame: Equal<
  GetPostsByIdsArgs["body"],
  NonNullable<operationTypes["getPostsByIds"]["requestBody"]>["content"]["application/json"]
> = true;
export const postsByIdsResultSame: Equal<
  Awaited<ReturnType<typeof getPostsByIds>>,
  operationTypes["getPostsByIds"]["responses"][200]["content"]["application/json"]
> = true;
