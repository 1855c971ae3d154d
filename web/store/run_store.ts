/**
 * What the dashboard knows about the runs, read only: the runs list (with a summary per run)
 * and, per run opened in a page, its events in memory (RunLog). The runs are the folders of the
 * runs directory, or, with `shared`, the runs of a shared run store (PostgreSQL), read through
 * the run-store interface and followed with its `wait` (LISTEN/NOTIFY) instead of polling. Run
 * ids are checked and resolved here, so no route builds a path itself. Logs of runs nobody
 * follows are dropped beyond `maxCachedRuns`, so browsing many runs does not hold all their events.
 */
import { readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunFiles, RunStore as SharedStore } from "../../lib/run/run_store.ts";
import { StoreTail } from "../../lib/run/store_tail.ts";
import type { RunInfo } from "../../lib/run/types.ts";
import { listSweeps, readManifest, type SweepManifest } from "../../lib/sweep/manifest.ts";
import { resolveRunDir } from "../security/safe_path.ts";
import type { RunSummary } from "../shared/payloads.ts";
import { RunLog } from "./run_log.ts";
import { RunSummarizer } from "./run_summary.ts";

/** A shared run store and how to wait for a run's next events in it. */
export interface SharedRuns {
  store: SharedStore;
  wait: (id: string, afterSeq: number, signal: AbortSignal) => Promise<void>;
  /** the sweeps queued in the store (every one, newest first, or the one with `id`) */
  sweeps: (id?: string) => Promise<SweepManifest[]>;
}

export interface RunStoreOptions {
  /** how often followed runs are polled for new events */
  pollMs?: number;
  maxCachedRuns?: number;
  shared?: SharedRuns;
}

export class RunStore {
  private logs = new Map<string, RunLog>();
  private summarizers = new Map<string, RunSummarizer>();
  readonly pollMs: number;
  private maxCachedRuns: number;
  /** the shared store the runs come from; undefined: the runs directory */
  readonly shared?: SharedRuns;

  constructor(readonly runsDir: string, { pollMs = 250, maxCachedRuns = 16, shared }: RunStoreOptions = {}) {
    this.pollMs = pollMs;
    this.maxCachedRuns = maxCachedRuns;
    this.shared = shared;
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

  /** Every run, newest first. */
  async summaries(): Promise<RunSummary[]> {
    const summaries = this.shared ? await this.sharedSummaries(this.shared.store) : await this.folderSummaries();
    return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  }

  private async folderSummaries(): Promise<RunSummary[]> {
    const seen = new Set<string>();
    const summaries: RunSummary[] = [];
    for (const name of await this.runNames()) {
      const dir = await resolveRunDir(this.runsDir, name);
      if (!dir) continue;
      seen.add(dir);
      let summarizer = this.summarizers.get(dir);
      if (!summarizer) this.summarizers.set(dir, summarizer = new RunSummarizer(dir));
      const summary = await summarizer.summary().catch(() => null);
      // URLs name the folder, which may differ from run.json's id when a run was copied or renamed.
      if (summary) summaries.push({ ...summary, id: name });
    }
    for (const dir of this.summarizers.keys()) if (!seen.has(dir)) this.summarizers.delete(dir);
    return summaries;
  }

  /** One list query for every run.json, then each run's events since the last list (one query a run). */
  private async sharedSummaries(store: SharedStore): Promise<RunSummary[]> {
    const summaries: RunSummary[] = [];
    for (const info of await store.list()) {
      let summarizer = this.summarizers.get(info.id);
      if (!summarizer) {
        const tail = new StoreTail(await store.open(info.id));
        this.summarizers.set(info.id, summarizer = new RunSummarizer({ tail, info }));
      }
      const summary = await summarizer.summary(info).catch(() => null);
      if (summary) summaries.push(summary);
    }
    return summaries;
  }

  private async runNames(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.runsDir)) {
        if (entry.isDirectory || entry.isSymlink) names.push(entry.name);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return names;
  }
}
