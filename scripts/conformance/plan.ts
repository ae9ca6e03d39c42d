/**
 * What the conformance sweep calls, in order, and what it never calls.
 *
 * - `SKIP`: operations never called, each with the reason (server-wide or destructive changes,
 *   outgoing mail or requests, secrets or ids only a third party has).
 * - `SETUP`: creates the sweep's own objects (a team, channels, users, a bot, posts, a file, an
 *   emoji, hooks, a command, ...) and changes them. Writes only ever touch these objects (or the
 *   sweep's own users' settings); the seeded fixtures are only read.
 * - Every GET not named in a step is called once as the admin, its path parameters filled from
 *   `AUTO_PATH` and its required query parameters from `AUTO_QUERY` (see sweep.ts).
 * - `TEARDOWN`: deletes (archives, deactivates) what SETUP created.
 *
 * A step whose input is missing (an earlier step failed) is reported as not swept, with the reason.
 */

/** Who calls: the seeded admin (personal access token), user (session) or bot (token), or the sweep's own users. */
export type Identity = "admin" | "user" | "bot" | "own" | "own2";

/** Raised by `Context.get` when a step needs an id that an earlier step did not produce. */
export class Missing extends Error {
  constructor(readonly what: string) {
    super(`needs ${what}, which an earlier step did not produce`);
    this.name = "Missing";
  }
}

/** The ids a run collects: seeded ones first, then what the steps create. */
export class Context {
  private readonly values = new Map<string, string>();
  readonly tag: string;
  /** A password for the sweep's own users (never printed). */
  readonly password: string;

  constructor(tag: string, password: string) {
    this.tag = tag;
    this.password = password;
  }

  get(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new Missing(name);
    return value;
  }

  set(name: string, value: unknown): void {
    if (typeof value === "string" && value !== "") this.values.set(name, value);
    else if (typeof value === "number") this.values.set(name, String(value));
  }
}

export interface Step {
  /** The operation's function name (camelCase), as in `operations.ts`. */
  readonly op: string;
  /** Default: admin. */
  readonly as?: Identity;
  /** The call's args (path, query and header parameters by name, `body`). */
  readonly args?: (c: Context) => object;
  /** Keeps ids from a successful result. */
  readonly keep?: (data: unknown, c: Context) => void;
}

