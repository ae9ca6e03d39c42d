/**
 * Reading what Mattermost sends: a body no larger than the receiver's limit, decoded as the route
 * expects (a form for slash commands, JSON or a form for outgoing webhooks, JSON for actions and
 * dialogs). Each failure is a `Refusal`: the status and the reason the receiver answers with.
 */

/** An answer the receiver gives instead of running a handler. */
export class Refusal extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 413 | 415,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "Refusal";
  }
}

/** The body's text; refuses a body over `limit` bytes without reading the rest of it. */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Refusal(400, "the body is not UTF-8 text");
  }
}

const tooLarge = (limit: number): Refusal => new Refusal(413, `the body is larger than the receiver's limit of ${limit} bytes`);

/** The media type of the request, lower-cased, without parameters ("" when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** A JSON object body; refuses anything else with the reason. */
export function parseJsonObject(text: string, route: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Refusal(400, `${route}: the body is not valid JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Refusal(400, `${route}: the body is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** The fields of a form body or query (repeated names keep every value). */
export function parseForm(text: string): URLSearchParams {
  return new URLSearchParams(text);
}

/** A string field a route requires; refuses its absence with the field's name. */
export function requireString(value: unknown, field: string, route: string): string {
  if (typeof value !== "string") throw new Refusal(400, `${route}: the field "${field}" is missing or not a string`);
  return value;
}
