/**
 * Cursors: where each channel's delivered posts end, kept behind a small store interface so that a
 * process that restarts with the same store picks up where it stopped.
 *
 * A channel's cursor is the newest `create_at` delivered (`at`) and the ids delivered within
 * `WINDOW_MS` before it (`ids`). The window is what makes the cursor exact although the server's
 * clocks and cursors work in milliseconds: posts of one millisecond, and posts whose events came a
 * little out of order, are told apart by id, never skipped and never delivered twice.
 */

/** How far before a channel's cursor recovery looks, and how long delivered ids are kept, in milliseconds. */
export const WINDOW_MS = 2_000;

/** One channel's cursor, as stored. */
export interface ChannelCursor {
  /** The newest `create_at` delivered in the channel (server time, epoch milliseconds). */
  readonly at: number;
  /** The ids of the posts delivered with a `create_at` from `at - 2000` to `at`, by `create_at`. */
  readonly ids: Readonly<Record<string, number>>;
}

/** What a cursor store holds: plain JSON. */
export interface CursorState {
  /** The format (1). */
  readonly version: 1;
  /** The client's time (epoch ms) of the last event received before the state was saved. */
  readonly savedAt: number;
  /** By channel id. */
  readonly channels: Readonly<Record<string, ChannelCursor>>;
}

/**
 * Where recovery keeps its cursors. `load` is called once, when the socket is created; `save` after
 * deliveries (at most every `saveDelayMs`, and when the socket closes). A `save` that throws or
 * rejects is reported (`socket:recovery_failed`) and tried again with the next save.
 */
export interface CursorStore {
  /** The state saved last, or `undefined` when there is none yet. A state that cannot be read must throw, not return `undefined`. */
  load(): CursorState | undefined;
  save(state: CursorState): void | Promise<void>;
}

/** A store in memory: the default. Cursors last as long as the store object (share one between sockets to keep them). */
export function memoryCursorStore(): CursorStore & { readonly state: CursorState | undefined } {
  let state: CursorState | undefined;
  return {
    get state() {
      return state;
    },
    load: () => state,
    save(next) {
      state = next;
    },
  };
}

/** The cursors of one recovery, in memory; `toState` makes what the store saves. */
export class Cursors {
  readonly #channels = new Map<string, { at: number; ids: Map<string, number> }>();
  savedAt = 0;

  constructor(state?: CursorState) {
    if (state) {
      this.savedAt = state.savedAt;
      for (const [id, cursor] of Object.entries(state.channels)) {
        this.#channels.set(id, { at: cursor.at, ids: new Map(Object.entries(cursor.ids)) });
      }
    }
  }

  get size(): number {
    return this.#channels.size;
  }

  /** The newest delivered `create_at` of a channel, or `undefined` for a channel never delivered. */
  at(channelId: string): number | undefined {
    return this.#channels.get(channelId)?.at;
  }

  /** Whether a post counts as delivered: its id is known, or it is older than the channel's window. */
  delivered(channelId: string, id: string, createAt: number): boolean {
    const cursor = this.#channels.get(channelId);
    return cursor !== undefined && (cursor.ids.has(id) || createAt < cursor.at - WINDOW_MS);
  }

  /** Records a delivered post. */
  record(channelId: string, id: string, createAt: number): void {
    const cursor = this.#channels.get(channelId) ?? { at: createAt, ids: new Map<string, number>() };
    this.#channels.set(channelId, cursor);
    cursor.ids.set(id, createAt);
    if (createAt > cursor.at) {
      cursor.at = createAt;
      if (cursor.ids.size > 32) for (const [old, at] of cursor.ids) if (at < createAt - WINDOW_MS) cursor.ids.delete(old);
    }
  }

  toState(): CursorState {
    const channels: Record<string, ChannelCursor> = {};
    for (const [id, cursor] of [...this.#channels].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const ids: Record<string, number> = {};
      for (const [post, at] of cursor.ids) if (at >= cursor.at - WINDOW_MS) ids[post] = at;
      channels[id] = { at: cursor.at, ids };
    }
    return { version: 1, savedAt: this.savedAt, channels };
  }
}

/** Checks a parsed store state; returns what is wrong with it, or `undefined`. */
export function checkState(value: unknown): string | undefined {
  const state = value as Partial<CursorState> | null;
  if (typeof state !== "object" || state === null || Array.isArray(state)) return "not a JSON object";
  if (state.version !== 1) return `version is ${JSON.stringify(state.version)}, expected 1`;
  if (typeof state.savedAt !== "number") return "savedAt is not a number";
  if (typeof state.channels !== "object" || state.channels === null) return "channels is not an object";
  for (const [id, cursor] of Object.entries(state.channels)) {
    if (typeof cursor?.at !== "number") return `channels.${id}.at is not a number`;
    if (typeof cursor.ids !== "object" || cursor.ids === null) return `channels.${id}.ids is not an object`;
    for (const [post, at] of Object.entries(cursor.ids)) if (typeof at !== "number") return `channels.${id}.ids.${post} is not a number`;
  }
  return undefined;
}
