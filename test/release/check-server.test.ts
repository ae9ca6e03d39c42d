// checkServer against a real HTTP server on 127.0.0.1 (port 0) that answers the ping with the
// X-Version-Id each test chooses, in the format Mattermost's web/handlers.go writes:
// `<version>.<build number>.<config hash>.<licensed>`.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedFrom as generated } from "../../generated/release.js";
import { readDefaultSpec } from "../../generator/paths.js";
import {
  checkServer,
  checkServerVersion,
  createClient,
  type GeneratedFrom,
  generatedFrom,
  MattermostError,
  NetworkError,
  parseServerVersion,
  TimeoutError,
} from "../../runtime/index.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let url: string;
let handler: Handler = () => undefined;
const seen: { method: string; url: string; authorization: string | undefined }[] = [];

/** Answers the ping like Mattermost: `{"status":"OK"}` with the given X-Version-Id (none when undefined). */
const answer =
  (version: string | undefined, status = 200): Handler =>
  (_, response) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (version !== undefined) headers["x-version-id"] = version;
    response.writeHead(status, headers).end(status === 200 ? '{"status":"OK"}' : '{"id":"api.context.404.app_error","status_code":404}');
  };

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ method: request.method ?? "", url: request.url ?? "", authorization: request.headers.authorization });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const v116: GeneratedFrom = { release: "11.6.0", specSha256: "a".repeat(64) };

describe("generatedFrom", () => {
  it("is the pinned release and the hash of the spec the package's client was generated from", () => {
    const pinned = readDefaultSpec();
    expect(generatedFrom).toBe(generated);
    expect(generatedFrom.release).toBe(pinned.version.replace(/^v/, ""));
    const spec = readFileSync(join(import.meta.dirname, "..", "..", pinned.local));
    expect(generatedFrom.specSha256).toBe(createHash("sha256").update(spec).digest("hex"));
  });
});

