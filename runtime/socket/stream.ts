/**
 * Async iteration over the events (`for await (const ev of socket)`, `socket.events()`), built on
 * the same listeners as `on("*", ...)`; the policy is on `EventStream`.
 */

/** Options of `socket.events()`. */
export interface EventStreamOptions {
  /** Ends the stream when aborted (the loop finishes normally; no error is thrown). */
  readonly signal?: AbortSignal;
  /** Most events buffered while the loop is busy (default: the socket's `bufferSize`). */
  readonly bufferSize?: number;
}

/**
 * The events of a socket as an async iterator (`socket.events()`, `for await (const ev of socket)`).
 *
 * Overflow policy: drop the oldest. A WebSocket cannot be paused in a browser, and holding the
 * socket back would only move the overflow to the server (which closes connections whose send
 * queue fills up). So each stream buffers at most `bufferSize` events; when a new event finds the
 * buffer full, the oldest buffered one is dropped and handed to the `socket:overflow` signal
 * (`dropped` is the event itself), and `dropped` counts the drops. Nothing disappears silently.
 *
 * The stream ends (after yielding what it buffered) when the socket closes; it ends at once, its
 * buffer discarded, when the loop exits (`break`, `return()`) or the `signal` aborts.
 */
export interface EventStream<T> extends AsyncIterableIterator<T> {
  /** Events dropped so far because the buffer was full. */
  readonly dropped: number;
  /** Whether the stream stopped receiving (it may still hold buffered events). */
  readonly ended: boolean;
  /** Events waiting to be read. */
  readonly buffered: number;
  next(): Promise<IteratorResult<T>>;
  /** Ends the stream at once, discarding what it buffered (what `break` in a `for await` calls). */
  return(): Promise<IteratorResult<T>>;
  /** No more events: buffered ones are still yielded, then the stream is done. */
  end(): void;
}

/**
 * A stream of `bufferSize` events at most. `subscribe` registers its `push` and `end` functions
 * and returns what unsubscribes them; `onDrop` receives each event dropped on overflow, with the
 * number dropped so far.
 */
export function createEventStream<T>(
  bufferSize: number,
  subscribe: (push: (item: T) => void, end: () => void) => () => void,
  onDrop: (item: T, droppedTotal: number) => void,
  signal: AbortSignal | undefined,
): EventStream<T> {
  const buffer: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  const finished = (): IteratorResult<T> => ({ done: true, value: undefined });
  let dropped = 0;
  let ended = false;
  const end = (): void => {
    if (!ended) {
      ended = true;
      unsubscribe();
      signal?.removeEventListener("abort", stop);
      for (const resolve of waiting.splice(0)) resolve(finished());
    }
  };
  const stop = (): void => {
    buffer.length = 0;
    end();
  };
  const unsubscribe = subscribe((item) => {
    const resolve = waiting.shift();
    if (resolve) resolve({ done: false, value: item });
    else if (buffer.push(item) > bufferSize) onDrop(buffer.shift() as T, ++dropped);
  }, end);
  if (signal?.aborted) stop();
  else signal?.addEventListener("abort", stop);
  return {
    get dropped() {
      return dropped;
    },
    get ended() {
      return ended;
    },
    get buffered() {
      return buffer.length;
    },
    next: () =>
      buffer.length > 0
        ? Promise.resolve({ done: false, value: buffer.shift() as T })
        : ended
          ? Promise.resolve(finished())
          : new Promise((resolve) => waiting.push(resolve)),
    return: () => {
      stop();
      return Promise.resolve(finished());
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    end,
  };
}
