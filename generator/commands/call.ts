/**
 * `mattermost-typed call <operation>`: calls one operation of the generated client from the
 * terminal. The operation, its parameters and its body are checked against the generated
 * operations table before anything is sent; the request goes through the runtime's `createClient`
 * (same serialization, retries, timeouts and errors as the library); the answer is printed as
 * pretty JSON, or as the bytes received with `--raw`.
 *
 * The runtime and the generated tables are loaded when the command runs, from the compiled package
 * (`dist/runtime`, `dist/generated`, next to this file's `dist/generator`): the other commands never
 * pay for them, and the generator's build does not depend on a generation having happened.
 *
 * The token comes from `MATTERMOST_TOKEN`, a prompt that does not echo (when stdin is a terminal),
 * or `--token`; it never appears in anything this command prints.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Argv, CommandModule } from "yargs";
import type { Io } from "../cli.js";

/**
 * Exit codes of `call` and `listen`, for scripts: 0 done; 2 bad input (unknown operation,
 * parameter or event, bad body, no server or token); 3 a bug in mattermost-typed; 4 the server
 * answered 4xx (or refused the token); 5 the server answered 5xx, or did not answer (network
 * failure, timeout, gave up reconnecting).
 */
export const CALL_EXIT = { ok: 0, input: 2, internal: 3, client: 4, server: 5 } as const;

/** The exit codes as `--help` shows them. */
export const EXIT_CODES_HELP =
  "Exit codes: 0 done, 2 bad input (unknown operation or parameter, bad body, no --url), 3 a bug in mattermost-typed, " +
  "4 the server answered 4xx, 5 the server answered 5xx, did not answer (network, timeout) or answered what the operation does not return.";

// -------------------------------------------------------------------------------------------------
// What this command uses of the runtime and the generated table. Declared here, not imported: the
// generator is compiled on its own (rootDir `generator/`), before any generation. test/cli checks
// that the real modules satisfy these shapes.
// -------------------------------------------------------------------------------------------------

type Method = "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "TRACE";

/** One entry of `generated/operations.ts`. */
export interface OperationEntry {
  readonly operationId: string;
  readonly method: Method;
  readonly path: string;
  readonly tag: string;
  readonly params: {
    readonly path: readonly string[];
    readonly query: readonly string[];
    readonly header: readonly string[];
    readonly required: readonly string[];
  };
  readonly body: {
    readonly mediaType: string;
    readonly kind: "json" | "multipart" | "form" | "binary" | "text";
    readonly required: boolean;
  } | null;
  readonly response: { readonly kind: "json" | "binary" | "text" | "none"; readonly mediaType: string | null };
  readonly deprecated: boolean;
}

/** `generated/operations.js`. */
export interface OperationsModule {
  readonly operations: Readonly<Record<string, OperationEntry>>;
}

interface CallShapeLike {
  readonly body?: "multipart" | "form" | "binary" | "text";
  readonly response?: "binary" | "text" | "none";
  readonly headers?: readonly string[];
}

interface ClientLike {
  request<T>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD",
    route: string,
    args?: object,
    init?: { readonly timeoutMs?: number; readonly retry?: boolean; readonly as?: "blob" | "arrayBuffer" | "stream" },
    shape?: CallShapeLike,
  ): Promise<{ readonly data: T; readonly response: Response }>;
}

/** `runtime/client.js`. */
export interface ClientModule {
  createClient(options: {
    readonly baseUrl: string;
    readonly token?: string;
    readonly timeoutMs?: number;
    readonly retry?: false | { readonly retries?: number };
  }): ClientLike;
}

/** `runtime/errors.js`. */
export interface ErrorsModule {
  readonly MattermostError: abstract new (
    ...args: never[]
  ) => Error & {
    readonly id: string;
    readonly serverMessage: string;
    readonly detailed_error: string;
    readonly request_id: string;
    readonly status: number;
    readonly method: string;
    readonly route: string;
  };
  readonly NetworkError: abstract new (...args: never[]) => Error;
  readonly TimeoutError: abstract new (...args: never[]) => Error;
  /** A success answer that is not what the operation returns (cut, not JSON, HTML, empty, a redirect loop). */
  readonly InvalidResponseError: abstract new (
    ...args: never[]
  ) => Error & { readonly code: string; readonly status: number; readonly request_id: string };
}

