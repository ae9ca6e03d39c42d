/**
 * Tokens and signatures, with Web Crypto only (Node 20, Bun, Deno and edge runtimes have it).
 *
 * - Slash commands and outgoing webhooks carry a token the server made (model/command.go and
 *   model/outgoing_webhook.go: 26 characters); `tokenMatches` compares it in constant time: both
 *   sides are hashed first, so neither the content nor the length shows in the time taken.
 * - Post actions and dialog submissions carry no token (app/integration_action.go, DoActionRequest
 *   sends only Content-Type and Accept). The receiver signs what it hands out instead, with its own
 *   secret: a button's context (kept on the server, never sent to clients: model/integration_action.go,
 *   PostAction.Integration) and a dialog's state (which the user's client does see, so the signature
 *   also binds the user it was opened for and an expiry).
 */

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Whether `given` equals `expected`, in time independent of both. An empty `expected` never matches. */
export async function tokenMatches(given: string | undefined, expected: string | undefined): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(given ?? ""), sha256(expected ?? "")]);
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0 && given !== undefined && expected !== undefined && expected !== "";
}

/** Bytes (or a string's UTF-8) as unpadded base64url. */
export function base64url(input: Uint8Array | string): string {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The UTF-8 text of unpadded base64url; throws on anything else. */
export function fromBase64url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** A signer of short strings with HMAC-SHA-256 under one secret. */
export interface Signer {
  sign(purpose: string, data: string): Promise<string>;
  verify(purpose: string, data: string, signature: unknown): Promise<boolean>;
}

export function createSigner(secret: string): Signer {
  const key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sign = async (purpose: string, data: string): Promise<string> =>
    base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await key, encoder.encode(`${purpose}\n${data}`))));
  return {
    sign,
    async verify(purpose, data, signature) {
      return tokenMatches(typeof signature === "string" ? signature : "", await sign(purpose, data));
    },
  };
}

/** JSON with object keys sorted at every level: the same value gives the same text, whichever side wrote it. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === "object" && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
