/**
 * Middleware: hooks around each HTTP attempt, for logging, tracing and custom headers.
 *
 * The shape follows openapi-fetch's middleware (`onRequest` may return a replacement `Request` or a
 * `Response` to skip the network, `onResponse` may return a replacement `Response`, response hooks
 * run in reverse order), with Mattermost-specific context: the route template and the attempt number.
 *
 * What middleware sees never holds credentials: requests are handed over before the
 * `Authorization`, `X-CSRF-Token` and `X-Requested-With` headers are attached, responses after the
 * `Token` header of a login answer is taken out. A JSON body is shown as a copy with the values of
 * its password, token, secret and key fields masked (`"password":"***"`); other bodies (files,
 * forms) are not shown. The body sent is always the call's own: middleware may change the URL and
 * headers of a request, not its body.
 */
import type { HttpMethod } from "./transport.js";

/** What every hook receives. */
export interface MiddlewareContext {
  /** The request as it will be sent, minus credentials, with a masked copy of a JSON body. */
  readonly request: Request;
  readonly method: HttpMethod;
  /** The route template, e.g. `/api/v4/users/{user_id}`. */
  readonly route: string;
  /** 0 for the first attempt of a call, 1 for the first retry, and so on. */
  readonly attempt: number;
}

/** A set of hooks; any of them may be left out. */
export interface Middleware {
  /** Before sending: return a new `Request` to replace it, or a `Response` to answer without the network. */
  onRequest?(context: MiddlewareContext): Request | Response | undefined | void | Promise<Request | Response | undefined | void>;
  /** After an answer (any status): return a new `Response` to replace it. */
  onResponse?(
    context: MiddlewareContext & { readonly response: Response },
  ): Response | undefined | void | Promise<Response | undefined | void>;
  /** When sending failed (network error, timeout, abort). The error is thrown on afterwards. */
  onError?(context: MiddlewareContext & { readonly error: unknown }): void | Promise<void>;
}

/** Runs one attempt through the hooks: `send` is the actual network call. */
export async function runMiddleware(
  middleware: readonly Middleware[],
  context: MiddlewareContext,
  send: (request: Request) => Promise<Response>,
): Promise<Response> {
  let { request } = context;
  let response: Response | undefined;
  for (const hook of middleware) {
    const result = await hook.onRequest?.({ ...context, request });
    if (result instanceof Response) {
      response = result;
      break;
    }
    if (result) request = result;
  }
  try {
    response ??= await send(request);
  } catch (error) {
    for (const hook of middleware) await hook.onError?.({ ...context, request, error });
    throw error;
  }
  for (let i = middleware.length; i--; ) {
    response = (await middleware[i]?.onResponse?.({ ...context, request, response })) || response;
  }
  return response;
}
