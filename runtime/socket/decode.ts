/**
 * Decoding of the `data` fields the server sends as JSON text (`posted.data.post`,
 * `channel_updated.data.channel`, ...), listed per event by the generated `eventDecoders` table.
 */

/** The decoder table, keyed by event name (a `Map`, so that names such as `constructor` look up nothing). */
export type DecoderTable = ReadonlyMap<string, readonly string[]>;

export function compileDecoders(table: Readonly<Record<string, readonly string[] | undefined>> | undefined): DecoderTable | null {
  if (table === undefined) return null;
  const map = new Map<string, readonly string[]>();
  for (const [event, keys] of Object.entries(table)) if (keys !== undefined && keys.length > 0) map.set(event, keys);
  return map.size > 0 ? map : null;
}

/** A field that did not parse. */
export interface DecodeFailure {
  readonly key: string;
  readonly cause: unknown;
}

/**
 * Parses, in place, each listed key of `data` whose value is a string. Keys that are absent or hold
 * something else are left alone. Stops at the first value that does not parse and returns it.
 */
export function decodeFields(data: unknown, keys: readonly string[]): DecodeFailure | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const record = data as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = record[key];
    if (typeof value !== "string") continue;
    try {
      record[key] = JSON.parse(value);
    } catch (cause) {
      return { key, cause };
    }
  }
  return undefined;
}
