/**
 * The one listener mechanism behind `on`, `once`, `off`, the async iterators and the lifecycle
 * signals. Untyped inside; `socket.ts` gives it the typed face.
 *
 * - Handlers of a name run in registration order. A handler removed while an event is being
 *   dispatched is not called for it; one added is called from the next event on.
 * - A handler that throws, or returns a promise that rejects, is reported through `onThrow`; the
 *   others still run.
 */

type Fn = (payload: unknown) => unknown;

interface Entry {
  readonly fn: Fn;
  readonly once: boolean;
  active: boolean;
}

export class ListenerRegistry {
  // Arrays are replaced, never mutated, so a dispatch in progress iterates a stable list.
  private readonly byName = new Map<string, readonly Entry[]>();

  constructor(private readonly onThrow: (name: string, error: unknown) => void) {}

  add(name: string, fn: Fn, once: boolean): () => void {
    const entry: Entry = { fn, once, active: true };
    this.byName.set(name, [...(this.byName.get(name) ?? []), entry]);
    return () => this.removeEntry(name, entry);
  }

  /** Removes the first registration of `fn` under `name`. */
  remove(name: string, fn: Fn): void {
    const entry = this.byName.get(name)?.find((e) => e.fn === fn && e.active);
    if (entry !== undefined) this.removeEntry(name, entry);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  emit(name: string, payload: unknown): void {
    const list = this.byName.get(name);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as Entry;
      if (!entry.active) continue;
      if (entry.once) this.removeEntry(name, entry);
      try {
        const result = entry.fn(payload);
        if (result !== undefined && result !== null && typeof (result as PromiseLike<unknown>).then === "function") {
          (result as PromiseLike<unknown>).then(undefined, (error: unknown) => this.onThrow(name, error));
        }
      } catch (error) {
        this.onThrow(name, error);
      }
    }
  }

  private removeEntry(name: string, entry: Entry): void {
    if (!entry.active) return;
    entry.active = false;
    const rest = (this.byName.get(name) ?? []).filter((e) => e !== entry);
    if (rest.length === 0) this.byName.delete(name);
    else this.byName.set(name, rest);
  }
}
