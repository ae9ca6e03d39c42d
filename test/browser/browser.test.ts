// The client in a real browser (issue #21): Debian's Chromium, driven by playwright-core, loads a
// page served on the same origin as the real Mattermost server (test/browser/proxy.ts, in front of
// the server that test/e2e/global-setup.ts starts) and the client bundled by esbuild as an ES
// module (test/browser/page.ts). The page signs in with a cookie session, posts, opens the socket
// with the browser's own WebSocket, survives cuts of the proxied connections, and shows what a
// token in a browser cannot do: resume. `npm run test:browser` (vitest.browser.config.ts).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPost, getPost } from "../../generated/endpoints/posts.js";
import { patchConfig } from "../../generated/endpoints/system.js";
import { type Client, createClient } from "../../runtime/index.js";
import { type ThrowawayUser, adminClient, freshChannel, sleep, throwawayUser } from "../e2e/fixtures.js";
import { mattermost } from "../e2e/server-facts.js";
import { type Browser, bundleClient, launchBrowser } from "./browser.js";
import type { SocketRecord } from "./page.js";
import { type SameOriginProxy, type SeenRequest, startSameOriginProxy } from "./proxy.js";

let browser: Browser;
let proxy: SameOriginProxy;
let admin: Client;
let user: ThrowawayUser;
let poster: ThrowawayUser;