describe("checkServer over HTTP", () => {
  it("asks GET /api/v4/system/ping and reports an older server (11.4 against 11.6), with its build and license", async () => {
    handler = answer("11.4.0.dev.5f1c3e2b9a7d4c6e8f0a1b2c3d4e5f60.false");
    seen.length = 0;
    const result = await checkServer(createClient({ baseUrl: url, token: "tok" }), { generatedFrom: v116 });
    expect(seen).toEqual([{ method: "GET", url: "/api/v4/system/ping", authorization: "Bearer tok" }]);
    expect(result).toMatchObject({
      status: "older",
      minorsApart: 2,
      source: "header",
      server: { release: "11.4.0", major: 11, minor: 4, patch: 0, buildNumber: "dev", licensed: false },
      client: { release: "11.6.0", specSha256: "a".repeat(64) },
    });
    expect(result.message).toBe(
      "the server runs 11.4.0, older than 11.6.0 this client was generated from: operations added since may answer 404 (see mattermost-typed diff)",
    );
  });

  it("reports the same release with the patch level, and a build number that holds dots", async () => {
    handler = answer("11.6.3.11.6.3.abcdef.true");
    const result = await checkServer(createClient({ baseUrl: url }), { generatedFrom: v116 });
    expect(result).toMatchObject({ status: "same", patch: "newer", server: { buildNumber: "11.6.3", licensed: true } });
    expect(result.message).toBe("the server runs 11.6.3, the release this client was generated from (11.6.0, patch 3 against 0)");
    handler = answer("11.6.0.dev.abcdef.false");
    expect(await checkServer(createClient({ baseUrl: url }), { generatedFrom: v116 })).toMatchObject({ status: "same", patch: "same" });
  });

  it("reports a newer server, across a major release too", async () => {
    handler = answer("11.11.0.dev.x.false");
    expect(await checkServer(createClient({ baseUrl: url }), { generatedFrom: v116 })).toMatchObject({ status: "newer", minorsApart: 5 });
    handler = answer("12.0.1.dev.x.false");
    const result = await checkServer(createClient({ baseUrl: url }), { generatedFrom: v116 });
    expect(result).toMatchObject({ status: "newer", minorsApart: undefined });
    // 12.0 against 11.6 is newer even though its minor is lower.
    handler = answer("10.12.0.dev.x.false");
    expect(await checkServer(createClient({ baseUrl: url }), { generatedFrom: v116 })).toMatchObject({ status: "older" });
  });

  it("compares with the package's own release by default", async () => {
    handler = answer(`${generatedFrom.release ?? ""}.dev.x.false`);
    expect(await checkServer(createClient({ baseUrl: url }))).toMatchObject({ status: "same", patch: "same" });
  });

  it("answers unknown, without throwing, when the server does not say or the client does not know", async () => {
    handler = answer(undefined);
    expect(await checkServer(createClient({ baseUrl: url }), { generatedFrom: v116 })).toMatchObject({
      status: "unknown",
      reason: "no-server-version",
      server: undefined,
    });
    handler = answer("nightly");
    expect(await checkServer(createClient({ baseUrl: url }), { generatedFrom: v116 })).toMatchObject({
      status: "unknown",
      reason: "unreadable-server-version",
      raw: "nightly",
    });
    handler = answer("11.4.0.dev.x.false");
    const result = await checkServer(createClient({ baseUrl: url }), { generatedFrom: { release: null, specSha256: "b".repeat(64) } });
    expect(result).toMatchObject({ status: "unknown", reason: "no-client-release", server: { release: "11.4.0" } });
    expect(result.message).toContain("--release");
  });

  it("rejects with the runtime's typed errors when the ping fails, is refused or hangs", async () => {
    handler = answer("11.4.0.dev.x.false", 404);
    const notFound = await checkServer(createClient({ baseUrl: url, retry: false }), { generatedFrom: v116 }).catch(
      (error: unknown) => error,
    );
    expect(notFound).toBeInstanceOf(MattermostError);
    expect(notFound).toMatchObject({ status: 404, method: "GET" });

    // A port nothing listens on: bind one, note it, close it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await checkServer(createClient({ baseUrl: `http://127.0.0.1:${port}`, retry: false })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NetworkError);

    handler = () => undefined; // never answers
    const hung = await checkServer(createClient({ baseUrl: url, retry: false }), { timeoutMs: 200 }).catch((error: unknown) => error);
    expect(hung).toBeInstanceOf(TimeoutError);
  }, 20_000);
});

describe("checkServerVersion (the socket hello, or a header's text)", () => {
  it("reads the socket:hello signal and a hello event's data", () => {
    expect(checkServerVersion({ serverVersion: "11.4.0.dev.x.false" }, { generatedFrom: v116 })).toMatchObject({
      status: "older",
      source: "hello",
    });
    expect(checkServerVersion({ server_version: "11.6.1.dev.x.false" }, { generatedFrom: v116 })).toMatchObject({
      status: "same",
      patch: "newer",
      source: "hello",
    });
    expect(checkServerVersion("11.7.0", { generatedFrom: v116 })).toMatchObject({ status: "newer", minorsApart: 1, source: "given" });
    expect(checkServerVersion({ server_version: "" }, { generatedFrom: v116 })).toMatchObject({
      status: "unknown",
      reason: "no-server-version",
    });
  });

  it("parses versions with and without the build, hash and license parts", () => {
    expect(parseServerVersion("11.4.0")).toEqual({
      release: "11.4.0",
      major: 11,
      minor: 4,
      patch: 0,
      buildNumber: undefined,
      licensed: undefined,
      raw: "11.4.0",
    });
    expect(parseServerVersion("9.11.17.9.11.17.deadbeef.true")).toMatchObject({
      release: "9.11.17",
      buildNumber: "9.11.17",
      licensed: true,
    });
    expect(parseServerVersion("v11")).toBeUndefined();
  });
});
