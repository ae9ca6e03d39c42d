// `mattermost-typed listen` as a user runs it: the real bin, spawned, against the mock Mattermost
// WebSocket server on 127.0.0.1. Events published by the server must come out as lines; drops,
// resumes and losses must be reported; SIGINT must close cleanly with exit 0.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MockSocketServer } from "../support/mock-socket-server.js";
import { type Running, ensureBuilt, run, start } from "./support.js";

const TOKEN = "listen-token-4f9a1c7e2b";
let server: MockSocketServer;
let running: Running[] = [];

beforeAll(async () => {
  await ensureBuilt();
  server = await MockSocketServer.start({ tokens: { [TOKEN]: "user-1" } });
});
afterAll(() => server.close());
afterEach(async () => {
  for (const child of running) {
    if (child.child.exitCode === null) child.child.kill("SIGKILL");
    // The token is never printed, whatever happened.
    expect(child.stdout).not.toContain(TOKEN);
    expect(child.stderr).not.toContain(TOKEN);
  }
  running = [];
  server.forgetSessions();
});

function listen(args: string[], env: Record<string, string> = { MATTERMOST_URL: server.url, MATTERMOST_TOKEN: TOKEN }): Running {
  const child = start(["listen", ...args], env);
  running.push(child);
  return child;
}

const post = (message: string) => ({
  channel_display_name: "Town Square",
  channel_name: "town-square",
  channel_type: "O",
  sender_name: "@alice",
  set_online: true,
  post: JSON.stringify({ id: "post1", channel_id: "town-square", user_id: "user-1", message }),
});

/** Parsed stdout lines (JSON mode). */
function lines(child: Running): Record<string, unknown>[] {
  return child.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function interrupt(child: Running): Promise<number | null> {
  child.child.kill("SIGINT");
  const { code } = await child.exited;
  return code;
}

describe("listen --json", () => {
  it("prints each event as one JSON object per line, JSON-text fields decoded", async () => {
    const child = listen(["--json"]);
    await child.waitFor(/"event":"hello"/, "stdout");
    server.publish("posted", post("hello from the socket"), { channel_id: "town-square" });
    server.publish("typing", { parent_id: "", user_id: "user-2" }, { channel_id: "town-square" });
    await child.waitFor(/"event":"typing"/, "stdout");
    const printed = lines(child);
    expect(printed.map((line) => line.event ?? `signal:${String(line.signal)}`)).toEqual(["hello", "signal:hello", "posted", "typing"]);
    expect(printed[2]).toMatchObject({
      event: "posted",
      seq: 1,
      data: { post: { message: "hello from the socket" }, sender_name: "@alice" },
    });
    expect(printed[1]).toMatchObject({ signal: "hello", first: true, serverVersion: "11.6.0.11.6.0.mockhash.false" });
    expect(await interrupt(child)).toBe(0);
    expect(lines(child).at(-1)).toEqual({ signal: "close", reason: "closed" });
  });

  it("--event keeps only the named events", async () => {
    const child = listen(["--json", "--event", "typing", "-e", "reaction_added"]);
    await child.waitFor(/"signal":"hello"/, "stdout");
    server.publish("posted", post("not shown"));
    server.publish("typing", { parent_id: "", user_id: "user-2" });
    server.publish("reaction_added", {
      reaction: JSON.stringify({ user_id: "user-2", post_id: "post1", emoji_name: "tada", create_at: 1 }),
    });
    await child.waitFor(/"event":"reaction_added"/, "stdout");
    const events = lines(child).filter((line) => "event" in line);
    expect(events.map((line) => line.event)).toEqual(["typing", "reaction_added"]);
    expect(events[1]).toMatchObject({ data: { reaction: { emoji_name: "tada" } } });
    expect(await interrupt(child)).toBe(0);
  });
});

describe("listen (human lines)", () => {
  it("prints one line per event and says when it connected; SIGINT exits 0", async () => {
    const child = listen([]);
    await child.waitFor(/connected to 127\.0\.0\.1:\d+: session [a-z0-9]+, server 11\.6\.0/, "stderr");
    server.publish("posted", post("hi there"));
    const [line] = await child.waitFor(/^.* posted seq=1 .*$/m, "stdout");
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} posted seq=1 @alice in "Town Square" post=post1: "hi there" channel_name=town-square channel_type=O set_online=true$/,
    );
    expect(await interrupt(child)).toBe(0);
    expect(child.stderr).toMatch(/\d closed\n$/);
  });

  it("reconnects after the server cuts the connection and says it resumed, replaying what was missed", async () => {
    const child = listen([]);
    await child.waitFor(/connected to/, "stderr");
    server.terminateAll();
    // Published while the client is away: the server keeps it for the resume.
    server.publish("typing", { parent_id: "", user_id: "user-2" });
    await child.waitFor(/disconnected \(closed with code 1006\); reconnecting in [\d.]+ s \(attempt 1\)/, "stderr");
    await child.waitFor(/resumed session [a-z0-9]+ after [\d.]+ s: no events lost \(1 replayed\)/, "stderr");
    await child.waitFor(/ typing seq=1 parent_id="" user_id=user-2$/m, "stdout");
    expect(child.stderr).not.toMatch(/LOST/);
    expect(await interrupt(child)).toBe(0);
  });

  it("says LOST when the server could not resume the session", async () => {
    const child = listen([]);
    await child.waitFor(/connected to/, "stderr");
    server.forgetSessions();
    server.terminateAll();
    await child.waitFor(
      /LOST events: the server could not resume session [a-z0-9]+ after [\d.]+ s and started [a-z0-9]+; events from seq 1 on may be missing/,
      "stderr",
    );
    expect(await interrupt(child)).toBe(0);
  });

  it("--json reports the resume and the loss as signal lines", async () => {
    const child = listen(["--json"]);
    await child.waitFor(/"signal":"hello"/, "stdout");
    server.terminateAll();
    await child.waitFor(/"signal":"resumed"/, "stdout");
    server.forgetSessions();
    server.terminateAll();
    await child.waitFor(/"signal":"hello",[^\n]*"first":false/, "stdout");
    const signals = lines(child).filter((line) => "signal" in line);
    expect(signals.map((line) => line.signal)).toEqual(["hello", "reconnecting", "resumed", "reconnecting", "lost", "hello"]);
    expect(signals[4]).toMatchObject({ reason: "new_session", fromSeq: 1, toSeq: null });
    expect(signals[5]).toMatchObject({ first: false, connectionId: signals[4]?.connectionId });
    expect(await interrupt(child)).toBe(0);
  });
});

