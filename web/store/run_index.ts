/**
 * The runs list's index: one RunEntry per run folder, built once and then kept current by sweeps,
 * so that a page of a list of thousands of runs costs a filter and a sort in memory, never a read
 * of every run. A sweep lists the runs directory only when the directory changed (a run created,
 * copied in or deleted changes its mtime), checks every run that is still running (its events
 * tail), and rechecks the others in rotation, each at least every `recheckMs`: a finished run
 * changes only when it is resumed or edited by hand. Requests sweep when the last sweep is older
 * than `pollMs`; live followers keep one poll timer running while they wait, like RunLog's. A
 * served dashboard also keeps the index between starts (`cacheFile`). The runs of a shared run
 * store (PostgreSQL) are indexed the same way, told what changed by the store instead of stats
 * (./stored_runs.ts).
 */
import { join } from "node:path";
import { isRunId, resolveRunDir } from "../security/safe_path.ts";
import { checkAll } from "./check_all.ts";
import { type EntryState, type IndexedRun, RunEntry } from "./run_entry.ts";
import { loadEntries, saveEntries } from "./run_index_cache.ts";
import type { SharedRuns } from "./run_store.ts";
import { StoredRuns } from "./stored_runs.ts";
import { Waiters } from "./waiters.ts";

export interface RunIndexOptions {
  /** the most a listed run may lag behind the disk while someone looks (ms) */
  pollMs?: number;
  /** how often each finished, failed or interrupted run is checked again at most (ms) */
  recheckMs?: number;
  /** start from the entries the last index on this folder saved there, and save them (./run_index_cache.ts) */
  cacheFile?: string | null;
  /** save only for folders of at least this many runs, where reading every run again takes seconds */
  saveFromRuns?: number;
}

/** A directory changed this recently may change again within its mtime's resolution: list it again next time. */
const MTIME_SLACK_MS = 2000;
/** The index is saved after the first sweep, then at most this often while runs change. */
const SAVE_EVERY_MS = 30_000;

export class RunIndex {
  /** bumps whenever a listed run appears, changes or goes */
  version = 0;
  readonly pollMs: number;
  private readonly recheckMs: number;
  private entries = new Map<string, RunEntry>();
  private listed: IndexedRun[] | null = null;
  private dirStamp = "";
  private lastListing = -Infinity;
  private lastSweep = -Infinity;
  private rotation = 0;
  private credit = 0;
  private lastRotation = performance.now();
  private sweeping: Promise<boolean> | null = null;
  private readonly waiters = new Waiters({
    poll: () => this.schedule(),
    stop: () => {
      clearTimeout(this.timer);
      this.timer = undefined;
    },
  });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly cacheFile: string | null;
  private lastSave = -Infinity;

  private readonly saveFromRuns: number;
  /** the runs of a shared store, when they are not the runs directory's */
  private readonly stored: StoredRuns | null;
  private readonly runsDir: string;

  /** The runs of a runs directory, or of a shared run store. */
  constructor(
    source: string | SharedRuns,
    { pollMs = 1000, recheckMs = 10_000, cacheFile = null, saveFromRuns = 200 }: RunIndexOptions = {},
  ) {
    this.runsDir = typeof source === "string" ? source : "";
    this.stored = typeof source === "string" ? null : new StoredRuns(source, recheckMs);
    this.pollMs = pollMs;
    this.recheckMs = recheckMs;
    this.cacheFile = cacheFile;
    this.saveFromRuns = saveFromRuns;
  }

  /**
   * Every listed run, at most pollMs behind the disk, and none missing or gone that the runs folder
   * already shows (a stat tells). The array is shared: do not change it.
   */
  async runs(): Promise<readonly IndexedRun[]> {
    if (this.stored ? this.stored.due : this.folderStale()) await this.sweep();
    this.listed ??= this.stored?.runs() ?? [...this.entries.values()].flatMap((entry) => entry.run ? [entry.run] : []);
    return this.listed;
  }

  private folderStale(): boolean {
    const stale = performance.now() - this.lastSweep >= this.pollMs;
    return stale || directoryStamp(this.runsDir).value !== this.dirStamp;
  }

