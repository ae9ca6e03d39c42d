/**
 * `operations.ts`: the operations as data. The runtime's pagination helpers, the CLI's `call` and
 * tests read it; endpoint functions never import it, so a bundle that uses three calls does not
 * carry the table.
 */
import type { Model, ModelOperation } from "../model.js";

function entry(operation: ModelOperation): string {
  const params = (where: "path" | "query" | "header"): string[] =>
    operation.parameters.filter((parameter) => parameter.in === where).map((parameter) => parameter.name);
  const required = operation.parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name);
  const body =
    operation.body === undefined
      ? null
      : { mediaType: operation.body.mediaType, kind: operation.body.kind, required: operation.body.required };
  const value = {
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    tag: operation.tag,
    params: { path: params("path"), query: params("query"), header: params("header"), required },
    body,
    successStatus: operation.response.status ?? null,
    response: { kind: operation.response.kind, mediaType: operation.response.mediaType ?? null },
    deprecated: operation.deprecated,
  };
  return `  ${operation.name}: ${JSON.stringify(value)},`;
}

export function emitOperations(model: Model, bannerText: string): string {
  return [
    bannerText,
    "/** What the table knows about one operation. */",
    "export interface OperationInfo {",
    "  readonly operationId: string;",
    '  readonly method: "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "TRACE";',
    "  /** The route template, `/api/v4/...` with `{name}` placeholders. */",
    "  readonly path: string;",
    "  readonly tag: string;",
    "  readonly params: {",
    "    readonly path: readonly string[];",
    "    readonly query: readonly string[];",
    "    readonly header: readonly string[];",
    "    readonly required: readonly string[];",
    "  };",
    '  readonly body: { readonly mediaType: string; readonly kind: "json" | "multipart" | "form" | "binary" | "text"; readonly required: boolean } | null;',
    "  /** The 2xx status the call returns for; null when the spec documents none. */",
    "  readonly successStatus: number | null;",
    '  readonly response: { readonly kind: "json" | "binary" | "text" | "none"; readonly mediaType: string | null };',
    "  readonly deprecated: boolean;",
    "}",
    "",
    "/** The name of every generated endpoint function. */",
    "export type OperationName =",
    ...model.operations.map(
      (operation, index) => `  | ${JSON.stringify(operation.name)}${index === model.operations.length - 1 ? ";" : ""}`,
    ),
    "",
    "/** Every operation, keyed by its function name, sorted. */",
    "export const operations: Readonly<Record<OperationName, OperationInfo>> = Object.freeze({",
    ...model.operations.map(entry),
    "});",
    "",
  ].join("\n");
}
