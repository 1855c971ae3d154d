/**
 * Follows a run held in a RunStore (PostgreSQL) by seq, as EventTail follows an events.jsonl by
 * byte offset: each read returns the events stored since the last one. A resume drops the events
 * after its checkpoint and logs them again under the same seqs; it also adds an entry to run.json's
 * `resumes`, which is how a read notices (`rewritten`), so that followers drop what they held.
 */
import type { TailRead } from "./event_tail.ts";
import type { RunFiles } from "./run_store.ts";
import type { RunInfo } from "./types.ts";

export class StoreTail {
  /** the run's identity and resume count: changes when its events were rewritten */
  fileId: string | null = null;
  /** run.json as the last read found it */
  info: RunInfo | null = null;
  private lastSeq = 0;

  constructor(readonly files: RunFiles) {}

  /** `latest`: run.json when the caller has just read it (a store's list), saving the query. */
  async read(latest?: RunInfo): Promise<TailRead> {
    const info = this.info = latest ?? await this.files.readInfo();
    const generation = `${info.id}:${info.resumes.length}`;
    const rewritten = this.fileId !== null && generation !== this.fileId;
    if (rewritten) this.lastSeq = 0;
    this.fileId = generation;
    const events = await this.files.readEvents(this.lastSeq);
    this.lastSeq = events.at(-1)?.seq ?? this.lastSeq;
    return { events, rewritten, more: false };
  }
}
