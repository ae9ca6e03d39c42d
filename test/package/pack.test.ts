// The package as npm publishes it: `npm pack` of the built repository, unpacked into a fresh
// application's node_modules beside links to its declared dependencies only (a devDependency the
// published code needs would be missing, as on a user's machine). Node imports (and requires) every
// `exports` entry, tsc and tsgo check programs against the packed declarations, and the packed CLI
// calls a server, listens to a socket and generates the same files as the repository's.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../generator/paths.js";
import { cleanEnv, ensureBuilt, start } from "../cli/support.js";
import { runCli } from "../support/cli.js";
import { MockSocketServer } from "../support/mock-socket-server.js";

interface Manifest {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  exports: Record<string, string | { types: string; import: string }>;
}

const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as Manifest;
const realSpec = join(packageRoot, "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml");
const tsc = join(packageRoot, "node_modules", "typescript", "bin", "tsc");
const tsgo = join(packageRoot, "node_modules", "@typescript", "native-preview", "bin", "tsgo");
/** One real value for the `*` of a pattern entry. */
const endpointFile = "posts";
const entries = Object.keys(manifest.exports)
  .filter((name) => name !== "./package.json")
  .map((name) => name.replace("*", endpointFile));
const specifier = (entry: string): string => `mattermost-typed${entry.slice(1)}`;

let temp = "";
let app = "";
let installed = "";
let packedFiles: string[] = [];

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The bin of the unpacked package. */
const packedBin = (): string => join(installed, manifest.bin["mattermost-typed"] ?? "missing");

/** Runs a script in the application that loads every entry with `import()` or `require()`; prints the export names. */
function exportedNames(how: "import" | "require") {
  const load = how === "import" ? "await import" : "require";
  const script = [
    "const names = {};",
    ...entries.map((entry) => `names[${JSON.stringify(entry)}] = Object.keys(${load}(${JSON.stringify(specifier(entry))})).sort();`),
    "process.stdout.write(JSON.stringify(names));",
  ].join("\n");
  const file = how === "import" ? "entries.mjs" : "entries.cjs";
  writeFileSync(join(app, file), script);
  return run(process.execPath, ["--no-warnings", file], app);
}

beforeAll(async () => {
  await ensureBuilt();
  temp = mkdtempSync(join(tmpdir(), "mattermost-typed-pack-"));
  // --ignore-scripts: prepack would rebuild dist/ in place while other test files run the CLI from it.
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", temp], packageRoot);
  expect(pack.code, pack.output).toBe(0);
  const [report] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  packedFiles = (report?.files ?? []).map((file) => file.path).sort();

  app = join(temp, "app");
  installed = join(app, "node_modules", "mattermost-typed");
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "packed-consumer", private: true, type: "module" }));
  const untar = run("tar", ["-xzf", join(temp, report?.filename ?? "missing.tgz"), "-C", installed, "--strip-components=1"], temp);
  expect(untar.code, untar.output).toBe(0);
  // What `npm install mattermost-typed` brings: its dependencies and the optional peer (valibot),
  // plus Node's types for the program that uses the generator API.
  for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies), "@types/node"]) {
    const link = join(app, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(packageRoot, "node_modules", name), link, "dir");
  }
}, 240_000);

