// The operations spec/overlays/51-client4-routes.yaml adds (routes @mattermost/client calls that the
// upstream spec lacks), each called on the real server and its answer checked against the shape
// the overlay gives it.
import { describe, expect, it } from "vitest";
import {
  completeOnboarding,
  convertGroupMessageToChannel,
  createGroupChannel,
  createPost,
  deleteDraft,
  deleteThreadDraft,
  getAppliedSchemaMigrations,
  getChannelsMemberCount,
  getDrafts,
  getOnboardingComplete,
  getPostEditHistory,
  getPostInfo,
  getTeam,
  getTeamsUsage,
  loginWithDesktopToken,
  notifyAdmin,
  patchPost,
  readMultipleChannels,
  upsertDraft,
} from "../../generated/endpoints/index.js";
import { MattermostError } from "../../runtime/index.js";
import { adminClient, clientFor, freshChannel, throwawayUser, uniqueName } from "./fixtures.js";
import { mattermost } from "./server-facts.js";

const ID = /^[a-z0-9]{26}$/;

type Draft = Awaited<ReturnType<typeof upsertDraft>>;

/** Every key the overlay marks required is present with its type. */
function expectDraft(draft: Draft, channelId: string, message: string): void {
  expect(draft).toMatchObject({ channel_id: channelId, message, root_id: "", delete_at: 0, type: "" });
  expect(draft.user_id).toMatch(ID);
  expect(typeof draft.create_at).toBe("number");
  expect(typeof draft.update_at).toBe("number");
  expect(draft).toHaveProperty("props");
}

