/**
 * One run's events held in memory for the dashboard: the full ordered list (for replaying a
 * reconnecting client from any seq) and a column per scalar key (for charts). Kept current by
 * an EventTail, so each refresh reads only what the writer appended. Followers wait on it with
 * `waitForChange`: one poll timer per run, running only while someone waits.
 */
import { EventTail, type TailRead } from "../../lib/run/event_tail.ts";
import type { RunEvent } from "../../lib/run/types.ts";
import { Waiters } from "./waiters.ts";

/** Where a run's events come from: an events.jsonl (EventTail) or a run store (StoreTail). */
export interface EventSource {
  read(): Promise<TailRead>;
  fileId: string | null;
}

/** Resolves once events after `afterSeq` may have been stored (or on a timeout, or abort): LISTEN in place of polling. */
export type WaitForEvents = (afterSeq: number, signal: AbortSignal) => Promise<void>;

export interface ScalarColumns {
  seq: number[];
  step: number[];
  time: number[];
  value: number[];
}

export class RunLog {
  events: RunEvent[] = [];
  scalars = new Map<string, ScalarColumns>();
  /** changes when events.jsonl is replaced (a --resume): clients holding older events must start over */
  generation = "";
  private tail: EventSource;
  private refreshing: Promise<boolean> | null = null;
  private readonly waiters = new Waiters({ poll: () => this.startPolling(), stop: () => this.stopPolling() });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pendingWait: AbortController | undefined;
  private polling = false;

  /** A run folder (polled every pollMs), or any EventSource; with `wait`, it is waited on instead of polled. */
  constructor(source: string | EventSource, private pollMs = 250, private wait?: WaitForEvents) {
    this.tail = typeof source === "string" ? new EventTail(source) : source;
  }

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** Reads what was appended; true if anything changed. Concurrent calls share one read. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.readAll().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async readAll(): Promise<boolean> {
    let changed = false;
    for (let more = true; more;) {
      const read = await this.tail.read();
      if (read.rewritten) {
        this.events = [];
        this.scalars = new Map();
        changed = true;
      }
      for (const event of read.events) this.add(event);
      changed ||= read.events.length > 0;
      more = read.more;
    }
    this.generation = this.tail.fileId ?? "";
    return changed;
  }

  private add(event: RunEvent): void {
    // seq is strictly increasing in a well-formed file; anything else is ignored, not reordered.
    if (event.seq <= this.lastSeq) return;
    this.events.push(event);
    if (event.kind !== "scalar") return;
    let columns = this.scalars.get(event.key);
    if (!columns) this.scalars.set(event.key, columns = { seq: [], step: [], time: [], value: [] });
    columns.seq.push(event.seq);
    columns.step.push(event.step);
    columns.time.push(event.time);
    columns.value.push(event.value);
  }

  /** Events with seq > afterSeq, at most limit of them. */
  after(afterSeq: number, limit = Infinity): RunEvent[] {
    const start = upperBound(this.events, afterSeq, (e) => e.seq);
    return this.events.slice(start, start + limit);
  }

  /** Resolves when new events arrive (or the file is replaced), after timeoutMs, or on abort. */
  waitForChange(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.wait(timeoutMs, signal);
  }

  get followers(): number {
    return this.waiters.size;
  }

  private startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    this.schedule();
  }

  private schedule(): void {
    if (!this.wait) {
      this.timer = setTimeout(this.tick, this.pollMs);
      return;
    }
    const pending = this.pendingWait = new AbortController();
    this.wait(this.lastSeq, pending.signal).then(() => {
      if (!pending.signal.aborted) this.tick();
    });
  }

  private tick = async () => {
    this.timer = undefined;
    this.pendingWait = undefined;
    const changed = await this.refresh().catch(() => false);
    if (changed) this.waiters.wakeAll();
    if (this.waiters.size) this.schedule();
    else this.polling = false;
  };

  /** Stops between ticks; a tick in flight sees no waiters and stops itself. */
  private stopPolling(): void {
    if (this.timer === undefined && this.pendingWait === undefined) return;
    clearTimeout(this.timer);
    this.pendingWait?.abort();
    this.timer = undefined;
    this.pendingWait = undefined;
    this.polling = false;
  }
}

/** The first index whose key is > value, in an array sorted by key. */
export function upperBound<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0, hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
