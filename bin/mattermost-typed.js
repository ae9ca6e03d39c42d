#!/usr/bin/env node
// The CLI entry: the compiled generator's `main`, with TypeScript's compiled code kept between runs
// (generator/code-cache.ts; MATTERMOST_TYPED_CODE_CACHE=0 turns it off). v8-compile-cache was tried
// here before: caching every module saved no time and added about 40 MiB of peak memory.
const { main } = await import("../dist/generator/cli.js");
const { defaultCodeCacheDir, enableCodeCache, saveCodeCache } = await import("../dist/generator/code-cache.js");
enableCodeCache(defaultCodeCacheDir());
process.exitCode = await main(process.argv.slice(2));
saveCodeCache();