  /** Brings the index up to date; true when anything changed. Concurrent calls share one sweep. */
  sweep(): Promise<boolean> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
      this.lastSweep = performance.now();
    });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<boolean> {
    const changed = this.stored ? await this.stored.sweep() : await this.sweepFolders();
    if (changed) {
      this.version++;
      this.listed = null;
      this.waiters.wakeAll();
      const due = performance.now() - this.lastSave >= SAVE_EVERY_MS && this.entries.size >= this.saveFromRuns;
      if (this.cacheFile && due) await this.save(this.cacheFile);
    }
    return changed;
  }

  /** Checks the runs found in the runs directory, the running ones, and some in rotation; true when any changed. */
  private async sweepFolders(): Promise<boolean> {
    let changed = false;
    const due = new Set<RunEntry>();
    const stamp = directoryStamp(this.runsDir);
    if (stamp.value !== this.dirStamp || performance.now() - this.lastListing >= this.recheckMs) {
      const folders = listRunFolders(this.runsDir);
      // Only the first listing finds runs a previous dashboard may have indexed.
      const saved = this.cacheFile && !this.entries.size ? await loadEntries(this.cacheFile) : new Map();
      for (const name of this.entries.keys()) {
        if (folders.has(name)) continue;
        changed ||= this.entries.get(name)!.run !== null;
        this.entries.delete(name);
      }
      for (const [name, isSymlink] of folders) {
        if (this.entries.has(name)) continue;
        // A link counts only when it resolves to a folder inside the runs directory.
        const dir = isSymlink ? await resolveRunDir(this.runsDir, name) : join(this.runsDir, name);
        if (!dir) continue;
        const entry = new RunEntry(name, dir);
        const state = saved.get(name);
        if (state) entry.restore(state);
        this.entries.set(name, entry);
        due.add(entry);
      }
      this.dirStamp = stamp.recent ? "" : stamp.value;
      this.lastListing = performance.now();
    }
    const all = [...this.entries.values()];
    for (const entry of all) if (entry.live || !entry.run) due.add(entry);
    // The rest in rotation, as many as the time since the last sweep is a share of recheckMs:
    // each once per recheckMs, however often sweeps come.
    const now = performance.now();
    this.credit = Math.min(all.length, this.credit + all.length * (now - this.lastRotation) / this.recheckMs);
    this.lastRotation = now;
    const share = Math.floor(this.credit);
    this.credit -= share;
    for (let i = 0; i < share; i++) due.add(all[(this.rotation + i) % all.length]);
    this.rotation = all.length ? (this.rotation + share) % all.length : 0;

    if (await checkAll([...due].map((entry) => () => entry.check()))) changed = true;
    this.lastRotation = performance.now(); // what this sweep read is fresh: its own time earns no rechecks
    return changed;
  }

  private async save(path: string): Promise<void> {
    this.lastSave = performance.now();
    const states = new Map<string, EntryState>();
    for (const [name, entry] of this.entries) {
      const state = entry.saved();
      if (state) states.set(name, state);
    }
    await saveEntries(path, states);
  }

  /** Resolves when the index changes, after timeoutMs, or on abort; sweeps every pollMs meanwhile. */
  waitForChange(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.wait(timeoutMs, signal);
  }

  private tick = async () => {
    this.timer = undefined;
    await this.sweep().catch(() => false);
    if (this.waiters.size) this.schedule();
  };

  private schedule(): void {
    this.timer ??= setTimeout(this.tick, this.pollMs);
  }
}

/** The runs directory's mtime and inode, and whether it changed too recently to trust. */
function directoryStamp(path: string): { value: string; recent: boolean } {
  try {
    const stat = Deno.statSync(path);
    const mtime = stat.mtime?.getTime() ?? 0;
    return { value: `${mtime}:${stat.ino}`, recent: Date.now() - mtime < MTIME_SLACK_MS };
  } catch {
    return { value: "", recent: false };
  }
}

/** The folders (or links: true) in the runs directory whose names can be run ids. */
function listRunFolders(runsDir: string): Map<string, boolean> {
  const names = new Map<string, boolean>();
  try {
    for (const entry of Deno.readDirSync(runsDir)) {
      if ((entry.isDirectory || entry.isSymlink) && isRunId(entry.name)) names.set(entry.name, entry.isSymlink);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}
