/**
 * What the dashboard knows about the runs directory, read only from disk: the runs list (an
 * index of every run's header, ./run_index.ts, queried a page at a time) and, per run opened in
 * a page, its events in memory (RunLog). Run ids are checked and resolved here, so no route
 * builds a path itself. Logs of runs nobody follows are dropped beyond `maxCachedRuns`, so
 * browsing many runs does not hold all their events.
 */
import { readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunInfo } from "../../lib/run/types.ts";
import { resolveRunDir } from "../security/safe_path.ts";
import type { RunsPage } from "../shared/payloads.ts";
import type { RunsQuery } from "../shared/runs_query.ts";
import { RunIndex } from "./run_index.ts";
import { RunLog } from "./run_log.ts";
import { runsPage } from "./runs_page.ts";

export interface RunStoreOptions {
  /** how often followed runs are polled for new events */
  pollMs?: number;
  /** the most the runs list may lag behind the disk (ms) */
  listPollMs?: number;
  /** where the runs index is kept between starts (run_index_cache.ts) */
  indexCacheFile?: string | null;
  maxCachedRuns?: number;
}

export class RunStore {
  private logs = new Map<string, RunLog>();
  readonly pollMs: number;
  private maxCachedRuns: number;
  readonly index: RunIndex;

  constructor(
    readonly runsDir: string,
    { pollMs = 250, listPollMs = 1000, maxCachedRuns = 16, indexCacheFile = null }: RunStoreOptions = {},
  ) {
    this.pollMs = pollMs;
    this.maxCachedRuns = maxCachedRuns;
    this.index = new RunIndex(runsDir, { pollMs: listPollMs, cacheFile: indexCacheFile });
  }

  /** One page of the runs list. */
  async runsPage(query: RunsQuery): Promise<RunsPage> {
    return runsPage(await this.index.runs(), query);
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
}
