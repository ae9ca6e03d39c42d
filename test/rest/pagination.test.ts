import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from "vitest";
import {
  getChannelMembers,
  getGroupUsers,
  getJobs,
  getPostsForChannel,
  getPostsForView,
  getUsers,
} from "../../generated/endpoints/index.js";
import type { Post, User } from "../../generated/schemas.js";
import { createClient, paginate, paginatePosts } from "../../runtime/index.js";
import { type MockMattermost, type MockPost, startMockMattermost } from "../support/mock-mattermost.js";

let mock: MockMattermost;
let token: string;
let channelPosts: MockPost[];
beforeAll(async () => {
  mock = await startMockMattermost();
  channelPosts = mock.addPosts("town-square", 450);
  mock.addPosts("exactly-400", 400);
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  token = mock.addToken(mock.users[0]!.id);
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe("paginate", () => {
  test("asks for the server's largest page and stops after a short one", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const users = await collect(paginate(client, getUsers));
    expect(users.map((user) => user.id)).toEqual(mock.users.map((user) => user.id));
    expect(mock.requests.map((request) => request.query)).toEqual([
      { page: "0", per_page: "200" },
      { page: "1", per_page: "200" },
      { page: "2", per_page: "200" },
    ]);
  });

  test("passes the other args on each page, and honours a smaller per_page", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const members = await collect(paginate(client, getUsers, { in_team: "team-1", per_page: 100 }));
    expect(members).toHaveLength(225);
    expect(mock.requests.map((request) => request.query.page)).toEqual(["0", "1", "2"]);
    expect(mock.requests.every((request) => request.query.in_team === "team-1" && request.query.per_page === "100")).toBe(true);
  });

  test("a per_page above the server's maximum is cut to it (the server would, and the last page would look short)", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    expect(await collect(paginate(client, getUsers, { per_page: 1000 }))).toHaveLength(450);
    expect(mock.requests.map((request) => request.query.per_page)).toEqual(["200", "200", "200"]);
  });

  test("a last page that is exactly full costs one empty page more", async () => {
    mock.override("GET /api/v4/channels/{channel_id}/members", ({ request }) => ({
      json: request.query.page === "0" ? Array.from({ length: 200 }, (_, i) => ({ user_id: `u${i}` })) : [],
    }));
    const client = createClient({ baseUrl: mock.url, token });
    expect(await collect(paginate(client, getChannelMembers, { channel_id: "c" }))).toHaveLength(200);
    expect(mock.requests).toHaveLength(2);
  });

  test("a page the server sends as null (Go's nil slice: an empty list) ends the loop with nothing yielded", async () => {
    mock.override("GET /api/v4/jobs", ({ request }) => ({
      json: request.query.page === "0" ? Array.from({ length: 200 }, (_, i) => ({ id: `j${i}` })) : null,
    }));
    const client = createClient({ baseUrl: mock.url, token });
    const jobs = await collect(paginate(client, getJobs));
    expect(jobs).toHaveLength(200);
    expect(mock.requests.map((request) => request.query.page)).toEqual(["0", "1"]);
    mock.reset();
    mock.override("GET /api/v4/jobs", () => ({ json: null }));
    expect(await collect(paginate(client, getJobs))).toEqual([]);
    expect(mock.requests).toHaveLength(1);
  });

  test("select picks the items of responses that are not arrays", async () => {
    mock.override("GET /api/v4/groups/{group_id}/members", ({ request }) => {
      const page = Number(request.query.page);
      const size = page < 2 ? Number(request.query.per_page) : 3;
      return { json: { members: Array.from({ length: size }, (_, i) => ({ id: `${page}-${i}` })), total_member_count: 403 } };
    });
    const client = createClient({ baseUrl: mock.url, token });
    const members = await collect(paginate(client, getGroupUsers, { group_id: "g" }, { select: (page) => page.members ?? [] }));
    expect(members).toHaveLength(403);
    expectTypeOf(members).toEqualTypeOf<User[]>();
  });

  test("a select that filters an array page does not end the loop early", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const names = await collect(
      paginate(
        client,
        getUsers,
        {},
        { select: (users) => users.filter((user) => user.username.endsWith("7")).map((user) => user.username) },
      ),
    );
    expect(names).toHaveLength(44);
    expect(mock.requests).toHaveLength(3);
    expectTypeOf(names).toEqualTypeOf<string[]>();
  });

  test("leaving the loop sends nothing more; aborting rejects with the reason", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    let seen = 0;
    for await (const _ of paginate(client, getUsers)) {
      if (++seen === 250) break;
    }
    expect(mock.requests).toHaveLength(2);

    mock.reset();
    const controller = new AbortController();
    const reason = new Error("enough");
    const iterator = paginate(client, getUsers, {}, { signal: controller.signal });
    const items: User[] = [];
    await expect(
      (async () => {
        for await (const user of iterator) {
          items.push(user);
          if (items.length === 200) controller.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    expect(items).toHaveLength(200);
    expect(mock.requests).toHaveLength(1);
  });
});

describe("paginatePosts", () => {
  test("goes back in time from the newest post, following prev_post_id", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const posts = await collect(paginatePosts(client, getPostsForChannel, { channel_id: "town-square" }));
    expect(posts.map((post) => post.id)).toEqual([...channelPosts].reverse().map((post) => post.id));
    const queries = mock.requests.map((request) => request.query);
    expect(queries).toHaveLength(3);
    expect(queries[0]).toEqual({ per_page: "200" });
    // Each page restarts from the last post of an earlier millisecond than the page's last post.
    expect(queries[1]).toEqual({ per_page: "200", page: "0", before: channelPosts[251]!.id });
    expect(queries[2]).toEqual({ per_page: "200", page: "0", before: channelPosts[52]!.id });
    expectTypeOf(posts).toEqualTypeOf<Post[]>();
  });

  test("after a full page, asks once more even when the server says there is nothing older", async () => {
    // `prev_post_id` only looks for posts of an earlier millisecond than the page's last post.
    const client = createClient({ baseUrl: mock.url, token });
    expect(await collect(paginatePosts(client, getPostsForChannel, { channel_id: "exactly-400" }))).toHaveLength(400);
    expect(mock.requests.map((request) => request.query.before)).toHaveLength(3);
    const posts = mock.addPosts("exactly-200", 200);
    mock.reset();
    expect(await collect(paginatePosts(client, getPostsForChannel, { channel_id: "exactly-200" }))).toHaveLength(200);
    expect(mock.requests.map((request) => request.query.before)).toEqual([undefined, posts[1]!.id]);
  });

  test("posts sharing a millisecond across page boundaries are neither skipped nor repeated", async () => {
    // The server's cursor is strict (`before` a post = before its millisecond), as the mock's is. A page
    // must hold more posts than one millisecond has.
    const posts = mock.addPosts("ties", 30);
    posts.forEach((post, i) => {
      post.create_at = posts[0]!.create_at + Math.floor(i / 3);
    });
    const client = createClient({ baseUrl: mock.url, token });
    for (const per_page of [4, 5, 7]) {
      const back = await collect(paginatePosts(client, getPostsForChannel, { channel_id: "ties", per_page }));
      expect(back.map((post) => post.id).sort(), `per_page ${per_page}`).toEqual(posts.map((post) => post.id).sort());
      const forward = await collect(paginatePosts(client, getPostsForChannel, { channel_id: "ties", after: posts[2]!.id, per_page }));
      expect(forward.map((post) => post.id).sort(), `per_page ${per_page}`).toEqual(
        posts
          .slice(3)
          .map((post) => post.id)
          .sort(),
      );
    }
  });

  test("goes forward from a post with `after`, oldest first", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const from = channelPosts[20]!;
    const posts = await collect(paginatePosts(client, getPostsForChannel, { channel_id: "town-square", after: from.id, per_page: 100 }));
    expect(posts.map((post) => post.id)).toEqual(channelPosts.slice(21).map((post) => post.id));
    expect(mock.requests.map((request) => request.query.after)).toEqual([
      from.id,
      channelPosts[119]!.id,
      channelPosts[218]!.id,
      channelPosts[317]!.id,
      channelPosts[416]!.id,
    ]);
  });

  test("starts before a post with `before`", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const posts = await collect(paginatePosts(client, getPostsForChannel, { channel_id: "town-square", before: channelPosts[10]!.id }));
    expect(posts.map((post) => post.id)).toEqual(
      channelPosts
        .slice(0, 10)
        .reverse()
        .map((post) => post.id),
    );
    expect(mock.requests).toHaveLength(1);
  });

  test("`since` is one request", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const posts = await collect(
      paginatePosts(client, getPostsForChannel, { channel_id: "town-square", since: channelPosts[439]!.update_at }),
    );
    expect(posts).toHaveLength(10);
    expect(mock.requests).toHaveLength(1);
  });

  test("yields only the posts in `order`, not the thread roots the server adds", async () => {
    mock.override("GET /api/v4/channels/{channel_id}/views/{view_id}/posts", () => ({
      json: { order: ["b", "a"], posts: { a: { id: "a" }, b: { id: "b" }, root: { id: "root" } }, next_post_id: "", prev_post_id: "" },
    }));
    const client = createClient({ baseUrl: mock.url, token });
    const posts = await collect(paginatePosts(client, getPostsForView, { channel_id: "c", view_id: "v" }));
    expect(posts.map((post) => post.id)).toEqual(["b", "a"]);
  });

  test("a post list whose order and posts are null (nil in Go) is an empty page", async () => {
    mock.override("GET /api/v4/channels/{channel_id}/views/{view_id}/posts", () => ({
      json: { order: null, posts: null, next_post_id: "", prev_post_id: "" },
    }));
    const client = createClient({ baseUrl: mock.url, token });
    expect(await collect(paginatePosts(client, getPostsForView, { channel_id: "c", view_id: "v" }))).toEqual([]);
    expect(mock.requests).toHaveLength(1);
  });

  test("aborting between pages rejects with the reason", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const controller = new AbortController();
    let count = 0;
    const run = async () => {
      for await (const _ of paginatePosts(client, getPostsForChannel, { channel_id: "town-square" }, { signal: controller.signal })) {
        if (++count === 200) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: "AbortError" });
    expect(mock.requests).toHaveLength(1);
  });
});