/** A user's mistake: printed as one line, exit 2. */
export class InputError extends Error {}

/** The project root, and whether this file runs compiled (`dist/generator/commands`) or from source. */
function locate(): { root: string; compiled: boolean; ext: string } {
  const here = fileURLToPath(import.meta.url);
  const compiled = here.endsWith(".js");
  return { root: join(dirname(here), compiled ? "../../.." : "../.."), compiled, ext: compiled ? ".js" : ".ts" };
}

/** Whether the stale-build note was printed (once per run). */
let noted = false;

/**
 * Loads modules of the runtime or the generated client: from `dist/` when this file runs compiled,
 * from the sources otherwise (tests that import the CLI in-process). A missing build is an
 * `InputError` saying which command writes it; a build older than `generated/` is reported on stderr.
 */
export async function loadCompiled<T>(io: Io, paths: readonly string[]): Promise<T[]> {
  const { root, compiled, ext } = locate();
  const base = compiled ? join(root, "dist") : root;
  const files = paths.map((path) => join(base, `${path}${ext}`));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new InputError(
      `this command needs the compiled client, and ${missing.map((file) => file.slice(root.length + 1)).join(", ")} ` +
        "does not exist. Run `npm run build` (generates and compiles runtime/ and generated/ into dist/), " +
        "or `npm run build:client` after `npm run generate`.",
    );
  }
  if (compiled) {
    const source = join(root, "generated", "operations.ts");
    const built = join(base, "generated", "operations.js");
    if (!noted && existsSync(source) && existsSync(built) && statSync(source).mtimeMs > statSync(built).mtimeMs) {
      noted = true;
      io.err("note: dist/generated is older than generated/; run `npm run build:client` to use the latest generation.\n");
    }
  }
  return Promise.all(files.map((file) => import(pathToFileURL(file).href) as Promise<T>));
}

// -------------------------------------------------------------------------------------------------
// Server and token
// -------------------------------------------------------------------------------------------------

export interface ServerArgs {
  url: string | undefined;
  token: string | undefined;
}

/** `--url`, else `MATTERMOST_URL`; an http(s) URL. */
export function serverUrl(args: ServerArgs): string {
  const url = args.url ?? process.env.MATTERMOST_URL;
  if (url === undefined || url === "") {
    throw new InputError("no server: pass --url https://chat.example.com or set MATTERMOST_URL.");
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--url / MATTERMOST_URL is not a URL: "${url}". Expected e.g. https://chat.example.com`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InputError(`--url / MATTERMOST_URL must be http(s), not ${parsed.protocol} ("${parsed.origin}").`);
  }
  return url;
}

/**
 * The token: `--token`, else `MATTERMOST_TOKEN`, else asked for without echo when stdin is a
 * terminal. `undefined` when there is none and nobody to ask (or the answer was empty).
 */
export async function readToken(args: ServerArgs, io: Io, url: string, optional = true): Promise<string | undefined> {
  const given = args.token ?? process.env.MATTERMOST_TOKEN;
  if (given !== undefined && given.trim() !== "") return given.trim();
  if (process.stdin.isTTY !== true) return undefined;
  const answer = await promptHidden(io, `Token for ${new URL(url).host} (not echoed${optional ? "; Enter for none" : ""}): `);
  return answer === "" ? undefined : answer;
}

/** Reads one line from the terminal with echo off. Ctrl-C aborts with exit 130. */
function promptHidden(io: Io, question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (): void => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.err("\n");
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          finish();
          resolve(value.trim());
          return;
        }
        if (char === "\u0003") {
          finish();
          reject(new Interrupted());
          return;
        }
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else if (char >= " ") value += char;
      }
    };
    // Echo off before the question shows, so that nothing typed can be echoed.
    stdin.setRawMode(true);
    io.err(question);
    stdin.resume();
    stdin.on("data", onData);
  });
}

/** Ctrl-C at the prompt. */
export class Interrupted extends Error {}

/** An `Io` that masks `secret` in everything written through it. */
export function redacting(io: Io, secret: () => string | undefined): Io {
  const mask = (text: string): string => {
    const value = secret();
    return value ? text.replaceAll(value, "***") : text;
  };
  return { out: (text) => io.out(mask(text)), err: (text) => io.err(mask(text)), isTTY: io.isTTY };
}