describe("stopping", () => {
  it("SIGTERM closes cleanly with exit 0", async () => {
    const child = listen([]);
    await child.waitFor(/connected to/, "stderr");
    child.child.kill("SIGTERM");
    expect((await child.exited).code).toBe(0);
    expect(child.stderr).toMatch(/\d closed\n$/);
  });

  it("stops with exit 0 when the reader of its output goes away (`listen | head -1`)", async () => {
    const child = listen(["--json"]);
    await child.waitFor(/"signal":"hello"/, "stdout");
    child.child.stdout.destroy();
    server.publish("typing", { parent_id: "", user_id: "user-2" });
    server.publish("typing", { parent_id: "", user_id: "user-2" });
    expect((await child.exited).code).toBe(0);
  });
});

describe("bad input and refusals", () => {
  it("an unknown event name is rejected with the catalog's names", async () => {
    const before = server.connects.length;
    const result = await run(["listen", "--event", "postd"], { MATTERMOST_URL: server.url, MATTERMOST_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: unknown event "postd" \(did you mean .*posted.*\)\. The events: added_to_team, .*, posted, .*, typing, /,
    );
    expect(server.connects).toHaveLength(before);
  });

  it("--cursor-file without --recover: exit 2", async () => {
    const result = await run(["listen", "--cursor-file", "cursors.json"], { MATTERMOST_URL: server.url, MATTERMOST_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: --cursor-file needs --recover.\n");
  });

  it("--recover with a corrupt cursor file: exit 2 naming the file, no connection", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-listen-cursors-"));
    try {
      const file = join(dir, "cursors.json");
      writeFileSync(file, "{ not json");
      const before = server.connects.length;
      const result = await run(["listen", "--recover", "--cursor-file", file], { MATTERMOST_URL: server.url, MATTERMOST_TOKEN: TOKEN });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`^error: --cursor-file: the cursor file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not JSON`),
      );
      expect(server.connects).toHaveLength(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("no token: exit 2", async () => {
    const result = await run(["listen"], { MATTERMOST_URL: server.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: listen needs a token: set MATTERMOST_TOKEN (or run it in a terminal to be asked for one).\n");
  });

  it("a token the server refuses: exit 4, the token not printed", async () => {
    const bad = "refused-token-9d8e7f6a5b";
    const child = listen([], { MATTERMOST_URL: server.url, MATTERMOST_TOKEN: bad });
    const { code } = await child.exited;
    expect(code).toBe(4);
    expect(child.stderr).toMatch(/socket auth_failed: the server refused the token/);
    expect(child.stderr).not.toContain(bad);
  });
});
