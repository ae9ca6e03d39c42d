// Builds the generator into dist/generator: tsc, then the WebSocket catalog's schema compiled ahead
// of time (ajv's standalone code) into dist/generator/events/catalog-validator.cjs, stamped with the
// schema text's sha256 so that generator/events/schema.ts uses it only while the schema is unchanged.
// `npm run build:generator`, `npm run generate` and `npm test` (scripts/ensure-generated.mjs) run it.
import { spawnSync } from "node:child_process";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.generator.json"], {
  cwd: root,
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const schemaModule = await import(join(root, "dist/generator/events/schema.js"));
const require = createRequire(import.meta.url);
const { Ajv } = require("ajv");
const standaloneCode = require("ajv/dist/standalone").default;
const text = readFileSync(schemaModule.catalogSchemaPath(), "utf8");
const ajv = new Ajv({ ...schemaModule.CATALOG_AJV_OPTIONS, code: { source: true } });
const code = standaloneCode(ajv, ajv.compile(JSON.parse(text)));
const target = join(root, "dist/generator/events", schemaModule.PREBUILT_VALIDATOR);
const temporary = `${target}.${process.pid}.tmp`;
writeFileSync(
  temporary,
  `// Written by scripts/build-generator.mjs from spec/websocket-events.schema.json (ajv's standalone code); do not edit.\n${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(schemaModule.schemaTextSha256(text))};\n`,
);
renameSync(temporary, target);
