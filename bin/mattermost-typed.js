#!/usr/bin/env node
// The CLI entry. v8-compile-cache keeps V8's compiled code of the CommonJS dependencies (two copies
// of TypeScript: openapi-typescript's and ts-morph's) between runs: startup drops by about a second.
import { createRequire } from "node:module";

if (process.env.MATTERMOST_TYPED_NO_COMPILE_CACHE === undefined) createRequire(import.meta.url)("v8-compile-cache");
const { main } = await import("../dist/generator/cli.js");
process.exitCode = await main(process.argv.slice(2));
