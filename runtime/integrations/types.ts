/**
 * What Mattermost sends an integration and what the integration may answer, written from the Go
 * structs of the server the end-to-end tests build (server/public@v0.1.22-0.20260113165922-8e4cadbc88ee
 * and server/v8@v8.0.0-20260113162330-9e1d4c2072c0):
 *
 * - slash command request: channels/app/command.go, tryExecuteCustomCommand (the form fields it sets)
 *   and DoCommandRequest (POST form or GET query, `Authorization: Token <token>`);
 *   response: model/command_response.go, CommandResponse; the follow-up: web/webhook.go, commandWebhook
 *   (`POST /hooks/commands/{id}`, at most 5 uses, 30 minutes, model/command_webhook.go);
 * - outgoing webhook request: model/outgoing_webhook.go, OutgoingWebhookPayload (JSON, or its
 *   ToFormValues, timestamp in seconds there); response: OutgoingWebhookResponse;
 * - post action request: model/integration_action.go, PostActionIntegrationRequest; response:
 *   PostActionIntegrationResponse (app/integration_action.go, DoPostActionWithCookie);
 * - dialog: model/integration_action.go, Dialog, DialogElement, OpenDialogRequest,
 *   SubmitDialogRequest, SubmitDialogResponse (app/integration_action.go, SubmitInteractiveDialog);
 * - incoming webhook: model/incoming_webhook.go, IncomingWebhookRequest;
 * - attachments: model/slack_attachment.go, SlackAttachment, SlackAttachmentField; buttons and menus:
 *   model/integration_action.go, PostAction, PostActionOptions, PostActionIntegration.
 *
 * Wire names are kept. A Go string the server always sets is `string` ("" when empty).
 */

/** One field of an attachment (model/slack_attachment.go, SlackAttachmentField). */
export interface AttachmentField {
  readonly title: string;
  /** Text or a number; the server turns numbers into strings. */
  readonly value: string | number;
  /** Whether the field may sit beside another one. */
  readonly short?: boolean;
}

/** A choice of a menu (model/integration_action.go, PostActionOptions). */
export interface ActionOption {
  readonly text: string;
  readonly value: string;
}

/** A button or menu of an attachment (model/integration_action.go, PostAction). */
export interface PostAction {
  readonly id?: string;
  readonly type?: "button" | "select";
  /** The button's label or the menu's placeholder. */
  readonly name: string;
  readonly disabled?: boolean;
  /** default, primary, success, good, warning, danger or a hex colour. */
  readonly style?: string;
  /** For menus: "users" or "channels" instead of `options`. */
  readonly data_source?: "users" | "channels";
  readonly options?: ActionOption[];
  readonly default_option?: string;
  /** Where the server sends the action, and the data it sends back; never shown to users. */
  readonly integration?: { readonly url: string; readonly context?: Readonly<Record<string, unknown>> };
}

/** A message attachment (model/slack_attachment.go, SlackAttachment). */
export interface Attachment {
  readonly fallback?: string;
  /** good, warning, danger or a hex colour. */
  readonly color?: string;
  readonly pretext?: string;
  readonly author_name?: string;
  readonly author_link?: string;
  readonly author_icon?: string;
  readonly title?: string;
  readonly title_link?: string;
  readonly text?: string;
  readonly fields?: AttachmentField[];
  readonly image_url?: string;
  readonly thumb_url?: string;
  readonly footer?: string;
  readonly footer_icon?: string;
  /** Unix time in seconds, as a number or a string. */
  readonly ts?: string | number;
  readonly actions?: PostAction[];
}

