#!/usr/bin/env node
// Which routes does `@mattermost/client` (Client4) call that our model has no operation for?
//
//   node scripts/client4-routes.mjs [--json] [--spec S] [--no-overlays]
//
// Client4 builds its URLs at run time, so they are found by running it: every method of a Client4
// instance is called once with stand-in arguments, with `doFetch`/`doFetchWithResponse` (and the
// global `fetch`) replaced by recorders, and each recorded method + URL path is matched against the
// model's operations (a `{param}` segment of the spec matches any segment). Nothing is sent. Needs
// the built generator (`npm run build:generator`, which `npm run generate` runs).
//
// Prints the uncovered routes grouped under and outside `/api/v4`, each with the Client4 methods that
// call it, and their counts; `--json` prints `{ called, covered, uncovered: [{ method, path, callers }] }`.
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** A value that stands for any argument: a string `{aN}`, an empty object, an empty list, a function. */
function standIn(name) {
  const text = `{${name}}`;
  const target = () => standIn(`${name}()`);
  return new Proxy(target, {
    get(_, key) {
      if (key === Symbol.toPrimitive) return () => text;
      if (key === "toString" || key === "valueOf" || key === "toJSON") return () => text;
      if (key === Symbol.iterator) return function* () {};
      if (key === "length") return 0;
      if (key === "then") return undefined;
      if (typeof key === "symbol") return undefined;
      return standIn(`${name}.${key}`);
    },
    ownKeys: () => [],
    has: () => false,
  });
}

/** Records every request a Client4 method would make. */
export async function client4Calls() {
  const { Client4 } = require("@mattermost/client");
  const client = new Client4();
  client.setUrl("http://client4.invalid");
  const calls = [];
  let current = "";
  const record = (url, options = {}) => {
    calls.push({ caller: current, method: String(options.method ?? "get").toUpperCase(), url: String(url) });
    return Promise.resolve({ response: { headers: new Map() }, headers: new Map(), data: {} });
  };
  client.doFetch = record;
  client.doFetchWithResponse = record;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (url, options) => record(url, options);
  try {
    for (const name of Object.keys(client).sort()) {
      const value = client[name];
      if (typeof value !== "function" || name === "doFetch" || name === "doFetchWithResponse") continue;
      current = name;
      const args = Array.from({ length: Math.max(value.length, 6) }, (_, i) => standIn(`a${i}`));
      try {
        await Promise.race([value.apply(client, args), new Promise((done) => setTimeout(done, 20))]);
      } catch {
        // A method that cannot run on stand-ins is skipped: most still recorded their URL first.
      }
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  return calls;
}

/** `/api/v4/users/{a0}/posts?x=1` → segments, with stand-in segments as `null` (any value). */
function routeSegments(url) {
  const path = new URL(url).pathname;
  return decodeURIComponent(path)
    .split("/")
    .filter((part) => part !== "")
    .map((part) => (part.includes("{a") ? null : part));
}

function matches(specPath, segments) {
  const spec = specPath.split("/").filter((part) => part !== "");
  if (spec.length !== segments.length) return false;
  return spec.every((part, i) => part.startsWith("{") || segments[i] === null || segments[i] === part);
}

export async function uncoveredRoutes(options = {}) {
  const generator = await import(pathToFileURL(resolve(root, "dist/generator/index.js")).href);
  const { model } = await generator.loadModel({ ...options, catalog: false });
  const calls = (await client4Calls()).filter((call) => call.url.startsWith("http://client4.invalid/"));
  const routes = new Map();
  for (const call of calls) {
    const segments = routeSegments(call.url);
    const path = `/${segments.map((part, i) => part ?? `{${i}}`).join("/")}`.replace(/\{\d+\}/g, "{}");
    const key = `${call.method} ${path}`;
    const entry = routes.get(key) ?? { method: call.method, path, segments, callers: new Set() };
    entry.callers.add(call.caller);
    routes.set(key, entry);
  }
  const uncovered = [];
  let covered = 0;
  for (const entry of [...routes.values()].sort((a, b) =>
    a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path),
  )) {
    const known = model.operations.some((op) => op.method === entry.method && matches(op.path, entry.segments));
    if (known) covered += 1;
    else uncovered.push({ method: entry.method, path: entry.path, callers: [...entry.callers].sort() });
  }
  return { called: routes.size, covered, uncovered };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const specIndex = args.indexOf("--spec");
  const options = {
    ...(specIndex >= 0 ? { spec: args[specIndex + 1] } : {}),
    ...(args.includes("--no-overlays") ? { overlays: false } : {}),
  };
  const result = await uncoveredRoutes(options);
  if (args.includes("--json")) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const api = result.uncovered.filter((route) => route.path.startsWith("/api/v4/"));
    const other = result.uncovered.filter((route) => !route.path.startsWith("/api/v4/"));
    for (const [title, list] of [
      ["under /api/v4", api],
      ["outside /api/v4", other],
    ]) {
      process.stdout.write(`${title} (${list.length}):\n`);
      for (const route of list) process.stdout.write(`  ${route.method.padEnd(6)} ${route.path}  (${route.callers.join(", ")})\n`);
    }
    process.stdout.write(
      `${result.called} routes called by Client4, ${result.covered} with an operation, ${result.uncovered.length} without (${api.length} under /api/v4)\n`,
    );
  }
}
