// Drift of the event list: our catalog against the names @mattermost/client declares.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../generator/events/catalog.js";
import { compareEventNames, formatDrift, hasDrift, parseAcceptedDifferences } from "../../generator/events/drift.js";
import { GeneratorError } from "../../generator/errors.js";

const root = join(import.meta.dirname, "..", "..");
const require = createRequire(import.meta.url);

function clientEventNames(): string[] {
  const { WebSocketEvents } = require("@mattermost/client/lib/websocket_events.js") as { WebSocketEvents: Record<string, string> };
  return Object.values(WebSocketEvents);
}

describe("event drift against @mattermost/client", () => {
  const driftFile = readFileSync(join(root, "spec", "websocket-events.drift.yaml"), "utf8");
  const { checkedAgainst, accepted } = parseAcceptedDifferences(driftFile, "spec/websocket-events.drift.yaml");
  const ours = loadCatalog(join(root, "spec", "websocket-events.yaml")).events.map((event) => event.name);

  it("has no difference that the accepted list does not explain, and no stale entry", () => {
    const report = compareEventNames(ours, clientEventNames(), accepted);
    expect(formatDrift(report, "@mattermost/client")).toMatch(/^no drift/);
    expect(hasDrift(report)).toBe(false);
  });

  it("was checked against the installed client version", () => {
    const installed = (require("@mattermost/client/package.json") as { version: string }).version;
    expect(checkedAgainst).toBe(`@mattermost/client ${installed}`);
  });

  it("agrees on the events both sides know (the common core is large)", () => {
    const theirs = new Set(clientEventNames());
    const common = ours.filter((name) => theirs.has(name));
    expect(common.length).toBeGreaterThan(90);
    for (const name of ["posted", "typing", "hello", "status_change", "post_edited"]) expect(common).toContain(name);
  });

  it("reports a name added on either side, and an accepted difference that went away", () => {
    const report = compareEventNames(
      ["posted", "typing", "view_created"],
      ["posted", "typing", "brand_new_event"],
      [
        { name: "gone_event", side: "theirs", reason: "was only in the client" },
        { name: "view_created", side: "ours", reason: "server only" },
      ],
    );
    expect(report.onlyOurs).toEqual([]);
    expect(report.onlyTheirs).toEqual(["brand_new_event"]);
    expect(report.stale.map((entry) => entry.name)).toEqual(["gone_event"]);
    expect(hasDrift(report)).toBe(true);
    expect(formatDrift(report, "the client")).toContain("in the client but not in our catalog (1):\n  brand_new_event");
  });

  it("rejects an accepted entry without a reason, naming the file and entry", () => {
    const bad = "checked_against: x\naccepted:\n  - name: posted\n    side: ours\n";
    expect(() => parseAcceptedDifferences(bad, "drift.yaml")).toThrow(GeneratorError);
    expect(() => parseAcceptedDifferences(bad, "drift.yaml")).toThrow(/accepted\[0\]\.reason is missing/);
  });

  it("rejects a key written twice and a syntax error, with their lines", () => {
    const twice = "checked_against: x\naccepted:\n  - name: posted\n    side: ours\n    side: theirs\n    reason: r\n";
    const failure = (text: string): GeneratorError => {
      try {
        parseAcceptedDifferences(text, "drift.yaml");
      } catch (error) {
        if (error instanceof GeneratorError) return error;
        throw error;
      }
      throw new Error("expected a GeneratorError");
    };
    const repeated = failure(twice);
    expect([repeated.location, repeated.message]).toEqual([
      "drift.yaml:5",
      'not valid YAML: the key "side" is written twice in one mapping, at lines 4 and 5.',
    ]);
    const syntax = failure("checked_against: x\naccepted: [\n");
    expect([syntax.location, syntax.message]).toEqual([
      "drift.yaml:2",
      "not valid YAML: unexpected end of the stream within a flow collection.",
    ]);
  });
});
