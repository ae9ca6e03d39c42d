import { inspect } from "node:util";
import { expect, expectTypeOf, test } from "vitest";
import { getMe } from "../../generated/endpoints/index.js";
import type { Post, StatusOK, User } from "../../generated/schemas.js";
import { bindEndpoints, createClient, createFullClient, withResponse } from "../../runtime/full.js";
import { type MockMattermost, useMockMattermost } from "../support/mock-mattermost.js";

let mock: MockMattermost;
let token: string;
useMockMattermost((m, t) => {
  mock = m;
  token = t;
});

test("every operation is a method with the client bound", async () => {
  const client = createFullClient({ baseUrl: mock.url, token });
  expect((await client.getMe()).username).toBe("alice");
  const post = await client.createPost({ body: { channel_id: "c", message: "as a method" } });
  expect(post.message).toBe("as a method");
  expect((await client.getUser({ user_id: mock.users[1]!.id })).username).toBe("bob");
  expectTypeOf(client.getMe).toEqualTypeOf<(init?: import("../../runtime/index.js").CallOptions) => Promise<User>>();
  expectTypeOf(client.createPost).returns.toEqualTypeOf<Promise<Post>>();
  // @ts-expect-error user_id is required
  expectTypeOf(() => client.getUser({})).toBeFunction();
});

test("the same client works with the standalone functions and helpers, and keeps its state", async () => {
  const client = createFullClient({ baseUrl: mock.url, token });
  expect((await getMe(client)).username).toBe("alice");
  const { response } = await withResponse(getMe, client);
  expect(response.status).toBe(200);
  mock.rateLimit = { limit: 5, windowMs: 60_000 };
  await client.getMe();
  expect(client.rateLimit).toMatchObject({ limit: 5, remaining: 4 });
  expect(inspect(client)).toContain("[redacted]");
  expect(inspect(client)).not.toContain(token);
  expect(JSON.stringify(client)).not.toContain(token);
});

test("logout as a method also forgets the token", async () => {
  const client = createFullClient({ baseUrl: mock.url });
  await client.login({ body: { login_id: "bob", password: "bob-password-1" } });
  expect((await client.getMe()).username).toBe("bob");
  await client.logout();
  expect(client.getToken()).toBeUndefined();
  expectTypeOf(client.logout).returns.toEqualTypeOf<Promise<StatusOK>>();
});

test("bindEndpoints adds the methods to an existing client", async () => {
  const core = createClient({ baseUrl: mock.url, token });
  const full = bindEndpoints(core);
  expect((await full.getMe()).username).toBe("alice");
  core.setToken(undefined);
  await expect(full.getMe()).rejects.toMatchObject({ status: 401 });
});