beforeAll(async () => {
  admin = adminClient();
  [user, poster] = await Promise.all([throwawayUser(admin, "browser-user"), throwawayUser(admin, "browser-poster")]);
  proxy = await startSameOriginProxy(mattermost().port, await bundleClient());
  // The server's public address is the proxy's, as behind any reverse proxy: the server refuses a
  // WebSocket upgrade whose Origin is not its SiteURL ("URL Blocked because of CORS").
  await patchConfig(admin, { body: { ServiceSettings: { SiteURL: proxy.url } } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await patchConfig(admin, { body: { ServiceSettings: { SiteURL: mattermost().url } } });
});

/** A channel of its own for one test, with the browser's user and the poster in it; its system messages let pass. */
async function channelFor(prefix: string): Promise<string> {
  const channel = await freshChannel(admin, prefix, [user.id, poster.id]);
  await sleep(1_000);
  return channel.id ?? "";
}

const record = (page: Page, name: string): Promise<SocketRecord> => page.evaluate((socket) => window.app.record(socket), name);

/** Resolves once `check` (which asks the page) gives something other than `undefined`; rejects after `timeoutMs` naming `what`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${browser.console.join("\n")}`);
    await sleep(50);
  }
}

/** Posts made from Node, waited for in the page's socket `name`. */
const postsIn = (page: Page, name: string, atLeast: number): Promise<SocketRecord> =>
  until(
    `${atLeast} posts in the page's socket "${name}"`,
    async () => {
      const now = await record(page, name);
      return now.posts.length >= atLeast ? now : undefined;
    },
    20_000,
  );

/** The value of cookie `name` in a request's Cookie header. */
const cookieOf = (request: SeenRequest | undefined, name: string): string | undefined =>
  new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(String(request?.headers.cookie ?? ""))?.[1];

const seenSince = (start: number, match: (request: SeenRequest) => boolean): SeenRequest[] => proxy.seen.slice(start).filter(match);

/** Posts `count` messages from Node through REST, one every `gapMs`; resolves with their ids in order. */
async function postFromNode(channel_id: string, count: number, gapMs: number, ids: string[]): Promise<string[]> {
  const client = createClient({ baseUrl: mattermost().url, token: poster.token, retry: { retries: 10, unsafe: true } });
  for (let i = 0; i < count; i++) {
    ids.push((await createPost(client, { body: { channel_id, message: `from node ${i}` } })).id ?? "");
    await sleep(gapMs);
  }
  return ids;
}

describe("a cookie session in Chromium, on the server's origin", () => {
  let page: Page;
  let channel_id = "";

  beforeAll(async () => {
    channel_id = await channelFor("browser");
    page = await browser.open(`${proxy.url}/`);
  });

  // Its sockets go with it, even those of a failed test, so the next tests cut only their own.
  afterAll(() => page?.close());

  it("signs in with a password (session cookie + CSRF), calls REST and creates a post", async () => {
    const start = proxy.seen.length;
    const signedIn = await page.evaluate(([login, password]) => window.app.signIn(login, password), [user.username, user.password] as [
      string,
      string,
    ]);
    expect(signedIn.loginId).toBe(user.id);
    expect(signedIn.meId).toBe(user.id);
    // MMAUTHTOKEN is HttpOnly: the page never sees the session token; MMCSRF is for it to read.
    expect(signedIn.cookies).toContain("MMCSRF");
    expect(signedIn.cookies).not.toContain("MMAUTHTOKEN");

    const message = `from the browser ${Date.now()}`;
    const id = await page.evaluate(([channel, text]) => window.app.post(channel, text), [channel_id, message] as [string, string]);
    const stored = await getPost(admin, { post_id: id });
    expect(stored.message).toBe(message);
    expect(stored.user_id).toBe(user.id);

    // What the browser sent: the cookie, never a bearer token; the CSRF token on the POST only.
    const me = seenSince(start, (request) => request.method === "GET" && request.url === "/api/v4/users/me")[0];
    const created = seenSince(start, (request) => request.method === "POST" && request.url === "/api/v4/posts")[0];
    expect(cookieOf(me, "MMAUTHTOKEN")).toMatch(/^[a-z0-9]{26}$/);
    expect(me?.headers["x-csrf-token"]).toBeUndefined();
    expect(created?.headers["x-csrf-token"]).toBe(cookieOf(created, "MMCSRF"));
    expect(created?.headers["x-requested-with"]).toBe("XMLHttpRequest");
    for (const request of [me, created]) expect(request?.headers.authorization).toBeUndefined();
  });

  it("opens the socket with the browser's WebSocket on the cookie, receives a typed posted and gets an action's reply", async () => {
    const start = proxy.seen.length;
    await page.evaluate((channel) => window.app.openSocket("cookie", "", channel), channel_id);
    await page.evaluate(() => window.app.ready("cookie"));
    const [upgrade, ...more] = seenSince(start, (request) => request.upgrade);
    expect(more).toEqual([]);
    expect(upgrade?.url).toBe("/api/v4/websocket");
    expect(cookieOf(upgrade, "MMAUTHTOKEN")).toMatch(/^[a-z0-9]{26}$/);
    expect(upgrade?.headers.authorization).toBeUndefined();
    // No subprotocol asked for: an `undefined` argument reached Chromium as the protocol "undefined".
    expect(upgrade?.headers["sec-websocket-protocol"]).toBeUndefined();

    const ids = await postFromNode(channel_id, 1, 0, []);
    const seen = await postsIn(page, "cookie", 1);
    expect(seen.posts).toEqual(ids);
    expect(seen.undecoded).toBe(0);

    const reply = await page.evaluate((id) => window.app.statuses("cookie", [id]), user.id);
    expect(reply[user.id]).toBe("online");
    const final = await record(page, "cookie");
    expect(final.errors).toEqual([]);
    expect(final.lost).toEqual([]);
    expect(final.hellos).toBe(1);
    await page.evaluate(() => window.app.closeSocket("cookie"));
  });

  it("checks the cookie session, not an empty bearer token, when a connection closes before its hello", async () => {
    proxy.dropBeforeHello();
    const start = proxy.seen.length;
    await page.evaluate((id) => window.app.openSocket("checked", "", id), channel_id);
    await page.evaluate(() => window.app.ready("checked"));
    const final = await record(page, "checked");
    expect(final.errors.filter((error) => error.startsWith("auth_failed"))).toEqual([]);
    const upgrades = seenSince(start, (request) => request.upgrade);
    // The REST check between the dropped connection and the next one: the cookie, no Authorization header.
    const checks = seenSince(start, (request) => request.method === "GET" && request.url === "/api/v4/users/me");
    expect(upgrades).toHaveLength(2);
    expect(checks).toHaveLength(1);
    expect(proxy.seen.indexOf(checks[0] as SeenRequest)).toBeGreaterThan(proxy.seen.indexOf(upgrades[0] as SeenRequest));
    expect(proxy.seen.indexOf(checks[0] as SeenRequest)).toBeLessThan(proxy.seen.indexOf(upgrades[1] as SeenRequest));
    expect(Object.keys(checks[0]?.headers ?? {})).not.toContain("authorization");
    expect(cookieOf(checks[0], "MMAUTHTOKEN")).toMatch(/^[a-z0-9]{26}$/);
    expect(final.state).toBe("open");
    expect(final.opens).toHaveLength(2);
    expect(final.hellos).toBe(1);
    await page.evaluate(() => window.app.closeSocket("checked"));
  });

  it("resumes after its connections are cut while Node posts through REST: every post arrives once, in order", async () => {
    const channel = await channelFor("browser-resume");
    await page.evaluate((id) => window.app.openSocket("resume", "", id), channel);
    await page.evaluate(() => window.app.ready("resume"));
    const { connectionId } = await record(page, "resume");

    const count = 30;
    const created: string[] = [];
    const posting = postFromNode(channel, count, 120, created);
    let cuts = 0;
    let createdWhileDown = 0;
    for (const after of [5, 15]) {
      await postsIn(page, "resume", after);
      const before = created.length;
      proxy.refuse();
      cuts += proxy.cut();
      await sleep(1_000);
      createdWhileDown += created.length - before;
      proxy.restore();
    }
    await posting;
    const done = await postsIn(page, "resume", count);
    await sleep(500); // room for a duplicate to show up, if one were coming
    const final = await record(page, "resume");

    expect(cuts).toBe(2);
    expect(createdWhileDown, "posts created while the socket was down").toBeGreaterThanOrEqual(8);
    expect(done.posts.length).toBe(count);
    expect(final.posts).toEqual(created);
    expect(new Set(final.posts).size).toBe(count);
    expect(final.lost).toEqual([]);
    expect(final.resumed.map((signal) => signal.connectionId)).toEqual([connectionId, connectionId]);
    expect(final.resumed.reduce((sum, signal) => sum + signal.replayed, 0)).toBeGreaterThan(0);
    expect(final.opens.filter((open) => open.resuming).length).toBeGreaterThanOrEqual(2);
    expect(final.hellos).toBe(1);
    expect(final.connectionId).toBe(connectionId);
    expect(final.errors.filter((error) => !error.startsWith("transport:"))).toEqual([]);
    await page.evaluate(() => window.app.closeSocket("resume"));
  });
});

describe("a token in Chromium", () => {
  it("cannot resume (the upgrade carries no credentials): the cut is signalled as socket:lost, new_session", async () => {
    const channel = await channelFor("browser-token");
    // No cookie session: the token alone authenticates, in the authentication_challenge.
    await browser.context.clearCookies();
    const page = await browser.open(`${proxy.url}/`);
    const start = proxy.seen.length;
    await page.evaluate(([token, id]) => window.app.openSocket("token", token, id), [user.token, channel] as [string, string]);
    await page.evaluate(() => window.app.ready("token"));
    const first = await record(page, "token");
    const [upgrade] = seenSince(start, (request) => request.upgrade);
    expect(upgrade?.headers.cookie).toBeUndefined();
    expect(upgrade?.headers.authorization).toBeUndefined();

    const before = await postFromNode(channel, 1, 0, []);
    await postsIn(page, "token", 1);
    proxy.refuse();
    expect(proxy.cut()).toBe(1);
    const whileDown = await postFromNode(channel, 3, 100, []);
    proxy.restore();
    const after = await until(
      "a new session",
      async () => {
        const now = await record(page, "token");
        return now.lost.length > 0 && now.state === "open" ? now : undefined;
      },
      20_000,
    );
    const later = await postFromNode(channel, 1, 0, []);
    await postsIn(page, "token", 2);
    const final = await record(page, "token");

    // It asked to resume, and the server started a new session instead.
    expect(final.opens.map((open) => open.resuming)).toEqual([false, true]);
    expect(after.lost).toHaveLength(1);
    expect(after.lost[0]?.reason).toBe("new_session");
    expect(after.lost[0]?.previousConnectionId).toBe(first.connectionId);
    expect(after.lost[0]?.connectionId).not.toBe(first.connectionId);
    expect(final.resumed).toEqual([]);
    expect(final.hellos).toBe(2);
    // The posts made while it was down are what was lost: never delivered through the socket.
    expect(final.posts).toEqual([...before, ...later]);
    for (const id of whileDown) expect(final.posts).not.toContain(id);
    await page.evaluate(() => window.app.closeSocket("token"));
    await page.close();
  });
});
