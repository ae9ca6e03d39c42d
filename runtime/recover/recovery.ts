/**
 * Recovery: after any loss the socket reports (a sequence gap, a new session, a server restart,
 * which shows as a new session, a connection the server closed because its send queue overflowed,
 * and a process restart with a kept cursor store), fetch through REST what the socket missed and
 * deliver it as the events it would have been.
 *
 *   loss ──► hold new `posted` events ──► GET /users/me/channels (one request: every channel with
 *   its `last_post_at`) ──► channels whose last post is newer than their cursor ──► for each (a few
 *   at a time): GET /channels/{id}/posts pages of 200, newest first, down to the cursor ──► deliver,
 *   per channel, what was missed and what was held, by `create_at`, each post once ──►
 *   `socket:recovered`
 *
 * Why pages and not `since` or `after`: the server compares `create_at` in milliseconds for both
 * (`after` means "created in a later millisecond than that post", so posts sharing the cursor's
 * millisecond are skipped), and `since` returns at most 1 000 posts, in no defined selection. A page
 * (`page`, `per_page` 200, newest first) has neither problem: the walk goes back until it passes the
 * cursor's window, posts arriving meanwhile only shift pages (a post seen twice is delivered once),
 * and which posts are new is decided by id (cursors.ts). Cost: one request per channel with activity
 * plus one per 200 missed posts in it, plus the channel list.
 */
import { getChannelsForUser } from "../../generated/endpoints/channels.js";
import { getPostsForChannel } from "../../generated/endpoints/posts.js";
import type { Channel, Post } from "../../generated/schemas.js";
import type { Client } from "../client.js";
import { messageOf } from "../socket/errors.js";
import type { SocketExtension, SocketExtensionFactory, SocketExtensionHost } from "../socket/extension.js";
import type { EventShape, LostSignal } from "../socket/types.js";
import { type CursorStore, Cursors, WINDOW_MS, memoryCursorStore } from "./cursors.js";

/** Options of `recovery()`. */
export interface RecoveryOptions {
  /** A REST client of the same user as the socket's token: recovery reads through it, under its retries and rate-limit pacing. */
  readonly client: Client;
  /** The channel ids to recover, or `"all"` (default): every channel of the user, in all teams, direct and group messages included. */
  readonly channels?: readonly string[] | "all";
  /** Most channels fetched by one recovery, the most recently active first; the rest are listed in `skipped` (default 100). */
  readonly maxChannels?: number;
  /** Where cursors are kept (default: in memory; `fileCursorStore` from `mattermost-typed/recover/file` survives restarts). */
  readonly store?: CursorStore;
  /** Channels fetched at the same time (default 4). */
  readonly concurrency?: number;
  /** Least time between two saves of the store, in milliseconds (default 200). */
  readonly saveDelayMs?: number;
}

/** What one channel's recovery delivered. */
export interface RecoveredChannel {
  /** Missed posts delivered as `posted`. */
  readonly posts: number;
  /** Posts delivered before, changed since, delivered as `post_edited`. */
  readonly edited: number;
  /** Requests made for the channel. */
  readonly requests: number;
}

/** `socket:recovered`: a recovery finished; what it delivered came before this signal. */
export interface RecoveredSignal {
  /** What started it: the first loss it covers, or `restart` (a store with cursors, on the first connection). */
  readonly trigger: "sequence_gap" | "new_session" | "restart";
  /** Loss signals it covers (losses during a recovery are covered by the next one). */
  readonly losses: number;
  /** Channels where something was delivered, by id. */
  readonly channels: Readonly<Record<string, RecoveredChannel>>;
  /** Missed posts delivered in all. */
  readonly posts: number;
  /** REST requests made (the channel list included), failed attempts included. */
  readonly requests: number;
  /** Channels with activity that were looked at. */
  readonly active: number;
  /** Channels with activity left out because of `maxChannels`. */
  readonly skipped: readonly string[];
  /** From the loss to this signal, in milliseconds. */
  readonly durationMs: number;
}

/** `socket:recovery_failed`: a request of a recovery failed; it is tried again after `retryInMs` (nothing is delivered out of order meanwhile). */
export interface RecoveryFailedSignal {
  readonly message: string;
  readonly cause: unknown;
  /** Failed attempts in a row. */
  readonly attempt: number;
  readonly retryInMs: number;
}

/** A `posted`, `post_edited` event that recovery delivered: the frame of the wire, with `recovered: true` and `seq` -1. */
interface RecoveredFrame extends EventShape {
  readonly recovered: true;
}

