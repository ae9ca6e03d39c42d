#!/usr/bin/env node
// The CLI entry: the compiled generator's `main`. (v8-compile-cache was tried here: in interleaved
// runs it saved no time and added about 40 MiB of peak memory, so it is not used.)
const { main } = await import("../dist/generator/cli.js");
process.exitCode = await main(process.argv.slice(2));