/** Masks `secret` in bytes (a server echoing the caller's token back, in `--raw` output). */
function maskBytes(bytes: Uint8Array, secret: string | undefined): Uint8Array {
  if (!secret) return bytes;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buffer.includes(secret)) return bytes;
  return Buffer.from(buffer.toString("latin1").replaceAll(Buffer.from(secret).toString("latin1"), "***"), "latin1");
}

// -------------------------------------------------------------------------------------------------
// Names
// -------------------------------------------------------------------------------------------------

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The words of a name (`getPostsForChannel`, `per_page`), lower case, sorted. */
function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "")
    .sort()
    .join(" ");
}

/**
 * Up to `limit` names close to `wanted`, nearest first: the same name but for case and `-`/`_`,
 * the same words in another order (`postCreate`: `createPost`), one containing the other, then by
 * edit distance.
 */
export function closeMatches(wanted: string, names: readonly string[], limit = 5): string[] {
  const needle = wanted.toLowerCase().replace(/[-_]/g, "");
  const wantedWords = words(wanted);
  const scored = names.map((name) => {
    const hay = name.toLowerCase().replace(/[-_]/g, "");
    const score =
      hay === needle ? 0 : words(name) === wantedWords ? 0.25 : hay.includes(needle) || needle.includes(hay) ? 0.5 : distance(needle, hay);
    return { name, score };
  });
  const threshold = Math.max(2, Math.floor(needle.length / 3));
  return scored
    .filter((entry) => entry.score <= threshold)
    .sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
    .map((entry) => entry.name);
}

/** The table entry for a function name or operationId (exact, else case-insensitive). */
export function findOperation(
  operations: Readonly<Record<string, OperationEntry>>,
  wanted: string,
): [name: string, operation: OperationEntry] {
  const entries = Object.entries(operations);
  const exact = entries.find(([name, op]) => name === wanted || op.operationId === wanted);
  if (exact !== undefined) return exact;
  const lower = wanted.toLowerCase();
  const loose = entries.filter(([name, op]) => name.toLowerCase() === lower || op.operationId.toLowerCase() === lower);
  if (loose.length === 1 && loose[0] !== undefined) return loose[0];
  const near = closeMatches(
    wanted,
    entries.map(([name]) => name),
  );
  throw new InputError(
    `unknown operation "${wanted}".${near.length > 0 ? ` Did you mean: ${near.join(", ")}?` : ""} ` +
      "`mattermost-typed call --list [tag]` lists every operation.",
  );
}

// -------------------------------------------------------------------------------------------------
// Parameters and body
// -------------------------------------------------------------------------------------------------

/** `name (path, required)` for each parameter of an operation. */
export function describeParams(op: OperationEntry): string {
  const required = new Set(op.params.required);
  const all = (["path", "query", "header"] as const).flatMap((where) =>
    op.params[where].map((name) => `${name} (${where}${required.has(name) ? ", required" : ""})`),
  );
  return all.length === 0 ? "it takes no parameters" : `its parameters: ${all.join(", ")}`;
}

/** `--param k=v` values checked against the operation; repeated names become arrays. */
export function parseParams(name: string, op: OperationEntry, given: readonly string[]): Record<string, string | string[]> {
  const known = [...op.params.path, ...op.params.query, ...op.params.header];
  const values: Record<string, string | string[]> = {};
  for (const pair of given) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new InputError(`--param "${pair}" is not name=value. For ${name}, ${describeParams(op)}.`);
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (!known.includes(key)) {
      const near = closeMatches(key, known, 3);
      throw new InputError(
        `${name} has no parameter "${key}"${near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : ""}; ${describeParams(op)}.`,
      );
    }
    const previous = values[key];
    if (previous === undefined) values[key] = value;
    else if (op.params.path.includes(key))
      throw new InputError(`--param ${key} is given twice; it is a path parameter of ${name} and takes one value.`);
    else values[key] = [previous, value].flat();
  }
  const missing = op.params.required.filter((key) => values[key] === undefined);
  if (missing.length > 0) {
    throw new InputError(
      `${name} (${op.method} ${op.path}) needs ${missing.map((key) => `--param ${key}=...`).join(" ")}; ${describeParams(op)}.`,
    );
  }
  return values;
}

