/**
 * The REST client: one `call` that every generated function goes through (see `transport.ts`).
 *
 * openapi-fetch's serializers build each URL (the generated args are flat: path parameters by their
 * `{name}` in the route, header parameters named by the shape, everything else in the query); this
 * file sends the request and adds what Mattermost needs around it: credentials, timeouts, retries,
 * errors and the rate-limit state. Headers are a plain object with lower-case names until fetch
 * gets them (openapi-fetch's `mergeHeaders` builds a `Headers`, a few µs per call). openapi-fetch's
 * own `createClient` alone weighs about 2.6 kB gzipped, most of the size budget of a whole call, so
 * its request loop is not used. Everything lives in the closure of one `createClient` call: two
 * clients never share anything.
 */
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from "openapi-fetch";
import { decodeBody, encodeBody } from "./body.js";
import { MattermostError, NetworkError, TimeoutError } from "./errors.js";
import { type Middleware, runMiddleware } from "./middleware.js";
import { type RateLimit, readRateLimit } from "./rate-limit.js";
import { type RetryOptions, retryDelay, sleep } from "./retry.js";
import type { CallOptions, CallShape, HttpMethod, Transport } from "./transport.js";

/** Options of `createClient`. */
export interface ClientOptions {
  /** The server's address, e.g. `https://chat.example.com`; a trailing `/` or `/api/v4` is fine. */
  readonly baseUrl: string;
  /** A personal access token, bot token or OAuth access token, sent as `Authorization: Bearer`. */
  readonly token?: string;
  /**
   * `"browser"`: authenticate with the session cookie the server set at login (web apps on the
   * server's origin): sends cookies, `X-Requested-With: XMLHttpRequest`, and the `MMCSRF` cookie as
   * `X-CSRF-Token` on every request that is not a GET.
   */
  readonly session?: "browser";
  /**
   * Longest time one attempt may take, in milliseconds; by default none (0), as with `fetch`,
   * `@mattermost/client` and the Go driver: a default would cut long uploads and downloads, and
   * fetch given a signal costs ~10 µs more per request. Node's fetch still gives up on its own when
   * no response headers come within 300 s.
   */
  readonly timeoutMs?: number;
  /** Retry policy (see `RetryOptions`); `false` turns retries off. */
  readonly retry?: RetryOptions | false;
  /** The fetch to send requests with (default: the global `fetch`, looked up at each call). */
  readonly fetch?: typeof fetch;
  /** Hooks around each attempt, for logging, tracing or custom headers (see `middleware.ts`); they never see credentials. */
  readonly middleware?: readonly Middleware[];
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A result with the HTTP response it came from (its body already read). */
export interface ApiResponse<T> {
  readonly data: T;
  readonly response: Response;
}

/** A Mattermost REST client. Pass it to the generated functions: `getUser(client, { user_id })`. */
export interface Client extends Transport {
  /** The server's address, normalized (no trailing `/`, no `/api/v4`). */
  readonly baseUrl: string;
  /** The rate limit the server last reported, or `undefined` before any limited response. */
  readonly rateLimit: RateLimit | undefined;
  /** Like `call`, but also hands back the `Response` (for headers and status). */
  request<T>(method: HttpMethod, route: string, args?: object, init?: CallOptions, shape?: CallShape): Promise<ApiResponse<T>>;
  /** Replaces the token sent as `Authorization: Bearer` (`undefined` to send none). */
  setToken(token: string | undefined): void;
  /** The current token, e.g. to keep a session that `login` opened. */
  getToken(): string | undefined;
}

/** Masks secrets (`password`, `new_password`, MFA `token`, `client_secret`, config keys...) in what middleware sees. */
const mask = (key: string, value: unknown): unknown => (/pass|token|secret|key/i.test(key) ? "***" : value);

/** Copies headers into `target` with their names in lower case; returns `target`. */
function lowerCase(target: Record<string, string>, source: Readonly<Record<string, string>> = {}): Record<string, string> {
  for (const name in source) target[name.toLowerCase()] = source[name] as string;
  return target;
}

const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;
const querySerializer = createQuerySerializer();

/** Creates a client. Nothing is sent until the first call. */
export function createClient(options: ClientOptions): Client {
  const baseUrl = options.baseUrl.replace(/(\/api\/v4)?\/*$/, "");
  const browser = options.session === "browser";
  let token = options.token;
  let rateLimit: RateLimit | undefined;

  /**
   * The network call. Credentials are attached here, to the attempt's own copy of the headers,
   * after middleware ran, so middleware never holds them; without middleware, `fetch` gets the URL
   * and init directly (one `Request`, not two).
   */
  async function send(input: Request | string, init: RequestInit & { method: string; headers: Record<string, string> }): Promise<Response> {
    const { headers } = init;
    if (token) headers.authorization = `Bearer ${token}`;
    if (browser) {
      headers["x-requested-with"] = "XMLHttpRequest";
      const csrf = init.method !== "GET" && /\bMMCSRF=([^;]+)/.exec(globalThis.document?.cookie)?.[1];
      if (csrf) headers["x-csrf-token"] = csrf;
    }
    let response = await (options.fetch ?? fetch)(input, init);
    // Login answers carry the new session token in a `Token` header: keep it, hide it.
    const issued = response.headers.get("Token");
    if (issued) {
      if (!browser) token = issued;
      response = new Response(response.body, response);
      response.headers.delete("Token");
    }
    return response;
  }

  /** One call, all its attempts: resolves to the data, or with `whole` to `{ data, response }`. */
  async function run(
    whole: boolean,
    method: HttpMethod,
    route: string,
    args: object = {},
    init: CallOptions = {},
    shape: CallShape = {},
  ): Promise<unknown> {
    // Names in lower case, so a later source replaces an earlier one whatever the case: client, call, header parameters.
    const headers = lowerCase(lowerCase({}, options.headers), init.headers);
    const params: Record<"path" | "query", Record<string, unknown>> = { path: {}, query: {} };
    let body: unknown;
    for (const name in args) {
      const value = (args as Record<string, unknown>)[name];
      if (name === "body") body = value;
      // Path parameters by their `{name}`, header parameters by the shape, everything else in the query.
      else if (route.includes(`{${name}}`)) params.path[name] = value;
      else if (shape.headers?.includes(name)) {
        if (value != null) headers[name.toLowerCase()] = value as string;
      } else params.query[name] = value;
    }
    // openapi-fetch's serializers: path parameters encoded, arrays repeated, null and undefined left out.
    const url = createFinalURL(route, { baseUrl, params, querySerializer, pathSerializer: defaultPathSerializer });
    const [payload, type] = body === undefined ? [] : await encodeBody(body, shape.body);
    // The body's type unless a header of the client or the call says otherwise.
    if (type) headers["content-type"] ??= type;
    const timeoutMs = init.timeoutMs ?? options.timeoutMs ?? 0;
    const { signal } = init;
    for (let attempt = 0, waited = 0; ; attempt++) {
      signal?.throwIfAborted();
      // One controller per attempt: the caller's signal and the timeout both abort it.
      const controller = new AbortController();
      const abort = (): void => controller.abort(signal?.reason);
      signal?.addEventListener("abort", abort);
      const timer = timeoutMs && setTimeout(() => controller.abort(new TimeoutError(method, route, timeoutMs)), timeoutMs);
      let response: Response | undefined;
      let data: unknown;
      let failure: NetworkError | undefined;
      try {
        const requestInit = {
          method,
          body: payload,
          headers: { ...headers },
          // No timeout and no signal of the call: fetch gets none (undici adds a listener and a finalizer per signal).
          signal: timeoutMs || signal ? controller.signal : undefined,
          duplex: "half",
          credentials: browser ? "include" : undefined,
        } satisfies RequestInit & { duplex: "half" };
        response = options.middleware?.length
          ? await runMiddleware(
              options.middleware,
              // Middleware sees a copy of a JSON body with its secrets masked (no other body); the call's own body is sent.
              {
                request: new Request(url, { ...requestInit, body: shape.body ? null : JSON.stringify(body, mask) }),
                method,
                route,
                attempt,
              },
              // The headers of the request middleware hands back, copied: credentials never land on it.
              (request) => send(request, { ...requestInit, headers: Object.fromEntries(request.headers) }),
            )
          : await send(url, requestInit);
        data = await decodeBody(response, shape.response, init.as);
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason;
        if (!(error instanceof TypeError)) throw error;
        failure = new NetworkError(method, route, error);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
      }
      if (response) {
        rateLimit = readRateLimit(response.headers) ?? rateLimit;
        if (response.ok) return whole ? { data, response } : data;
      }
      const delay = retryDelay(options.retry ?? {}, init.retry, method, response, attempt, waited);
      if (delay === undefined) throw failure ?? new MattermostError(method, route, response as Response, data);
      waited += delay;
      await sleep(delay, signal);
    }
  }

  const client = {
    baseUrl,
    get rateLimit() {
      return rateLimit;
    },
    call: (...args: Parameters<Transport["call"]>) => run(false, ...args) as never,
    request: (...args: Parameters<Client["request"]>) => run(true, ...args) as never,
    setToken(value) {
      token = value;
    },
    getToken: () => token,
    // What util.inspect shows: never the token.
    [INSPECT]: () => `MattermostClient <${baseUrl}> token: ${token ? "[redacted]" : "none"}`,
  } satisfies Client & { [INSPECT]: () => string };
  return client;
}

/** A transport function generated from the spec: `(client, args, init) => Promise<Result>`. */
export type Endpoint = (client: Transport, ...rest: never[]) => Promise<unknown>;

type Rest<F> = F extends (client: Transport, ...rest: infer R) => Promise<unknown> ? R : never;

/**
 * Calls a generated function and hands back its result together with the HTTP response:
 * `const { data, response } = await withResponse(getMe, client)`. Nothing is stored on the client.
 */
export async function withResponse<F extends Endpoint>(
  fn: F,
  client: Client,
  ...rest: Rest<F>
): Promise<ApiResponse<Awaited<ReturnType<F>>>> {
  let response: Response | undefined;
  const transport: Transport = {
    call: (method, route, args, init, shape) =>
      client.request(method, route, args, init, shape).then((result) => {
        response = result.response;
        return result.data as never;
      }),
  };
  const data = (await (fn as unknown as (client: Transport, ...rest: unknown[]) => Promise<unknown>)(transport, ...rest)) as Awaited<
    ReturnType<F>
  >;
  return { data, response: response as Response };
}