/** Held live events above this many are dropped (not delivered: recovery fetches them again). */
const MAX_HELD = 20_000;
const PER_PAGE = 200;

interface Held {
  readonly frame: EventShape;
  readonly post: Post;
  /** The losses seen when it was held: one held after a later loss waits for the recovery of that loss. */
  readonly losses: number;
}

/**
 * Recovery for a socket: `createMattermostSocket({ url, token, recover: recovery({ client }) })`.
 *
 * ```ts
 * const client = createClient({ baseUrl: url, token });
 * const socket = createMattermostSocket({ url, token, recover: recovery({ client, store: fileCursorStore("cursors.json") }) });
 * socket.on("posted", (ev) => handle(ev.data.post)); // unchanged; ev.recovered === true for a fetched one
 * socket.on("socket:recovered", (done) => log(`${done.posts} missed posts, ${done.requests} requests`));
 * ```
 *
 * When: after every `socket:lost` (a sequence gap, a new session: the server's buffer was passed,
 * it restarted, or it closed a connection whose send queue overflowed), and on the first
 * connection when the store holds cursors (a process restart). From the loss until each channel is
 * recovered, its new `posted` events wait, so that the channel's posts come in order; then the
 * fetched and the waiting ones are delivered by `create_at`, each post once (by id, against
 * everything delivered), and `socket:recovered` follows with counts per channel. A request that
 * fails is retried with backoff (`socket:recovery_failed`); nothing is delivered out of order meanwhile.
 *
 * Scope: `channels: "all"` (default) is every channel of the user (all teams, direct and group
 * messages), up to `maxChannels` active ones per recovery; channels joined during the gap are in
 * the list and recovered from the time of the loss. Or name the channel ids.
 *
 * Cost: one `GET /api/v4/users/me/channels` per recovery (every channel with its `last_post_at`:
 * channels with no post after their cursor are not asked), then per active channel pages of 200
 * posts, newest first, back to its cursor: one request, plus one per 200 missed posts. `concurrency`
 * channels at a time (default 4), each request after the client's rate-limit window when its
 * remaining budget is low (and the client's retries on 429). The bench row "socket recovery" measures it.
 *
 * Limits: a recovered `posted` has `seq` -1, no `mentions`/`followers`, and `sender_name` ""
 * (REST has only `post.user_id`). Edits are delivered for posts the walk sees (those after the
 * cursor's window); deletions are not (the page answer leaves deleted posts out). A missed post
 * in the very millisecond of a channel's last delivered post, with nothing posted after it, is
 * found only with the channel's next post (`last_post_at` does not tell it apart). Events other
 * than posts (reactions, channel changes) are not recovered: `socket:lost` still says when to
 * refetch them. An `events()` stream that overflows drops events of its own buffer (`socket:overflow`), not recovered.
 */
export function recovery(options: RecoveryOptions): SocketExtensionFactory {
  const { client } = options;
  const scope = options.channels === undefined || options.channels === "all" ? null : new Set(options.channels);
  const maxChannels = options.maxChannels ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const saveDelayMs = options.saveDelayMs ?? 200;
  const store = options.store ?? memoryCursorStore();
  if (typeof client?.call !== "function") throw new TypeError("recovery: options.client must be a client from createClient()");
  return (host) => startRecovery(host, client, store, scope, maxChannels, concurrency, saveDelayMs);
}