/** The text of `--body`: inline, `@file`, or `@-` for stdin. */
function readBodyText(body: string): { text: string; bytes: Buffer; source: string } {
  if (!body.startsWith("@")) return { text: body, bytes: Buffer.from(body), source: "--body" };
  const path = body.slice(1);
  try {
    const bytes = path === "-" ? readFileSync(0) : readFileSync(path);
    return { text: bytes.toString("utf8"), bytes, source: path === "-" ? "--body @- (stdin)" : path };
  } catch (error) {
    throw new InputError(
      `--body ${body}: cannot read ${path === "-" ? "stdin" : path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
}

function parseJson(text: string, source: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${source}: ${what} is not valid JSON (${(error as Error).message}).`);
  }
}

/** For multipart bodies: a string value `@path` is that file's contents (curl's `-F name=@path`); `@@` escapes a literal `@`. */
function attachFiles(value: unknown, source: string): unknown {
  if (Array.isArray(value)) return value.map((item) => attachFiles(item, source));
  if (typeof value !== "string" || !value.startsWith("@")) return value;
  if (value.startsWith("@@")) return value.slice(1);
  const path = value.slice(1);
  try {
    return new File([readFileSync(path)], basename(path));
  } catch (error) {
    throw new InputError(
      `${source}: cannot read the file "${path}" named in the body (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
}

/** The body for the runtime, as the operation's body kind wants it. */
export function parseBody(name: string, op: OperationEntry, body: string | undefined): unknown {
  if (op.body === null) {
    if (body !== undefined) throw new InputError(`${name} (${op.method} ${op.path}) takes no body; remove --body.`);
    return undefined;
  }
  if (body === undefined) {
    if (op.body.required) {
      throw new InputError(`${name} needs a body (${op.body.mediaType}): pass --body '<JSON>' or --body @file.json.`);
    }
    return undefined;
  }
  const { text, bytes, source } = readBodyText(body);
  switch (op.body.kind) {
    case "json":
      return parseJson(text, source, "the body");
    case "text":
      return text;
    case "binary":
      return new Uint8Array(bytes);
    case "form":
    case "multipart": {
      const fields = parseJson(text, source, `the ${op.body.mediaType} body (a JSON object of its fields)`);
      if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
        throw new InputError(`${source}: the ${op.body.mediaType} body must be a JSON object of its fields.`);
      }
      if (op.body.kind === "form") return fields;
      return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, attachFiles(value, source)]));
    }
  }
}

// -------------------------------------------------------------------------------------------------
// Listing
// -------------------------------------------------------------------------------------------------

/** `call --list [tag]`: one line per operation, `name  METHOD  route  (tag)`, sorted by tag, then route. */
export function formatList(operations: Readonly<Record<string, OperationEntry>>, tag: string | undefined): string {
  let entries = Object.entries(operations);
  if (tag !== undefined) {
    const wanted = tag.toLowerCase();
    entries = entries.filter(([, op]) => op.tag.toLowerCase() === wanted);
    if (entries.length === 0) {
      const tags = [...new Set(Object.values(operations).map((op) => op.tag))].sort();
      const near = closeMatches(tag, tags, 3);
      throw new InputError(
        `no operation has the tag "${tag}"${near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : ""}. Tags: ${tags.join(", ")}.`,
      );
    }
  }
  entries.sort(([a, x], [b, y]) => (x.tag < y.tag ? -1 : x.tag > y.tag ? 1 : x.path < y.path ? -1 : x.path > y.path ? 1 : a < b ? -1 : 1));
  const width = Math.max(...entries.map(([name]) => name.length));
  const lines = entries.map(
    ([name, op]) => `${name.padEnd(width)}  ${op.method.padEnd(6)}  ${op.path}  (${op.tag}${op.deprecated ? ", deprecated" : ""})`,
  );
  return `${lines.join("\n")}\n${entries.length} operations${tag === undefined ? "" : ` tagged ${tag}`}. Call one: mattermost-typed call <name> --param k=v\n`;
}

// -------------------------------------------------------------------------------------------------
// Output
// -------------------------------------------------------------------------------------------------

/** What the output shows of a `MattermostError` (the fields `ErrorsModule` declares). */
type ServerError = InstanceType<ErrorsModule["MattermostError"]>;

/** A `MattermostError` for the terminal: what failed, then the fields to search the server's logs with. */
export function formatServerError(error: ServerError, tokenSent: boolean): string {
  const lines = [
    `error: ${error.method} ${error.route} answered ${error.status}${error.serverMessage === "" ? "" : `: ${error.serverMessage}`}`,
    `  id:         ${error.id === "" ? "(none)" : error.id}`,
    `  status:     ${error.status}`,
    `  request_id: ${error.request_id === "" ? "(none)" : error.request_id}`,
  ];
  if (error.detailed_error !== "") lines.push(`  detail:     ${error.detailed_error}`);
  if (error.status === 401 && !tokenSent) lines.push("No token was sent: set MATTERMOST_TOKEN (see `mattermost-typed call --help`).");
  return `${lines.join("\n")}\n`;
}

function writeBytes(bytes: Uint8Array): void {
  process.stdout.write(bytes);
}

// -------------------------------------------------------------------------------------------------
// The command
// -------------------------------------------------------------------------------------------------

interface CallArgs extends ServerArgs {
  operation: string | undefined;
  param: string[] | undefined;
  body: string | undefined;
  raw: boolean;
  list: boolean;
  timeout: number;
  retry: boolean;
}

async function runCall(
  args: CallArgs,
  io: Io,
  token: () => string | undefined,
  setToken: (value: string | undefined) => void,
): Promise<number> {
  const [table] = await loadCompiled<OperationsModule>(io, ["generated/operations"]);
  const operations = (table as OperationsModule).operations;
  if (args.list) {
    io.out(formatList(operations, args.operation));
    return CALL_EXIT.ok;
  }
  if (args.operation === undefined) {
    throw new InputError("name an operation: mattermost-typed call <operation>. `mattermost-typed call --list` lists them.");
  }
  const [name, op] = findOperation(operations, args.operation);
  if (op.method === "OPTIONS" || op.method === "TRACE") throw new InputError(`${name} uses ${op.method}, which the client does not send.`);
  const params = parseParams(name, op, args.param ?? []);
  const body = parseBody(name, op, args.body);
  const url = serverUrl(args);
  setToken(await readToken(args, io, url));

  const [clientModule, errors] = (await loadCompiled<ClientModule | ErrorsModule>(io, ["runtime/client", "runtime/errors"])) as [
    ClientModule,
    ErrorsModule,
  ];
  const client = clientModule.createClient({
    baseUrl: url,
    token: token(),
    timeoutMs: args.timeout,
    ...(args.retry ? {} : { retry: false as const }),
  });
  const binary = args.raw || op.response.kind === "binary";
  const shape: CallShapeLike = {
    ...(op.body === null || op.body.kind === "json" ? {} : { body: op.body.kind }),
    ...(binary ? { response: "binary" as const } : op.response.kind === "json" ? {} : { response: op.response.kind }),
    ...(op.params.header.length > 0 ? { headers: op.params.header } : {}),
  };
  const callArgs = body === undefined ? params : { ...params, body };
  try {
    const { data, response } = await client.request<unknown>(op.method, op.path, callArgs, binary ? { as: "arrayBuffer" } : {}, shape);
    if (binary) {
      const bytes = new Uint8Array(data as ArrayBuffer);
      if (!args.raw && process.stdout.isTTY === true) {
        io.err(
          `${name} answered ${bytes.byteLength} bytes of ${response.headers.get("Content-Type") ?? "binary data"}; ` +
            "not printed to the terminal: redirect stdout to a file (> file) or pipe it.\n",
        );
      } else writeBytes(maskBytes(bytes, token()));
    } else if (typeof data === "string") io.out(data.endsWith("\n") || data === "" ? data : `${data}\n`);
    else if (data !== undefined) io.out(`${JSON.stringify(data, null, 2)}\n`);
    return CALL_EXIT.ok;
  } catch (error) {
    if (error instanceof errors.MattermostError) {
      io.err(formatServerError(error, token() !== undefined));
      return error.status >= 500 ? CALL_EXIT.server : CALL_EXIT.client;
    }
    if (error instanceof errors.InvalidResponseError) {
      // The message names the method, route, status and the docs section of the code.
      const id = error.request_id === "" ? "" : ` (request id ${error.request_id})`;
      io.err(`error: ${error.message}${id}; server ${new URL(url).origin}\n`);
      return CALL_EXIT.server;
    }
    if (error instanceof errors.NetworkError || error instanceof errors.TimeoutError) {
      const cause = (error.cause as { cause?: { message?: unknown } } | undefined)?.cause?.message;
      const detail = typeof cause === "string" && !/\([A-Z_]+\)/.test(error.message) ? ` (${cause})` : "";
      io.err(`error: ${error.message}${detail}; server ${new URL(url).origin}: check --url / MATTERMOST_URL\n`);
      return CALL_EXIT.server;
    }
    throw error;
  }
}

/** Runs a command body: input errors are one line and exit 2, Ctrl-C at a prompt is 130, anything else is a bug (3). */
export async function guarded(io: Io, setExit: (code: number) => void, run: () => Promise<number>): Promise<void> {
  try {
    setExit(await run());
  } catch (error) {
    if (error instanceof InputError) {
      io.err(`error: ${error.message}\n`);
      setExit(CALL_EXIT.input);
      return;
    }
    if (error instanceof Interrupted) {
      setExit(130);
      return;
    }
    // Printed here rather than by the CLI's handler, so that it goes through the masking `io`.
    io.err(
      `internal error (a bug in mattermost-typed; please report it with this output):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    setExit(CALL_EXIT.internal);
  }
}

/** Options shared by `call` and `listen`. */
export function serverOptions<T>(argv: Argv<T>): Argv<T> {
  return argv
    .option("url", { type: "string", describe: "The server, e.g. https://chat.example.com [default: $MATTERMOST_URL]" })
    .option("token", {
      type: "string",
      describe:
        "Token [default: $MATTERMOST_TOKEN, else asked for without echo]. Avoid: a token on the command line lands in shell history",
    });
}

export function callCommand(io: Io, setExit: (code: number) => void): CommandModule<object, CallArgs> {
  return {
    command: "call [operation]",
    describe: "Call one operation of the API and print the answer (JSON)",
    builder: (argv: Argv) =>
      serverOptions(argv)
        .positional("operation", { type: "string", describe: "Function name (getMe) or operationId (GetMe); with --list, a tag" })
        .option("param", {
          type: "string",
          array: true,
          alias: "p",
          describe: "A path, query or header parameter: --param name=value (repeat for arrays)",
        })
        .option("body", {
          type: "string",
          describe: 'The request body: JSON, @file, or @- for stdin. Multipart bodies: a JSON object whose "@path" values are files',
        })
        .option("raw", { type: "boolean", default: false, describe: "Print the answer's bytes as received, not pretty JSON" })
        .option("list", { type: "boolean", default: false, describe: "List the operations (of one tag when given): name, method, route" })
        .option("timeout", { type: "number", default: 30_000, describe: "Longest time per attempt, in milliseconds (0: none)" })
        .option("retry", {
          type: "boolean",
          default: true,
          describe: "Retry 429, 502-504 and network failures of idempotent calls (--no-retry: never)",
        })
        .example(
          "MATTERMOST_URL=https://chat.example.com mattermost-typed call getMe",
          "Who am I (the token is asked for, or read from MATTERMOST_TOKEN)",
        )
        .example("mattermost-typed call getPostsForChannel -p channel_id=abc -p per_page=5", "Path and query parameters")
        .example('mattermost-typed call createPost --body \'{"channel_id":"abc","message":"hi"}\'', "A JSON body (or --body @post.json)")
        .example("mattermost-typed call --list users", "The operations tagged users")
        .epilogue(`${EXIT_CODES_HELP} Errors print the server's id, status and request_id. See docs/cli.md.`) as unknown as Argv<CallArgs>,
    handler: async (args) => {
      let token: string | undefined = args.token;
      const safe = redacting(io, () => token ?? process.env.MATTERMOST_TOKEN);
      await guarded(safe, setExit, () =>
        runCall(
          args,
          safe,
          () => token,
          (value) => {
            token = value;
          },
        ),
      );
    },
  };
}
