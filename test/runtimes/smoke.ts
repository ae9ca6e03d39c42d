/**
 * The client in a runtime other than Node (Bun, Deno), against the real server: a REST call
 * (getMe) and a typed `posted` event from the socket. test/runtimes/runtimes.test.ts runs it with
 * each runtime's binary from node_modules and reads the one JSON line it prints:
 *
 *   { "runtime": "bun 1.4.5", "checks": [{ "name": "getMe", "ok": true, "detail": "..." }, ...] }
 *
 *   MATTERMOST_URL=... MATTERMOST_TOKEN=<user token> MATTERMOST_POSTER_TOKEN=<another user's token>
 *   MATTERMOST_CHANNEL_ID=... bun test/runtimes/smoke.ts
 */
import { createPost, getMe } from "../../generated/endpoints/index.js";
import type { PostedEvent } from "../../generated/events.js";
import { createClient } from "../../runtime/index.js";
import { createMattermostSocket } from "../../runtime/socket/index.js";

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const scope = globalThis as {
  Bun?: { version: string };
  Deno?: { version: { deno: string }; env: { get(name: string): string | undefined }; exit(code: number): never };
  process?: { env: Record<string, string | undefined>; versions?: { node?: string } };
};
const runtime = scope.Bun
  ? `bun ${scope.Bun.version}`
  : scope.Deno
    ? `deno ${scope.Deno.version.deno}`
    : `node ${scope.process?.versions?.node}`;
const env = (name: string): string => {
  const value = scope.Deno ? scope.Deno.env.get(name) : scope.process?.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
};

const checks: Check[] = [];
async function check(name: string, run: () => Promise<string>): Promise<void> {
  try {
    checks.push({ name, ok: true, detail: await run() });
  } catch (error) {
    checks.push({ name, ok: false, detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}

const url = env("MATTERMOST_URL");
const client = createClient({ baseUrl: url, token: env("MATTERMOST_TOKEN") });

await check("getMe", async () => {
  const me = await getMe(client);
  return `${me.username} ${me.id}`;
});

await check("posted", async () => {
  const socket = createMattermostSocket({ url, token: env("MATTERMOST_TOKEN") });
  try {
    const message = `from ${runtime} ${Date.now()}`;
    const received = new Promise<PostedEvent>((resolve) => {
      socket.on("posted", (event) => {
        if (event.data.post.message === message) resolve(event);
      });
    });
    await socket.ready();
    const poster = createClient({ baseUrl: url, token: env("MATTERMOST_POSTER_TOKEN") });
    const post = await createPost(poster, { body: { channel_id: env("MATTERMOST_CHANNEL_ID"), message } });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no posted event within 15 s")), 15_000);
    });
    const event = await Promise.race([received, timeout]);
    clearTimeout(timer);
    if (event.data.post.id !== post.id) throw new Error(`posted ${event.data.post.id}, expected ${post.id}`);
    return `${event.event} ${event.data.post.id} in ${event.data.channel_name}`;
  } finally {
    await socket.close();
  }
});

console.log(JSON.stringify({ runtime, checks }));