function startRecovery(
  host: SocketExtensionHost,
  client: Client,
  store: CursorStore,
  scope: ReadonlySet<string> | null,
  maxChannels: number,
  concurrency: number,
  saveDelayMs: number,
): SocketExtension {
  const cursors = new Cursors(store.load());
  /** Client time of the last event received, and the server's clock minus ours, from `posted` events. */
  let lastEventAt = cursors.savedAt || Date.now();
  let skew = 0;
  /** Hold every `posted` event (from a loss until the channel list is known), or those of these channels. */
  let holdAll = cursors.size > 0;
  const holding = new Set<string>();
  const held = new Map<string, Held[]>();
  let heldCount = 0;
  /** Losses so far. */
  let losses = 0;
  let running = false;
  let closed = false;
  /** The losses the next run covers, and when the first happened (client time of the last event before it). */
  let pending: { trigger: RecoveredSignal["trigger"]; losses: number; since: number; at: number } | null = holdAll
    ? { trigger: "restart", losses: 0, since: lastEventAt, at: Date.now() }
    : null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const inScope = (channelId: string): boolean => scope === null || scope.has(channelId);

  const save = (): void => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    cursors.savedAt = lastEventAt;
    try {
      const result = store.save(cursors.toState());
      if (result) result.then(undefined, (error: unknown) => failed(error, 0, 0));
    } catch (error) {
      failed(error, 0, 0);
    }
  };
  const changed = (): void => {
    saveTimer ??= setTimeout(save, saveDelayMs);
  };

  const failed = (cause: unknown, attempt: number, retryInMs: number): void =>
    host.signal("socket:recovery_failed", {
      message: `recovery: ${messageOf(cause)}`,
      cause,
      attempt,
      retryInMs,
    } satisfies RecoveryFailedSignal);

  /** Delivers a post once (live or recovered) and moves the cursor; `false` when it was delivered before. */
  const deliverPost = (frame: EventShape, post: Post): boolean => {
    if (cursors.delivered(post.channel_id, post.id, post.create_at)) return false;
    cursors.record(post.channel_id, post.id, post.create_at);
    changed();
    host.deliver(frame);
    return true;
  };

  const loss = (trigger: RecoveredSignal["trigger"]): void => {
    losses++;
    holdAll = true;
    if (pending) pending.losses++;
    else pending = { trigger, losses: 1, since: lastEventAt, at: Date.now() };
    if (!running) void run();
  };

  host.on("socket:lost", (signal: LostSignal) => loss(signal.reason));
  host.on("socket:hello", (hello: { first: boolean }) => {
    if (hello.first && pending && !running) void run();
  });
  host.on("socket:close", () => {
    closed = true;
    clearTimeout(timer);
    // What was held is not delivered: the saved cursors still point before it.
    save();
  });

  /** One request, after waiting for the rate-limit window when the client's budget is spent. */
  const paced = async <T>(request: () => Promise<T>): Promise<T> => {
    const limit = client.rateLimit;
    if (limit && limit.remaining <= concurrency && limit.resetAt > Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(limit.resetAt - Date.now(), 60_000)));
    }
    return request();
  };

  const run = async (): Promise<void> => {
    running = true;
    let attempt = 0;
    let requests = 0;
    const channels: Record<string, { posts: number; edited: number; requests: number }> = {};
    while (pending && !closed) {
      const current = pending;
      try {
        requests++;
        const epoch = losses;
        const list = await paced(() => getChannelsForUser(client, { user_id: "me" }));
        if (closed) break;
        // A loss while the list was on its way: the list may predate what it lost; ask again.
        if (losses !== epoch) continue;
        // From here on a later loss starts a new pending run; this one covers what came before.
        if (pending === current) pending = null;
        holdAll = pending !== null;
        const since = current.since + skew - WINDOW_MS;
        const active = (list ?? [])
          .filter((channel) => inScope(channel.id) && channel.last_post_at > (cursors.at(channel.id) ?? since))
          .sort((a, b) => b.last_post_at - a.last_post_at);
        const chosen = active.slice(0, maxChannels);
        holding.clear();
        for (const channel of chosen) holding.add(channel.id);
        // Channels not fetched: what was held for them goes out now.
        for (const channelId of [...held.keys()]) if (!holding.has(channelId)) release(channelId, [], epoch, since);
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < chosen.length && !closed) {
            const channel = chosen[next++] as Channel;
            const counts = channels[channel.id] ?? { posts: 0, edited: 0, requests: 0 };
            channels[channel.id] = counts;
            const { posts, made } = await fetchMissed(channel, since, counts);
            requests += made;
            if (closed) return;
            const delivered = release(channel.id, posts, epoch, since, channel);
            counts.posts += delivered.posts;
            counts.edited += delivered.edited;
            holding.delete(channel.id);
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, chosen.length) }, worker));
        if (closed) break;
        save();
        const recovered = Object.fromEntries(Object.entries(channels).filter(([, counts]) => counts.posts + counts.edited > 0));
        host.signal("socket:recovered", {
          trigger: current.trigger,
          losses: current.losses,
          channels: recovered,
          posts: Object.values(recovered).reduce((sum, counts) => sum + counts.posts, 0),
          requests,
          active: chosen.length,
          skipped: active.slice(maxChannels).map((channel) => channel.id),
          durationMs: Date.now() - current.at,
        } satisfies RecoveredSignal);
        requests = 0;
        attempt = 0;
        for (const key of Object.keys(channels)) delete channels[key];
      } catch (error) {
        if (closed) break;
        // Keep holding; try again (the cursors of channels already delivered have moved on).
        if (!pending) pending = current;
        holdAll = true;
        const retryInMs = Math.min(30_000, 500 * 2 ** attempt++);
        failed(error, attempt, retryInMs);
        await new Promise((resolve) => {
          timer = setTimeout(resolve, retryInMs);
        });
      }
    }
    running = false;
  };

  /** The posts of `channel` newer than its cursor (or than `since` without one), oldest first. */
  const fetchMissed = async (channel: Channel, since: number, counts: { requests: number }): Promise<{ posts: Post[]; made: number }> => {
    const cursorAt = cursors.at(channel.id);
    const floor = cursorAt === undefined ? since : cursorAt - WINDOW_MS;
    const found = new Map<string, Post>();
    let made = 0;
    for (let page = 0; ; page++) {
      made++;
      counts.requests++;
      const list = await paced(() => getPostsForChannel(client, { channel_id: channel.id, page, per_page: PER_PAGE }));
      const order = list.order ?? [];
      let passed = false;
      for (const id of order) {
        const post = list.posts?.[id];
        if (!post) continue;
        if (post.create_at < floor) passed = true;
        else found.set(id, post);
      }
      // Far enough back: past the window, or a page ending at a delivered post at or before the
      // cursor (what is older was delivered; this keeps the cost at one request per 200 missed).
      const oldest = list.posts?.[order[order.length - 1] as string];
      const reached =
        oldest !== undefined &&
        cursorAt !== undefined &&
        oldest.create_at <= cursorAt &&
        cursors.delivered(channel.id, oldest.id, oldest.create_at);
      if (passed || reached || order.length < PER_PAGE) break;
    }
    return { posts: [...found.values()].sort(byCreateAt), made };
  };

  /** Delivers, for one channel, the fetched posts and the held live events, by `create_at`, each post once. */
  const release = (
    channelId: string,
    fetched: readonly Post[],
    epoch: number,
    since: number,
    channel?: Channel,
  ): { posts: number; edited: number } => {
    const all = held.get(channelId) ?? [];
    const live = all.filter((item) => item.losses <= epoch);
    const later = all.filter((item) => item.losses > epoch);
    if (later.length > 0) held.set(channelId, later);
    else held.delete(channelId);
    heldCount -= live.length;
    const liveIds = new Set(live.map((item) => item.post.id));
    const items: Held[] = [...live];
    let edited = 0;
    for (const post of fetched) {
      if (liveIds.has(post.id)) continue;
      if (cursors.delivered(channelId, post.id, post.create_at)) {
        // Delivered before: an edit made while the events were lost.
        if (post.edit_at > since) {
          host.deliver(recoveredFrame("post_edited", { post }, post, channel));
          edited++;
        }
        continue;
      }
      items.push({ frame: recoveredFrame("posted", postedData(post, channel), post, channel), post, losses: 0 });
    }
    items.sort((a, b) => byCreateAt(a.post, b.post));
    let posts = 0;
    for (const item of items) if (deliverPost(item.frame, item.post) && (item.frame as Partial<RecoveredFrame>).recovered) posts++;
    return { posts, edited };
  };

  return {
    intercept(frame) {
      lastEventAt = Date.now();
      if (frame.event !== "posted") return false;
      const post = (frame.data as { post?: Post } | null)?.post;
      if (typeof post?.id !== "string" || typeof post.channel_id !== "string" || !inScope(post.channel_id)) return false;
      skew = post.create_at - lastEventAt;
      if (holdAll || holding.has(post.channel_id)) {
        const list = held.get(post.channel_id) ?? [];
        held.set(post.channel_id, list);
        list.push({ frame, post, losses });
        // Too much held (REST failing for long): drop it all; the cursors did not move, so it is fetched again.
        if (++heldCount > MAX_HELD) {
          held.clear();
          heldCount = 0;
        }
        return true;
      }
      // Delivered here, or dropped when recovery delivered it already.
      deliverPost(frame, post);
      return true;
    },
  };
}

const byCreateAt = (a: Post, b: Post): number => a.create_at - b.create_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function postedData(post: Post, channel: Channel | undefined): Record<string, unknown> {
  return {
    channel_display_name: channel?.display_name ?? "",
    channel_name: channel?.name ?? "",
    channel_type: channel?.type ?? "",
    post,
    // The server sends the sender's display name; REST has only the id (post.user_id).
    sender_name: "",
    set_online: false,
    team_id: channel?.team_id ?? "",
  };
}

function recoveredFrame(event: string, data: unknown, post: Post, channel: Channel | undefined): RecoveredFrame {
  return {
    event,
    data,
    seq: -1,
    recovered: true,
    broadcast: {
      omit_users: null,
      user_id: "",
      channel_id: post.channel_id,
      team_id: channel?.team_id ?? "",
      connection_id: "",
      omit_connection_id: "",
    },
  } as RecoveredFrame;
}
