// `mattermost-typed call` as a user runs it: the real bin, spawned, against the mock Mattermost
// server on 127.0.0.1; exit codes, stdout, stderr and what reached the server are checked.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";
import { type MockMattermost, closedPort, startMockMattermost } from "../support/mock-mattermost.js";
import { type Run, cleanEnv, cli, ensureBuilt, run } from "./support.js";

let mock: MockMattermost;
let token: string;
let work: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  mock = await startMockMattermost();
  mock.addPosts("town-square", 12);
  token = mock.addToken(mock.users[0]!.id);
  env = { MATTERMOST_URL: mock.url, MATTERMOST_TOKEN: token };
  work = mkdtempSync(join(tmpdir(), "mmt-call-"));
});
afterAll(async () => {
  await mock.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => mock.reset());

/** Every run in this file: the token must never be printed. */
async function call(args: string[], extraEnv: Record<string, string> = env, cwd?: string): Promise<Run> {
  const result = await run(["call", ...args], extraEnv, cwd === undefined ? {} : { cwd });
  for (const secret of [token, extraEnv.MATTERMOST_TOKEN].filter((value) => value !== undefined)) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
  return result;
}

describe("calls", () => {
  it("getMe prints the user as pretty JSON", async () => {
    const result = await call(["getMe"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\{\n {2}"id": "[a-z0-9]{26}",\n {2}"username": "alice",/);
    expect(JSON.parse(result.stdout)).toMatchObject({ username: "alice", email: "alice@example.com" });
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]).toMatchObject({ method: "GET", path: "/api/v4/users/me", userId: mock.users[0]!.id });
  });

  it("--raw prints the bytes the server sent", async () => {
    const pretty = JSON.parse((await call(["getMe"])).stdout) as unknown;
    const result = await call(["getMe", "--raw"]);
    expect(result.code).toBe(0);
    // The mock answers compact JSON: --raw does not reformat it.
    expect(result.stdout).toBe(JSON.stringify(pretty));
  });

  it("accepts the operationId and any case", async () => {
    for (const name of ["GetMe", "getme", "GETME"]) {
      const result = await call([name]);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ username: "alice" });
    }
  });

  it("sends path and query parameters", async () => {
    const result = await call(["getPostsForChannel", "--param", "channel_id=town-square", "-p", "per_page=5", "-p", "page=1"]);
    expect(result.code, result.stderr).toBe(0);
    const list = JSON.parse(result.stdout) as { order: string[] };
    expect(list.order).toHaveLength(5);
    expect(mock.requests[0]).toMatchObject({ path: "/api/v4/channels/town-square/posts", query: { per_page: "5", page: "1" } });
  });

  it("repeated query parameters become arrays", async () => {
    const result = await call(["getUsers", "-p", "page=0", "-p", "per_page=2", "-p", "sort=last_activity_at", "-p", "sort=create_at"]);
    expect(result.code, result.stderr).toBe(0);
    const url = new URL(mock.requests[0]!.path, mock.url);
    expect(url.pathname).toBe("/api/v4/users");
    expect(JSON.parse(result.stdout)).toHaveLength(2);
  });

  it("sends a JSON body given inline", async () => {
    const result = await call(["createPost", "--body", JSON.stringify({ channel_id: "town-square", message: "hello from the CLI" })]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ channel_id: "town-square", message: "hello from the CLI" });
    expect(mock.posts.at(-1)?.message).toBe("hello from the CLI");
    expect(mock.requests[0]?.headers["content-type"]).toBe("application/json");
  });

  it("sends a JSON body from @file", async () => {
    const file = join(work, "post.json");
    writeFileSync(file, JSON.stringify({ channel_id: "town-square", message: "from a file" }));
    const result = await call(["createPost", "--body", "@post.json"], env, work);
    expect(result.code, result.stderr).toBe(0);
    expect(mock.posts.at(-1)?.message).toBe("from a file");
  });

  it("sends a JSON body from stdin with @-", async () => {
    const result = await run(["call", "createPost", "--body", "@-"], env, {
      input: JSON.stringify({ channel_id: "town-square", message: "piped" }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(mock.posts.at(-1)?.message).toBe("piped");
  });

  it('uploads a file in a multipart body with "@path"', async () => {
    writeFileSync(join(work, "notes.txt"), "some notes\n");
    const result = await call(["uploadFile", "--body", JSON.stringify({ channel_id: "town-square", files: "@notes.txt" })], env, work);
    expect(result.code, result.stderr).toBe(0);
    const stored = [...mock.files.values()].at(-1);
    expect(stored?.name).toBe("notes.txt");
    expect(stored?.bytes.toString()).toBe("some notes\n");
    expect(JSON.parse(result.stdout)).toMatchObject({ file_infos: [{ name: "notes.txt", size: 11 }] });
  });

  it("writes binary answers as bytes when stdout is not a terminal", async () => {
    writeFileSync(join(work, "bytes.bin"), Buffer.from([0, 1, 2, 255, 254]));
    const upload = await call(["uploadFile", "--body", JSON.stringify({ channel_id: "town-square", files: "@bytes.bin" })], env, work);
    const id = (JSON.parse(upload.stdout) as { file_infos: { id: string }[] }).file_infos[0]!.id;
    const result = await call(["getFile", "-p", `file_id=${id}`]);
    expect(result.code, result.stderr).toBe(0);
    expect([...result.bytes]).toEqual([0, 1, 2, 255, 254]);
  });
});

describe("bad input: one line, exit 2, nothing sent", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "a missing required parameter",
      ["getPostsForChannel", "-p", "per_page=5"],
      /getPostsForChannel \(GET \/api\/v4\/channels\/\{channel_id\}\/posts\) needs --param channel_id=\.\.\.; its parameters: channel_id \(path, required\), after \(query\).*per_page \(query\)/,
    ],
    [
      "an unknown parameter",
      ["getPostsForChannel", "-p", "channel_id=x", "-p", "perpage=5"],
      /getPostsForChannel has no parameter "perpage" \(did you mean per_page, page\?\); its parameters: channel_id \(path, required\)/,
    ],
    [
      "a parameter without a value",
      ["getUser", "-p", "user_id"],
      /--param "user_id" is not name=value\. For getUser, its parameters: user_id \(path, required\)/,
    ],
    ["a parameter to an operation without any", ["getMe", "-p", "x=1"], /getMe has no parameter "x"; it takes no parameters/],
    ["a path parameter twice", ["getUser", "-p", "user_id=a", "-p", "user_id=b"], /--param user_id is given twice; it is a path parameter/],
    [
      "an unknown operation",
      ["getMee"],
      /unknown operation "getMee"\. Did you mean: getMe.*`mattermost-typed call --list \[tag\]` lists every operation/,
    ],
    ["no operation", [], /name an operation: mattermost-typed call <operation>/],
    ["invalid JSON", ["createPost", "--body", "{channel_id: 1}"], /--body: the body is not valid JSON \(/],
    ["a missing body file", ["createPost", "--body", "@nope.json"], /--body @nope\.json: cannot read nope\.json \(ENOENT\)/],
    [
      "a missing required body",
      ["createPost"],
      /createPost needs a body \(application\/json\): pass --body '<JSON>' or --body @file\.json/,
    ],
    ["a body for an operation without one", ["getMe", "--body", "{}"], /getMe \(GET \/api\/v4\/users\/me\) takes no body; remove --body/],
    [
      "a multipart body that is not an object",
      ["uploadFile", "--body", "[1]"],
      /the multipart\/form-data body must be a JSON object of its fields/,
    ],
    ["an unknown tag", ["--list", "userz"], /no operation has the tag "userz" \(did you mean users\?\)\. Tags: .*\busers\b/],
  ];
  it.each(cases)("%s", async (_name, args, pattern) => {
    const result = await call(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe("");
    expect(mock.requests).toHaveLength(0);
  });

  it("no server", async () => {
    const result = await call(["getMe"], { MATTERMOST_TOKEN: token });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: no server: pass --url https://chat.example.com or set MATTERMOST_URL.\n");
  });

  it("a server that is not http(s)", async () => {
    const result = await call(["getMe", "--url", "ftp://chat.example.com"], { MATTERMOST_TOKEN: token });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must be http\(s\), not ftp:/);
  });
});

