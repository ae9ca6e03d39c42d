/**
 * Type-level tests of paginate, checked (not run) by vitest's typecheck mode (vitest.config.ts).
 * `@ts-expect-error` lines are calls that must not compile.
 */
import { describe, expectTypeOf, test } from "vitest";
import { getChannelMembers, getGroupUsers, getMe, getUser, getUsers } from "../../generated/endpoints/index.js";
import type { ChannelMember, User } from "../../generated/schemas.js";
import { createClient, paginate } from "../../runtime/index.js";

describe("paginate", () => {
  test("types: only paged operations, args required when the operation needs them, select when pages are not arrays", () => {
    const client = createClient({ baseUrl: "http://127.0.0.1:1" });
    expectTypeOf(paginate(client, getUsers)).toEqualTypeOf<AsyncGenerator<User, void, undefined>>();
    expectTypeOf(paginate(client, getChannelMembers, { channel_id: "c" })).toEqualTypeOf<AsyncGenerator<ChannelMember, void, undefined>>();
    // @ts-expect-error getUser has no page parameter
    paginate(client, getUser, { user_id: "u" });
    // @ts-expect-error getMe has no page parameter
    paginate(client, getMe);
    // @ts-expect-error channel_id is required
    paginate(client, getChannelMembers);
    // @ts-expect-error page is set by paginate
    paginate(client, getUsers, { page: 3 });
    // @ts-expect-error the members are in `members`: select is required
    paginate(client, getGroupUsers, { group_id: "g" });
  });
});
