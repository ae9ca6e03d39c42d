/**
 * The core entry point: the client, errors, sign-in, pagination, bodies. Generated operations are
 * imported one by one next to it (`createPost(client, { body })`), so a bundle carries only the calls
 * it uses; `full.ts` is the entry with every operation as a method.
 *
 * @module mattermost-typed
 */
export { getMe, login, logout, type Credentials } from "./auth.js";
export { type BinaryInput, namedFile, toBlob } from "./body.js";
export {
  type ApiResponse,
  type Client,
  type ClientOptions,
  createClient,
  type Endpoint,
  type WaitInfo,
  withResponse,
} from "./client.js";
export {
  type AppErrorBody,
  type InvalidResponseCode,
  InvalidResponseError,
  MattermostError,
  NetworkError,
  TimeoutError,
} from "./errors.js";
export type { Middleware, MiddlewareContext } from "./middleware.js";
export {
  MAX_PER_PAGE,
  type PageArgs,
  type PaginateOptions,
  type PostCursorArgs,
  type PostListLike,
  paginate,
  paginatePosts,
} from "./pagination.js";
export { createRateLimiter, type RateLimit, type RateLimiter } from "./rate-limit.js";
export type { RetryOptions, WaitReason } from "./retry.js";
export {
  type CheckServerOptions,
  type ClientRelease,
  checkServer,
  checkServerVersion,
  type GeneratedFrom,
  generatedFrom,
  type OtherRelease,
  parseServerVersion,
  type ReleaseOrder,
  type SameRelease,
  type ServerCheck,
  type ServerVersion,
  type UnknownRelease,
  type VersionSource,
} from "./server-version.js";
export type { BinaryAs, CallOptions, CallShape, HttpMethod, Transport } from "./transport.js";
