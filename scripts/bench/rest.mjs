#!/usr/bin/env node
/**
 * What the REST runtime costs: bytes in a bundle, and time per call.
 *
 * Size: esbuild (`--bundle --minify --format=esm`), then zlib gzip, of
 *   - openapi-fetch's own `createClient` with one request (reference),
 *   - a program that creates a client and calls `createPost` (target <= 5 500 B),
 *   - the same program calling 8 more operations: the cost of each further imported call (target < 120 B),
 *   - a program using the full client (every operation as a method), for comparison.
 * The core bundle must not contain the method table: a route that was not imported must be absent.
 *
 * Time: sequential `getMe` calls against a local node:http server answering a fixed user, through
 * the client as created by default (no timeout), through a client with a 30 s timeout (fetch then
 * gets a signal per request) and through a bare `fetch` + `response.json()` with the same header;
 * all in the same process, taking turns call by call. Prints the median microseconds per call and
 * the ratio (client / fetch).
 *
 * Usage: npm run bench:rest [-- --calls 2000 --rounds 5 --check --json]
 *        npm run bench:rest -- --rate-limited   (only the row under the real server's rate limit)
 *   --check  exit with status 1 when a size target is missed
 * The TypeScript sources are bundled with esbuild into a temporary directory first.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(fileURLToPath(import.meta.url), "../../..");

export const TARGETS = { coreBytes: 5500, perCallBytes: 120 };

/** Operations imported one by one on top of `createPost` to price a further call. */
const MORE = ["getMe", "getUser", "getUsers", "getPostsForChannel", "uploadFile", "deletePost", "patchPost", "getChannel"];

/** esbuild (bundle, minify, ESM) of a TypeScript entry resolved from the repository root, then gzip. */
export async function bundle(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: "bench-entry.ts", loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  return { code, minified: Buffer.byteLength(code), gzip: gzipSync(code).length };
}

const program = (names) => `
import { createClient } from "./runtime/index.ts";
import { ${names.join(", ")} } from "./generated/endpoints/index.ts";
const client = createClient({ baseUrl: "https://chat.example.com", token: "t" });
${names.map((name) => `globalThis.${name} = () => ${name}(client, {} as never);`).join("\n")}
`;

/** Measures the bundle sizes; `ok` tells whether the targets hold. */
export async function measureSizes() {
  const openapiFetch = await bundle(`
import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://chat.example.com" });
globalThis.createPost = () => client.request("POST", "/api/v4/posts", { body: {} });
`);
  const core = await bundle(program(["createPost"]));
  const more = await bundle(program(["createPost", ...MORE]));
  const full = await bundle(`
import { createFullClient } from "./runtime/full.ts";
const client = createFullClient({ baseUrl: "https://chat.example.com", token: "t" });
globalThis.createPost = () => client.createPost({ body: {} });
`);
  const perCall = (more.gzip - core.gzip) / MORE.length;
  const leaks = ["/api/v4/users/{user_id}/image", "/api/v4/users/me"].filter((route) => core.code.includes(route));
  return {
    openapiFetch: openapiFetch.gzip,
    core: core.gzip,
    coreMinified: core.minified,
    perCall,
    full: full.gzip,
    leaks,
    ok: core.gzip <= TARGETS.coreBytes && perCall < TARGETS.perCallBytes && leaks.length === 0,
  };
}

/** What the local server answers to every request: a user as Mattermost's GET /api/v4/users/me returns it. */
const ME_BODY = JSON.stringify({
  id: "8kh5jjrqxpgqjfu9w1ii1ywa9o",
  create_at: 1732350000000,
  update_at: 1732351234567,
  delete_at: 0,
  username: "alice",
  auth_data: "",
  auth_service: "",
  email: "alice@example.com",
  email_verified: true,
  nickname: "",
  first_name: "Alice",
  last_name: "Liddell",
  position: "",
  roles: "system_user system_admin",
  notify_props: {
    channel: "true",
    comments: "never",
    desktop: "mention",
    desktop_sound: "true",
    email: "true",
    first_name: "false",
    mention_keys: "",
    push: "mention",
    push_status: "away",
  },
  last_password_update: 1732350000000,
  locale: "en",
  timezone: { automaticTimezone: "Europe/Berlin", manualTimezone: "", useAutomaticTimezone: "true" },
  disable_welcome_email: false,
});