/** `data.key` when data is an object and the value a string or number. */
export function field(data: unknown, ...keys: (string | number)[]): unknown {
  let node = data;
  for (const key of keys) node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

const PNG = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR42mOQm/CfJMQwqmFUw/DVAAAwgK0QR5s3qQAAAABJRU5ErkJggg==";
/** A 16×16 PNG, for uploads, the emoji, the profile image and the team icon. */
export const png = (name = "conformance.png"): File => new File([Buffer.from(PNG, "base64")], name, { type: "image/png" });
/** Bot icons must be SVG. */
export const svg = (): File =>
  new File(
    ['<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#1e90ff"/></svg>'],
    "icon.svg",
    { type: "image/svg+xml" },
  );

const hour = 3_600_000;
/** The recent custom status that setting `{ emoji, text }` leaves behind (no duration, no expiry). */
const recentStatus = { emoji: "calendar", text: "conformance", duration: "", expires_at: "0001-01-01T00:00:00Z" };

/**
 * Operations whose refusal here comes from a server setting that the error id does not name;
 * reported as unavailable with this reason.
 */
export const SETTING_GATED: Readonly<Record<string, string>> = {
  // With ServiceSettings.EnableOAuthServiceProvider off (the default), even admins lack manage_oauth.
  createOAuthApp: "the OAuth service provider is off (ServiceSettings.EnableOAuthServiceProvider)",
  getOAuthApps: "the OAuth service provider is off (ServiceSettings.EnableOAuthServiceProvider)",
  // Answers a bare 404 unless guest magic links are on and licensed.
  getLoginType: "guest magic links are off (GuestAccountsSettings.EnableGuestMagicLink, licensed guest accounts)",
  // Refused while the server is open to sign-ups, as the e2e server is.
  getUsersWithInvalidEmails: "the server is open (TeamSettings.EnableOpenServer)",
};

/** Reads that answer 404 on a fresh server because there is nothing to read; reported as such. */
export const NOTHING_TO_READ: Readonly<Record<string, string>> = {
  getBrandImage: "no brand image was uploaded (uploading one changes the server for everyone)",
  getTermsOfService: "no terms of service exist (creating them changes the server for everyone)",
  getUserTermsOfService: "no terms of service exist to accept",
};

/**
 * Never called. Grouped by why; each group's reason is shown in the report.
 */
export const SKIP: Readonly<Record<string, string>> = (() => {
  const groups: [string, string[]][] = [
    [
      "changes the server's configuration or state for everyone",
      [
        "updateConfig",
        "patchConfig",
        "reloadConfig",
        "updateCFConfig",
        "restartServer",
        "databaseRecycle",
        "invalidateCaches",
        "setServerBusy",
        "clearServerBusy",
        "completeOnboarding",
        "uploadBrandImage",
        "deleteBrandImage",
        "applyIPFilters",
        "createTermsOfService",
        "markNoticesViewed",
        "updateMarketplaceVisitedByAdmin",
        "patchRole",
        "purgeBleveIndexes",
        "purgeElasticsearchIndexes",
        "updateAccessControlPoliciesActive",
        "updateAccessControlPolicyActiveStatus",
        "createJob",
        "cancelJob",
        "updateJobStatus",
        "startBatchUsersExport",
        "patchChannelModerations",
        "updateTeamScheme",
        "updateChannelScheme",
        "postLog",
        "submitPerformanceReport",
        "invalidateEmailInvites",
        "checkIntegrity",
      ],
    ],
    [
      "licenses, plugins and upgrades: installs, removes or swaps server software",
      [
        "uploadLicenseFile",
        "removeLicenseFile",
        "requestTrialLicense",
        "upgradeToEnterprise",
        "installPluginFromUrl",
        "installMarketplacePlugin",
        "uploadPlugin",
        "removePlugin",
        "enablePlugin",
        "disablePlugin",
        "requestLicenseRenewalLink",
      ],
    ],
    [
      "signs out or deletes users the sweep did not create",
      [
        "revokeSessionsFromAllUsers",
        "permanentDeleteAllUsers",
        "migrateAuthToLdap",
        "migrateAuthToSaml",
        "migrateIdLdap",
        "resetSamlAuthDataToEmail",
        "syncLdap",
      ],
    ],
    [
      "replaces the server's certificates",
      [
        "addAuditLogCertificate",
        "removeAuditLogCertificate",
        "uploadLdapPrivateCertificate",
        "uploadLdapPublicCertificate",
        "deleteLdapPrivateCertificate",
        "deleteLdapPublicCertificate",
        "uploadSamlIdpCertificate",
        "uploadSamlPrivateCertificate",
        "uploadSamlPublicCertificate",
        "deleteSamlIdpCertificate",
        "deleteSamlPrivateCertificate",
        "deleteSamlPublicCertificate",
      ],
    ],
    [
      "sends mail or requests to other hosts",
      [
        "testEmail",
        "testSiteURL",
        "testS3Connection",
        "testElasticsearch",
        "testLdap",
        "testLdapConnection",
        "testLdapDiagnostics",
        "testNotification",
        "sendPasswordResetEmail",
        "sendVerificationEmail",
        "inviteUsersToTeam",
        "inviteGuestsToTeam",
        "getRedirectLocation",
        "getImageByUrl",
        "getSamlMetadataFromIdp",
        "validateOutgoingOAuthConnection",
        "rewriteMessage",
      ],
    ],
    [
      "needs a secret, a token or an id that only a third party (identity provider, billing, mail, a remote server) hands out",
      [
        "resetPassword",
        "verifyUserEmail",
        "addTeamMemberFromInvite",
        "loginByCwsToken",
        "loginWithDesktopToken",
        "loginSSOCodeExchange",
        "loginIntune",
        "switchAccountType",
        "postEndpointForCwsWebhooks",
        "createCustomerPayment",
        "confirmCustomerPayment",
        "acceptRemoteClusterInvite",
        "doPostAction",
        "openInteractiveDialog",
        "submitInteractiveDialog",
        "lookupInteractiveDialog",
        "getFilePublic",
        "updateUserMfa",
        "acknowledgeNotification",
        "updateUserAuth",
        "registerTermsOfServiceAction",
        "registerOAuthClient",
        "getInvoiceForSubscriptionAsPdf",
        "updateCloudCustomer",
        "updateCloudCustomerAddress",
      ],
    ],
    [
      "needs an object the open-source server cannot create without a license (LDAP groups, schemes, policies, remote clusters)",
      [
        "linkLdapGroup",
        "unlinkLdapGroup",
        "addUserToGroupSyncables",
        "createScheme",
        "patchScheme",
        "deleteScheme",
        "createDataRetentionPolicy",
        "patchDataRetentionPolicy",
        "deleteDataRetentionPolicy",
        "addChannelsToRetentionPolicy",
        "addTeamsToRetentionPolicy",
        "removeChannelsFromRetentionPolicy",
        "removeTeamsFromRetentionPolicy",
        "searchChannelsForRetentionPolicy",
        "searchTeamsForRetentionPolicy",
        "createAccessControlPolicy",
        "deleteAccessControlPolicy",
        "assignAccessControlPolicyToChannels",
        "unassignAccessControlPolicyFromChannels",
        "searchChannelsForAccessControlPolicy",
        "createRemoteCluster",
        "patchRemoteCluster",
        "deleteRemoteCluster",
        "generateRemoteClusterInvite",
        "inviteRemoteClusterToChannel",
        "uninviteRemoteClusterToChannel",
        "createGroup",
        "patchGroup",
        "deleteGroup",
        "restoreGroup",
        "addGroupMembers",
        "deleteGroupMembers",
        "linkGroupSyncableForChannel",
        "linkGroupSyncableForTeam",
        "unlinkGroupSyncableForChannel",
        "unlinkGroupSyncableForTeam",
        "patchGroupSyncableForChannel",
        "patchGroupSyncableForTeam",
        "createComplianceReport",
        "createOutgoingOAuthConnection",
        "updateOutgoingOAuthConnection",
        "deleteOutgoingOAuthConnection",
        "keepCFPost",
        "removeCFPost",
        "postCFPostFlag",
        "postCFPostReviewer",
        "createCPAField",
        "patchCPAField",
        "deleteCPAField",
        "patchCPAValues",
        "patchCPAValuesForUser",
      ],
    ],
    [
      "needs an export, import, job, compliance report or recap that does not exist on a fresh server",
      [
        "downloadExport",
        "deleteExport",
        "deleteImport",
        "downloadJob",
        "downloadComplianceReport",
        "importTeam",
        "restorePostVersion",
        "moveThread",
        "burnPost",
        "revealPost",
      ],
    ],
  ];
  const skip: Record<string, string> = {};
  for (const [reason, names] of groups) for (const name of names) skip[name] = reason;
  return skip;
})();

/** Path parameters of the automatic GETs: parameter name → context key. */
export const AUTO_PATH: Readonly<Record<string, string>> = {
  user_id: "admin",
  other_user_id: "user",
  team_id: "team",
  teamId: "team",
  team_name: "teamName",
  name: "teamName",
  channel_id: "channel",
  channel_name: "channelName",
  post_id: "post",
  thread_id: "post",
  file_id: "file",
  bot_user_id: "bot",
  emoji_id: "emoji",
  emoji_name: "emojiName",
  hook_id: "hook",
  command_id: "command",
  upload_id: "upload",
  token_id: "tokenId",
  invite_id: "inviteId",
  role_id: "roleId",
  role_name: "roleName",
  username: "adminUsername",
  email: "adminEmail",
  app_id: "oauthApp",
  type: "jobType",
};

/** Required query parameters of the automatic GETs: parameter name → value (or context key, `$key`). */
export const AUTO_QUERY: Readonly<Record<string, string>> = {
  name: "e2e",
  format: "old",
  client: "web",
  clientVersion: "11.4.0",
  exclude_team: "$ownTeam",
  user_input: "/",
  term: "e2e",
  limit: "10",
  team_id: "$team",
  target_type: "user",
  // No group exists without a license; an id that names none still gets the license check's answer.
  group_ids: "nogroup0000000000000000000",
};

const id = (data: unknown): unknown => field(data, "id");

/** Creates the sweep's objects and works on them. Runs before the automatic GETs. */
export const SETUP: readonly Step[] = [
  // Teams and channels of our own.
  {
    op: "createTeam",
    args: (c) => ({ body: { name: `conf-${c.tag}`, display_name: "Conformance", type: "O" } }),
    keep: (data, c) => {
      c.set("ownTeam", id(data));
      c.set("ownTeamName", field(data, "name"));
      c.set("inviteId", field(data, "invite_id"));
    },
  },
  {
    op: "createTeam",
    args: (c) => ({ body: { name: `conf2-${c.tag}`, display_name: "Conformance 2", type: "I" } }),
    keep: (data, c) => c.set("ownTeam2", id(data)),
  },
  {
    op: "createChannel",
    args: (c) => ({ body: { team_id: c.get("ownTeam"), name: `conf-${c.tag}`, display_name: "Conformance", type: "O", purpose: "sweep" } }),
    keep: (data, c) => {
      c.set("ownChannel", id(data));
      c.set("ownChannelName", field(data, "name"));
    },
  },
  {
    op: "createChannel",
    args: (c) => ({ body: { team_id: c.get("ownTeam"), name: `conf-move-${c.tag}`, display_name: "Conformance move", type: "P" } }),
    keep: (data, c) => c.set("moveChannel", id(data)),
  },
  // Users of our own, signed in with passwords.
  {
    op: "createUser",
    args: (c) => ({
      body: {
        username: `conf-${c.tag}`,
        email: `conf-${c.tag}@example.com`,
        password: c.password,
        first_name: "Conf",
        last_name: "Ormance",
      },
    }),
    keep: (data, c) => {
      c.set("ownUser", id(data));
      c.set("ownUsername", field(data, "username"));
    },
  },
  {
    op: "createUser",
    args: (c) => ({ body: { username: `conf2-${c.tag}`, email: `conf2-${c.tag}@example.com`, password: c.password } }),
    keep: (data, c) => c.set("ownUser2", id(data)),
  },
  { op: "login", as: "own", args: (c) => ({ body: { login_id: c.get("ownUsername"), password: c.password } }) },
  { op: "login", as: "own2", args: (c) => ({ body: { login_id: `conf2-${c.tag}`, password: c.password } }) },
  { op: "addTeamMember", args: (c) => ({ team_id: c.get("ownTeam"), body: { team_id: c.get("ownTeam"), user_id: c.get("ownUser") } }) },
  {
    op: "addTeamMembers",
    args: (c) => ({
      team_id: c.get("ownTeam"),
      body: [
        { team_id: c.get("ownTeam"), user_id: c.get("ownUser2") },
        { team_id: c.get("ownTeam"), user_id: c.get("user") },
      ],
    }),
  },
  { op: "addChannelMember", args: (c) => ({ channel_id: c.get("ownChannel"), body: { user_id: c.get("ownUser") } }) },
  {
    op: "createBot",
    args: (c) => ({ body: { username: `conf-bot-${c.tag}`, display_name: "Conformance bot" } }),
    keep: (data, c) => c.set("ownBot", field(data, "user_id")),
  },
  // Posts, a thread, a file, a reaction.
  {
    op: "createPost",
    args: (c) => ({
      body: {
        channel_id: c.get("ownChannel"),
        message: `conformance ${c.tag}`,
        props: { attachments: [{ text: "attached", fields: [{ title: "a", value: "b", short: true }] }] },
      },
    }),
    keep: (data, c) => c.set("post", id(data)),
  },
  {
    op: "createPost",
    as: "own",
    args: (c) => ({ body: { channel_id: c.get("ownChannel"), root_id: c.get("post"), message: `reply @conf-${c.tag}` } }),
    keep: (data, c) => c.set("reply", id(data)),
  },
  {
    op: "uploadFile",
    args: (c) => ({ body: { channel_id: c.get("ownChannel"), files: png() } }),
    keep: (data, c) => c.set("file", field(data, "file_infos", 0, "id")),
  },
  {
    op: "createPost",
    args: (c) => ({ body: { channel_id: c.get("ownChannel"), message: "with a file", file_ids: [c.get("file")] } }),
    keep: (data, c) => c.set("filePost", id(data)),
  },
  { op: "saveReaction", as: "own", args: (c) => ({ body: { user_id: c.get("ownUser"), post_id: c.get("post"), emoji_name: "smile" } }) },
  // The empty cases (docs/nulls.md): Go sends a nil slice as null, so a post with no reactions
  // answers null, and an attachment given no fields comes back with `fields: null`.
  {
    op: "createPost",
    args: (c) => ({
      body: { channel_id: c.get("ownChannel"), message: `conformance ${c.tag} bare`, props: { attachments: [{ text: "no fields" }] } },
    }),
    keep: (data, c) => c.set("barePost", id(data)),
  },
  { op: "getReactions", args: (c) => ({ post_id: c.get("post") }) },
  { op: "getReactions", args: (c) => ({ post_id: c.get("barePost") }) },
  { op: "getPost", args: (c) => ({ post_id: c.get("post") }) },
  { op: "getPost", args: (c) => ({ post_id: c.get("barePost") }) },
  { op: "getFileInfosForPost", args: (c) => ({ post_id: c.get("barePost") }) },
  { op: "searchPosts", args: (c) => ({ team_id: c.get("ownTeam"), body: { terms: `nothing${c.tag}matches`, is_or_search: false } }) },
  {
    op: "createPostEphemeral",
    args: (c) => ({ body: { user_id: c.get("ownUser"), post: { channel_id: c.get("ownChannel"), message: "only you" } } }),
  },
  { op: "executeCommand", args: (c) => ({ body: { channel_id: c.get("ownChannel"), command: "/shrug conformance" } }) },
  // Emoji, hooks, a slash command, an upload session, a bookmark, a scheduled post.
  {
    op: "createEmoji",
    args: (c) => ({ body: { image: png("emoji.png"), emoji: JSON.stringify({ name: `conf_${c.tag}`, creator_id: c.get("admin") }) } }),
    keep: (data, c) => {
      c.set("emoji", id(data));
      c.set("emojiName", field(data, "name"));
    },
  },
  {
    op: "createIncomingWebhook",
    args: (c) => ({ body: { channel_id: c.get("ownChannel"), display_name: "Conformance in" } }),
    keep: (data, c) => c.set("hook", id(data)),
  },
  {
    op: "createOutgoingWebhook",
    args: (c) => ({
      body: {
        team_id: c.get("ownTeam"),
        channel_id: c.get("ownChannel"),
        display_name: "Conformance out",
        trigger_words: ["conformance"],
        callback_urls: ["http://127.0.0.1:9/"],
      },
    }),
    keep: (data, c) => c.set("outHook", id(data)),
  },
  {
    op: "createCommand",
    args: (c) => ({ body: { team_id: c.get("ownTeam"), method: "P", trigger: `conf${c.tag}`, url: "http://127.0.0.1:9/" } }),
    keep: (data, c) => c.set("command", id(data)),
  },
  {
    op: "createUpload",
    args: (c) => ({ body: { channel_id: c.get("ownChannel"), filename: "upload.png", file_size: Buffer.from(PNG, "base64").length } }),
    keep: (data, c) => c.set("upload", id(data)),
  },
  { op: "getUpload", args: (c) => ({ upload_id: c.get("upload") }) },
  { op: "uploadData", args: (c) => ({ upload_id: c.get("upload"), body: png("upload.png") }) },
  {
    op: "createChannelBookmark",
    args: (c) => ({ channel_id: c.get("ownChannel"), body: { display_name: "Example", type: "link", link_url: "https://example.com/" } }),
    keep: (data, c) => c.set("bookmark", id(data)),
  },
  {
    op: "createScheduledPost",
    args: (c) => ({ body: { channel_id: c.get("ownChannel"), message: "later", scheduled_at: Date.now() + 24 * hour } }),
    keep: (data, c) => c.set("scheduledPost", id(data)),
  },
  // Direct and group messages.
  { op: "createDirectChannel", args: (c) => ({ body: [c.get("admin"), c.get("ownUser")] }), keep: (data, c) => c.set("dm", id(data)) },
  {
    op: "createGroupChannel",
    args: (c) => ({ body: [c.get("admin"), c.get("ownUser"), c.get("ownUser2")] }),
    keep: (data, c) => c.set("gm", id(data)),
  },
  // Tokens and preferences of our own user.
  {
    op: "createUserAccessToken",
    args: (c) => ({ user_id: c.get("ownUser"), body: { description: "conformance" } }),
    keep: (data, c) => c.set("tokenId", id(data)),
  },
  {
    op: "updatePreferences",
    as: "own",
    args: (c) => ({
      user_id: c.get("ownUser"),
      body: [
        { user_id: c.get("ownUser"), category: "conformance", name: "sample", value: "1" },
        { user_id: c.get("ownUser"), category: "flagged_post", name: c.get("post"), value: "true" },
      ],
    }),
  },
  {
    op: "createSidebarCategoryForTeamForUser",
    as: "own",
    args: (c) => ({
      user_id: c.get("ownUser"),
      team_id: c.get("ownTeam"),
      body: { user_id: c.get("ownUser"), team_id: c.get("ownTeam"), display_name: "Conformance", type: "custom" },
    }),
    keep: (data, c) => c.set("category", id(data)),
  },
  {
    op: "createOAuthApp",
    args: () => ({
      body: { name: "Conformance", description: "sweep", callback_urls: ["http://127.0.0.1:9/callback"], homepage: "http://127.0.0.1:9/" },
    }),
    keep: (data, c) => c.set("oauthApp", id(data)),
  },
  // Newer routes (views, recaps, properties): on a server that has them they work on our own channel.
  {
    op: "createChannelView",
    args: (c) => ({ channel_id: c.get("ownChannel"), body: { title: "Conformance", type: "kanban" } }),
    keep: (data, c) => c.set("view", id(data)),
  },
  {
    op: "createRecap",
    args: (c) => ({ body: { title: "Conformance", channel_ids: [c.get("ownChannel")] } }),
    keep: (data, c) => c.set("recap", id(data)),
  },
  {
    op: "createPropertyField",
    args: (c) => ({
      group_name: "conformance",
      object_type: "post",
      body: { name: `conf_${c.tag}`, type: "text", target_type: "channel", target_id: c.get("ownChannel") },
    }),
    keep: (data, c) => c.set("propertyField", id(data)),
  },
  { op: "getRoleByName", args: () => ({ role_name: "system_user" }), keep: (data, c) => c.set("roleId", id(data)) },

  // Changes to our own objects.
  { op: "patchPost", args: (c) => ({ post_id: c.get("post"), body: { message: `conformance ${c.tag} (edited)` } }) },
  { op: "updatePost", args: (c) => ({ post_id: c.get("post"), body: { id: c.get("post"), message: `conformance ${c.tag} (updated)` } }) },
  { op: "pinPost", args: (c) => ({ post_id: c.get("post") }) },
  { op: "getPinnedPosts", args: (c) => ({ channel_id: c.get("ownChannel") }) },
  { op: "unpinPost", args: (c) => ({ post_id: c.get("post") }) },
  { op: "getPostEditHistory", args: (c) => ({ post_id: c.get("post") }) },
  { op: "getPostInfo", args: (c) => ({ post_id: c.get("post") }) },
  { op: "upsertDraft", as: "own", args: (c) => ({ body: { channel_id: c.get("ownChannel"), message: `conformance ${c.tag} draft` } }) },
  {
    op: "upsertDraft",
    as: "own",
    args: (c) => ({ body: { channel_id: c.get("ownChannel"), root_id: c.get("post"), message: `conformance ${c.tag} thread draft` } }),
  },
  { op: "getDrafts", as: "own", args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam") }) },
  {
    op: "notifyAdmin",
    as: "own",
    args: () => ({
      body: { required_feature: "mattermost.feature.guest_accounts", required_plan: "professional", trial_notification: false },
    }),
  },
  { op: "getPostsByIds", args: (c) => ({ body: [c.get("post"), c.get("reply")] }) },
  { op: "getBulkReactions", args: (c) => ({ body: [c.get("post"), c.get("barePost")] }) },
  { op: "getFileInfosForPost", args: (c) => ({ post_id: c.get("filePost") }) },
  { op: "getPostsForChannel", args: (c) => ({ channel_id: c.get("ownChannel") }) },
  { op: "setPostUnread", as: "own", args: (c) => ({ user_id: c.get("ownUser"), post_id: c.get("post") }) },
  { op: "getPostsAroundLastUnread", as: "own", args: (c) => ({ user_id: c.get("ownUser"), channel_id: c.get("ownChannel") }) },
  { op: "getChannelUnread", as: "own", args: (c) => ({ user_id: c.get("ownUser"), channel_id: c.get("ownChannel") }) },
  { op: "getTeamUnread", as: "own", args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam") }) },
  {
    op: "setPostReminder",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), post_id: c.get("post"), body: { target_time: Math.floor((Date.now() + hour) / 1000) } }),
  },
  { op: "saveAcknowledgementForPost", as: "own", args: (c) => ({ user_id: c.get("ownUser"), post_id: c.get("post") }) },
  { op: "deleteAcknowledgementForPost", as: "own", args: (c) => ({ user_id: c.get("ownUser"), post_id: c.get("post") }) },
  { op: "getFlaggedPostsForUser", as: "own", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "searchPosts", args: (c) => ({ team_id: c.get("ownTeam"), body: { terms: "conformance", is_or_search: false } }) },
  { op: "searchFiles", args: (c) => ({ team_id: c.get("ownTeam"), body: { terms: "conformance", is_or_search: false } }) },
  { op: "searchFiles2", args: () => ({ body: { terms: "conformance", is_or_search: false } }) },
  { op: "getPostsForReporting", args: (c) => ({ body: { channel_id: c.get("ownChannel") } }) },
  // Threads, as our user.
  { op: "getUserThreads", as: "own", args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam") }) },
  { op: "getUserThread", as: "own", args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam"), thread_id: c.get("post") }) },
  {
    op: "stopFollowingThread",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam"), thread_id: c.get("post") }),
  },
  {
    op: "startFollowingThread",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam"), thread_id: c.get("post") }),
  },
  {
    op: "updateThreadReadForUser",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam"), thread_id: c.get("post"), timestamp: Date.now() }),
  },
  {
    op: "setThreadUnreadByPostId",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam"), thread_id: c.get("post"), post_id: c.get("reply") }),
  },
  { op: "updateThreadsReadForUser", as: "own", args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam") }) },
  { op: "getThreadMentionCountsByChannel", as: "own", args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam") }) },
  // Channels.
  { op: "patchChannel", args: (c) => ({ channel_id: c.get("ownChannel"), body: { header: "patched" } }) },
  {
    op: "updateChannel",
    args: (c) => ({ channel_id: c.get("ownChannel"), body: { id: c.get("ownChannel"), display_name: "Conformance", purpose: "updated" } }),
  },
  { op: "updateChannelPrivacy", args: (c) => ({ channel_id: c.get("moveChannel"), body: { privacy: "O" } }) },
  { op: "getChannelMember", args: (c) => ({ channel_id: c.get("ownChannel"), user_id: c.get("ownUser") }) },
  { op: "getChannelMembers", args: (c) => ({ channel_id: c.get("ownChannel") }) },
  { op: "getChannelMembersByIds", args: (c) => ({ channel_id: c.get("ownChannel"), body: [c.get("admin"), c.get("ownUser")] }) },
  {
    op: "updateChannelNotifyProps",
    as: "own",
    args: (c) => ({ channel_id: c.get("ownChannel"), user_id: c.get("ownUser"), body: { desktop: "all", mark_unread: "all" } }),
  },
  {
    op: "updateChannelRoles",
    args: (c) => ({ channel_id: c.get("ownChannel"), user_id: c.get("ownUser"), body: { roles: "channel_user channel_admin" } }),
  },
  {
    op: "updateChannelMemberSchemeRoles",
    args: (c) => ({ channel_id: c.get("ownChannel"), user_id: c.get("ownUser"), body: { scheme_admin: false, scheme_user: true } }),
  },
  {
    op: "updateChannelMemberAutotranslation",
    as: "own",
    args: (c) => ({ channel_id: c.get("ownChannel"), user_id: c.get("ownUser"), body: { autotranslation: false } }),
  },
  { op: "viewChannel", as: "own", args: (c) => ({ user_id: c.get("ownUser"), body: { channel_id: c.get("ownChannel") } }) },
  { op: "readMultipleChannels", as: "own", args: (c) => ({ user_id: c.get("ownUser"), body: [c.get("ownChannel")] }) },
  { op: "getChannelsMemberCount", args: (c) => ({ body: [c.get("ownChannel")] }) },
  { op: "publishUserTyping", as: "own", args: (c) => ({ user_id: c.get("ownUser"), body: { channel_id: c.get("ownChannel") } }) },
  { op: "getPublicChannelsByIdsForTeam", args: (c) => ({ team_id: c.get("ownTeam"), body: [c.get("ownChannel")] }) },
  { op: "searchChannels", args: (c) => ({ team_id: c.get("ownTeam"), body: { term: "conf" } }) },
  { op: "searchAllChannels", args: () => ({ body: { term: "conf" } }) },
  { op: "searchAllChannels", args: () => ({ body: { term: "conf", page: 0, per_page: 10 } }) },
  { op: "searchGroupChannels", args: (c) => ({ body: { term: c.get("ownUsername") } }) },
  { op: "getUsersByGroupChannelIds", args: (c) => ({ body: [c.get("gm")] }) },
  { op: "getGroupMessageMembersCommonTeams", args: (c) => ({ channel_id: c.get("gm") }) },
  {
    op: "convertGroupMessageToChannel",
    args: (c) => ({
      channel_id: c.get("gm"),
      body: { channel_id: c.get("gm"), team_id: c.get("ownTeam"), name: `conf-gm-${c.tag}`, display_name: `Conformance GM ${c.tag}` },
    }),
  },
  { op: "autocompleteChannelsForTeam", args: (c) => ({ team_id: c.get("ownTeam"), name: "conf" }) },
  { op: "autocompleteChannelsForTeamForSearch", args: (c) => ({ team_id: c.get("ownTeam"), name: "conf" }) },
  { op: "moveChannel", args: (c) => ({ channel_id: c.get("moveChannel"), body: { team_id: c.get("ownTeam2"), force: true } }) },
  { op: "listChannelBookmarksForChannel", args: (c) => ({ channel_id: c.get("ownChannel") }) },
  {
    op: "updateChannelBookmark",
    args: (c) => ({ channel_id: c.get("ownChannel"), bookmark_id: c.get("bookmark"), body: { display_name: "Example (edited)" } }),
  },
  { op: "updateChannelBookmarkSortOrder", args: (c) => ({ channel_id: c.get("ownChannel"), bookmark_id: c.get("bookmark"), body: 0 }) },
  // Teams.
  { op: "patchTeam", args: (c) => ({ team_id: c.get("ownTeam"), body: { description: "patched" } }) },
  {
    op: "updateTeam",
    args: (c) => ({
      team_id: c.get("ownTeam"),
      body: {
        id: c.get("ownTeam"),
        display_name: "Conformance",
        description: "updated",
        company_name: "",
        allowed_domains: "",
        invite_id: c.get("inviteId"),
        allow_open_invite: true,
      },
    }),
  },
  { op: "updateTeamPrivacy", args: (c) => ({ team_id: c.get("ownTeam2"), body: { privacy: "O" } }) },
  {
    op: "regenerateTeamInviteId",
    args: (c) => ({ team_id: c.get("ownTeam") }),
    keep: (data, c) => c.set("inviteId", field(data, "invite_id")),
  },
  { op: "getTeamMember", args: (c) => ({ team_id: c.get("ownTeam"), user_id: c.get("ownUser") }) },
  { op: "getTeamMembers", args: (c) => ({ team_id: c.get("ownTeam") }) },
  { op: "getTeamMembersByIds", args: (c) => ({ team_id: c.get("ownTeam"), body: [c.get("admin"), c.get("ownUser")] }) },
  {
    op: "updateTeamMemberRoles",
    args: (c) => ({ team_id: c.get("ownTeam"), user_id: c.get("ownUser"), body: { roles: "team_user team_admin" } }),
  },
  {
    op: "updateTeamMemberSchemeRoles",
    args: (c) => ({ team_id: c.get("ownTeam"), user_id: c.get("ownUser"), body: { scheme_admin: false, scheme_user: true } }),
  },
  { op: "setTeamIcon", args: (c) => ({ team_id: c.get("ownTeam"), body: { image: png("icon.png") } }) },
  { op: "getTeamIcon", args: (c) => ({ team_id: c.get("ownTeam") }) },
  { op: "removeTeamIcon", args: (c) => ({ team_id: c.get("ownTeam") }) },
  { op: "searchTeams", args: () => ({ body: { term: "conf" } }) },
  { op: "searchTeams", args: () => ({ body: { term: "conf", page: 0, per_page: 10 } }) },
  { op: "teamExists", args: (c) => ({ name: c.get("ownTeamName") }) },
  { op: "getTeamsUnreadForUser", args: (c) => ({ user_id: c.get("admin"), exclude_team: c.get("ownTeam2") }) },
  { op: "listCommandAutocompleteSuggestions", args: (c) => ({ team_id: c.get("ownTeam"), user_input: "/" }) },
  // Sidebar categories of our user.
  { op: "getSidebarCategoriesForTeamForUser", as: "own", args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam") }) },
  {
    op: "getSidebarCategoryForTeamForUser",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam"), category_id: c.get("category") }),
  },
  {
    op: "getSidebarCategoryOrderForTeamForUser",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam") }),
    keep: (data, c) => c.set("categoryOrder", JSON.stringify(data)),
  },
  {
    op: "updateSidebarCategoryForTeamForUser",
    as: "own",
    args: (c) => ({
      user_id: c.get("ownUser"),
      team_id: c.get("ownTeam"),
      category_id: c.get("category"),
      body: {
        id: c.get("category"),
        user_id: c.get("ownUser"),
        team_id: c.get("ownTeam"),
        display_name: "Conformance (renamed)",
        type: "custom",
      },
    }),
  },
  {
    op: "updateSidebarCategoriesForTeamForUser",
    as: "own",
    args: (c) => ({
      user_id: c.get("ownUser"),
      team_id: c.get("ownTeam"),
      body: [
        {
          id: c.get("category"),
          user_id: c.get("ownUser"),
          team_id: c.get("ownTeam"),
          display_name: "Conformance",
          type: "custom",
          channel_ids: [],
        },
      ],
    }),
  },
  {
    op: "updateSidebarCategoryOrderForTeamForUser",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam"), body: JSON.parse(c.get("categoryOrder")) as unknown }),
  },
  // Users: our own.
  { op: "patchUser", args: (c) => ({ user_id: c.get("ownUser"), body: { nickname: "conf" } }) },
  {
    op: "updateUser",
    args: (c) => ({
      user_id: c.get("ownUser"),
      body: { id: c.get("ownUser"), email: `conf-${c.tag}@example.com`, username: c.get("ownUsername"), nickname: "conformance" },
    }),
  },
  { op: "updateUserRoles", args: (c) => ({ user_id: c.get("ownUser2"), body: { roles: "system_user" } }) },
  {
    op: "getSessions",
    args: (c) => ({ user_id: c.get("ownUser2") }),
    keep: (data, c) => c.set("session2", Array.isArray(data) ? field(data, 0, "id") : undefined),
  },
  { op: "revokeSession", args: (c) => ({ user_id: c.get("ownUser2"), body: { session_id: c.get("session2") } }) },
  { op: "updateUserActive", args: (c) => ({ user_id: c.get("ownUser2"), body: { active: false } }) },
  { op: "updateUserActive", args: (c) => ({ user_id: c.get("ownUser2"), body: { active: true } }) },
  { op: "updateUserStatus", as: "own", args: (c) => ({ user_id: c.get("ownUser"), body: { user_id: c.get("ownUser"), status: "away" } }) },
  { op: "getUsersStatusesByIds", args: (c) => ({ body: [c.get("admin"), c.get("ownUser")] }) },
  {
    op: "updateUserCustomStatus",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), body: { emoji: "calendar", text: "conformance" } }),
  },
  { op: "unsetUserCustomStatus", as: "own", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "removeRecentCustomStatus", as: "own", args: (c) => ({ user_id: c.get("ownUser"), body: recentStatus }) },
  {
    op: "updateUserCustomStatus",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), body: { emoji: "calendar", text: "conformance" } }),
  },
  { op: "unsetUserCustomStatus", as: "own", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "postUserRecentCustomStatusDelete", as: "own", args: (c) => ({ user_id: c.get("ownUser"), body: recentStatus }) },
  { op: "setProfileImage", args: (c) => ({ user_id: c.get("ownUser"), body: { image: png("me.png") } }) },
  { op: "getProfileImage", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "setDefaultProfileImage", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "getPreferences", as: "own", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "getPreferencesByCategory", as: "own", args: (c) => ({ user_id: c.get("ownUser"), category: "conformance" }) },
  {
    op: "getPreferencesByCategoryByName",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), category: "conformance", preference_name: "sample" }),
  },
  {
    op: "deletePreferences",
    as: "own",
    args: (c) => ({
      user_id: c.get("ownUser"),
      body: [{ user_id: c.get("ownUser"), category: "conformance", name: "sample", value: "1" }],
    }),
  },
  { op: "getUserAccessTokensForUser", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "disableUserAccessToken", args: (c) => ({ body: { token_id: c.get("tokenId") } }) },
  { op: "enableUserAccessToken", args: (c) => ({ body: { token_id: c.get("tokenId") } }) },
  { op: "searchUserAccessTokens", args: (c) => ({ body: { term: c.get("ownUsername") } }) },
  {
    op: "attachDeviceExtraProps",
    as: "own",
    args: () => ({ body: { device_id: "conformance-device", deviceNotificationDisabled: "false", mobileVersion: "2.0.0" } }),
  },
  { op: "checkUserMfa", args: (c) => ({ body: { login_id: c.get("ownUsername") } }) },
  { op: "getLoginType", args: (c) => ({ body: { login_id: c.get("ownUsername") } }) },
  { op: "generateMfaSecret", as: "own", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "verifyUserEmailWithoutToken", args: (c) => ({ user_id: c.get("ownUser2") }) },
  { op: "resetPasswordFailedAttempts", args: (c) => ({ user_id: c.get("ownUser2") }) },
  { op: "demoteUserToGuest", args: (c) => ({ user_id: c.get("ownUser2") }) },
  { op: "promoteGuestToUser", args: (c) => ({ user_id: c.get("ownUser2") }) },
  { op: "getUserStatus", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "getUsersByIds", args: (c) => ({ body: [c.get("admin"), c.get("user")] }) },
  { op: "getUsersByUsernames", args: (c) => ({ body: [c.get("adminUsername")] }) },
  { op: "searchUsers", args: () => ({ body: { term: "e2e" } }) },
  { op: "getKnownUsers", as: "own" },
  // Bots: our own.
  {
    op: "patchBot",
    args: (c) => ({ bot_user_id: c.get("ownBot"), body: { username: `conf-bot-${c.tag}`, display_name: "Conformance bot (patched)" } }),
  },
  { op: "disableBot", args: (c) => ({ bot_user_id: c.get("ownBot") }) },
  { op: "enableBot", args: (c) => ({ bot_user_id: c.get("ownBot") }) },
  { op: "assignBot", args: (c) => ({ bot_user_id: c.get("ownBot"), user_id: c.get("ownUser") }) },
  { op: "setBotIconImage", args: (c) => ({ bot_user_id: c.get("ownBot"), body: { image: svg() } }) },
  { op: "getBotIconImage", args: (c) => ({ bot_user_id: c.get("ownBot") }) },
  { op: "deleteBotIconImage", args: (c) => ({ bot_user_id: c.get("ownBot") }) },
  // Emoji, hooks, commands, scheduled posts.
  { op: "getEmojisByNames", args: (c) => ({ body: [c.get("emojiName")] }) },
  { op: "searchEmoji", args: () => ({ body: { term: "conf" } }) },
  { op: "autocompleteEmoji", args: () => ({ name: "conf" }) },
  { op: "getEmojiImage", args: (c) => ({ emoji_id: c.get("emoji") }) },
  {
    op: "updateIncomingWebhook",
    args: (c) => ({
      hook_id: c.get("hook"),
      body: { id: c.get("hook"), channel_id: c.get("ownChannel"), display_name: "Conformance in (edited)", description: "edited" },
    }),
  },
  { op: "getOutgoingWebhook", args: (c) => ({ hook_id: c.get("outHook") }) },
  { op: "getOutgoingWebhooks", args: (c) => ({ team_id: c.get("ownTeam") }) },
  {
    op: "updateOutgoingWebhook",
    args: (c) => ({
      hook_id: c.get("outHook"),
      body: { id: c.get("outHook"), channel_id: c.get("ownChannel"), display_name: "Conformance out (edited)", description: "edited" },
    }),
  },
  { op: "regenOutgoingHookToken", args: (c) => ({ hook_id: c.get("outHook") }) },
  { op: "getIncomingWebhooks", args: (c) => ({ team_id: c.get("ownTeam") }) },
  { op: "listCommands", args: (c) => ({ team_id: c.get("ownTeam"), custom_only: true }) },
  { op: "listAutocompleteCommands", args: (c) => ({ team_id: c.get("ownTeam") }) },
  {
    op: "updateCommand",
    args: (c) => ({
      command_id: c.get("command"),
      body: { id: c.get("command"), team_id: c.get("ownTeam"), method: "P", trigger: `conf${c.tag}`, url: "http://127.0.0.1:9/edited" },
    }),
  },
  { op: "regenCommandToken", args: (c) => ({ command_id: c.get("command") }) },
  { op: "moveCommand", args: (c) => ({ command_id: c.get("command"), body: { team_id: c.get("ownTeam2") } }) },
  { op: "getUserScheduledPosts", args: (c) => ({ team_id: c.get("ownTeam") }) },
  {
    op: "updateScheduledPost",
    args: (c) => ({
      scheduled_post_id: c.get("scheduledPost"),
      body: {
        id: c.get("scheduledPost"),
        channel_id: c.get("ownChannel"),
        user_id: c.get("admin"),
        message: "later (edited)",
        scheduled_at: Date.now() + 48 * hour,
      },
    }),
  },
  { op: "getOAuthApp", args: (c) => ({ app_id: c.get("oauthApp") }) },
  { op: "getOAuthAppInfo", args: (c) => ({ app_id: c.get("oauthApp") }) },
  {
    op: "updateOAuthApp",
    args: (c) => ({
      app_id: c.get("oauthApp"),
      body: {
        id: c.get("oauthApp"),
        name: "Conformance (edited)",
        description: "sweep",
        callback_urls: ["http://127.0.0.1:9/callback"],
        homepage: "http://127.0.0.1:9/",
      },
    }),
  },
  { op: "regenerateOAuthAppSecret", args: (c) => ({ app_id: c.get("oauthApp") }) },
  { op: "getChannelView", args: (c) => ({ channel_id: c.get("ownChannel"), view_id: c.get("view") }) },
  { op: "getPostsForView", args: (c) => ({ channel_id: c.get("ownChannel"), view_id: c.get("view") }) },
  {
    op: "updateChannelView",
    args: (c) => ({ channel_id: c.get("ownChannel"), view_id: c.get("view"), body: { title: "Conformance (edited)" } }),
  },
  { op: "updateChannelViewSortOrder", args: (c) => ({ channel_id: c.get("ownChannel"), view_id: c.get("view"), body: 0 }) },
  { op: "getRecap", args: (c) => ({ recap_id: c.get("recap") }) },
  { op: "markRecapAsRead", args: (c) => ({ recap_id: c.get("recap") }) },
  { op: "getPropertyFields", args: () => ({ group_name: "conformance", object_type: "post", target_type: "channel" }) },
  {
    op: "updatePropertyField",
    args: (c) => ({
      group_name: "conformance",
      object_type: "post",
      field_id: c.get("propertyField"),
      body: { name: `conf_${c.tag}_edited` },
    }),
  },
  { op: "getUploadsForUser", args: (c) => ({ user_id: c.get("admin") }) },
  // Reads that need a choice of values.
  { op: "getAnalyticsOld", args: () => ({ name: "standard" }) },
  { op: "getAnalyticsOld", args: (c) => ({ name: "post_counts_day", team_id: c.get("ownTeam") }) },
  { op: "getAncillaryPermissionsPost", args: () => ({ body: ["sysconsole_read_user_management_users"] }) },
  { op: "getRolesByNames", args: () => ({ body: ["system_user", "team_user", "channel_user"] }) },
  { op: "getNotices", args: (c) => ({ teamId: c.get("team"), client: "web", clientVersion: "11.4.0" }) },
  { op: "getUsers", args: (c) => ({ in_team: c.get("team"), per_page: 10 }) },
  { op: "getUsers", args: () => ({ page: 0, per_page: 5, sort: "create_at" }) },
  { op: "getClientConfig", args: () => ({ format: "old" }) },
  // Reads sent as POST (their answers need a license here, but the calls are harmless).
  { op: "getGroupsByNames", args: () => ({ body: ["conformance"] }) },
  { op: "searchAccessControlPolicies", args: () => ({ body: { term: "conformance" } }) },
  { op: "checkAccessControlPolicyExpression", args: () => ({ body: { expression: "true" } }) },
  { op: "getCELVisualAST", args: () => ({ body: { expression: "true" } }) },
  { op: "testAccessControlPolicyExpression", args: () => ({ body: { expression: "true" } }) },
  { op: "validateExpressionAgainstRequester", args: () => ({ body: { expression: "true" } }) },
];

