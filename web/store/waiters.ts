/**
 * The long-poll callers waiting for a store to change (RunLog's events, RunIndex's runs): each
 * resolves when woken, after its own timeout, or when its request is aborted. The store polls only
 * while someone waits: `poll` starts it (and must do nothing when it already runs), `stop` is
 * called when the last waiter leaves.
 */
export class Waiters {
  private readonly pending = new Set<() => void>();

  constructor(private readonly polling: { poll(): void; stop(): void }) {}

  get size(): number {
    return this.pending.size;
  }

  /** Resolves on wakeAll, after timeoutMs, or on abort. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        signal?.removeEventListener("abort", done);
        this.pending.delete(done);
        if (!this.pending.size) this.polling.stop();
        resolve();
      };
      const timeout = setTimeout(done, timeoutMs);
      signal?.addEventListener("abort", done);
      if (signal?.aborted) return done();
      this.pending.add(done);
      this.polling.poll();
    });
  }

  wakeAll(): void {
    for (const wake of [...this.pending]) wake();
  }
}
