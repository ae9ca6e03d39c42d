/**
 * Async iterators over paged operations.
 *
 * - `paginate(client, getUsers, { in_team })`: any operation with a `page` parameter. Asks for
 *   `per_page` 200 (the server's maximum, which it enforces on every route) unless `args.per_page`
 *   says otherwise, and stops after a page shorter than that.
 * - `paginatePosts(client, getPostsForChannel, { channel_id })`: post lists (`PostList`), which page
 *   by cursor: backwards in time with `before` (the default, newest post first), forwards with
 *   `after` (oldest first), following `prev_post_id` / `next_post_id` until the server says there
 *   is no more.
 *
 * Both stop when the caller's `signal` aborts (rejecting with its reason) or when the loop is left.
 * Both take the server's `null` for an empty list (Go sends a nil slice or map as `null`, and the
 * types say so: docs/nulls.md) as a page with nothing in it.
 */
import type { CallOptions, Transport } from "./transport.js";

/** The server's largest page (`PerPageMaximum`); larger `per_page` values are cut to it. */
export const MAX_PER_PAGE = 200;

type Operation<A, R> = (client: Transport, args: A, init?: CallOptions) => Promise<R>;

/** The args of `paginate`'s operation, without `page` (which it sets). */
export type PageArgs<A> = Omit<NonNullable<A>, "page">;

/** Rejects, at compile time, operations that take no `page`. */
type MustBePaged<A> = "page" extends keyof NonNullable<A> ? unknown : { "operation without a page parameter": never };

/**
 * Per-call options plus `select`, which picks (or maps) the items of a page; required when pages are
 * not arrays. A page the server sends as `null` (an empty list: docs/nulls.md) counts as an array.
 */
export type PaginateOptions<R, T> = CallOptions &
  ([NonNullable<R>] extends [readonly unknown[]]
    ? { readonly select?: (page: R) => readonly T[] }
    : { readonly select: (page: R) => readonly T[] });

type ArgsThenOptions<A, R, O> = [NonNullable<R>] extends [readonly unknown[]]
  ? Record<never, never> extends PageArgs<A>
    ? [args?: PageArgs<A>, options?: O]
    : [args: PageArgs<A>, options?: O]
  : [args: PageArgs<A>, options: O];

/**
 * Every item of every page: `for await (const user of paginate(client, getUsers, { in_team })) ...`.
 * For responses that are not arrays, `options.select` picks the items of a page.
 */
export function paginate<A, R, T = NonNullable<R> extends readonly (infer I)[] ? I : never>(
  client: Transport,
  operation: Operation<A, R> & MustBePaged<A>,
  ...rest: ArgsThenOptions<A, R, PaginateOptions<R, T>>
): AsyncGenerator<T, void, undefined>;
export async function* paginate(
  client: Transport,
  operation: Operation<Record<string, unknown>, unknown>,
  args: { per_page?: number } = {},
  options: { select?: (page: unknown) => readonly unknown[] } & CallOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  // `null` is how the server sends an empty list (a nil slice): a page with no items.
  const { select = (page: unknown) => (page ?? []) as readonly unknown[], ...init } = options;
  const per_page = Math.min(args.per_page ?? MAX_PER_PAGE, MAX_PER_PAGE);
  for (let page = 0; ; page++) {
    init.signal?.throwIfAborted();
    const result = await operation(client, { ...args, page, per_page }, init);
    const items = select(result) ?? [];
    yield* items;
    // An array page decides by its own length, so a `select` that filters cannot end the loop early.
    if ((Array.isArray(result) ? result : items).length < per_page) return;
  }
}

/** The parts of a `PostList` the post iterator reads; `order` and `posts` may be `null` (nil in Go). */
export interface PostListLike<P> {
  readonly order?: readonly string[] | null;
  readonly posts?: { readonly [id: string]: P } | null;
  readonly next_post_id?: string;
  readonly prev_post_id?: string;
}

/** The cursor parameters of a post list route. */
export interface PostCursorArgs {
  /** Start before this post and go back in time (newest first). */
  before?: string;
  /** Start after this post and go forward in time (oldest first). */
  after?: string;
  /** Only posts changed since this time (ms): one request, the server returns at most 1000 posts. */
  since?: number;
  page?: number;
  per_page?: number;
}

/**
 * Every post of a channel (or any route answering a `PostList`), page after page:
 * `for await (const post of paginatePosts(client, getPostsForChannel, { channel_id })) ...`.
 * Without a cursor it starts at the newest post and goes back in time; with `after` it goes forward
 * from that post, oldest first; with `since` it makes the one request the server allows.
 * Only the posts listed in `order` are yielded (not the thread roots the server adds to `posts`).
 *
 * The server's cursors compare milliseconds: `before: id` means "created before that post's
 * millisecond", so posts sharing the millisecond of a page's last post would be skipped (posts of
 * several users often share one). Each next page therefore starts from the last post of an earlier
 * millisecond (a later one going forward), and the posts it repeats are not yielded twice. For the
 * same reason a full page is followed by one more request even when the server's `prev_post_id`
 * (`next_post_id`) is empty. Only a page whose posts all share one millisecond cannot be passed
 * without that risk; it is then continued from its last post.
 */
export async function* paginatePosts<A extends PostCursorArgs, P>(
  client: Transport,
  operation: Operation<A, PostListLike<P>>,
  args: A,
  init?: CallOptions,
): AsyncGenerator<P, void, undefined> {
  const forward = args.after !== undefined;
  const per_page = Math.min(args.per_page ?? MAX_PER_PAGE, MAX_PER_PAGE);
  let cursor: A = { ...args, per_page };
  let previous: ReadonlySet<string> = new Set();
  for (;;) {
    init?.signal?.throwIfAborted();
    const list = await operation(client, cursor, init);
    const order = [...(list.order ?? [])];
    if (forward) order.reverse();
    let fresh = 0;
    for (const id of order) {
      const post = list.posts?.[id];
      if (post && !previous.has(id)) {
        fresh++;
        yield post;
      }
    }
    const last = order[order.length - 1];
    if (!last || args.since !== undefined || (previous.size > 0 && fresh === 0)) return;
    // Where the last post's millisecond starts in this page; the next page starts from the post before it.
    const time = (id: string): unknown => (list.posts?.[id] as { create_at?: unknown } | undefined)?.create_at;
    const lastAt = time(last);
    let run = order.length - 1;
    while (run > 0 && lastAt !== undefined && time(order[run - 1] as string) === lastAt) run--;
    const restart = run > 0 && lastAt !== undefined ? (order[run - 1] as string) : last;
    const more = Boolean(forward ? list.next_post_id : list.prev_post_id) || (order.length >= per_page && restart !== last);
    if (!more) return;
    previous = new Set(order);
    cursor = { ...cursor, page: 0, [forward ? "after" : "before"]: restart };
  }
}