/** Priority of a post (model/post.go, PostPriority). */
export interface PostPriority {
  readonly priority?: "" | "important" | "urgent";
  readonly requested_ack?: boolean;
  readonly persistent_notifications?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Slash commands

/**
 * What the server sends for a custom slash command (channels/app/command.go, the form of
 * tryExecuteCustomCommand). The `token` field is checked by the receiver and left out.
 */
export interface CommandPayload {
  readonly team_id: string;
  /** The team's name. */
  readonly team_domain: string;
  readonly channel_id: string;
  /** The channel's name. */
  readonly channel_name: string;
  readonly user_id: string;
  /** The user's username. */
  readonly user_name: string;
  /** The trigger with its slash: "/deploy". */
  readonly command: string;
  /** What follows the trigger, as typed. */
  readonly text: string;
  /** Opens a dialog (openDialog) for a short while. */
  readonly trigger_id: string;
  /** The thread the command was typed in, "" outside one. */
  readonly root_id: string;
  /** Where to answer later (respondLater): `{SiteURL}/hooks/commands/{id}`, 5 uses within 30 minutes. */
  readonly response_url: string;
  /** Usernames mentioned in `text` to their user ids (`user_mentions` and `user_mentions_ids`). */
  readonly user_mentions: Readonly<Record<string, string>>;
  /** Channel names mentioned in `text` to their channel ids (`channel_mentions`, `channel_mentions_ids`). */
  readonly channel_mentions: Readonly<Record<string, string>>;
}

/** What a slash command may answer (model/command_response.go, CommandResponse). */
export interface CommandResponse {
  /** "ephemeral" (the default: only the user sees it) or "in_channel" (a post everyone sees). */
  readonly response_type?: "ephemeral" | "in_channel";
  readonly text?: string;
  /** Overrides the post's username (ServiceSettings.EnablePostUsernameOverride). */
  readonly username?: string;
  /** Posts in another channel the user is a member of. */
  readonly channel_id?: string;
  /** Overrides the post's icon (ServiceSettings.EnablePostIconOverride). */
  readonly icon_url?: string;
  /** A custom post type ("custom_..."); system types are refused. */
  readonly type?: string;
  readonly props?: Readonly<Record<string, unknown>>;
  /** Where the user's client goes: a URL, or a path on the server such as "/team/channels/town-square". */
  readonly goto_location?: string;
  readonly skip_slack_parsing?: boolean;
  readonly attachments?: Attachment[];
  /** More posts, each handled as a response of its own. */
  readonly extra_responses?: CommandResponse[];
}

// ---------------------------------------------------------------------------------------------
// Outgoing webhooks

/**
 * What the server sends for an outgoing webhook (model/outgoing_webhook.go, OutgoingWebhookPayload),
 * the same whether the hook sends JSON or a form. The `token` field is checked and left out.
 */
export interface OutgoingWebhookPayload {
  readonly team_id: string;
  readonly team_domain: string;
  readonly channel_id: string;
  readonly channel_name: string;
  /** When the post was made, in milliseconds (a form hook sends seconds; the receiver turns them into milliseconds). */
  readonly timestamp: number;
  readonly user_id: string;
  readonly user_name: string;
  readonly post_id: string;
  /** The whole message. */
  readonly text: string;
  /** The trigger word that matched, "" for a hook on a channel without trigger words. */
  readonly trigger_word: string;
  /** The post's file ids, comma-separated ("" for none), as the server sends them. */
  readonly file_ids: string;
}

/** What an outgoing webhook may answer (model/outgoing_webhook.go, OutgoingWebhookResponse). */
export interface OutgoingWebhookResponse {
  /** Nothing is posted without `text` or `attachments`. */
  readonly text?: string;
  readonly username?: string;
  readonly icon_url?: string;
  readonly props?: Readonly<Record<string, unknown>>;
  readonly attachments?: Attachment[];
  readonly type?: string;
  /** "comment" answers in the thread of the post that triggered the hook. */
  readonly response_type?: "comment" | "";
  readonly priority?: PostPriority;
}

// ---------------------------------------------------------------------------------------------
// Post actions (buttons and menus)

/**
 * What the server sends when a button or menu is used (model/integration_action.go,
 * PostActionIntegrationRequest), with the `context` the program gave the button.
 */
export interface ActionPayload<Context> {
  readonly user_id: string;
  readonly user_name: string;
  readonly channel_id: string;
  readonly channel_name: string;
  readonly team_id: string;
  /** The team's name ("" in a direct or group message). */
  readonly team_domain: string;
  readonly post_id: string;
  /** Opens a dialog (openDialog) for a short while. */
  readonly trigger_id: string;
  readonly type: "button" | "select";
  /** For a menu with a data source: "users" or "channels". */
  readonly data_source: string;
  /** The context the button was made with (checked: it carries the receiver's signature). */
  readonly context: Context;
  /** For a menu: the value chosen (the server sends it inside the context). */
  readonly selected_option?: string;
}

/** A post as an action may rewrite it (the fields of model/post.go the update keeps). */
export interface PostUpdate {
  readonly message?: string;
  /** Replaces the post's props; `attachments` is where buttons live. Absent: the props are kept. */
  readonly props?: Readonly<Record<string, unknown>> & { readonly attachments?: Attachment[] };
  readonly type?: string;
}

/** What an action may answer (model/integration_action.go, PostActionIntegrationResponse). */
export interface ActionResponse {
  /** Rewrites the post the button is on. */
  readonly update?: PostUpdate;
  /** A message only the user who clicked sees. */
  readonly ephemeral_text?: string;
  readonly skip_slack_parsing?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Incoming webhooks

/** What an incoming webhook accepts (model/incoming_webhook.go, IncomingWebhookRequest). */
export interface IncomingWebhookRequest {
  readonly text?: string;
  readonly username?: string;
  readonly icon_url?: string;
  /** A channel name (or "@username") other than the hook's, unless the hook is locked to its channel. */
  readonly channel?: string;
  readonly props?: Readonly<Record<string, unknown>>;
  readonly attachments?: Attachment[];
  readonly type?: string;
  readonly icon_emoji?: string;
  readonly priority?: PostPriority;
}
