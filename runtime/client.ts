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
import { InvalidResponseError, MattermostError, NetworkError, TimeoutError, redact } from "./errors.js";
import { type Middleware, runMiddleware } from "./middleware.js";
import { type RateLimit, type RateLimiter, createRateLimiter } from "./rate-limit.js";
import { type RetryOptions, type WaitReason, retryDelay, sleep } from "./retry.js";
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
  /**
   * Paces the calls from the rate limit the server reports, so they wait in the client instead of
   * being sent into a 429 (see `rate-limit.ts`). By default each client has its own; pass one from
   * `createRateLimiter()` to clients that share a token or a user, or `false` to send every call at once.
   */
  readonly rateLimiter?: RateLimiter | false;
  /** Called when a call starts to wait: in the rate limiter's queue, or before a retry (see `WaitInfo`). */
  readonly onWait?: (info: WaitInfo) => void;
  /** The fetch to send requests with (default: the global `fetch`, looked up at each call). */
  readonly fetch?: typeof fetch;
  /** Hooks around each attempt, for logging, tracing or custom headers (see `middleware.ts`); they never see credentials. */
  readonly middleware?: readonly Middleware[];
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What `onWait` is told about a wait, as it starts. */
export interface WaitInfo {
  /** The operation: method and route template, `"GET /api/v4/users/me"`. */
  readonly operation: string;
  readonly method: HttpMethod;
  /** The route template, e.g. `/api/v4/users/{user_id}`. */
  readonly route: string;
  /** How long the wait lasts, in milliseconds; in the queue, what the limiter expects as it starts. */
  readonly ms: number;
  /** `"rate-limit"`: the queue; else before a retry, honouring `"retry-after"` or `"reset"`, or `"backoff"`. */
  readonly reason: WaitReason;
  /** The attempt the wait comes before: 0 for the first. */
  readonly attempt: number;
  /** The status of the answer that is retried; absent in the queue and after no answer. */
  readonly status?: number;
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

/** Redirects followed before a call fails with `TOO_MANY_REDIRECTS`. */
const MAX_REDIRECTS = 5;

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
  const limiter = options.rateLimiter || createRateLimiter();
  /** What errors never show: every token the client held, and the passwords and credentials its calls sent. */
  const secrets = new Set<string>();
  const learn = (secret: string | undefined): void => void (secret && secrets.add(secret));
  let token = options.token;
  learn(token);

