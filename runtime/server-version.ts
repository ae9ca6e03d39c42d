/**
 * Which Mattermost release a server runs, against the release this client was generated from
 * (`generatedFrom`, written by the generator into `generated/release.ts`).
 *
 * A server says its version in the `X-Version-Id` header of every REST answer and in the
 * `server_version` of the WebSocket `hello`, both as `<version>.<build number>.<config hash>.<licensed>`
 * (`11.4.0.dev.3f2a….false`). Releases are compared by MAJOR.MINOR (a minor release is where
 * Mattermost adds and changes routes); the patch level is reported for the same release.
 *
 * A mismatch is an answer, never an error: `checkServer` throws only what any call throws
 * (`NetworkError`, `TimeoutError`, `MattermostError` when the ping itself fails).
 */
import { generatedFrom as packaged } from "../generated/release.js";
import type { Client } from "./client.js";
import type { CallOptions } from "./transport.js";

/** What a client was generated from: `generatedFrom` in the generated `release.ts`. */
export interface GeneratedFrom {
  /** MAJOR.MINOR.PATCH of the release the spec describes, or `null` when the generator could not tell. */
  readonly release: string | null;
  /** sha256 of the spec's text. */
  readonly specSha256: string;
  /** sha256 over the spec, the overlays and the event catalog. */
  readonly inputsSha256?: string;
  /** The mattermost-typed version that generated the client. */
  readonly generatorVersion?: string;
}

/** What this package's own generated client (`mattermost-typed/generated`) was generated from. */
export const generatedFrom: GeneratedFrom = packaged;

/** A server's version, read from `X-Version-Id` or the socket `hello`. */
export interface ServerVersion {
  /** MAJOR.MINOR.PATCH: `11.4.0`. */
  readonly release: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The build number the server reports (`dev` for a build from source), when it sends one. */
  readonly buildNumber: string | undefined;
  /** Whether the server has a license, when it says. */
  readonly licensed: boolean | undefined;
  /** The text as the server sent it. */
  readonly raw: string;
}

/** Where the server's version was read: a REST answer's header, the socket `hello`, or the caller. */
export type VersionSource = "header" | "hello" | "given";

/** The server's release against the client's, or a patch level against the client's. */
export type ReleaseOrder = "older" | "same" | "newer";

/** The release a client was generated from, parsed. */
export interface ClientRelease {
  /** MAJOR.MINOR.PATCH: `11.6.0`. */
  readonly release: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly specSha256: string;
}

interface KnownCheck {
  readonly server: ServerVersion;
  readonly client: ClientRelease;
  readonly source: VersionSource;
  /** One line for people (the library never prints it). */
  readonly message: string;
}

/** The server runs the release (MAJOR.MINOR) the client was generated from. */
export interface SameRelease extends KnownCheck {
  readonly status: "same";
  /** The server's patch level against the client's: `11.6.2` against `11.6.0` is `"newer"`. */
  readonly patch: ReleaseOrder;
}

/** The server runs an older or a newer release than the client was generated from. */
export interface OtherRelease extends KnownCheck {
  /** `older`: routes the client knows may answer 404; `newer`: the server may have changed some. */
  readonly status: "older" | "newer";
  /** Minor releases apart within one major (11.4 against 11.6: 2); `undefined` across majors. */
  readonly minorsApart: number | undefined;
}

/** One side's release could not be told. */
export interface UnknownRelease {
  readonly status: "unknown";
  /**
   * `no-server-version`: the answer had no `X-Version-Id` (a proxy that drops it, or not a
   * Mattermost server); `unreadable-server-version`: it did not start with MAJOR.MINOR.PATCH;
   * `no-client-release`: the client was generated from a spec whose release nothing said.
   */
  readonly reason: "no-server-version" | "unreadable-server-version" | "no-client-release";
  /** The server's version when it could be read. */
  readonly server: ServerVersion | undefined;
  /** What the server sent, if anything. */
  readonly raw: string | undefined;
  readonly source: VersionSource;
  readonly message: string;
}

/** What `checkServer` and `checkServerVersion` answer; branch on `status`. */
export type ServerCheck = SameRelease | OtherRelease | UnknownRelease;

/** Reads `11.4.0.dev.3f2a….false` (or a bare `11.4.0`); `undefined` when it does not start with MAJOR.MINOR.PATCH. */
export function parseServerVersion(raw: string): ServerVersion | undefined {
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)(?:\.(.*?))?\s*$/.exec(raw);
  if (match === null) return undefined;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // The rest is `<build number>.<config hash>.<licensed>`; a build number may hold dots itself.
  const rest = match[4] === undefined || match[4] === "" ? [] : match[4].split(".");
  const last = rest.at(-1);
  const licensed = last === "true" ? true : last === "false" ? false : undefined;
  const build = licensed === undefined ? rest : rest.slice(0, -2);
  return {
    release: `${major}.${minor}.${patch}`,
    major,
    minor,
    patch,
    buildNumber: build.length === 0 ? undefined : build.join("."),
    licensed,
    raw,
  };
}

