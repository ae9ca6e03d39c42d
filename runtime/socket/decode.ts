/**
 * What the socket knows of each event name: whether the event types describe it, and which `data`
 * keys arrive as JSON text (`posted.data.post`, `channel_updated.data.channel`, ...) and are parsed
 * before handlers see the event.
 */

/**
 * The JSON-text keys of an event by name (empty when it has none), or `undefined` for a name the
 * event types do not describe.
 */
export type EventKeys = (name: string) => readonly string[] | undefined;

const NONE: readonly string[] = [];

/**
 * From the options of `createSocket`: the names in `knownEvents` (every name when it is absent),
 * with their keys from `decoders`.
 */
export function eventKeysOf(
  decoders: Readonly<Record<string, readonly string[] | undefined>> = {},
  knownEvents?: Iterable<string>,
): EventKeys {
  // A `Map`, so that names such as `constructor` look up nothing.
  const table = new Map<string, readonly string[]>();
  for (const name of knownEvents ?? []) table.set(name, NONE);
  for (const [name, keys] of Object.entries(decoders)) if (keys && (!knownEvents || table.has(name))) table.set(name, keys);
  return knownEvents ? (name) => table.get(name) : (name) => table.get(name) ?? NONE;
}

/** From the generated `eventTable`: `name` or `name:key,key`, separated by spaces. */
export function parseEventTable(text: string): EventKeys {
  const table = new Map(
    text.split(" ").map((entry): [string, readonly string[]] => {
      const [name, keys] = entry.split(":") as [string, string?];
      return [name, keys ? keys.split(",") : NONE];
    }),
  );
  return (name) => table.get(name);
}

/**
 * Parses, in place, each listed key of `data` whose value is a string. Keys that are absent or hold
 * something else are left alone. Stops at the first value that does not parse and returns its key
 * and the parse error.
 */
export function decodeFields(data: unknown, keys: readonly string[]): [key: string, cause: unknown] | undefined {
  const record = data as Record<string, unknown> | null;
  for (const key of keys) {
    const value = record?.[key];
    if (typeof value === "string") {
      try {
        (record as Record<string, unknown>)[key] = JSON.parse(value);
      } catch (cause) {
        return [key, cause];
      }
    }
  }
  return undefined;
}
