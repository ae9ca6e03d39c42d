/**
 * The examples run against the mock server (they are also type-checked with the project).
 */
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { type MockMattermost, startMockMattermost } from "../support/mock-mattermost.js";

let mock: MockMattermost;
let output: string[];
beforeAll(async () => {
  mock = await startMockMattermost();
  mock.addPosts("town-square", 30);
  process.env.MATTERMOST_URL = mock.url;
  process.env.MATTERMOST_TOKEN = mock.addToken(mock.users[0]!.id);
  process.env.CHANNEL_ID = "town-square";
});
afterAll(async () => {
  for (const name of ["MATTERMOST_URL", "MATTERMOST_TOKEN", "CHANNEL_ID"]) delete process.env[name];
  await mock.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  mock.reset();
});

async function run(name: string): Promise<string> {
  output = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void output.push(args.join(" ")));
  await import(`../../examples/${name}.ts`);
  return output.join("\n");
}

test("current-user", async () => {
  expect(await run("current-user")).toMatch(/^alice \([a-z0-9]{26}\), roles: system_user system_admin\nserver version: null$/);
});

test("bot-post", async () => {
  expect(await run("bot-post")).toMatch(/^posted [a-z0-9]{26}$/);
  const post = mock.posts.at(-1)!;
  expect(post.props).toMatchObject({ attachments: [{ title: "Release 1.4.2", color: "good" }] });
});

test("daily-post-counts", async () => {
  expect(await run("daily-post-counts")).toBe("2026-03-03      12\n2026-03-02       7\n2026-03-01       0");
});

test("upload-and-post", async () => {
  const argv = process.argv;
  process.argv = [argv[0]!, "upload-and-post.ts", "package.json"];
  try {
    expect(await run("upload-and-post")).toMatch(/^posted [a-z0-9]{26} with 1 file\(s\)$/);
  } finally {
    process.argv = argv;
  }
  expect([...mock.files.values()].at(-1)?.name).toBe("package.json");
  expect(mock.posts.at(-1)?.file_ids).toHaveLength(1);
});

test("channel-history", async () => {
  expect((await run("channel-history")).split("\n").length).toBeGreaterThanOrEqual(30);
});

test("rate-limits", async () => {
  // The window runs from the 40th request: the 41st meets the limit however long the first 40 took.
  mock.rateLimit = { limit: 40, windowMs: 1000, fromFull: true };
  const text = await run("rate-limits");
  expect(text).toMatch(/^39 of 40 requests left, window resets at /);
  // Some posts met the limit (a 429) and were sent again after the wait.
  expect(mock.requests.filter((request) => request.method === "POST").length).toBeGreaterThan(50);
  expect(mock.posts.filter((post) => post.message.startsWith("load test"))).toHaveLength(50);
}, 20_000);
