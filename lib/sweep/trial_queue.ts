/**
 * The queue a sweep's trials go through, as one small interface: the embedded default keeps it
 * in the sweep's manifest (manifest_queue.ts); a shared store (PostgreSQL, with leases) can take
 * its place without the scheduler changing. A trial is claimed by one worker at a time; each
 * claim is one attempt; a failed attempt goes back to the queue until the sweep's retries at that
 * budget are spent.
 */
import type { Trial } from "./manifest.ts";

/** A trial to queue: a new one, or (same id) a finished one to continue to a larger budget. */
export interface QueuedTrial {
  id: string;
  setting: string;
  seed: number;
  budget?: number;
}

export interface TrialQueue {
  /** Adds trials; an id already there is sent back to the queue at its new budget (successive halving). */
  enqueue(trials: QueuedTrial[]): Promise<void>;
  /** The next pending trial, now running with one more attempt; null when none is pending. */
  claim(): Promise<Trial | null>;
  /** Records the run a claimed trial's process writes, as soon as the lab has named it. */
  started(id: string, run: { run: string; resumed: boolean }): Promise<void>;
  /** The trial's run finished at its budget with this headline value. */
  complete(id: string, metric: number | null): Promise<void>;
  /** The attempt failed: back to the queue while retries are left, else failed. Says which. */
  fail(id: string, error: string): Promise<{ retrying: boolean }>;
  /** The attempt was stopped from outside (Ctrl-C): back to the queue, not counted as a failure. */
  release(id: string): Promise<void>;
  /** Every trial, in id order. */
  list(): Promise<Trial[]>;
}