  /**
   * The network call. Credentials are attached here, to the attempt's own copy of the headers,
   * after middleware ran, so middleware never holds them; without middleware, `fetch` gets the URL
   * and init directly (one `Request`, not two). Redirects are followed here too, at most 5, and
   * credentials never follow one to another origin; where fetch cannot hand a redirect over
   * (browsers), it follows them itself.
   */
  async function send(
    input: Request | string,
    init: RequestInit & { method: string; headers: Record<string, string> },
    route: string,
  ): Promise<Response> {
    const { headers } = init;
    if (token) headers.authorization = `Bearer ${token}`;
    if (browser) {
      headers["x-requested-with"] = "XMLHttpRequest";
      const csrf = init.method !== "GET" && /\bMMCSRF=([^;]+)/.exec(globalThis.document?.cookie)?.[1];
      if (csrf) headers["x-csrf-token"] = csrf;
    }
    const go = options.fetch ?? fetch;
    let url = typeof input === "string" ? input : input.url;
    let response = await go(input, init);
    for (let hops = 0; response.status > 300 && response.status < 309 && response.headers.has("Location"); hops++) {
      if (hops === MAX_REDIRECTS) throw new InvalidResponseError(init.method as HttpMethod, route, "TOO_MANY_REDIRECTS", response);
      const next = new URL(response.headers.get("Location") as string, url);
      if (next.origin !== new URL(url).origin) {
        for (const name of ["authorization", "x-csrf-token", "cookie"]) delete headers[name];
      }
      if (response.status === 303 || (response.status < 303 && init.method === "POST")) {
        init = { ...init, method: "GET", body: undefined };
        delete headers["content-type"];
      }
      await response.body?.cancel();
      url = next.href;
      response = await go(url, init);
    }
    // Login answers carry the new session token in a `Token` header: keep it, hide it.
    const issued = response.headers.get("Token");
    if (issued) {
      learn(issued);
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
    // The secrets this call brings: credentials in its headers, password and token fields of its body.
    learn(headers.authorization?.replace(/^\S+\s+/, ""));
    for (const cookie of headers.cookie?.split(";") ?? []) learn(cookie.split("=")[1]?.trim());
    for (const name in body as object) {
      const value = (body as Record<string, unknown>)[name];
      if (typeof value === "string" && /pass|token|secret/i.test(name)) learn(value);
    }
    try {
      return await attempts(whole, method, route, headers, params, body, init, shape);
    } catch (error) {
      throw redact(error, secrets);
    }
  }

  async function attempts(
    whole: boolean,
    method: HttpMethod,
    route: string,
    headers: Record<string, string>,
    params: Record<"path" | "query", Record<string, unknown>>,
    body: unknown,
    init: CallOptions,
    shape: CallShape,
  ): Promise<unknown> {
    // openapi-fetch's serializers: path parameters encoded, arrays repeated, null and undefined left out.
    const url = createFinalURL(route, { baseUrl, params, querySerializer, pathSerializer: defaultPathSerializer });
    const [payload, type] = body === undefined ? [] : await encodeBody(body, shape.body);
    // The body's type unless a header of the client or the call says otherwise.
    if (type) headers["content-type"] ??= type;
    const timeoutMs = init.timeoutMs ?? options.timeoutMs ?? 0;
    const { signal } = init;
    const report = (attempt: number, ms: number, reason: WaitReason, status?: number): void =>
      options.onWait?.({ operation: `${method} ${route}`, method, route, ms, reason, attempt, status });
    for (let attempt = 0, waited = 0; ; attempt++) {
      signal?.throwIfAborted();
      const queued = performance.now();
      const ticket =
        options.rateLimiter === false
          ? -1
          : await limiter.take(
              signal,
              (ms) => report(attempt, ms, "rate-limit"),
              options.retry === false ? undefined : (options.retry?.maxWaitMs ?? 60_000) - waited,
            );
      waited += performance.now() - queued;
      // One controller per attempt: the caller's signal and the timeout both abort it.
      const controller = new AbortController();
      const abort = (): void => controller.abort(signal?.reason);
      signal?.addEventListener("abort", abort);
      const timer = timeoutMs && setTimeout(() => controller.abort(new TimeoutError(method, route, timeoutMs)), timeoutMs);
      let response: Response | undefined;
      let data: unknown;
      let failure: NetworkError | InvalidResponseError | undefined;
      try {
        const requestInit = {
          method,
          body: payload,
          headers: { ...headers },
          // No timeout and no signal of the call: fetch gets none (undici adds a listener and a finalizer per signal).
          signal: timeoutMs || signal ? controller.signal : undefined,
          duplex: "half",
          credentials: browser ? "include" : undefined,
          redirect: globalThis.document ? "follow" : "manual",
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
              (request) => send(request, { ...requestInit, headers: Object.fromEntries(request.headers) }, route),
            )
          : await send(url, requestInit, route);
        data = await decodeBody(response, shape.response, init.as, method, route);
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason;
        if (!(error instanceof TypeError)) throw error;
        // fetch's TypeError: before the answer, no answer at all; after it, its body broke off.
        failure = response
          ? new InvalidResponseError(method, route, "RESPONSE_TRUNCATED", response, error)
          : new NetworkError(method, route, error);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
        limiter.done(ticket, response?.headers, response?.status);
      }
      if (response?.ok && !failure) return whole ? { data, response } : data;
      const wait = retryDelay(options.retry ?? {}, init.retry, method, failure ? undefined : response, attempt, waited);
      if (!wait) throw failure ?? new MattermostError(method, route, response as Response, data);
      report(attempt + 1, ...wait, failure ? undefined : response?.status);
      waited += wait[0];
      await sleep(wait[0], signal);
    }
  }

  const client = {
    baseUrl,
    get rateLimit() {
      return limiter.state;
    },
    call: (...args: Parameters<Transport["call"]>) => run(false, ...args) as never,
    request: (...args: Parameters<Client["request"]>) => run(true, ...args) as never,
    setToken(value) {
      learn(value);
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