/** Runs after the automatic GETs: deletes, archives and sign-outs, the end of every object SETUP made. */
export const TEARDOWN: readonly Step[] = [
  {
    op: "deleteThreadDraft",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), channel_id: c.get("ownChannel"), thread_id: c.get("post") }),
  },
  { op: "deleteDraft", as: "own", args: (c) => ({ user_id: c.get("ownUser"), channel_id: c.get("ownChannel") }) },
  { op: "deleteReaction", as: "own", args: (c) => ({ user_id: c.get("ownUser"), post_id: c.get("post"), emoji_name: "smile" }) },
  { op: "deleteChannelBookmark", args: (c) => ({ channel_id: c.get("ownChannel"), bookmark_id: c.get("bookmark") }) },
  { op: "deleteScheduledPost", args: (c) => ({ scheduled_post_id: c.get("scheduledPost") }) },
  {
    op: "removeSidebarCategoryForTeamForUser",
    as: "own",
    args: (c) => ({ user_id: c.get("ownUser"), team_id: c.get("ownTeam"), category_id: c.get("category") }),
  },
  { op: "deleteOAuthApp", args: (c) => ({ app_id: c.get("oauthApp") }) },
  { op: "deleteChannelView", args: (c) => ({ channel_id: c.get("ownChannel"), view_id: c.get("view") }) },
  { op: "deleteRecap", args: (c) => ({ recap_id: c.get("recap") }) },
  { op: "deletePropertyField", args: (c) => ({ group_name: "conformance", object_type: "post", field_id: c.get("propertyField") }) },
  { op: "deleteIncomingWebhook", args: (c) => ({ hook_id: c.get("hook") }) },
  { op: "deleteOutgoingWebhook", args: (c) => ({ hook_id: c.get("outHook") }) },
  { op: "deleteCommand", args: (c) => ({ command_id: c.get("command") }) },
  { op: "deleteEmoji", args: (c) => ({ emoji_id: c.get("emoji") }) },
  { op: "deletePost", args: (c) => ({ post_id: c.get("filePost") }) },
  { op: "deletePost", as: "own", args: (c) => ({ post_id: c.get("reply") }) },
  { op: "removeUserFromChannel", args: (c) => ({ channel_id: c.get("ownChannel"), user_id: c.get("ownUser") }) },
  { op: "removeTeamMember", args: (c) => ({ team_id: c.get("ownTeam"), user_id: c.get("user") }) },
  { op: "deleteChannel", args: (c) => ({ channel_id: c.get("moveChannel") }) },
  { op: "getDeletedChannelsForTeam", args: (c) => ({ team_id: c.get("ownTeam2") }) },
  { op: "restoreChannel", args: (c) => ({ channel_id: c.get("moveChannel") }) },
  { op: "deleteChannel", args: (c) => ({ channel_id: c.get("moveChannel") }) },
  { op: "softDeleteTeam", args: (c) => ({ team_id: c.get("ownTeam2") }) },
  { op: "restoreTeam", args: (c) => ({ team_id: c.get("ownTeam2") }) },
  { op: "softDeleteTeam", args: (c) => ({ team_id: c.get("ownTeam2") }) },
  { op: "revokeUserAccessToken", args: (c) => ({ body: { token_id: c.get("tokenId") } }) },
  { op: "logout", as: "own" },
  { op: "revokeAllSessions", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "updateUserPassword", args: (c) => ({ user_id: c.get("ownUser"), body: { new_password: `${c.password}x` } }) },
  { op: "convertUserToBot", args: (c) => ({ user_id: c.get("ownUser2") }) },
  {
    op: "convertBotToUser",
    args: (c) => ({ bot_user_id: c.get("ownBot"), body: { email: `conf-bot-${c.tag}@example.com`, password: c.password } }),
  },
  { op: "deleteUser", args: (c) => ({ user_id: c.get("ownUser") }) },
  { op: "deleteChannel", args: (c) => ({ channel_id: c.get("ownChannel") }) },
  { op: "softDeleteTeam", args: (c) => ({ team_id: c.get("ownTeam") }) },
];
