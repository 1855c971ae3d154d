/**
 * What the dashboard knows about the runs directory, read only from disk: the runs list (with a
 * summary per run) and, per run opened in a page, its events in memory (RunLog). Run ids are
 * checked and resolved here, so no route builds a path itself. Logs of runs nobody follows are
 * dropped beyond `maxCachedRuns`, so browsing many runs does not hold all their events.
 */
import { readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunInfo } from "../../lib/run/types.ts";
import { resolveRunDir } from "../security/safe_path.ts";
import type { RunSummary } from "../shared/payloads.ts";
import { RunLog } from "./run_log.ts";
import { RunSummarizer } from "./run_summary.ts";

export interface RunStoreOptions {
  /** how often followed runs are polled for new events */
  pollMs?: number;
  maxCachedRuns?: number;
}

export class RunStore {
  private logs = new Map<string, RunLog>();
  private summarizers = new Map<string, RunSummarizer>();
  readonly pollMs: number;
  private maxCachedRuns: number;

  constructor(readonly runsDir: string, { pollMs = 250, maxCachedRuns = 16 }: RunStoreOptions = {}) {
    this.pollMs = pollMs;
    this.maxCachedRuns = maxCachedRuns;
  }

  /** run.json of a run, or null when the id names no run inside the runs directory. */
  async info(id: string): Promise<RunInfo | null> {
    const dir = await resolveRunDir(this.runsDir, id);
    return dir ? await readRunInfo(dir).catch(() => null) : null;
  }

  /** The run's events, brought up to date; null when the id names no run. */
  async log(id: string): Promise<RunLog | null> {
    const dir = await resolveRunDir(this.runsDir, id);
    if (!dir) return null;
    let log = this.logs.get(dir);
    if (log) this.logs.delete(dir); // re-inserted below: the Map's order is the LRU order
    else log = new RunLog(dir, this.pollMs);
    this.logs.set(dir, log);
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

  /** Every run in the runs directory, newest first. */
  async summaries(): Promise<RunSummary[]> {
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
    return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
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
