// The compact event table the socket runtime reads (`eventTable`): emitted from the catalog, the
// same facts as `WebSocketEventNames` and `eventDecoders`, and parsed by runtime/socket/decode.ts.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitEvents } from "../../generator/emit/events.js";
import { GeneratorError } from "../../generator/errors.js";
import { parseCatalog } from "../../generator/events/catalog.js";
import type { Catalog } from "../../generator/events/types.js";
import { parseEventTable } from "../../runtime/socket/decode.js";

const root = join(import.meta.dirname, "..", "..");
const small = parseCatalog(readFileSync(join(root, "test/fixtures/events/small.yaml"), "utf8"), "small.yaml");
const options = { banner: "", schemaNames: new Set(["Post", "PostMetadata", "PluginStatus"]) };

/** The value of `eventTable` in an emitted events.ts (its string literals joined). */
function tableOf(events: string): string {
  const start = events.indexOf("export const eventTable: string =");
  const statement = events.slice(start, events.indexOf(";", start));
  return [...statement.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`) as string).join("");
}

describe("eventTable", () => {
  it("lists every event of the catalog, sorted, with its JSON-text keys, one per line", () => {
    const events = emitEvents(small, options)["events.ts"];
    expect(tableOf(events)).toBe(
      "guests_deactivated multiple_channels_viewed posted:draft,mentions,post response thread_read_changed typing",
    );
    expect(events).toContain('export const eventTable: string =\n  "guests_deactivated " +\n');
  });

  it("is empty for a catalog without events", () => {
    const empty: Catalog = { ...small, events: [], shapes: [] };
    expect(emitEvents(empty, options)["events.ts"]).toContain('export const eventTable: string = "";');
  });

  it("refuses a name or key it could not hold", () => {
    const [first] = small.events;
    const bad: Catalog = { ...small, events: [{ ...(first as Catalog["events"][number]), name: "two words" }] };
    expect(() => emitEvents(bad, options)).toThrow(GeneratorError);
    expect(() => emitEvents(bad, options)).toThrow(/"two words" has a space/);
  });

  // `npm test` generates first; a bare `vitest run` without generated/ has nothing to compare.
  it.skipIf(!existsSync(join(root, "generated", "events.ts")))(
    "parses to the same facts as WebSocketEventNames and eventDecoders (generated output; skipped without generated/)",
    async () => {
      const generated = (await import("../../generated/events.js")) as {
        eventTable: string;
        WebSocketEventNames: Record<string, string>;
        eventDecoders: Record<string, readonly string[]>;
      };
      const keysOf = parseEventTable(generated.eventTable);
      const names = Object.values(generated.WebSocketEventNames);
      expect(names.length).toBeGreaterThan(90);
      for (const name of names) expect([name, keysOf(name)]).toEqual([name, generated.eventDecoders[name] ?? []]);
      expect(keysOf("posted")).toEqual(["followers", "mentions", "post"]);
      // Plugin events, names from a newer server and inherited property names are unknown.
      for (const name of ["custom_com.example.plugin_ping", "posted2", "constructor", "toString", ""]) expect(keysOf(name)).toBeUndefined();
    },
  );
});
