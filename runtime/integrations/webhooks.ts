/**
 * The two ways in that are not under /api/v4 and so not in the OpenAPI spec (server/v8
 * channels/web/webhook.go): posting through an incoming webhook, `POST /hooks/{id}`
 * (IncomingWebhookRequest, JSON), and answering a slash command later through its `response_url`,
 * `POST /hooks/commands/{id}` (a CommandResponse, at most 5 times within 30 minutes,
 * model/command_webhook.go).
 *
 * Both URLs are capabilities: whoever has one may post. An error names the URL with its id masked.
 */
import type { CommandResponse, IncomingWebhookRequest } from "./types.js";

export interface WebhookCallOptions {
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
}

/** A hook call the server refused or that did not reach it. */
export class WebhookError extends Error {
  /** "WEBHOOK_REFUSED" (the server answered an error) or "WEBHOOK_UNREACHABLE". */
  readonly code: "WEBHOOK_REFUSED" | "WEBHOOK_UNREACHABLE";
  /** The HTTP status, 0 when the server was not reached. */
  readonly status: number;
  /** The server's error id, such as "web.incoming_webhook.invalid.app_error", when it sent one. */
  readonly serverId: string | undefined;
  constructor(message: string, code: WebhookError["code"], status: number, serverId?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "WebhookError";
    this.code = code;
    this.status = status;
    this.serverId = serverId;
  }
}

/** The URL of an incoming webhook: `{baseUrl}/hooks/{id}`. */
export function incomingWebhookUrl(baseUrl: string, id: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/hooks/${encodeURIComponent(id)}`;
}

/** Posts through an incoming webhook (`POST /hooks/{id}`). */
export function postToIncomingWebhook(url: string, message: IncomingWebhookRequest, options: WebhookCallOptions = {}): Promise<void> {
  return postHook(url, message, "incoming webhook", options);
}

/** Answers a slash command later through the payload's `response_url`. */
export function respondLater(responseUrl: string, response: CommandResponse, options: WebhookCallOptions = {}): Promise<void> {
  return postHook(responseUrl, response, "command response_url", options);
}

const HOOK_ID = /(\/hooks\/(?:commands\/)?)([^/?#]+)/;

/** The URL with the hook id replaced by asterisks. */
export function maskHookUrl(url: string): string {
  return url.replace(HOOK_ID, "$1********");
}

/** `text` with every occurrence of the URL's hook id masked (the server repeats it in its messages). */
const maskHookId = (text: string, url: string): string => {
  const id = HOOK_ID.exec(url)?.[2];
  return id ? text.split(id).join("********") : text;
};

async function postHook(url: string, body: object, what: string, options: WebhookCallOptions): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  const shown = maskHookUrl(url);
  let response: Response;
  try {
    response = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw new WebhookError(`POST ${shown} (${what}): the server was not reached`, "WEBHOOK_UNREACHABLE", 0, undefined, error);
  }
  const text = await response.text();
  if (response.ok) return;
  let serverId: string | undefined;
  let detail = "";
  try {
    const parsed = JSON.parse(text) as { id?: unknown; message?: unknown };
    if (typeof parsed.id === "string") serverId = parsed.id;
    if (typeof parsed.message === "string") detail = `: ${maskHookId(parsed.message, url)}`;
  } catch {
    // Not an AppError body: the status says enough.
  }
  throw new WebhookError(`POST ${shown} (${what}) answered ${response.status}${detail}`, "WEBHOOK_REFUSED", response.status, serverId);
}
