/**
 * `null` where the server sends it (issue 23, docs/nulls.md): Go writes a nil slice or map as
 * `null`, and spec/overlays/55-nullable.yaml types those places `T[] | null`. Checked, not run, by
 * vitest's typecheck mode (vitest.config.ts); the e2e conformance sweep sees the same nulls on the
 * real server (a post with no reactions, an attachment without fields, an empty job list).
 */
import { describe, expectTypeOf, test } from "vitest";
import { getDataRetentionPolicies, getJobs, getPostsForChannel, getReactions, type uploadFile } from "../../generated/endpoints/index.js";
import type {
  DataRetentionPolicyWithTeamAndChannelCounts,
  Job,
  MessageAttachment,
  Post,
  PostList,
  Reaction,
  Role,
  UserThread,
  UserThreads,
} from "../../generated/schemas.js";
import { createClient, paginate, paginatePosts } from "../../runtime/index.js";

describe("null where the server sends it", () => {
  test("whole answers that are a nil slice: a post's reactions, a job list", () => {
    const client = createClient({ baseUrl: "http://127.0.0.1:1" });
    expectTypeOf(getReactions(client, { post_id: "p" })).resolves.toEqualTypeOf<Reaction[] | null>();
    expectTypeOf(getJobs(client)).resolves.toEqualTypeOf<Job[] | null>();
  });

  test("nested lists and maps left nil: an attachment's fields, a post list, a role's permissions", () => {
    expectTypeOf<null>().toExtend<MessageAttachment["fields"]>();
    expectTypeOf<null>().toExtend<PostList["order"]>();
    expectTypeOf<null>().toExtend<PostList["posts"]>();
    expectTypeOf<null>().toExtend<Role["permissions"]>();
    expectTypeOf<null>().toExtend<UserThreads["threads"]>();
    expectTypeOf<UserThreads["threads"]>().toEqualTypeOf<UserThread[] | null>();
    type Uploaded = Awaited<ReturnType<typeof uploadFile>>;
    expectTypeOf<null>().toExtend<Uploaded["file_infos"]>();
  });

  test("code that ignores the null does not compile", async () => {
    const client = createClient({ baseUrl: "http://127.0.0.1:1" });
    const reactions = await getReactions(client, { post_id: "p" });
    // @ts-expect-error the answer is null when the post has no reactions
    reactions.map((reaction) => reaction.emoji_name);
    expectTypeOf(reactions ?? []).toEqualTypeOf<Reaction[]>();
    const list = await getPostsForChannel(client, { channel_id: "c" });
    // @ts-expect-error order is null when Go leaves it nil
    list.order.length;
    const attachment: MessageAttachment = { fallback: "f", fields: null };
    expectTypeOf(attachment.fields).toEqualTypeOf<MessageAttachment["fields"]>();
  });

  test("the runtime's list helpers take pages that are null", () => {
    const client = createClient({ baseUrl: "http://127.0.0.1:1" });
    // A page of getJobs is `Job[] | null`: still an array page (no select needed), items are jobs.
    expectTypeOf(paginate(client, getJobs)).toEqualTypeOf<AsyncGenerator<Job, void, undefined>>();
    // An object page whose list may be null: select says where the items are.
    expectTypeOf(paginate(client, getDataRetentionPolicies, {}, { select: (page) => page.policies ?? [] })).toEqualTypeOf<
      AsyncGenerator<DataRetentionPolicyWithTeamAndChannelCounts, void, undefined>
    >();
    // @ts-expect-error the policies may be null: a select must say what a null page holds
    paginate(client, getDataRetentionPolicies, {}, { select: (page) => page.policies });
    // A post list whose `order` and `posts` may be null.
    expectTypeOf(paginatePosts(client, getPostsForChannel, { channel_id: "c" })).toEqualTypeOf<AsyncGenerator<Post, void, undefined>>();
  });
});
