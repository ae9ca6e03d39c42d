/**
 * `types.ts`: the whole document as openapi-typescript writes it (`paths`, `components`,
 * `operations`), for programs that use those interfaces directly (openapi-fetch's `createClient<paths>`,
 * for one). Nothing else in `generated/` imports it: schemas and endpoint files carry their own types.
 */
import { printDocument } from "./openapi-ts.js";

export function emitTypes(document: Record<string, unknown>, bannerText: string): string {
  return `${bannerText}\n${printDocument(document)}`;
}
