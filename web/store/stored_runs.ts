/**
 * The runs index's entries when the runs are in a shared run store (PostgreSQL) rather than a
 * folder: one StoredEntry per run the store lists. Where a folder's index stats files, this one
 * is told: every batch of events a writer stores is announced (LISTEN/NOTIFY, `onBatch`), and
 * only the announced runs are read again, one query each for their new events. The store's list
 * of runs (one query, every run.json) is read when a run not yet indexed is announced (a new
 * run), when announcements may have been missed (a lost connection), and every `recheckMs`
 * (a run deleted, or run.json changed with no event: a crashed run marked by hand), and only the
 * runs whose run.json changed are read from it.
 */
import type { RunInfo } from "../../lib/run/types.ts";
import { checkAll } from "./check_all.ts";
import type { IndexedRun } from "./run_entry.ts";
import type { SharedRuns } from "./run_store.ts";
import { seenOf, StoredEntry } from "./stored_entry.ts";

export class StoredRuns {
  private entries = new Map<string, StoredEntry>();
  /** runs with batches announced since they were last read */
  private announced = new Set<string>();
  private relist = true;
  private lastListing = -Infinity;

  constructor(private readonly shared: SharedRuns, private readonly recheckMs: number) {
    shared.onBatch((id) => {
      if (id === null || !this.entries.has(id)) this.relist = true;
      else this.announced.add(id);
    });
  }

  /** Whether a sweep has anything to read: announced batches, or the list of runs. */
  get due(): boolean {
    return this.relist || this.announced.size > 0 || performance.now() - this.lastListing >= this.recheckMs;
  }

  runs(): IndexedRun[] {
    return [...this.entries.values()].flatMap((entry) => entry.run ? [entry.run] : []);
  }

  /** Reads the new runs, those whose run.json changed, and the announced ones; true when the list changed. */
  async sweep(): Promise<boolean> {
    const announced = [...this.announced];
    this.announced.clear();
    let changed = false;
    const checks = new Map<string, () => Promise<boolean>>();
    if (this.relist || performance.now() - this.lastListing >= this.recheckMs) {
      this.relist = false;
      this.lastListing = performance.now();
      const listed = await this.shared.store.list();
      const ids = new Set(listed.map((info) => info.id));
      for (const [id, entry] of this.entries) {
        if (ids.has(id)) continue;
        this.entries.delete(id);
        changed ||= entry.run !== null; // gone: the list changed
      }
      for (const info of listed) {
        const entry = this.entries.get(info.id);
        if (!entry?.run || entry.seen !== seenOf(info)) checks.set(info.id, () => this.check(info.id, info));
      }
    }
    for (const id of announced) if (!checks.has(id)) checks.set(id, () => this.check(id));
    return (await checkAll([...checks.values()])) || changed;
  }

  /** Reads a run again (opening it in the store the first time); true when its row changed. */
  private async check(id: string, listed?: RunInfo): Promise<boolean> {
    let entry = this.entries.get(id);
    if (!entry) {
      const files = await this.shared.store.open(id).catch(() => null);
      if (!files) return false; // deleted since it was listed
      this.entries.set(id, entry = new StoredEntry(files));
    }
    return await entry.check(listed);
  }
}
