/**
 * How generated names are decided, in one place: the type alias of a schema, the args type of an
 * operation. Names that would shadow what generated files use (Blob, Promise, the runtime types)
 * get a `Schema` suffix.
 */
import type { Model } from "../model.js";

/** Names the generated files import or use besides their own declarations. */
export const TAKEN: ReadonlySet<string> = new Set([
  "Blob",
  "Promise",
  "Record",
  "NonNullable",
  "Uint8Array",
  "Transport",
  "CallOptions",
  "BinaryAs",
  "BinaryResult",
  "ArrayBuffer",
  "ReadableStream",
]);

export interface Names {
  /** schema name → exported alias. */
  readonly schema: ReadonlyMap<string, string>;
  /** operation name → args type name. */
  readonly args: ReadonlyMap<string, string>;
}

export function decideNames(model: Model): Names {
  const schema = new Map<string, string>();
  const used = new Set<string>();
  for (const { name } of model.schemas) {
    let alias = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : name.replace(/[^A-Za-z0-9_$]/g, "_");
    if (TAKEN.has(alias)) alias = `${alias}Schema`;
    while (used.has(alias)) alias = `${alias}_`;
    used.add(alias);
    schema.set(name, alias);
  }
  const args = new Map<string, string>();
  for (const operation of model.operations) {
    let name = `${operation.name.charAt(0).toUpperCase()}${operation.name.slice(1)}Args`;
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    args.set(operation.name, name);
  }
  return { schema, args };
}
