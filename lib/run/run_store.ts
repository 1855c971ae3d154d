/**
 * The run-store interface (DESIGN.md): training writes a run only through it, so where runs go
 * is one choice made at start. Its embedded default is the run folder (folder_store.ts, the
 * layout in types.ts); its shared form is PostgreSQL (postgres_store.ts: runs, events and
 * artifacts in tables, followed with LISTEN/NOTIFY). A folder is also the format a run is
 * exported to and imported from (run_transfer.ts).
 */
import type { CheckpointState } from "../checkpoint.ts";
import type { RunEvent, RunInfo } from "./types.ts";

export interface RunStore {
  /** where runs go, for messages: a folder, or the store's URL without its password */
  readonly location: string;
  /** Makes the place of a new run and writes its run.json. */
  create(info: RunInfo): Promise<RunFiles>;
  /** An existing run, by folder (the folder store) or by id; a UsageError names what is missing. */
  open(ref: string): Promise<RunFiles>;
  /** Every run's run.json, newest first. */
  list(): Promise<RunInfo[]>;
  /** Releases connections; the folder store holds none. */
  close(): Promise<void>;
}

/** One run's storage: what a run folder holds, wherever it is held. */
export interface RunFiles {
  readonly id: string;
  /** printable: the run folder, or the store's URL (no password) and the run id */
  readonly location: string;
  readInfo(): Promise<RunInfo>;
  /** Replaces run.json as a whole, atomically. */
  writeInfo(info: RunInfo): Promise<void>;
  /** Appends event `seq`, a line of JSON ending in "\n". Synchronous, so that logging never waits on I/O. */
  appendEvent(seq: number, line: string): void;
  /** Makes every appended event durable; a checkpoint is written only after its events are. */
  flushEvents(): Promise<void>;
  /** Every complete event with seq > afterSeq, in order. */
  readEvents(afterSeq?: number): Promise<RunEvent[]>;
  /** Drops the events after `seq` (a resume logs them again from its checkpoint). */
  truncateEvents(seq: number): Promise<void>;
  /** Writes a file of the run (media/..., summary.json) by its run-relative path, atomically. */
  putFile(path: string, bytes: Uint8Array): Promise<void>;
  /** A file of the run by its run-relative path, or null; stores that keep files apart from a folder (PostgreSQL) have it. */
  readFile?(path: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Saves a checkpoint (and keeps the newest `keep`); returns where it went. */
  saveCheckpoint(state: CheckpointState, keep?: number): Promise<string>;
  /** The newest checkpoint, verified; a UsageError when there is none or it is damaged. */
  loadLatestCheckpoint(): Promise<CheckpointState & { path: string }>;
  /** Flushes and lets go of what the run holds open. */
  close(): Promise<void>;
}
