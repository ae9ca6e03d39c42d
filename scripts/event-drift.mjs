// npm run check:events — compares the event names of our catalog (spec/websocket-events.yaml)
// with those @mattermost/client (a dev dependency) declares, minus the accepted differences in
// spec/websocket-events.drift.yaml. Exit 1 on drift. test/events/drift.test.ts runs the same check.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareEventNames, formatDrift, hasDrift, parseAcceptedDifferences } from "../dist/generator/events/drift.js";
import { loadCatalog } from "../dist/generator/events/catalog.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const client = require("@mattermost/client/package.json");
const { WebSocketEvents } = require("@mattermost/client/lib/websocket_events.js");
const acceptedFile = join(root, "spec", "websocket-events.drift.yaml");
const { accepted } = parseAcceptedDifferences(readFileSync(acceptedFile, "utf8"), "spec/websocket-events.drift.yaml");
const ours = loadCatalog(join(root, "spec", "websocket-events.yaml")).events.map((event) => event.name);
const report = compareEventNames(ours, Object.values(WebSocketEvents), accepted);
process.stdout.write(formatDrift(report, `@mattermost/client ${client.version}`));
if (hasDrift(report)) {
  process.stdout.write(
    "Update spec/websocket-events.yaml (from the server's sources) or explain the difference in spec/websocket-events.drift.yaml.\n",
  );
  process.exitCode = 1;
}
