/**
 * What the dashboard knows about the runs, read only: the runs list (an index of every run's
 * header, ./run_index.ts, queried a page at a time) and, per run opened in a page, its events in
 * memory (RunLog). The runs are the folders of the runs directory, or, with `shared`, the runs of
 * a shared run store (PostgreSQL), read through the run-store interface and followed with its
 * LISTEN/NOTIFY (`wait`, `onBatch`) instead of file stamps and polls. Run ids are checked and
 * resolved here, so no route builds a path itself. Logs of runs nobody follows are dropped beyond
 * `maxCachedRuns`, so browsing many runs does not hold all their events.
 */
import { readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunFiles, RunStore as SharedStore } from "../../lib/run/run_store.ts";
import { StoreTail } from "../../lib/run/store_tail.ts";
import type { RunInfo } from "../../lib/run/types.ts";
import { listSweeps, readManifest, type SweepManifest } from "../../lib/sweep/manifest.ts";
import { resolveRunDir } from "../security/safe_path.ts";
import type { RunsPage } from "../shared/payloads.ts";
import type { RunsQuery } from "../shared/runs_query.ts";
import { RunIndex } from "./run_index.ts";
import { RunLog } from "./run_log.ts";
import { runsPage } from "./runs_page.ts";

/** A shared run store and how to hear of new events in it. */
export interface SharedRuns {
  store: SharedStore;
  /** resolves once run `id` may have events after `afterSeq` (or on a timeout, or abort) */
  wait: (id: string, afterSeq: number, signal: AbortSignal) => Promise<void>;
  /** calls `listener` with the run id of every batch of events stored, and with null when some may have been missed */
  onBatch: (listener: (id: string | null) => void) => void;
  /** the sweeps queued in the store (every one, newest first, or the one with `id`) */
  sweeps: (id?: string) => Promise<SweepManifest[]>;
}

export interface RunStoreOptions {
  /** how often followed runs are polled for new events */
  pollMs?: number;
  /** the most the runs list may lag behind the disk (ms) */
  listPollMs?: number;
  /** where the runs index is kept between starts (run_index_cache.ts) */
  indexCacheFile?: string | null;
  maxCachedRuns?: number;
  shared?: SharedRuns;
}

export class RunStore {
  private logs = new Map<string, RunLog>();
  readonly pollMs: number;
  private maxCachedRuns: number;
  readonly index: RunIndex;
  /** the shared store the runs come from; undefined: the runs directory */
  readonly shared?: SharedRuns;

  constructor(
    readonly runsDir: string,
    { pollMs = 250, listPollMs = 1000, maxCachedRuns = 16, indexCacheFile = null, shared }: RunStoreOptions = {},
  ) {
    this.pollMs = pollMs;
    this.maxCachedRuns = maxCachedRuns;
    this.shared = shared;
    this.index = new RunIndex(shared ?? runsDir, { pollMs: listPollMs, cacheFile: shared ? null : indexCacheFile });
  }

  /** One page of the runs list. */
  async runsPage(query: RunsQuery): Promise<RunsPage> {
    return runsPage(await this.index.runs(), query);
  }

  /** Where the runs are, for messages: the folder, or the store's URL without its password. */
  get location(): string {
    return this.shared?.store.location ?? this.runsDir;
  }

  /** run.json of a run, or null when the id names no run. */
  async info(id: string): Promise<RunInfo | null> {
    if (this.shared) return await (await this.open(id))?.readInfo().catch(() => null) ?? null;
    const dir = await resolveRunDir(this.runsDir, id);
    return dir ? await readRunInfo(dir).catch(() => null) : null;
  }

  /** Every sweep, newest first: the manifests in the runs folder, or the sweeps queued in the shared store. */
  sweeps(): Promise<SweepManifest[]> {
    return this.shared ? this.shared.sweeps() : listSweeps(this.runsDir);
  }

  /** One sweep, or null. */
  async sweep(id: string): Promise<SweepManifest | null> {
    if (this.shared) return (await this.shared.sweeps(id))[0] ?? null;
    return await readManifest(this.runsDir, id).catch(() => null);
  }

  /** A run of the shared store, or null when it holds none of that id. */
  async open(id: string): Promise<RunFiles | null> {
    return await this.shared?.store.open(id).catch(() => null) ?? null;
  }

  /** The run's events, brought up to date; null when the id names no run. */
  async log(id: string): Promise<RunLog | null> {
    const key = this.shared ? id : await resolveRunDir(this.runsDir, id);
    if (!key) return null;
    let log = this.logs.get(key);
    if (log) this.logs.delete(key); // re-inserted below: the Map's order is the LRU order
    else if (this.shared) {
      const files = await this.open(id);
      if (!files) return null;
      const { wait } = this.shared;
      log = new RunLog(new StoreTail(files), this.pollMs, (afterSeq, signal) => wait(id, afterSeq, signal));
    } else log = new RunLog(key, this.pollMs);
    this.logs.set(key, log);
    this.evict();
    await log.refresh();
    return log;
  }

  private evict(): void {
    for (const [dir, log] of this.logs) {
      if (this.logs.size <= this.maxCachedRuns) break;
      if (!log.followers) this.logs.delete(dir);
    }
  }
}