const order = (a: number, b: number): ReleaseOrder => (a < b ? "older" : a > b ? "newer" : "same");

function unknown(reason: UnknownRelease["reason"], source: VersionSource, raw: string | undefined, server?: ServerVersion): UnknownRelease {
  const message =
    reason === "no-server-version"
      ? "the server did not say its version (no X-Version-Id): it may not be a Mattermost server, or a proxy drops the header"
      : reason === "unreadable-server-version"
        ? `the server's version ${JSON.stringify(raw)} does not start with MAJOR.MINOR.PATCH`
        : `the server runs ${server?.release ?? "?"}, but this client does not know its own release (regenerate it with mattermost-typed generate --release)`;
  return { status: "unknown", reason, server, raw, source, message };
}

/** What a server version (as sent, or as `hello` carries it) means for a client generated from `from`. */
function compareWith(raw: string | undefined, source: VersionSource, from: GeneratedFrom): ServerCheck {
  if (raw === undefined || raw.trim() === "") return unknown("no-server-version", source, raw);
  const server = parseServerVersion(raw);
  if (server === undefined) return unknown("unreadable-server-version", source, raw);
  const own = from.release === null ? undefined : parseServerVersion(from.release);
  if (own === undefined) return unknown("no-client-release", source, raw, server);
  const client: ClientRelease = { release: own.release, major: own.major, minor: own.minor, patch: own.patch, specSha256: from.specSha256 };
  const status = order(server.major, own.major) === "same" ? order(server.minor, own.minor) : order(server.major, own.major);
  if (status === "same") {
    const patch = order(server.patch, own.patch);
    const note = patch === "same" ? "" : `, patch ${server.patch} against ${own.patch}`;
    return {
      status,
      patch,
      server,
      client,
      source,
      message: `the server runs ${server.release}, the release this client was generated from (${own.release}${note})`,
    };
  }
  const minorsApart = server.major === own.major ? Math.abs(server.minor - own.minor) : undefined;
  const consequence =
    status === "older"
      ? "operations added since may answer 404 (see mattermost-typed diff)"
      : "regenerate from its spec for what it added or changed (see mattermost-typed diff)";
  return {
    status,
    minorsApart,
    server,
    client,
    source,
    message: `the server runs ${server.release}, ${status} than ${own.release} this client was generated from: ${consequence}`,
  };
}

/** Options of `checkServer` and `checkServerVersion`. */
export interface CheckServerOptions {
  /** What the client was generated from (default: this package's `generatedFrom`; pass your own output's). */
  readonly generatedFrom?: GeneratedFrom;
}

/**
 * Compares a version the server sent with the client's release, without a request: the socket's
 * `socket:hello` signal (`serverVersion`), a `hello` event's data (`server_version`), or the text
 * of an `X-Version-Id` header.
 *
 * ```ts
 * socket.on("socket:hello", (hello) => report(checkServerVersion(hello)));
 * ```
 */
export function checkServerVersion(
  version: string | { readonly serverVersion: string } | { readonly server_version: string },
  options: CheckServerOptions = {},
): ServerCheck {
  const from = options.generatedFrom ?? generatedFrom;
  if (typeof version === "string") return compareWith(version, "given", from);
  const raw = "serverVersion" in version ? version.serverVersion : version.server_version;
  return compareWith(raw, "hello", from);
}

/**
 * Asks the server its version (`GET /api/v4/system/ping`, which needs no sign-in, and reads its
 * `X-Version-Id`) and compares it with the release the client was generated from.
 *
 * Resolves for every answer the ping gets, a mismatch included; rejects only as any call does
 * (`NetworkError`, `TimeoutError`, or `MattermostError` when the ping itself fails).
 */
export async function checkServer(
  client: Pick<Client, "request">,
  options: CheckServerOptions & Pick<CallOptions, "signal" | "timeoutMs"> = {},
): Promise<ServerCheck> {
  const { generatedFrom: from = generatedFrom, signal, timeoutMs } = options;
  const init: CallOptions = { ...(signal === undefined ? {} : { signal }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  const { response } = await client.request("GET", "/api/v4/system/ping", undefined, init);
  return compareWith(response.headers.get("x-version-id") ?? undefined, "header", from);
}
