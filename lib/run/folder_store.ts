/**
 * The run store's embedded default: one folder per run under a runs folder (layout in types.ts).
 * Files that are replaced are replaced atomically; events are appended one whole line per
 * synchronous write, so a reader (or a crash) sees whole lines, at most the last one torn.
 */
import { basename, join } from "node:path";
import { loadLatestCheckpoint, saveCheckpoint } from "../checkpoint.ts";
import type { CheckpointState } from "../checkpoint.ts";
import { writeFileAtomic, writeJsonAtomic } from "./atomic_write.ts";
import { listRuns, readEvents, readRunInfo } from "./run_reader.ts";
import type { RunFiles, RunStore } from "./run_store.ts";
import type { RunEvent, RunInfo } from "./types.ts";

export class FolderStore implements RunStore {
  constructor(readonly location: string) {}

  async create(info: RunInfo): Promise<RunFiles> {
    const dir = join(this.location, info.id);
    await Deno.mkdir(join(dir, "media"), { recursive: true });
    await Deno.mkdir(join(dir, "checkpoints"));
    const run = new FolderRun(dir);
    await run.writeInfo(info);
    return run;
  }

  /** The run in folder `dir` (a path, not only a name under this store's folder). */
  open(dir: string): Promise<RunFiles> {
    return Promise.resolve(new FolderRun(dir));
  }

  list(): Promise<RunInfo[]> {
    return listRuns(this.location);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class FolderRun implements RunFiles {
  /** events.jsonl, opened for appending at the first event (a resume replaces the file before that) */
  private events: Deno.FsFile | null = null;

  constructor(readonly location: string) {}

  get id(): string {
    return basename(this.location);
  }

  readInfo(): Promise<RunInfo> {
    return readRunInfo(this.location);
  }

  writeInfo(info: RunInfo): Promise<void> {
    return writeJsonAtomic(join(this.location, "run.json"), info);
  }

  appendEvent(_seq: number, line: string): void {
    this.events ??= Deno.openSync(join(this.location, "events.jsonl"), { append: true, create: true });
    this.events.writeSync(new TextEncoder().encode(line));
  }

  flushEvents(): Promise<void> {
    this.events?.syncSync();
    return Promise.resolve();
  }

  readEvents(afterSeq = 0): Promise<RunEvent[]> {
    return readEvents(this.location, afterSeq);
  }

  async truncateEvents(seq: number): Promise<void> {
    this.events?.close();
    this.events = null;
    const kept = (await readEvents(this.location)).filter((e) => e.seq <= seq);
    await writeFileAtomic(join(this.location, "events.jsonl"), kept.map((e) => JSON.stringify(e) + "\n").join(""));
  }

  putFile(path: string, bytes: Uint8Array): Promise<void> {
    return writeFileAtomic(join(this.location, path), bytes);
  }

  saveCheckpoint(state: CheckpointState, keep?: number): Promise<string> {
    return saveCheckpoint(join(this.location, "checkpoints"), state, keep);
  }

  loadLatestCheckpoint(): Promise<CheckpointState & { path: string }> {
    return loadLatestCheckpoint(join(this.location, "checkpoints"));
  }

  close(): Promise<void> {
    this.events?.syncSync();
    this.events?.close();
    this.events = null;
    return Promise.resolve();
  }
}
