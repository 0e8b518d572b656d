// What the host must let go of (listeners, watchers, panels), kept in one place per
// owner instead of hand-kept arrays: a store disposes everything it holds once, newest
// first (what was registered later may depend on what came before), and anything added
// after that at once, so a late registration cannot leak. No vscode import: vscode's
// Disposable has this shape, and the unit tests drive the real helper.
export interface Disposable {
  dispose(): unknown;
}

export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Holds `item` until the store is disposed; returns it, so a field can be set in one line. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Disposes `item` now, if this store holds it (a watcher replaced, a panel closed). */
  delete(item: Disposable): void {
    if (this.items.delete(item)) item.dispose();
  }

  /** Disposes all, newest first; one that throws does not keep the others alive (the first error is rethrown). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items].reverse();
    this.items.clear();
    let first: { error: unknown } | undefined;
    for (const item of items) {
      try {
        item.dispose();
      } catch (error) {
        first ??= { error };
      }
    }
    if (first) throw first.error;
  }
}

/** One disposable that is replaced over time (the watchers of the current runs folders): setting disposes the previous one. */
export class SerialDisposable implements Disposable {
  private current: Disposable | undefined;
  private disposed = false;

  set value(next: Disposable | undefined) {
    if (this.disposed) {
      next?.dispose();
      return;
    }
    const previous = this.current;
    this.current = next;
    previous?.dispose();
  }

  dispose(): void {
    this.disposed = true;
    const previous = this.current;
    this.current = undefined;
    previous?.dispose();
  }
}


/** Runs the last function it was given `ms` after the last call (a burst of edits or file events becomes one reload); disposing drops a pending run. */
export class Debounce implements Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly ms: number) {}

  run(fn: () => void): void {
    clearTimeout(this.timer);
    if (!this.disposed) this.timer = setTimeout(fn, this.ms);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }
}
