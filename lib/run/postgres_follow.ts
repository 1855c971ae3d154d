/**
 * Following PostgreSQL runs live without polling: one connection LISTENs on tflab_events, which
 * every batch of events a writer stores is announced on ('<run-id> <last seq>',
 * postgres_store.ts). A follower reads what it has, then waits here for a run's next batch; a
 * batch stored between the two is not missed, since the LISTEN began before the read and its
 * seq is remembered. When the connection drops (a server restart) every waiter wakes to read
 * again, and the follower reconnects. The dashboard (`--store`) waits here in place of its file
 * polls: a run page for its run's batches, the runs list for every run's (`onBatch`).
 */
import pg from "pg";
import { EVENTS_CHANNEL, type PostgresStore } from "./postgres_store.ts";

export class PostgresFollower {
  /** the highest seq announced per run since the LISTEN began */
  private announced = new Map<string, number>();
  private waiters = new Set<{ id: string; afterSeq: number; wake: () => void }>();
  private listeners = new Set<(id: string | null) => void>();
  private client: pg.Client | null = null;
  private closed = false;

  private constructor(private readonly store: PostgresStore) {}

  static async start(store: PostgresStore): Promise<PostgresFollower> {
    const follower = new PostgresFollower(store);
    await follower.listen();
    return follower;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.store.url.secret, connectionTimeoutMillis: 5000 });
    client.on("notification", ({ payload = "" }) => {
      const [id, seq] = payload.split(" ");
      this.announced.set(id, Math.max(this.announced.get(id) ?? 0, Number(seq)));
      // Any new batch of the run wakes its waiters: one at or below what a waiter read is a resume
      // logging the events after its checkpoint again, which the waiter must read too.
      for (const waiter of this.waiters) if (waiter.id === id) waiter.wake();
      for (const listener of this.listeners) listener(id);
    });
    client.on("error", () => this.reconnect(client));
    client.on("end", () => this.reconnect(client));
    await client.connect();
    await client.query(`listen ${EVENTS_CHANNEL}`);
    this.client = client;
  }

  /** Wakes every waiter (they may have missed batches) and listens again, retrying every second. */
  private reconnect(lost: pg.Client): void {
    if (this.closed || this.client !== lost) return;
    this.client = null;
    for (const waiter of this.waiters) waiter.wake();
    for (const listener of this.listeners) listener(null);
    const retry = () => {
      if (!this.closed) this.listen().catch(() => setTimeout(retry, 1000));
    };
    retry();
  }

  /** Resolves when run `id` has events after `afterSeq` (announced), after `timeoutMs`, or on abort. */
  waitForEvents(id: string, afterSeq: number, { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal }) {
    return new Promise<void>((resolve) => {
      const waiter = { id, afterSeq, wake: () => done() };
      const done = () => {
        clearTimeout(timeout);
        signal?.removeEventListener("abort", done);
        this.waiters.delete(waiter);
        resolve();
      };
      const timeout = setTimeout(done, timeoutMs);
      signal?.addEventListener("abort", done);
      if (signal?.aborted || (this.announced.get(id) ?? 0) > afterSeq) return done();
      this.waiters.add(waiter);
    });
  }

  /**
   * Calls `listener` with the run id of every batch announced, and with null when the connection
   * was lost (batches may have gone unheard): how a list of every run (the dashboard's) follows them.
   */
  onBatch(listener: (id: string | null) => void): void {
    this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.closed = true;
    for (const waiter of this.waiters) waiter.wake();
    await this.client?.end().catch(() => {});
  }
}