describe("routes Client4 calls that the upstream spec lacks (overlay 51)", () => {
  it("drafts: save one for a channel and a thread, list them per team, delete both", async () => {
    const server = mattermost();
    const admin = adminClient();
    const me = await throwawayUser(admin, "drafts");
    const client = clientFor(me.token);
    const channel = await freshChannel(admin, "drafts", [me.id]);
    const channel_id = channel.id ?? "";
    const root = await createPost(client, { body: { channel_id, message: "root" } });

    const saved = await upsertDraft(client, { body: { channel_id, message: "half-written" } });
    expectDraft(saved, channel_id, "half-written");
    expect(saved.user_id).toBe(me.id);
    const thread = await upsertDraft(client, { body: { channel_id, root_id: root.id ?? "", message: "reply draft" } });
    expect(thread.root_id).toBe(root.id);

    const drafts = (await getDrafts(client, { user_id: "me", team_id: server.team.id })) ?? [];
    expect(drafts.map((draft) => draft.message).sort()).toEqual(["half-written", "reply draft"]);
    for (const draft of drafts) expect(draft.channel_id).toBe(channel_id);

    expect(await deleteThreadDraft(client, { user_id: "me", channel_id, thread_id: root.id ?? "" })).toEqual({ status: "OK" });
    expect(await deleteDraft(client, { user_id: "me", channel_id })).toEqual({ status: "OK" });
    // Deleting what is gone still succeeds, as the handler says.
    expect(await deleteDraft(client, { user_id: "me", channel_id })).toEqual({ status: "OK" });
    // No drafts: the handler encodes a nil slice, which Go writes as null (typed `Draft[] | null`).
    expect(await getDrafts(client, { user_id: "me", team_id: server.team.id })).toBeNull();
  });

  it("a post's edit history (author only) and where it is", async () => {
    const server = mattermost();
    const admin = adminClient();
    const me = await throwawayUser(admin, "history");
    const client = clientFor(me.token);
    const channel = await freshChannel(admin, "history", [me.id]);
    const post = await createPost(client, { body: { channel_id: channel.id ?? "", message: "first" } });
    await patchPost(client, { post_id: post.id ?? "", body: { message: "second" } });
    await patchPost(client, { post_id: post.id ?? "", body: { message: "third" } });

    const history = await getPostEditHistory(client, { post_id: post.id ?? "" });
    expect(history.map((old) => old.message)).toEqual(["second", "first"]);
    for (const old of history) expect(old.original_id).toBe(post.id);
    const denied = await getPostEditHistory(admin, { post_id: post.id ?? "" }).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(MattermostError);
    expect((denied as MattermostError).status).toBe(403);

    const info = await getPostInfo(client, { post_id: post.id ?? "" });
    expect(info).toEqual({
      channel_id: channel.id,
      channel_type: "O",
      channel_display_name: channel.display_name,
      has_joined_channel: true,
      team_id: server.team.id,
      // Not the team's `type`: "O" when it allows open invites, else "I" (app/post.go GetPostInfo).
      team_type: (await getTeam(admin, { team_id: server.team.id })).allow_open_invite ? "O" : "I",
      team_display_name: server.team.displayName,
      has_joined_team: true,
    });
  });

  it("channels: mark several read, member counts, a group message converted to a private channel", async () => {
    const server = mattermost();
    const admin = adminClient();
    const [a, b] = [await throwawayUser(admin, "gm-a"), await throwawayUser(admin, "gm-b")];
    const client = clientFor(a.token);
    const one = await freshChannel(admin, "read-one", [a.id]);
    const two = await freshChannel(admin, "read-two", [a.id, b.id]);

    const read = await readMultipleChannels(client, { user_id: "me", body: [one.id ?? "", two.id ?? ""] });
    expect(read.status).toBe("OK");
    expect(Object.keys(read.last_viewed_at_times).sort()).toEqual([one.id, two.id].sort());
    for (const time of Object.values(read.last_viewed_at_times)) expect(time).toBeGreaterThan(0);
    const empty = await readMultipleChannels(client, { user_id: "me", body: [] }).catch((error: unknown) => error);
    expect((empty as MattermostError).status).toBe(400);

    // The admin who created them is a member of both.
    const counts = await getChannelsMemberCount(admin, { body: [one.id ?? "", two.id ?? ""] });
    expect(counts).toEqual({ [one.id ?? ""]: 2, [two.id ?? ""]: 3 });

    const gm = await createGroupChannel(client, { body: [a.id, b.id, server.user.id] });
    const name = uniqueName("from-gm");
    const converted = await convertGroupMessageToChannel(client, {
      channel_id: gm.id ?? "",
      body: { channel_id: gm.id ?? "", team_id: server.team.id, name, display_name: name },
    });
    expect(converted).toMatchObject({ id: gm.id, type: "P", name, display_name: name, team_id: server.team.id });
  });

  it("system: onboarding flag and completion, applied schema migrations, team usage; a user's request to the admins", async () => {
    const admin = adminClient();
    const flag = await getOnboardingComplete(admin);
    expect(flag.name).toBe("FirstAdminSetupComplete");
    expect(["true", "false"]).toContain(flag.value);
    expect(await completeOnboarding(admin, { body: { organization: "mattermost-typed e2e", install_plugins: [] } })).toEqual({
      status: "OK",
    });
    expect((await getOnboardingComplete(admin)).value).toBe("true");

    const migrations = await getAppliedSchemaMigrations(admin);
    expect(migrations.length).toBeGreaterThan(100);
    for (const migration of migrations) {
      expect(Number.isInteger(migration.version)).toBe(true);
      expect(typeof migration.name).toBe("string");
    }

    const usage = await getTeamsUsage(admin);
    expect(usage.active).toBeGreaterThanOrEqual(1);
    expect(usage.cloud_archived).toBe(0);

    const me = await throwawayUser(admin, "notify");
    const asked = await notifyAdmin(clientFor(me.token), {
      body: { required_feature: "mattermost.feature.guest_accounts", required_plan: "professional", trial_notification: false },
    });
    expect(asked).toEqual({ status: "OK" });
  });

  it("a desktop login token that was never issued is refused with 401", async () => {
    const error = await loginWithDesktopToken(clientFor(undefined, { retry: { retries: 0 } }), {
      body: { token: "not-a-desktop-token" },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MattermostError);
    expect((error as MattermostError).status).toBe(401);
  });
});
