#!/usr/bin/env node
/**
 * Where the bytes of a bundle go: what each module adds, gzipped, to the modules before it.
 *
 * The program is bundled as `bundle()` in rest.mjs does it (esbuild, ESM, tree-shaken), but with
 * whitespace kept, so that esbuild's `// path` comments split its output by module. Each prefix
 * of that output (the modules in bundle order, then the entry) is minified and gzipped; a module
 * adds the difference to the prefix before it. The sum is the bundle's size, within a few bytes:
 * gzip shares its window across modules, so a module repeating names of earlier ones adds less
 * than it weighs alone.
 *
 * Usage: node scripts/bench/bundle-modules.mjs [--json]   (the createPost + socket program)
 */
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { SOCKET_PROGRAM } from "./bundle.mjs";

const root = join(fileURLToPath(import.meta.url), "../../..");

/** Each module of the bundle of `source`, in bundle order, with the gzipped bytes it adds; the entry last. */
export async function moduleCosts(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: "bench-entry.ts", loader: "ts" },
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  const text = result.outputFiles[0].text;
  // esbuild starts each module's code with a `// path` line.
  const starts = [...text.matchAll(/^\/\/ (\S+)$/gm)].map((match) => ({ module: match[1], at: match.index }));
  const rows = [];
  let before = 0;
  for (const [i, { module }] of starts.entries()) {
    const end = starts[i + 1]?.at ?? text.length;
    const { code } = await transform(text.slice(0, end), { minify: true, format: "esm", loader: "js" });
    const gzip = gzipSync(code).length;
    rows.push({ module, adds: gzip - before });
    before = gzip;
  }
  return { rows, total: before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { rows, total } = await moduleCosts(SOCKET_PROGRAM);
  if (process.argv.includes("--json")) console.log(JSON.stringify({ rows, total }, null, 2));
  else {
    for (const { module, adds } of rows) console.log(`${String(adds).padStart(6)} B  ${module}`);
    console.log(`${String(total).padStart(6)} B  total (createPost + socket, gzip)`);
  }
}
