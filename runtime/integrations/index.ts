/**
 * `mattermost-typed/integrations`: receive what Mattermost sends an integration, typed (slash
 * commands, outgoing webhooks, buttons and menus, dialogs), and the hooks to answer through.
 * See docs/integrations.md.
 *
 * @module mattermost-typed/integrations
 */
export {
  type BoolElement,
  type CheckedSubmission,
  checkSubmission,
  type DateElement,
  type DialogDefinition,
  type DialogElement,
  type ElementValue,
  type RadioElement,
  type SelectElement,
  type Submission,
  type TextElement,
} from "./dialog.js";
export { type NodeListenerOptions, type NodeRequestLike, type NodeResponseLike, toNodeListener } from "./node.js";
export {
  type ActionRoute,
  type ButtonOptions,
  type CommandResult,
  createReceiver,
  type DialogCancellationPayload,
  type DialogHandlers,
  type DialogResponse,
  type DialogRoute,
  type DialogSubmissionPayload,
  type MenuOptions,
  type Receiver,
  type ReceiverOptions,
  type Route,
  type TokenSource,
} from "./receiver.js";
export type {
  ActionOption,
  ActionPayload,
  ActionResponse,
  Attachment,
  AttachmentField,
  CommandPayload,
  CommandResponse,
  IncomingWebhookRequest,
  OutgoingWebhookPayload,
  OutgoingWebhookResponse,
  PostAction,
  PostPriority,
  PostUpdate,
} from "./types.js";
export {
  incomingWebhookUrl,
  maskHookUrl,
  postToIncomingWebhook,
  respondLater,
  type WebhookCallOptions,
  WebhookError,
} from "./webhooks.js";