/**
 * Time per call through the client, through bare fetch and (with `client4`) through
 * @mattermost/client's Client4, in microseconds (median of single sequential calls, the paths
 * taking turns call by call); `calls` x `rounds` calls per path.
 */
export async function measureOverhead({ calls = 2000, rounds = 5, client4 = false } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "mattermost-typed-bench-"));
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(ME_BODY);
    });
  });
  try {
    const entry = join(dir, "entry.mjs");
    const result = await build({
      stdin: {
        contents: `export { createClient } from "./runtime/index.ts"; export { getMe } from "./generated/endpoints/index.ts";`,
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    await writeFile(entry, result.outputFiles[0].text);
    const { createClient, getMe } = await import(pathToFileURL(entry).href);
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${server.address().port}`;
    const client = createClient({ baseUrl: url, token: "bench-token" });
    const viaClient = () => getMe(client);
    const timed = createClient({ baseUrl: url, token: "bench-token", timeoutMs: 30_000 });
    const viaTimed = () => getMe(timed);
    const viaFetch = async () => {
      const response = await fetch(`${url}/api/v4/users/me`, { headers: { Authorization: "Bearer bench-token" } });
      return response.json();
    };
    let viaClient4;
    if (client4) {
      const { Client4 } = createRequire(import.meta.url)("@mattermost/client");
      const official = new Client4();
      official.setUrl(url);
      official.setToken("bench-token");
      viaClient4 = () => official.getMe();
    }
    const paths = { fetch: viaFetch, client: viaClient, timed: viaTimed, ...(viaClient4 ? { client4: viaClient4 } : {}) };
    const names = Object.keys(paths);
    // The paths take turns call by call, so a busy moment of the machine hits all of them; each
    // path's time per call is the median of its single calls (robust to GC and scheduler pauses).
    const latencies = Object.fromEntries(names.map((name) => [name, []]));
    for (let i = 0; i < Math.min(200, calls); i++) for (const name of names) await paths[name]();
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < calls; i++) {
        for (const name of names) {
          const started = performance.now();
          await paths[name]();
          latencies[name].push((performance.now() - started) * 1000);
        }
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const clientUs = median(latencies.client);
    const fetchUs = median(latencies.fetch);
    const timedUs = median(latencies.timed);
    const times = { clientUs, fetchUs, timedUs, ratio: clientUs / fetchUs, overheadUs: clientUs - fetchUs, calls: calls * rounds };
    if (viaClient4) times.client4Us = median(latencies.client4);
    return times;
  } finally {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Under the real server's rate limit (issue 24): starts the Mattermost server of the e2e tests
 * (scripts/mattermost-server, 10 requests/s, burst 10, built into the cache), makes a fresh user
 * with a token (a fresh budget), and sends `calls` mixed calls at once with the client's defaults
 * (getMe, getUser, createPost, getPostsForChannel, getChannel in turn). Reports failures, the 429
 * answers received (counted by middleware), the time, and the ratio to the ideal time
 * `calls / perSec` (the issue's measure; the server's own floor, `(calls - burst - 1) / perSec`, is
 * reported too).
 */
export async function measureRateLimited({ calls = 200 } = {}) {
  const { startServer } = await import("../mattermost-server/server.mjs");
  const dir = await mkdtemp(join(tmpdir(), "mattermost-typed-bench-"));
  const server = await startServer({ report: () => {} });
  try {
    const entry = join(dir, "entry.mjs");
    const result = await build({
      stdin: {
        contents: `export { createClient } from "./runtime/index.ts"; export * from "./generated/endpoints/index.ts";`,
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    await writeFile(entry, result.outputFiles[0].text);
    const api = await import(pathToFileURL(entry).href);
    const admin = api.createClient({ baseUrl: server.url, token: server.admin.token, retry: { retries: 10, unsafe: true } });
    const username = `bench-${Date.now().toString(36)}`;
    const user = await api.createUser(admin, { body: { username, email: `${username}@example.com`, password: "Bench-password-1!" } });
    await api.addTeamMember(admin, { team_id: server.team.id, body: { team_id: server.team.id, user_id: user.id } });
    const channel = await api.createChannel(admin, {
      body: { team_id: server.team.id, name: username, display_name: username, type: "O" },
    });
    await api.addChannelMember(admin, { channel_id: channel.id, body: { user_ids: [user.id] } });
    const { token } = await api.createUserAccessToken(admin, { user_id: user.id, body: { description: "bench" } });
    let limited = 0;
    let waits = 0;
    const client = api.createClient({
      baseUrl: server.url,
      token,
      middleware: [{ onResponse: ({ response }) => void (response.status === 429 && limited++) }],
      onWait: () => void waits++,
    });
    const channel_id = channel.id;
    const mixed = [
      () => api.getMe(client),
      () => api.getUser(client, { user_id: user.id }),
      (i) => api.createPost(client, { body: { channel_id, message: `bench ${i}` } }),
      () => api.getPostsForChannel(client, { channel_id, per_page: 5 }),
      () => api.getChannel(client, { channel_id }),
    ];
    const started = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: calls }, (_, i) => mixed[i % mixed.length](i)));
    const seconds = (performance.now() - started) / 1000;
    const { perSec, maxBurst } = server.rateLimit;
    const ideal = calls / perSec;
    return {
      calls,
      perSec,
      maxBurst,
      failures: outcomes.filter((outcome) => outcome.status === "rejected").length,
      firstFailure: String(outcomes.find((outcome) => outcome.status === "rejected")?.reason ?? ""),
      limited,
      waits,
      seconds,
      idealSeconds: ideal,
      floorSeconds: (calls - maxBurst - 1) / perSec,
      ratio: seconds / ideal,
    };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values: args } = parseArgs({
    options: {
      calls: { type: "string", default: "2000" },
      rounds: { type: "string", default: "5" },
      check: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      "rate-limited": { type: "boolean", default: false },
    },
  });
  if (args["rate-limited"]) {
    const row = await measureRateLimited();
    process.stdout.write(`${JSON.stringify(row, null, 2)}\n`);
    process.exit(row.failures ? 1 : 0);
  }
  const sizes = await measureSizes();
  const time = await measureOverhead({ calls: Number(args.calls), rounds: Number(args.rounds) });
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ sizes, time, targets: TARGETS }, null, 2)}\n`);
  } else {
    const mark = (ok) => (ok ? "ok" : "MISSED");
    process.stdout.write(
      [
        "REST runtime: bundle size (esbuild --bundle --minify --format=esm, gzip)",
        `  openapi-fetch createClient + 1 request   ${sizes.openapiFetch} B (reference)`,
        `  createClient + createPost                ${sizes.core} B (target <= ${TARGETS.coreBytes}: ${mark(sizes.core <= TARGETS.coreBytes)}; ${sizes.coreMinified} B minified)`,
        `  each further imported call               ${sizes.perCall.toFixed(1)} B (target < ${TARGETS.perCallBytes}: ${mark(sizes.perCall < TARGETS.perCallBytes)})`,
        `  full client (every operation a method)   ${sizes.full} B`,
        `  routes leaked into the core bundle       ${sizes.leaks.length ? sizes.leaks.join(", ") : "none"}`,
        "",
        `REST runtime: time per getMe call on a local server (${args.calls} calls x ${args.rounds} rounds, median)`,
        `  bare fetch + json()   ${time.fetchUs.toFixed(1)} us`,
        `  client                ${time.clientUs.toFixed(1)} us (+${time.overheadUs.toFixed(1)} us, ratio ${time.ratio.toFixed(2)})`,
        `  client, 30 s timeout  ${time.timedUs.toFixed(1)} us (ratio ${(time.timedUs / time.fetchUs).toFixed(2)})`,
        "",
      ].join("\n"),
    );
  }
  if (args.check && !sizes.ok) process.exitCode = 1;
}
