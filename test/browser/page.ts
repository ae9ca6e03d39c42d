// What the test page runs: the client as an app on the server's origin uses it. test/browser/bundle.ts
// bundles this file with esbuild (ESM, browser platform), the proxy serves it as /client.js, and the
// page imports it as a module and puts its exports on `window.app`; the tests call them through
// Playwright. Everything goes through the runtime itself (createClient with the browser session,
// login, the generated functions, createMattermostSocket with the browser's own WebSocket).
import { createPost } from "../../generated/endpoints/posts.js";
import { type Client, createClient, getMe, login } from "../../runtime/index.js";
import { type MattermostSocket, createMattermostSocket } from "../../runtime/socket/index.js";

declare global {
  interface Window {
    app: typeof import("./page.js");
  }
}

/** What one socket of the page has seen, as plain JSON for the test. */
export interface SocketRecord {
  readonly state: string;
  readonly connectionId: string | null;
  /** The ids of the user posts (not system messages) received in the watched channel, in order. */
  readonly posts: string[];
  /** `posted` events whose `data.post` was not decoded into an object (must stay empty). */
  undecoded: number;
  hellos: number;
  readonly opens: { resuming: boolean }[];
  readonly resumed: { connectionId: string; replayed: number }[];
  readonly lost: { reason: string; previousConnectionId: string; connectionId: string; fromSeq: number }[];
  readonly errors: string[];
}

let client: Client | undefined;
const sockets = new Map<string, { socket: MattermostSocket; record: SocketRecord }>();

function signedIn(): Client {
  if (!client) throw new Error("signIn first");
  return client;
}

/** Signs in with a password on a browser session (cookies + CSRF), then asks who we are. */
export async function signIn(login_id: string, password: string): Promise<{ loginId: string; meId: string; cookies: string[] }> {
  client = createClient({ baseUrl: location.origin, session: "browser" });
  const user = await login(client, { login_id, password });
  const me = await getMe(client);
  return {
    loginId: user.id ?? "",
    meId: me.id ?? "",
    cookies: document.cookie.split(";").map((cookie) => cookie.split("=")[0]?.trim() ?? ""),
  };
}

/** Creates a post through REST on the browser session; resolves with its id. */
export async function post(channel_id: string, message: string): Promise<string> {
  const created = await createPost(signedIn(), { body: { channel_id, message } });
  return created.id ?? "";
}

/**
 * Opens a socket named `name` on the page's origin with `token` ("" for the cookie session), the
 * browser's own WebSocket (the default outside Node), watching `channelId` for posts.
 */
export function openSocket(name: string, token: string, channelId: string): void {
  const socket = createMattermostSocket({
    url: location.origin,
    token,
    pingIntervalMs: 0,
    reconnect: { initialDelayMs: 200, maxDelayMs: 500, jitter: 0 },
  });
  const record: SocketRecord = {
    state: "",
    connectionId: null,
    posts: [],
    undecoded: 0,
    hellos: 0,
    opens: [],
    resumed: [],
    lost: [],
    errors: [],
  };
  socket.on("posted", (event) => {
    const data = event.data.post;
    if (typeof data !== "object" || data === null) record.undecoded++;
    else if (data.channel_id === channelId && data.type === "") record.posts.push(data.id);
  });
  socket.on("socket:hello", () => void record.hellos++);
  socket.on("socket:open", (signal) => void record.opens.push({ resuming: signal.resuming }));
  socket.on("socket:resumed", (signal) => void record.resumed.push({ connectionId: signal.connectionId, replayed: signal.replayed }));
  socket.on(
    "socket:lost",
    (signal) =>
      void record.lost.push({
        reason: signal.reason,
        previousConnectionId: signal.previousConnectionId,
        connectionId: signal.connectionId,
        fromSeq: signal.fromSeq,
      }),
  );
  socket.on("socket:error", (signal) => void record.errors.push(`${signal.code}: ${signal.message}`));
  sockets.set(name, { socket, record });
}

function socketNamed(name: string): { socket: MattermostSocket; record: SocketRecord } {
  const found = sockets.get(name);
  if (!found) throw new Error(`no socket named ${name}`);
  return found;
}

/** Resolves once the socket is ready (hello, or a confirmed resume); rejects after 15 s with what it saw. */
export function ready(name: string): Promise<void> {
  const signal = AbortSignal.timeout(15_000);
  return socketNamed(name)
    .socket.ready({ signal })
    .catch((error: Error) => {
      throw new Error(`socket "${name}" not ready (${error.message}): ${JSON.stringify(record(name))}`);
    });
}

/** A snapshot of what the socket has seen. */
export function record(name: string): SocketRecord {
  const { socket, record } = socketNamed(name);
  return { ...record, state: socket.state, connectionId: socket.connectionId };
}

/** Sends `get_statuses_by_ids` for `userIds` and resolves with the reply's data. */
export function statuses(name: string, userIds: string[]): Promise<Record<string, string>> {
  return socketNamed(name).socket.send("get_statuses_by_ids", { user_ids: userIds });
}

export async function closeSocket(name: string): Promise<void> {
  await socketNamed(name).socket.close();
  sockets.delete(name);
}
