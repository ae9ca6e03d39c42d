/**
 * Request and response bodies: JSON by default; multipart forms (file uploads), URL-encoded forms,
 * raw binary and text when the operation's `CallShape` says so. Web types only, so the same code runs
 * in browsers and on Node.
 */
import { type InvalidResponseCode, InvalidResponseError } from "./errors.js";
import type { BinaryInput, CallOptions, CallShape, HttpMethod } from "./transport.js";

export type { BinaryInput } from "./transport.js";

/** Whether a value is file contents rather than a plain field value. */
function isBinary(value: unknown): value is BinaryInput {
  return (
    value instanceof Blob ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    (typeof value === "object" && value !== null && ("getReader" in value || Symbol.asyncIterator in value))
  );
}

/**
 * Encodes a request body as `[body, content type]`; the type is absent for `FormData` (fetch writes
 * it, with the boundary) and both are absent when there is no body.
 *
 * File contents are sent as the raw body, whatever the spec says: Mattermost's upload routes take
 * one file that way, streamed (`uploadFile` with `channel_id` and `filename` in the query,
 * `uploadData` for an upload session). Multipart fields become parts in their order, plain fields
 * first (Mattermost reads `channel_id` and `client_ids` before the files; a list of files counts
 * as files), arrays as repeated parts; streams are
 * read into a `Blob` first, since a part needs a size.
 */
export async function encodeBody(body: unknown, kind: CallShape["body"]): Promise<[BodyInit?, string?]> {
  if (body === undefined) return [];
  if (!kind) return [JSON.stringify(body), "application/json"];
  if (kind === "text") return [String(body), "text/plain"];
  if (kind === "binary" || isBinary(body)) return [body as BodyInit, "application/octet-stream"];
  if (kind === "form") return [`${new URLSearchParams(body as Record<string, string>)}`, "application/x-www-form-urlencoded"];
  const form = new FormData();
  // A list of files counts as files: the server pairs each file with a client id it has already read.
  const files = (value: unknown): number => +(isBinary(value) || (Array.isArray(value) && value.some(isBinary)));
  for (const [name, value] of Object.entries(body as object).sort((a, b) => files(a[1]) - files(b[1]))) {
    for (const part of [value].flat() as unknown[]) {
      if (part != null) form.append(name, isBinary(part) ? await toBlob(part) : String(part));
    }
  }
  return [form];
}

/**
 * Decodes a response body: JSON by default, text, or for binary responses a `Blob` (default), an
 * `ArrayBuffer` or the unread stream (`init.as`; the call's timeout and signal stop applying once it
 * is handed over: cancel the stream to stop reading). Where the spec documents no body (`"none"`), a JSON
 * body the server sends anyway is still returned (the spec misses a few); other bodies are dropped.
 * Error bodies are JSON when they parse, else their text; `undefined` when empty or cut off.
 *
 * A success answer to a JSON operation must be JSON: another `Content-Type`, a body that does not
 * parse, or an empty one (but for 204, 205 and HEAD) is an `InvalidResponseError`. A body that
 * ends early rejects with fetch's `TypeError`, which the client turns into `RESPONSE_TRUNCATED`.
 */
export async function decodeBody(
  response: Response,
  kind: CallShape["response"],
  as: CallOptions["as"],
  method: HttpMethod,
  route: string,
): Promise<unknown> {
  const { ok, status } = response;
  if (ok && kind === "binary") return as === "stream" ? response.body : response[as ?? "blob"]();
  const text = ok ? await response.text() : await response.text().catch(() => "");
  if (ok && kind === "text") return text;
  const invalid = (code: InvalidResponseCode): never => {
    throw new InvalidResponseError(method, route, code, response);
  };
  if (ok && !kind) {
    if (!text) return status === 204 || status === 205 || method === "HEAD" ? undefined : invalid("RESPONSE_EMPTY");
    if (!/json/i.test(response.headers.get("Content-Type") ?? "json")) invalid("RESPONSE_CONTENT_TYPE");
  }
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return ok ? (kind ? undefined : invalid("RESPONSE_INVALID_JSON")) : text;
  }
}

/** Reads any binary input into a `Blob` (a `File` stays as it is, with its name). */
export function toBlob(value: BinaryInput): Promise<Blob> {
  return value instanceof Blob ? Promise.resolve(value) : new Response(value as BodyInit).blob();
}

/**
 * Names file contents for a multipart upload, whose parts need a file name:
 * `uploadFile(client, { body: { channel_id, files: await namedFile(buffer, "report.pdf") } })`.
 */
export async function namedFile(contents: BinaryInput, name: string, type?: string): Promise<File> {
  const blob = await toBlob(contents);
  return new File([blob], name, { type: type ?? blob.type });
}