afterAll(() => {
  if (temp !== "") rmSync(temp, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds every export's files, the CLI and the project's spec inputs, and no sources, tests or scripts", () => {
    const missing: string[] = [];
    for (const target of Object.values(manifest.exports)) {
      for (const path of typeof target === "string" ? [target] : [target.types, target.import]) {
        const file = path.replace(/^\.\//, "").replace("*", endpointFile);
        if (!packedFiles.includes(file)) missing.push(file);
      }
    }
    for (const bin of Object.values(manifest.bin)) if (!packedFiles.includes(bin.replace(/^\.\//, ""))) missing.push(bin);
    for (const file of [
      "spec/default.json",
      "spec/websocket-events.yaml",
      "spec/websocket-events.schema.json",
      "dist/generator/events/catalog-validator.cjs",
    ]) {
      if (!packedFiles.includes(file)) missing.push(file);
    }
    expect(missing).toEqual([]);
    expect(packedFiles.filter((file) => file.startsWith("spec/overlays/")).length).toBeGreaterThan(0);
    const unwanted = packedFiles.filter(
      (file) =>
        /^(test|bench|scripts|examples|docs|generator|runtime|generated|node_modules)\//.test(file) ||
        (file.endsWith(".ts") && !file.endsWith(".d.ts")),
    );
    expect(unwanted).toEqual([]);
  });

  it("has no `any` in its declarations (the public types)", () => {
    const found: string[] = [];
    for (const file of packedFiles.filter((path) => path.endsWith(".d.ts"))) {
      const source = ts.createSourceFile(file, readFileSync(join(installed, file), "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (node.kind === ts.SyntaxKind.AnyKeyword) found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(packedFiles.filter((path) => path.endsWith(".d.ts")).length).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });

  it("imports every exports entry in Node with only the declared dependencies installed", () => {
    const result = exportedNames("import");
    expect(result.code, result.output).toBe(0);
    const names = JSON.parse(result.stdout) as Record<string, string[]>;
    expect(Object.keys(names).sort()).toEqual([...entries].sort());
    expect(names["."]).toEqual(expect.arrayContaining(["createClient", "getMe", "login", "MattermostError", "paginate"]));
    expect(names["./full"]).toEqual(expect.arrayContaining(["createFullClient", "createClient"]));
    expect(names["./socket"]).toEqual(expect.arrayContaining(["createMattermostSocket", "createSocket", "SocketError"]));
    expect(names["./recover"]).toEqual(expect.arrayContaining(["recovery", "memoryCursorStore"]));
    expect(names["./recover/file"]).toEqual(expect.arrayContaining(["fileCursorStore", "CursorFileError"]));
    expect(names["./generated"]).toEqual(expect.arrayContaining(["createPost", "getMe", "uploadFile"]));
    expect(names[`./endpoints/${endpointFile}`]).toEqual(expect.arrayContaining(["createPost", "getPostsForChannel"]));
    expect(names["./generator"]).toEqual(expect.arrayContaining(["generate", "loadSpec", "GeneratorError"]));
    expect(names["./integrations"]).toEqual(
      expect.arrayContaining(["createReceiver", "toNodeListener", "postToIncomingWebhook", "respondLater"]),
    );
  });

  it("is required from CommonJS (Node 20.19+ loads ES modules through require): the same exports", () => {
    const esm = exportedNames("import");
    const cjs = exportedNames("require");
    expect(cjs.code, cjs.output).toBe(0);
    expect(JSON.parse(cjs.stdout)).toEqual(JSON.parse(esm.stdout));
  });

  it("type-checks an application against the packed declarations with tsc and tsgo, the declarations included, without Node's types", () => {
    writeFileSync(
      join(app, "client.ts"),
      `import { createClient, MattermostError } from "mattermost-typed";
import { createFullClient } from "mattermost-typed/full";
import { createPost, getMe } from "mattermost-typed/generated";
import { getPostsForChannel } from "mattermost-typed/endpoints/${endpointFile}";
import type { Post } from "mattermost-typed/schemas";
import type { paths } from "mattermost-typed/openapi-types";
import type { Transport } from "mattermost-typed/transport";
import { createMattermostSocket } from "mattermost-typed/socket";
import { createReceiver } from "mattermost-typed/integrations";

const receiver = createReceiver({ secret: "0123456789abcdef0123456789abcdef", url: "https://bot.example.com" });
const pick = receiver.action<{ id: number }>("pick", (click) => ({ ephemeral_text: String(click.context.id) }));
// @ts-expect-error the context is { id: number }: the packed types are not any
void pick.button({ name: "Pick", context: { id: "7" } });
export const handle: (request: Request) => Promise<Response> = receiver.fetch;

const client = createClient({ baseUrl: "https://chat.example.com", token: "t" });
const transport: Transport = client;
const full = createFullClient({ baseUrl: "https://chat.example.com", token: "t" });

export async function report(channel_id: string): Promise<string> {
  const me = await getMe(transport);
  const post: Post = await createPost(client, { body: { channel_id, message: "hello" } });
  const page = await getPostsForChannel(client, { channel_id, per_page: 10 });
  const again = await full.getPost({ post_id: post.id ?? "" });
  // @ts-expect-error channel_id is required: the packed types are not any
  await createPost(client, { body: { message: "hello" } });
  return \`\${me.username ?? "?"} \${again.message ?? ""} \${page.order?.length ?? 0}\`;
}

type CreatePostPath = paths["/api/v4/posts"]["post"];
export type CreatePostBody = CreatePostPath extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export function isMattermostError(error: unknown): number | undefined {
  return error instanceof MattermostError ? error.status : undefined;
}

const socket = createMattermostSocket({ url: "https://chat.example.com", token: "t" });
socket.on("posted", (event) => {
  const message: string | undefined = event.data.post.message;
  // @ts-expect-error a posted event has no data.status
  void event.data.status;
  void message;
});
`,
    );
    writeFileSync(
      join(app, "generate.ts"),
      `import { generate, GeneratorError, writeOutput } from "mattermost-typed/generator";

export async function regenerate(spec: string, out: string): Promise<number> {
  try {
    const result = await generate({ spec, overlays: false });
    writeOutput(out, result.files);
    return result.summary.operations;
  } catch (error) {
    if (error instanceof GeneratorError) return -1;
    throw error;
  }
}
`,
    );
    const options = {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      // The package's own declarations are checked too.
      skipLibCheck: false,
      noEmit: true,
    };
    writeFileSync(
      join(app, "bot.cts"),
      `import { createClient, MattermostError } from "mattermost-typed";
import { createPost } from "mattermost-typed/generated";

const client = createClient({ baseUrl: "https://chat.example.com", token: "t" });
export async function say(channel_id: string): Promise<string | undefined> {
  try {
    return (await createPost(client, { body: { channel_id, message: "hi" } })).id;
  } catch (error) {
    if (error instanceof MattermostError) return undefined;
    throw error;
  }
}
`,
    );
    // A browser application: DOM, no Node types. A maintainer's script: Node types. A CommonJS bot.
    const programs = [
      { file: "client.ts", compilerOptions: { ...options, lib: ["ES2022", "DOM", "DOM.Iterable"], types: [] } },
      { file: "generate.ts", compilerOptions: { ...options, lib: ["ES2022"], types: ["node"] } },
      { file: "bot.cts", compilerOptions: { ...options, lib: ["ES2022", "DOM"], types: [] } },
    ];
    // An older CommonJS setup (node10 resolution reads typesVersions, not exports); TypeScript 7 has no node10.
    writeFileSync(
      join(app, "legacy.ts"),
      `import { createClient } from "mattermost-typed";
import { createPost } from "mattermost-typed/generated";
import { getPost } from "mattermost-typed/endpoints/${endpointFile}";
import type { Post } from "mattermost-typed/schemas";
import { createMattermostSocket } from "mattermost-typed/socket";

const client = createClient({ baseUrl: "https://chat.example.com", token: "t" });
export async function echo(channel_id: string): Promise<Post> {
  const post = await createPost(client, { body: { channel_id, message: "hi" } });
  return getPost(client, { post_id: post.id ?? "" });
}
export const socket = createMattermostSocket({ url: "https://chat.example.com", token: "t" });
`,
    );
    const legacy = join(app, "tsconfig.legacy.json");
    const legacyOptions = { ...options, module: "commonjs", moduleResolution: "node10", lib: ["ES2022", "DOM"], types: [] };
    writeFileSync(legacy, JSON.stringify({ compilerOptions: legacyOptions, files: ["legacy.ts"] }));
    const legacyResult = run(process.execPath, [tsc, "-p", legacy], app);
    expect(legacyResult.code, `legacy.ts\n${legacyResult.output}`).toBe(0);

    for (const program of programs) {
      const config = join(app, `tsconfig.${program.file}.json`);
      writeFileSync(config, JSON.stringify({ compilerOptions: program.compilerOptions, files: [program.file] }));
      for (const compiler of [tsc, tsgo]) {
        const result = run(process.execPath, [compiler, "-p", config], app);
        expect(result.code, `${compiler} ${program.file}\n${result.output}`).toBe(0);
      }
    }
  });

  it("calls the API through the packed runtime (`call`, which loads dist/runtime and dist/generated)", async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization === "Bearer packed-token" ? "token" : "no token"}`);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: "u1", username: "packed-user" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const env = cleanEnv({ MATTERMOST_URL: `http://127.0.0.1:${port}`, MATTERMOST_TOKEN: "packed-token" });
      const result = await runCli(["call", "getMe"], { cli: packedBin(), cwd: app, env });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ id: "u1", username: "packed-user" });
      expect(seen).toEqual(["GET /api/v4/users/me token"]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("listens through the packed socket runtime (`listen`, with the ws dependency), and exits 0 on SIGINT", async () => {
    const token = "packed-socket-token";
    const server = await MockSocketServer.start({ tokens: { [token]: "user-1" } });
    try {
      const child = start(["listen", "--json"], { MATTERMOST_URL: server.url, MATTERMOST_TOKEN: token }, { cli: packedBin(), cwd: app });
      try {
        await child.waitFor(/"signal":"hello"/, "stdout");
        server.publish("typing", { parent_id: "", user_id: "user-2" });
        await child.waitFor(/"event":"typing"/, "stdout");
        child.child.kill("SIGINT");
        expect((await child.exited).code, child.stderr).toBe(0);
      } finally {
        if (child.child.exitCode === null) child.child.kill("SIGKILL");
      }
      const events = child.stdout
        .split("\n")
        .filter((line) => line.startsWith('{"event"'))
        .map((line) => (JSON.parse(line) as { event: string }).event);
      expect(events).toEqual(["hello", "typing"]);
      expect(child.stdout + child.stderr).not.toContain(token);
    } finally {
      server.close();
    }
  });

  it("runs its CLI from node_modules: the same files as the repository's CLI from the real spec", () => {
    const bin = packedBin();
    const version = run(process.execPath, [bin, "--version"], app);
    expect(version.code, version.output).toBe(0);
    expect(version.stdout.trim()).toBe(manifest.version);

    const env = { ...process.env, MATTERMOST_TYPED_CODE_CACHE: "0" };
    const outputs = [
      { bin, out: join(temp, "generated-packed") },
      { bin: join(packageRoot, "bin", "mattermost-typed.js"), out: join(temp, "generated-repository") },
    ];
    for (const { bin: cli, out } of outputs) {
      const result = run(
        process.execPath,
        [cli, "generate", "--spec", realSpec, "--out", out, "--quiet", "--no-diff", "--no-config"],
        app,
        env,
      );
      expect(result.code, result.output).toBe(0);
    }
    const [packed, repository] = outputs.map(({ out }) => out);
    const files = filesUnder(packed ?? "");
    expect(files).toContain("index.ts");
    expect(files).toEqual(filesUnder(repository ?? ""));
    const differing = files.filter((file) => !readFileSync(join(packed ?? "", file)).equals(readFileSync(join(repository ?? "", file))));
    expect(differing).toEqual([]);
  });
});
