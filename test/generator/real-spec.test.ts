// The generator on the real upstream files in ../shared: every operation gets a function, every
// known defect is repaired with a warning that names both places, and output is deterministic.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generate, type GenerateResult } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";

const shared = join(packageRoot, "..", "shared", "mattermost-api");
const v11Bundle = join(shared, "v11.6.0", "mattermost-openapi-v4.yaml");
const v11Source = join(shared, "v11.6.0", "source");
const v2023Bundle = join(shared, "2023-06", "mattermost-openapi-v4.yaml");

function functionNames(result: GenerateResult): string[] {
  const names: string[] = [];
  for (const [file, text] of result.files) {
    if (!file.startsWith("endpoints/")) continue;
    for (const match of text.matchAll(/^export function (\w+)/gm)) names.push(match[1] ?? "");
  }
  return names.sort();
}

describe.skipIf(!existsSync(shared))("real Mattermost specs", () => {
  let bundle: GenerateResult;
  let fragments: GenerateResult;
  let old: GenerateResult;

  beforeAll(async () => {
    // Upstream only: no project overlays, so the counts are the spec's own.
    bundle = await generate({ spec: v11Bundle, overlays: false, catalog: false });
    fragments = await generate({ spec: v11Source, overlays: false, catalog: false });
    old = await generate({ spec: v2023Bundle, overlays: false, catalog: false });
  });

  it("gives every one of the 541 v11.6.0 operations a function", () => {
    expect(bundle.model.operations).toHaveLength(541);
    const names = functionNames(bundle);
    expect(names).toHaveLength(541);
    expect(new Set(names).size).toBe(541);
    expect(names).toContain("createPost");
    expect(names).toContain("getUser");
    expect(names).toContain("searchFiles2");
  });

  it("writes no comment that tsc would parse as JSDoc in a consumer's check, and gives every function its route", () => {
    // tsc parses the JSDoc of .ts / .d.ts files only in comments holding @see or @link (its regex,
    // case-insensitive); our own lines never hold one, and neither does upstream's prose.
    for (const result of [bundle, old]) {
      for (const [file, text] of result.files) expect(text.match(/@(?:see|link)/gi) ?? [], file).toEqual([]);
      const routes = [...result.files].flatMap(([, text]) => [...text.matchAll(/^ \* Route: `([A-Z]+) (\/[^`]*)`$/gm)]);
      expect(routes).toHaveLength(result.model.operations.length);
    }
    expect(bundle.files.get("endpoints/users.ts")).toMatch(
      / \* Route: `GET \/api\/v4\/users\/\{user_id\}`\n \*\/\nexport function getUser\(/,
    );
    expect(bundle.files.get("endpoints/users.ts")).toContain("/** Arguments of `getUser`. */\nexport interface GetUserArgs {");
  });

  it("gives every one of the 425 2023-06 operations a function", () => {
    expect(old.model.operations).toHaveLength(425);
    expect(functionNames(old)).toHaveLength(425);
  });

  it("merges the path defined twice and names both fragments and lines", () => {
    const warning = fragments.warnings.find((w) => w.kind === "duplicate-key");
    expect(warning?.message).toContain("/api/v4/sharedchannels/{channel_id}/remotes");
    expect(warning?.locations.map((l) => `${l.file.split("/").pop()}:${l.line}`)).toEqual([
      "channels.yaml:2550",
      "sharedchannels.yaml:236",
    ]);
    expect(warning?.action).toMatch(/^merged/);
    const bundled = bundle.warnings.find((w) => w.kind === "duplicate-key");
    expect(bundled?.locations.map((l) => l.line)).toEqual([8500, 18875]);
  });

  it("renames the second SearchFiles deterministically, with both locations", () => {
    const warning = fragments.warnings.find((w) => w.kind === "duplicate-operation-id");
    expect(warning?.message).toContain("SearchFiles");
    expect(warning?.locations.map((l) => `${l.file.split("/").pop()}:${l.line}`)).toEqual(["files.yaml:355", "files.yaml:430"]);
    expect(warning?.action).toContain("SearchFiles2");
    const renamed = bundle.model.operations.find((op) => op.operationId === "SearchFiles2");
    expect(renamed?.path).toBe("/api/v4/files/search");
  });

  it("renames the second SaveAcknowledgementForPost of 2023-06", () => {
    const warning = old.warnings.find((w) => w.kind === "duplicate-operation-id");
    expect(warning?.message).toContain("SaveAcknowledgementForPost");
    expect(warning?.locations).toHaveLength(2);
  });

  it("adds undeclared path parameters as strings and declares undeclared tags", () => {
    const params = bundle.warnings.filter((w) => w.kind === "undeclared-path-parameter");
    expect(params).toHaveLength(6);
    const op = bundle.model.operations.find((o) => o.path === "/api/v4/posts/scheduled/team/{team_id}");
    expect(op?.parameters.find((p) => p.name === "team_id")).toMatchObject({ in: "path", required: true, schema: { type: "string" } });
    const tags = bundle.warnings.filter((w) => w.kind === "undeclared-tag").map((w) => w.message);
    expect(tags.some((m) => m.includes('"threads"'))).toBe(true);
    for (const warning of [...params, ...bundle.warnings.filter((w) => w.kind === "undeclared-tag")]) {
      expect(warning.locations[0]?.line).toBeGreaterThan(0);
    }
  });

  it("reads the fragment folder and the bundle into the same API", () => {
    expect(functionNames(fragments)).toEqual(functionNames(bundle));
    const strip = (text: string | undefined): string => (text ?? "").replace(/^\/\*\*[\s\S]*?\*\/\n/, "");
    expect(strip(fragments.files.get("endpoints/posts.ts"))).toBe(strip(bundle.files.get("endpoints/posts.ts")));
  });

  it("is deterministic: the same input gives byte-identical files", async () => {
    const again = await generate({ spec: v11Bundle, overlays: false, catalog: false });
    expect([...again.files.keys()]).toEqual([...bundle.files.keys()]);
    for (const [name, text] of bundle.files) expect(again.files.get(name), name).toBe(text);
  });

  it("gives byte-identical files for the same output folder from any working directory (the project's overlays and catalog)", async () => {
    const out = join(packageRoot, "generated");
    const here = await generate({ spec: v11Bundle, cwd: packageRoot, out: "generated" });
    const elsewhere = await generate({ spec: v11Bundle, cwd: tmpdir(), out });
    expect(here.summary.overlayActions).toBeGreaterThan(0);
    expect(elsewhere.summary.inputsSha256).toBe(here.summary.inputsSha256);
    expect([...elsewhere.files.keys()]).toEqual([...here.files.keys()]);
    for (const [name, text] of here.files) expect(elsewhere.files.get(name), name).toBe(text);
    // The banner names the spec from the output folder's parent; messages keep the working directory's view.
    expect(here.files.get("index.ts")).toContain(" * Spec: ../shared/mattermost-api/v11.6.0/mattermost-openapi-v4.yaml (sha256 ");
    expect(elsewhere.summary.spec).not.toBe(here.summary.spec);
  });

  it("puts a banner with version, input and sha256 on every source file", () => {
    for (const [name, text] of bundle.files) {
      if (!name.endsWith(".ts")) continue;
      expect(text, name).toMatch(
        /^\/\*\*\n \* Generated by mattermost-typed \d+\.\d+\.\d+\. Do not edit this file\.\n \* Spec: .*mattermost-openapi-v4\.yaml \(sha256 [0-9a-f]{64}\)/,
      );
    }
  });

  it("types binary fields as Blob-compatible and empty objects as open records", () => {
    const types = bundle.files.get("types.ts") ?? "";
    // openapi-typescript's root aliases for absent sections (webhooks, $defs) aside, nothing is closed.
    const closed = types
      .split("\n")
      .filter((line) => line.includes("Record<string, never>") && !/^export type (webhooks|\$defs) =/.test(line));
    expect(closed).toEqual([]);
    expect(types).toMatch(/files\??: \(Blob \| Uint8Array\)\[\]|files\??: Blob \| Uint8Array/);
  });

  let overlaid: Promise<GenerateResult> | undefined;
  const generateWithOverlays = () => (overlaid ??= generate({ spec: v11Bundle, catalog: false }));
  type Schema = {
    type?: string;
    required?: string[];
    properties?: Record<string, Schema>;
    items?: Schema;
    allOf?: Schema[];
    $ref?: string;
  };
  /** Looks into the overlaid result: operations by function name, their signatures, the schemas. */
  const inspect = ({ model, document, files }: GenerateResult) => {
    const operation = (name: string) => model.operations.find((op) => op.name === name);
    const endpoints = [...files]
      .filter(([name]) => name.startsWith("endpoints/"))
      .map(([, text]) => text)
      .join("\n");
    const schemas = (document.components as { schemas: Record<string, Schema | undefined> }).schemas;
    const bodySchema = (name: string) => operation(name)?.body?.schema as Schema | undefined;
    return {
      operation,
      schemas,
      bodySchema,
      /** An operation's success answer in short: status, kind and schema name. */
      response: (name: string) => {
        const found = operation(name)?.response;
        return found && { status: found.status, kind: found.kind, schema: found.schemaName };
      },
      /** The return type of the generated function, on one line, without doc comments. */
      returns: (name: string) =>
        endpoints
          .match(new RegExp(`export function ${name}\\([^)]*\\): Promise<([^]*?)> \\{\\n`))?.[1]
          ?.replace(/\/\*\*.*?\*\/\s*/g, "")
          .replace(/\s+/g, " "),
      body: (name: string) => {
        const found = operation(name)?.body;
        return found && { required: found.required, keys: Object.keys(bodySchema(name)?.properties ?? {}).sort(), ref: found.schemaName };
      },
      query: (name: string) =>
        operation(name)
          ?.parameters.filter((parameter) => parameter.in === "query")
          .map((parameter) => `${parameter.name}${parameter.required ? "" : "?"}`)
          .sort(),
      keys: (name: string) => Object.keys(schemas[name]?.properties ?? {}).sort(),
      property: (name: string, key: string) => schemas[name]?.properties?.[key],
    };
  };

  it("applies the project's overlays to the pinned release", async () => {
    const withOverlays = await generateWithOverlays();
    expect(withOverlays.summary.overlayActions).toBeGreaterThan(0);
    expect(withOverlays.model.operations.find((op) => op.name === "getMe")?.path).toBe("/api/v4/users/me");
    // spec/overlays/45-handler-responses.yaml: answers upstream leaves undescribed, read from the server's handlers.
    const { response } = inspect(withOverlays);
    for (const name of ["getInvoiceForSubscriptionAsPdf", "downloadComplianceReport", "generateSupportPacket"]) {
      expect(response(name), name).toMatchObject({ status: 200, kind: "binary" });
    }
    expect(response("createGroup")).toEqual({ status: 201, kind: "json", schema: "Group" });
    for (const name of ["deleteRemoteCluster", "validateOutgoingOAuthConnection", "postEndpointForCwsWebhooks"]) {
      expect(response(name), name).toEqual({ status: 200, kind: "json", schema: "StatusOK" });
    }
    for (const name of ["getChannelMemberCountsByGroup", "getPrevTrialLicense"]) {
      expect(response(name), name).toMatchObject({ status: 200, kind: "json" });
    }
    // 23 operations had no documented success body. Left: three routes the pinned server does not
    // register (bot icon, mention counts by channel, payment confirm) and a login answered by a
    // redirect; plus three that the handler audit (46-audit-responses.yaml) found write no body at all.
    const undocumented = withOverlays.model.operations.filter((op) => op.response.kind === "none").map((op) => op.name);
    expect(undocumented.sort()).toEqual([
      "assignAccessControlPolicyToChannels",
      "confirmCustomerPayment",
      "deleteAccessControlPolicy",
      "getBotIconImage",
      "getThreadMentionCountsByChannel",
      "loginByCwsToken",
      "unassignAccessControlPolicyFromChannels",
    ]);
  });

  it("types the answers the handler audit found wrong (spec/overlays/46-audit-responses.yaml)", async () => {
    const { response, returns } = inspect(await generateWithOverlays());
    // Statuses: what the handler writes, with the body it writes.
    for (const name of ["createScheduledPost", "updateScheduledPost", "deleteScheduledPost"]) {
      expect(response(name), name).toEqual({ status: 201, kind: "json", schema: "ScheduledPost" });
    }
    expect(response("installMarketplacePlugin")).toEqual({ status: 201, kind: "json", schema: "PluginManifest" });
    expect(response("listChannelBookmarksForChannel")).toMatchObject({ status: 200, kind: "json" });
    expect(response("uploadLicenseFile")).toMatchObject({ status: 200, kind: "json" });
    expect(response("upgradeToEnterprise")).toEqual({ status: 202, kind: "json", schema: "StatusOK" });
    // The entity rather than the status object, and the reverse.
    for (const name of ["deleteGroup", "restoreGroup"])
      expect(response(name), name).toEqual({ status: 200, kind: "json", schema: "Group" });
    expect(response("linkLdapGroup")).toEqual({ status: 201, kind: "json", schema: "Group" });
    for (const name of ["uploadPlugin", "installPluginFromUrl"]) {
      expect(response(name), name).toEqual({ status: 201, kind: "json", schema: "PluginManifest" });
    }
    for (const name of ["startBatchUsersExport", "updateCFConfig"]) {
      expect(response(name), name).toEqual({ status: 200, kind: "json", schema: "StatusOK" });
    }
    for (const name of ["assignAccessControlPolicyToChannels", "unassignAccessControlPolicyFromChannels", "deleteAccessControlPolicy"]) {
      expect(response(name), name).toEqual({ status: 200, kind: "none", schema: undefined });
    }
    expect(response("getLdapGroups")).toEqual({ status: 200, kind: "json", schema: "LDAPGroupsPaged" });
    expect(response("getChannelsForRetentionPolicy")).toEqual({ status: 200, kind: "json", schema: "ChannelsWithCount" });
    expect(response("getRedirectLocation")).toMatchObject({ status: 200, kind: "json" });
    expect(response("getSamlMetadata")).toMatchObject({ status: 200, kind: "binary" });
    // Wrapped lists and renamed keys, as the generated functions type them.
    // 55-nullable.yaml: Go sends the nil list as null.
    expect(returns("getDataRetentionPolicies")).toBe(
      "{ policies: DataRetentionPolicyWithTeamAndChannelCounts[] | null; total_count: number; }",
    );
    expect(returns("getTeamsForRetentionPolicy")).toBe("{ teams: Team[] | null; total_count: number; }");
    for (const name of ["getGroupsByChannel", "getGroupsByTeam"]) {
      expect(returns(name), name).toBe("{ groups: GroupWithSchemeAdmin[] | null; total_group_count: number; }");
    }
    expect(returns("getGroupsAssociatedToChannelsByTeam")).toBe("{ groups: GroupsAssociatedToChannels; }");
    expect(returns("updateAccessControlPoliciesActive")).toBe("AccessControlPolicy[]");
    // doPostAction's answer carries the click's trigger id beside the status (both always written).
    expect(returns("doPostAction")).toBe("{ status: string; trigger_id: string; }");
    expect(returns("lookupInteractiveDialog")).toBe("{ items: { text: string; value: string; }[] | null; }");
    expect(returns("getSamlMetadataFromIdp")).toBe("{ idp_descriptor_url: string; idp_url: string; idp_public_certificate: string; }");
    for (const name of ["patchCPAValues", "patchCPAValuesForUser"]) expect(returns(name), name).toBe("{ [key: string]: unknown; }");
    // Both shapes where the request picks one; the acknowledgement the call could not send before.
    // The graceful answer is a list the handler builds by appending: null when nothing was added (55-nullable.yaml).
    expect(returns("inviteGuestsToTeam")).toBe("(StatusOK | { email: string; error: AppError | null; }[]) | null");
    expect(returns("acknowledgeNotification")).toBe("StatusOK | PushNotification");
  });

  it("sends the request bodies the handlers read (spec/overlays/47-audit-requests.yaml)", async () => {
    const { operation, body, bodySchema, query } = inspect(await generateWithOverlays());
    const ack = operation("acknowledgeNotification")?.body;
    expect(ack).toMatchObject({ kind: "json", required: true });
    expect(Object.keys((ack?.schema as Schema | undefined)?.properties ?? {}).sort()).toEqual([
      "id",
      "is_id_loaded",
      "platform",
      "post_id",
      "received_at",
      "type",
    ]);
    // Request bodies the handlers read, which the functions could not send before.
    expect(body("createComplianceReport")).toEqual({
      required: true,
      keys: ["desc", "emails", "end_at", "keywords", "start_at"],
      ref: undefined,
    });
    expect(body("createTermsOfService")).toEqual({ required: true, keys: ["text"], ref: undefined });
    expect(body("doPostAction")).toEqual({ required: false, keys: ["cookie", "selected_option"], ref: undefined });
    for (const name of ["keepCFPost", "removeCFPost"]) expect(body(name), name).toMatchObject({ required: true, keys: ["comment"] });
    for (const name of ["linkGroupSyncableForTeam", "linkGroupSyncableForChannel"]) {
      expect(body(name), name).toEqual({ required: true, keys: ["auto_add", "scheme_admin"], ref: undefined });
    }
    expect(body("testElasticsearch")).toMatchObject({ required: false, ref: "Config" });
    // Request bodies whose keys, types or media type differ from what the handlers read.
    expect(body("resetPassword")?.keys).toEqual(["new_password", "token"]);
    expect(bodySchema("registerTermsOfServiceAction")?.properties?.accepted?.type).toBe("boolean");
    expect(body("registerTermsOfServiceAction")?.keys).toEqual(["accepted", "termsOfServiceId"]);
    expect(operation("loginByCwsToken")?.body).toMatchObject({
      mediaType: "application/x-www-form-urlencoded",
      kind: "form",
    });
    for (const name of ["patchCPAValues", "patchCPAValuesForUser"]) expect(bodySchema(name)?.type, name).toBe("object");
    expect(bodySchema("submitPerformanceReport")?.properties?.labels?.type).toBe("object");
    expect(bodySchema("installMarketplacePlugin")?.required).toEqual(["id"]);
    expect(bodySchema("requestTrialLicense")?.required).toEqual(["users", "terms_accepted"]);
    expect(body("switchAccountType")?.keys).toContain("new_password");
    expect(body("patchGroup")?.keys).toContain("allow_reference");
    for (const name of ["patchGroupSyncableForTeam", "patchGroupSyncableForChannel"])
      expect(body(name)?.keys, name).toContain("scheme_admin");
    expect(body("patchScheme")?.keys).toContain("display_name");
    expect(body("updateChannelBookmark")?.keys).not.toContain("type");
    expect(bodySchema("updateCloudCustomer")?.properties?.num_employees?.type).toBe("integer");
    expect(body("checkAccessControlPolicyExpression")?.keys).toEqual(["channelId", "expression"]);
    for (const name of ["createCPAField", "patchCPAField"]) {
      expect(Object.keys(bodySchema(name)?.properties?.attrs?.properties ?? {}).sort(), name).toEqual([
        "ldap",
        "managed",
        "options",
        "saml",
        "sort_order",
        "value_type",
        "visibility",
      ]);
    }
    // Query parameters they read.
    expect(query("addTeamMemberFromInvite")).toEqual(["invite_id?", "token?"]);
    expect(query("purgeElasticsearchIndexes")).toEqual(["index?"]);
    expect(query("startBatchUsersExport")).toEqual(["date_range?", "hide_active?", "hide_inactive?", "role_filter?", "team_filter?"]);
  });

  it("sends the query parameters the handlers read, under their names (spec/overlays/49-audit-query.yaml)", async () => {
    const { query, returns } = inspect(await generateWithOverlays());
    // The keys the handlers read, under the names they read them.
    expect(query("autocompleteUsers")).toEqual(["in_channel?", "in_team?", "limit?", "name"]);
    expect(query("getImageByUrl")).toEqual(["url"]);
    for (const name of ["deleteUser", "deleteChannel", "deletePost"]) expect(query(name), name).toEqual(["permanent?"]);
    expect(query("getUserThreads")).toEqual(expect.arrayContaining(["after?", "before?", "excludeDirect?", "unread?"]));
    expect(query("getGroups")).toEqual(expect.arrayContaining(["filter_has_member?", "group_source?", "include_archived?"]));
    expect(query("getPostsForChannel")).toEqual(expect.arrayContaining(["collapsedThreads?", "skipFetchThreads?"]));
    for (const name of ["getOutgoingOAuthConnection", "createOutgoingOAuthConnection", "validateOutgoingOAuthConnection"]) {
      expect(query(name), name).toEqual(["team_id?"]);
    }
    // The graceful answer is a list the handler builds by appending: null when nothing was added (55-nullable.yaml).
    expect(returns("inviteUsersToTeam")).toBe("(StatusOK | { email: string; error: AppError | null; }[]) | null");
  });

  it("gives the shared schemas the keys and types the server encodes (spec/overlays/48-audit-schemas.yaml)", async () => {
    const result = await generateWithOverlays();
    const { schemas, keys, property } = inspect(result);
    expect(keys("AccessControlPolicy")).toEqual([
      "active",
      "create_at",
      "id",
      "imports",
      "name",
      "props",
      "revision",
      "rules",
      "type",
      "version",
    ]);
    expect(keys("AccessControlPoliciesWithCount")).toEqual(["policies", "total"]);
    expect(keys("AccessControlPolicyTestResponse")).toEqual(["total", "users"]);
    expect(keys("AllowedIPRange")).toEqual(["cidr_block", "description", "enabled", "owner_id"]);
    expect(keys("ContentFlaggingConfig")).toEqual([
      "AdditionalSettings",
      "EnableContentFlagging",
      "NotificationSettings",
      "ReviewerSettings",
    ]);
    // The group's fields at the top level, beside scheme_admin.
    expect(schemas.GroupWithSchemeAdmin?.allOf?.[0]).toEqual({ $ref: "#/components/schemas/Group" });
    expect(result.files.get("schemas.ts")).toMatch(/export type GroupWithSchemeAdmin = Group & \{\n\s+scheme_admin\?: boolean;\n\};/);
    expect(keys("ExpressionError")).toEqual(["column", "line", "message"]);
    expect(keys("ProductLimits")).toEqual(["files", "messages", "teams"]);
    expect(keys("PropertyValue")).not.toContain("created_by");
    expect(keys("Invoice")).toContain("line_items");
    expect(keys("Invoice")).not.toContain("item");
    expect(keys("PluginManifest")).not.toContain("backend");
    expect(keys("OutgoingOAuthConnectionPostItem")).toContain("id");
    // Fields the server sends that upstream leaves out.
    expect(keys("Scheme")).toContain("display_name");
    expect(keys("Subscription")).toEqual(expect.arrayContaining(["status", "last_invoice", "trial_end_at"]));
    expect(keys("OutgoingOAuthConnectionGetItem")).toEqual(expect.arrayContaining(["client_id", "oauth_token_url"]));
    expect(keys("PluginStatus")).toContain("error");
    const types = {
      "AddOn.price_per_seat": property("AddOn", "price_per_seat")?.type,
      "Product.price_per_seat": property("Product", "price_per_seat")?.type,
      "CloudCustomer.num_employees": property("CloudCustomer", "num_employees")?.type,
      "PaymentMethod.last_four": property("PaymentMethod", "last_four")?.type,
      "SharedChannelRemote.last_post_create_at": property("SharedChannelRemote", "last_post_create_at")?.type,
      "Condition.value_type": property("Condition", "value_type")?.type,
      "InvoiceLineItem.metadata": property("InvoiceLineItem", "metadata")?.type,
      "MarketplacePlugin.labels[]": property("MarketplacePlugin", "labels")?.items?.type,
      "OutgoingOAuthConnectionGetItem.audiences": property("OutgoingOAuthConnectionGetItem", "audiences")?.type,
      "OutgoingOAuthConnectionPostItem.audiences": property("OutgoingOAuthConnectionPostItem", "audiences")?.type,
    };
    expect(types).toEqual({
      "AddOn.price_per_seat": "number",
      "Product.price_per_seat": "number",
      "CloudCustomer.num_employees": "integer",
      "PaymentMethod.last_four": "string",
      "SharedChannelRemote.last_post_create_at": "integer",
      "Condition.value_type": "integer",
      "InvoiceLineItem.metadata": "object",
      "MarketplacePlugin.labels[]": "object",
      "OutgoingOAuthConnectionGetItem.audiences": "array",
      "OutgoingOAuthConnectionPostItem.audiences": "array",
    });
  });
});
