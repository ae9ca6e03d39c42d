/**
 * Async iteration over the events (`for await (const ev of socket)`, `socket.events()`), built on
 * the same listeners as `on("*", ...)`.
 *
 * Overflow policy: drop the oldest. A WebSocket cannot be paused in a browser, and holding the
 * socket back would only move the overflow to the server (which closes connections whose send
 * queue fills up). So each stream buffers at most `bufferSize` events; when a new event finds the
 * buffer full, the oldest buffered one is dropped and handed to the `socket:overflow` signal
 * (`dropped` is the event itself), and `stream.dropped` counts the drops. Nothing disappears silently.
 *
 * The stream ends (after yielding what it buffered) when the socket closes; it ends at once, its
 * buffer discarded, when the loop exits (`break`, `return()`) or the `signal` aborts.
 */

/** Options of `socket.events()`. */
export interface EventStreamOptions {
  /** Ends the stream when aborted (the loop finishes normally; no error is thrown). */
  readonly signal?: AbortSignal;
  /** Most events buffered while the loop is busy (default: the socket's `bufferSize`). */
  readonly bufferSize?: number;
}

export class EventStream<T> implements AsyncIterableIterator<T> {
  private readonly buffer: (T | undefined)[];
  private head = 0;
  private size = 0;
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private finished = false;
  private droppedCount = 0;
  private readonly unsubscribe: () => void;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort = (): void => {
    this.stop();
  };

  /**
   * @param subscribe registers the stream's push function; returns the unsubscribe function.
   * @param onDrop receives each event dropped on overflow, with the total so far.
   * @param onEnd called once when the stream stops receiving.
   */
  constructor(
    readonly bufferSize: number,
    subscribe: (push: (item: T) => void) => () => void,
    private readonly onDrop: (item: T, droppedTotal: number, stream: EventStream<T>) => void,
    private readonly onEnd: (stream: EventStream<T>) => void,
    signal: AbortSignal | undefined,
  ) {
    if (!(Number.isInteger(bufferSize) && bufferSize > 0)) {
      throw new RangeError(`events(): bufferSize is ${bufferSize}; expected an integer > 0`);
    }
    this.buffer = new Array<T | undefined>(bufferSize);
    this.unsubscribe = subscribe((item) => this.push(item));
    this.signal = signal;
    if (signal?.aborted) this.stop();
    else signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  /** Events dropped so far because the buffer was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Whether the stream stopped receiving (it may still hold buffered events). */
  get ended(): boolean {
    return this.finished;
  }

  /** Events waiting to be read. */
  get buffered(): number {
    return this.size;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const item = this.buffer[this.head] as T;
      this.buffer[this.head] = undefined;
      this.head = (this.head + 1) % this.buffer.length;
      this.size--;
      return Promise.resolve({ done: false, value: item });
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.stop();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** No more events: buffered ones are still yielded, then the stream is done. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.unsubscribe();
    this.signal?.removeEventListener("abort", this.onAbort);
    for (const resolve of this.waiting.splice(0)) resolve({ done: true, value: undefined });
    this.onEnd(this);
  }

  private stop(): void {
    this.buffer.fill(undefined);
    this.size = 0;
    this.end();
  }

  private push(item: T): void {
    if (this.finished) return;
    const resolve = this.waiting.shift();
    if (resolve !== undefined) {
      resolve({ done: false, value: item });
      return;
    }
    const capacity = this.buffer.length;
    if (this.size === capacity) {
      const oldest = this.buffer[this.head] as T;
      this.buffer[this.head] = item;
      this.head = (this.head + 1) % capacity;
      this.droppedCount++;
      this.onDrop(oldest, this.droppedCount, this);
      return;
    }
    this.buffer[(this.head + this.size) % capacity] = item;
    this.size++;
  }
}
