/**
 * One run of a shared run store (PostgreSQL) as the runs index holds it: the same row as a run
 * folder's (./run_entry.ts), read through the run-store interface instead of from files. What
 * tells it to read again is not a file's stamp but the store: its list of runs (run.json of each)
 * and a LISTEN/NOTIFY announcement of the run's next batch of events (./stored_runs.ts). A check
 * reads the events stored since the last one (StoreTail, which also sees a resume's rewrite), and
 * summary.json once the run has ended.
 */
import type { RunFiles } from "../../lib/run/run_store.ts";
import { StoreTail } from "../../lib/run/store_tail.ts";
import type { RunInfo } from "../../lib/run/types.ts";
import {
  emptyFold,
  type EntryState,
  foldEvents,
  headerOf,
  indexedRow,
  type IndexedRun,
  numbersOf,
  unreadableInfo,
} from "./run_entry.ts";

export class StoredEntry {
  run: IndexedRun | null = null;
  /** run.json's updatedAt and resume count as last read: a listed run.json that differs is read again */
  seen = "";
  private state: Omit<EntryState, "stamps" | "offset" | "fileId"> = {
    header: null,
    infoError: "",
    infoTime: 0,
    summary: {},
    fold: emptyFold(),
  };
  private tail: StoreTail;
  /** the resume and status summary.json was read for: read again when the run ends again */
  private summaryFor = "";

  constructor(readonly files: RunFiles) {
    this.tail = new StoreTail(files);
  }

  /** Reads the events stored since the last check (and run.json, unless `listed` is it); true when the row changed. */
  async check(listed?: RunInfo): Promise<boolean> {
    const { state } = this;
    try {
      const read = await this.tail.read(listed);
      if (read.rewritten) state.fold = emptyFold();
      foldEvents(state.fold, read.events);
      delete state.fold.error;
    } catch (error) {
      state.fold.error = `events: ${error instanceof Error ? error.message : error}`;
    }
    const info = this.tail.info;
    if (info) this.readHeader(info);
    let row = indexedRow(this.files.id, state);
    const ended = `${this.tail.fileId}:${row.status}`;
    if (row.status !== "running" && ended !== this.summaryFor) {
      this.summaryFor = ended;
      state.summary = await this.readSummary();
      row = indexedRow(this.files.id, state);
    }
    const changed = JSON.stringify(row) !== JSON.stringify(this.run);
    this.run = row;
    return changed;
  }

  private readHeader(info: RunInfo): void {
    this.seen = seenOf(info);
    try {
      this.state.header = headerOf(info as unknown as Record<string, unknown>);
      this.state.infoError = "";
    } catch (error) {
      this.state.header = null;
      this.state.infoError = unreadableInfo(error);
    }
  }

  private async readSummary(): Promise<Record<string, number>> {
    try {
      const bytes = await this.files.readFile?.("summary.json");
      return bytes ? numbersOf(JSON.parse(new TextDecoder().decode(bytes))) : {};
    } catch {
      return {}; // not JSON: the run is listed without its summary's numbers
    }
  }
}

/** What of a listed run.json says it changed since it was read: written again (updatedAt), or resumed. */
export const seenOf = (info: RunInfo) => `${info.updatedAt}:${info.resumes?.length ?? 0}`;
