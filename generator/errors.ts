/**
 * Errors of the generator. Every failure a user can cause (a bad path, bad YAML, a broken `$ref`,
 * a stale overlay) is a `GeneratorError`: the CLI prints its message and hint without a stack trace
 * and exits non-zero. Anything else reaching the CLI is a bug in the generator.
 */

/** Stable codes a program can branch on; each has a section in docs/errors.md. */
export type GeneratorErrorCode =
  | "SPEC_NOT_FOUND"
  | "SPEC_EMPTY"
  | "SPEC_PARSE"
  | "SPEC_NOT_OPENAPI"
  | "SPEC_SWAGGER2"
  | "SPEC_FETCH"
  | "REF_UNRESOLVED"
  | "REF_CYCLE"
  | "DUPLICATE_CONFLICT"
  | "OVERLAY_INVALID"
  | "OVERLAY_STALE"
  | "OVERLAY_MISMATCH"
  | "CATALOG_INVALID"
  | "EMIT_FAILED"
  | "OUTPUT_WRITE"
  | "CONFIG_INVALID"
  | "DIFF_INPUT";

export interface GeneratorErrorDetails {
  /** The file (or URL) the problem is in. */
  readonly file?: string;
  /** 1-based line in that file. */
  readonly line?: number;
  /** What to do about it. */
  readonly hint?: string;
}

export class GeneratorError extends Error {
  override readonly name = "GeneratorError";
  readonly code: GeneratorErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly hint: string | undefined;

  constructor(code: GeneratorErrorCode, message: string, details: GeneratorErrorDetails = {}) {
    super(message);
    this.code = code;
    this.file = details.file;
    this.line = details.line;
    this.hint = details.hint;
  }

  /** `file:line` (or just the file) where the problem is, when known. */
  get location(): string | undefined {
    if (this.file === undefined) return undefined;
    return this.line === undefined ? this.file : `${this.file}:${this.line}`;
  }

  /** One paragraph for a terminal: where, what, what to do, and the docs anchor. */
  format(): string {
    const where = this.location;
    const parts = [`${where === undefined ? "" : `${where}: `}${this.message}`];
    if (this.hint !== undefined) parts.push(this.hint);
    parts.push(`(${this.code}: see ${errorDocs(this.code)})`);
    return parts.join(" ");
  }
}

/** Where docs/errors.md says what to do about `code`: `SPEC_NOT_FOUND` → `docs/errors.md#spec-not-found`. */
export function errorDocs(code: GeneratorErrorCode): string {
  return `docs/errors.md#${code.toLowerCase().replaceAll("_", "-")}`;
}

/** A parser's message for one of ours: its first line, without a final period or colon. */
export function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/[.:]\s*$/, "");
}

export function isGeneratorError(value: unknown): value is GeneratorError {
  return value instanceof GeneratorError;
}
