/**
 * The contract between generated endpoint functions and the runtime.
 *
 * Every generated function is `(client, args, init) => client.call(method, route, args, init, shape?)`.
 * Keeping the per-operation code this small is what makes each imported call cost a few bytes:
 * all behaviour (auth, retries, errors, serialization) lives once, behind `call`.
 *
 * @module mattermost-typed/transport
 */

/** HTTP methods used by the Mattermost API. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/** How an operation's request and response travel, when they are not plain JSON. */
export interface CallShape {
  /** Request body encoding; JSON when absent. */
  readonly body?: "multipart" | "form" | "binary" | "text";
  /** Success response decoding; JSON when absent. */
  readonly response?: "binary" | "text" | "none";
  /**
   * Names of the args that travel as HTTP headers. The other args (but `body`) fill the route's
   * `{name}` or else the query; `null` and `undefined` ones are left out, an array repeats the name.
   */
  readonly headers?: readonly string[];
}

/** How a binary response is handed back. */
export type BinaryAs = "blob" | "arrayBuffer" | "stream";

/** Per-call options, accepted by every generated function as its last argument. */
export interface CallOptions {
  /** Cancels the call, including any wait before a retry. Composes with the client's timeout. */
  readonly signal?: AbortSignal;
  /** Overrides the client's default timeout for this call, in milliseconds (0 disables it). */
  readonly timeoutMs?: number;
  /** Extra request headers for this call. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Allows retrying a non-idempotent request (POST, PATCH) after a 429 or a transient failure. */
  readonly retry?: boolean;
  /** For binary responses: the form of the result (a `Blob` by default). */
  readonly as?: BinaryAs;
}

/** Anything the generated functions can call through: the runtime's client implements it. */
export interface Transport {
  call<T>(method: HttpMethod, route: string, args: object | undefined, init?: CallOptions, shape?: CallShape): Promise<T>;
}

/** What a binary response resolves to, by `init.as`. */
export type BinaryResult<A extends BinaryAs> = A extends "arrayBuffer"
  ? ArrayBuffer
  : A extends "stream"
    ? ReadableStream<Uint8Array>
    : Blob;

/**
 * File contents, wherever the API takes binary data (the generated endpoint files import it from here, a module of types only): a `Blob` or `File`, a Node `Buffer` or any
 * `Uint8Array`/`ArrayBuffer`, a web `ReadableStream`, or an async iterable of bytes (a Node `Readable`).
 */
export type BinaryInput = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