describe("server errors: id, status, request id, and the exit code", () => {
  it("404 exits 4 with the server's id, status and request_id", async () => {
    mock.override("GET /api/v4/users/{user_id}", () => ({
      status: 404,
      json: {
        id: "app.user.missing_account.const",
        message: "No such user.",
        detailed_error: "",
        request_id: "req4cli404",
        status_code: 404,
      },
    }));
    const result = await call(["getUser", "-p", "user_id=nobody"]);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        "error: GET /api/v4/users/{user_id} answered 404: No such user.",
        "  id:         app.user.missing_account.const",
        "  status:     404",
        "  request_id: req4cli404",
        "",
      ].join("\n"),
    );
  });

  it("the mock's own 404 for an unknown user", async () => {
    const result = await call(["getUser", "-p", "user_id=nobody"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/id: {9}app\.user\.missing_account\.const\n {2}status: {5}404\n {2}request_id: [a-z0-9]{26}\n/);
  });

  it("403 exits 4", async () => {
    const bob = mock.addToken(mock.users[1]!.id);
    const result = await call(["getAnalyticsOld"], { MATTERMOST_URL: mock.url, MATTERMOST_TOKEN: bob });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /answered 403: You do not have the appropriate permissions\.\n {2}id: {9}api\.context\.permissions\.app_error/,
    );
  });

  it("500 exits 5", async () => {
    mock.override("GET /api/v4/users/me", () => ({
      status: 500,
      json: { id: "app.boom", message: "Boom.", request_id: "r500", status_code: 500 },
    }));
    const result = await call(["getMe"]);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/answered 500: Boom\.\n {2}id: {9}app\.boom\n {2}status: {5}500\n {2}request_id: r500/);
  });

  it("a 200 that is not what the operation returns (an HTML page) exits 5 with the code and the request id", async () => {
    mock.override("GET /api/v4/users/me", () => ({
      status: 200,
      text: "<!doctype html><title>Sign in</title>",
      headers: { "Content-Type": "text/html", "X-Request-Id": "reqhtml200" },
    }));
    const result = await call(["getMe"]);
    expect(result.code).toBe(5);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^error: GET \/api\/v4\/users\/me: .*RESPONSE_CONTENT_TYPE.*\(request id reqhtml200\); server http:\/\/127\.0\.0\.1:\d+\n$/,
    );
  });

  it("no answer exits 5", async () => {
    const result = await call(["getMe", "--no-retry"], { MATTERMOST_URL: await closedPort(), MATTERMOST_TOKEN: token });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(
      /^error: GET \/api\/v4\/users\/me: no answer \(ECONNREFUSED\); server http:\/\/127\.0\.0\.1:\d+: check --url/,
    );
  });

  it("a bad token: 401, and the token is not in the output (the server put it in detailed_error)", async () => {
    const bad = "badtoken0123456789abcdefgh";
    const result = await call(["getMe"], { MATTERMOST_URL: mock.url, MATTERMOST_TOKEN: bad });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/answered 401: Invalid or expired session.*\n {2}id: {9}api\.context\.session_expired\.app_error/);
    expect(result.stderr).toMatch(/detail: {5}token=\*\*\*/);
  });

  it("no token: 401 with a hint", async () => {
    const result = await call(["getMe"], { MATTERMOST_URL: mock.url });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/No token was sent: set MATTERMOST_TOKEN/);
    expect(mock.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("the token never appears", () => {
  it("not even when the server echoes it back", async () => {
    mock.override("GET /api/v4/users/me", () => ({ json: { id: "x", note: `your token is ${token}` } }));
    for (const args of [["getMe"], ["getMe", "--raw"]]) {
      const result = await call(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("your token is ***");
    }
  });

  it("--token works and is not printed", async () => {
    const result = await call(["getMe", "--token", token], { MATTERMOST_URL: mock.url });
    expect(result.code).toBe(0);
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  // A terminal (script(1) gives the CLI a pty): the token is asked for, and typing it shows nothing.
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("is asked for without echo when stdin is a terminal", async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} call getMe --url ${mock.url}`;
    const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd: packageRoot, env: cleanEnv({ TERM: "dumb" }) });
    let output = "";
    const prompted = new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("not echoed")) resolve();
      });
    });
    await prompted;
    child.stdin.write(`${token}\r`);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(output).toMatch(/Token for 127\.0\.0\.1:\d+ \(not echoed; Enter for none\): /);
    expect(output).toContain('"username": "alice"');
    expect(output).not.toContain(token);
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });
});

describe("--list and --help", () => {
  it("lists every operation with method and route", async () => {
    const result = await call(["--list"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^getMe +GET +\/api\/v4\/users\/me {2}\(users\)$/m);
    expect(result.stdout).toMatch(/^createPost +POST +\/api\/v4\/posts {2}\(posts\)$/m);
    const count = Number(/^(\d+) operations\./m.exec(result.stdout)?.[1]);
    expect(result.stdout.trim().split("\n")).toHaveLength(count + 1);
    expect(count).toBeGreaterThan(500);
  });

  it("lists one tag", async () => {
    const result = await call(["--list", "posts"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines.slice(0, -1).every((line) => line.endsWith("(posts)") || line.endsWith("(posts, deprecated)"))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\d+ operations tagged posts\./);
  });

  it("--help documents the exit codes and the token's shell-history caveat", async () => {
    const result = await run(["call", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, " ")).toMatch(
      /Exit codes: 0 done, 2 bad input .* 4 the server answered 4xx, 5 the server answered 5xx, did not answer/,
    );
    expect(result.stdout.replace(/\s+/g, " ")).toMatch(/lands in shell history/);
  });
});
