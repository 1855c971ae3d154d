/**
 * One run as the runs index holds it: run.json's header, summary.json's numbers, and a fold over
 * its events (latest step, number of events, the latest status event, the latest value of every
 * scalar key) that keeps no events. `check()` stats the three files and re-reads only what
 * changed: run.json and summary.json whole (small, and replaced atomically), events.jsonl from
 * where the last read stopped (EventTail), so a run that did not change costs three stats. Of
 * run.json it keeps the header the list shows, not the spec. A run.json that cannot be read as a
 * run gives a "malformed" row that says why, rather than a hole in the list.
 */
import { join } from "node:path";
import { EventTail } from "../../lib/run/event_tail.ts";
import type { RunEvent, RunInfo } from "../../lib/run/types.ts";
import type { RunSummary } from "../shared/payloads.ts";
import type { ListedStatus } from "../shared/runs_query.ts";

/** A runs-list row (what the list shows: RunSummary) with all of the run's config and metrics, and its search text. */
export interface IndexedRun extends Omit<RunSummary, "config" | "metrics"> {
  /** the folder's name, which URLs use (it may differ from run.json's id in a copied run) */
  id: string;
  config: Record<string, unknown>;
  /** the latest value of every scalar key, then summary.json's numbers (nested keys joined by ".") */
  metrics: Record<string, number>;
  /** id, lab, title, notes and sweep id in lower case, for the free-text search */
  text: string;
}

export interface Fold {
  step: number;
  events: number;
  status: string | null;
  latest: Record<string, number>;
  error?: string;
}

export const emptyFold = (): Fold => ({ step: 0, events: 0, status: null, latest: {} });

/** The part of run.json the list shows: not the spec, which is most of the file. */
export type Header =
  & Pick<RunInfo, "lab" | "title" | "status" | "createdAt" | "updatedAt" | "headline" | "totalSteps" | "sweep">
  & {
    backend?: { name?: string; adapter?: string };
    config: Record<string, unknown>;
    error?: string;
  };

/**
 * All an entry knows, with the stamp of the file each part was read from: what a restarted index
 * starts from (./run_index_cache.ts), re-reading only the files whose stamps have changed.
 */
export interface EntryState {
  stamps: { info: string; summary: string; events: string };
  header: Header | null;
  /** why run.json cannot be read as a run */
  infoError: string;
  /** run.json's mtime, the start shown for a malformed run */
  infoTime: number;
  summary: Record<string, number>;
  fold: Fold;
  /** where the events tail stopped, and the file it read */
  offset: number;
  fileId: string | null;
}

const emptyState = (): EntryState => ({
  stamps: { info: "", summary: "", events: "" },
  header: null,
  infoError: "",
  infoTime: 0,
  summary: {},
  fold: emptyFold(),
  offset: 0,
  fileId: null,
});

/** What identifies a version of a file: changes when it is rewritten in place or replaced; "" when absent. */
function stampOf(path: string): string {
  try {
    const stat = Deno.statSync(path);
    return `${stat.mtime?.getTime()}:${stat.ctime?.getTime()}:${stat.size}:${stat.ino}`;
  } catch {
    return "";
  }
}

export class RunEntry {
  run: IndexedRun | null = null;
  private state = emptyState();
  private tail: EventTail;

  constructor(readonly name: string, readonly dir: string) {
    this.tail = new EventTail(dir);
  }

  /** Running (its events are read at every sweep), or with a run.json that may be half written. */
  get live(): boolean {
    return this.run?.status === "running" || this.run?.status === "malformed";
  }

  /** What to save for a restarted index; null before the run was read, or after an error reading its events. */
  saved(): EntryState | null {
    if (!this.run || this.state.fold.error) return null;
    return { ...this.state, offset: this.tail.offset, fileId: this.tail.fileId };
  }

  /** Starts from a saved state: files with the same stamps are not read again, grown events from the offset. */
  restore(state: EntryState): void {
    this.state = state;
    this.tail.offset = state.offset;
    this.tail.fileId = state.fileId;
  }

  /** Re-reads what changed on disk; true when the row changed. A folder without run.json is no run (yet). */
  async check(): Promise<boolean> {
    const { stamps } = this.state;
    const infoStamp = stampOf(join(this.dir, "run.json"));
    if (!infoStamp) {
      const had = this.run !== null;
      this.run = null;
      this.state = emptyState();
      this.tail = new EventTail(this.dir);
      return had;
    }
    let changed = false;
    if (infoStamp !== stamps.info) {
      stamps.info = infoStamp;
      await this.readInfo();
      changed = true;
    }
    const summaryStamp = stampOf(join(this.dir, "summary.json"));
    if (summaryStamp !== stamps.summary) {
      stamps.summary = summaryStamp;
      this.state.summary = summaryStamp ? await readNumbers(join(this.dir, "summary.json")) : {};
      changed = true;
    }
    const eventsStamp = stampOf(this.tail.path);
    if (eventsStamp !== stamps.events) {
      stamps.events = eventsStamp;
      changed = (await this.readEvents()) || changed;
    }
    if (changed || !this.run) this.run = indexedRow(this.name, this.state);
    return changed;
  }

  private async readInfo(): Promise<void> {
    const path = join(this.dir, "run.json");
    this.state.infoTime = Deno.statSync(path).mtime?.getTime() ?? 0;
    try {
      this.state.header = headerOf(JSON.parse(await Deno.readTextFile(path)));
      this.state.infoError = "";
    } catch (error) {
      this.state.header = null;
      this.state.infoError = unreadableInfo(error);
    }
  }

  private async readEvents(): Promise<boolean> {
    let changed = false;
    const state = this.state;
    try {
      for (let more = true; more;) {
        const read = await this.tail.read();
        if (read.rewritten) state.fold = emptyFold();
        foldEvents(state.fold, read.events);
        changed ||= read.rewritten || read.events.length > 0;
        more = read.more;
      }
      delete state.fold.error;
    } catch (error) {
      state.fold.error = `events.jsonl: ${error instanceof Error ? error.message : error}`;
      changed = true;
    }
    return changed;
  }
}

/** The numbers of a JSON object, nested keys joined by "." ({bestEval: {mean}} -> "bestEval.mean"); {} if unreadable. */
async function readNumbers(path: string): Promise<Record<string, number>> {
  try {
    return numbersOf(JSON.parse(await Deno.readTextFile(path)));
  } catch {
    return {}; // being replaced, or not JSON: the run is listed without its summary's numbers
  }
}

/** The numbers of a parsed JSON value, as readNumbers. */
export function numbersOf(json: unknown): Record<string, number> {
  const numbers: Record<string, number> = {};
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (typeof value === "number" && Number.isFinite(value)) numbers[prefix] = value;
    else if (value && typeof value === "object" && !Array.isArray(value) && depth < 3) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key, depth + 1);
    }
  };
  walk(json, "", 0);
  return numbers;
}

/** A run's row, named `name` (the folder's name, or the stored run's id), from what was read of it. */
export function indexedRow(
  name: string,
  { header, fold, summary, infoError, infoTime }: Omit<EntryState, "stamps" | "offset" | "fileId">,
): IndexedRun {
  const config = header?.config ?? {};
  const notes = typeof config.notes === "string" && config.notes ? config.notes : undefined;
  const lab = header?.lab ?? "?";
  const title = typeof header?.title === "string" ? header.title : "";
  // A status event is the live truth (a crash leaves run.json at "running" but no event); run.json covers the rest.
  const status: ListedStatus = !header
    ? "malformed"
    : fold.status === "resumed"
    ? "running"
    : (fold.status as ListedStatus | null) ?? header.status;
  const headline = typeof header?.headline === "string" ? header.headline : "";
  const error = infoError || header?.error || fold.error;
  return {
    id: name,
    lab,
    title,
    status,
    createdAt: header?.createdAt ?? new Date(infoTime).toISOString(),
    updatedAt: header?.updatedAt ?? new Date(infoTime).toISOString(),
    backend: header?.backend?.name ?? "?",
    ...(header?.backend?.adapter ? { adapter: header.backend.adapter } : {}),
    totalSteps: header?.totalSteps ?? 0,
    step: fold.step,
    headline,
    headlineValue: fold.latest[headline] ?? summary[headline] ?? null,
    events: fold.events,
    ...(error ? { error } : {}),
    ...(notes ? { notes } : {}),
    ...(header?.sweep ? { sweep: header.sweep } : {}),
    config,
    metrics: { ...fold.latest, ...summary },
    text: [name, lab, title, notes ?? "", header?.sweep?.id ?? ""].join(" ").toLowerCase(),
  };
}

/** The part of run.json the list shows; throws when `info` is no run's (no lab or createdAt). */
export function headerOf(info: Record<string, unknown> | null): Header {
  const missing = ["lab", "createdAt"].filter((key) => typeof info?.[key] !== "string");
  if (missing.length) throw new Error(`no ${missing.join(" or ")} in it`);
  const { lab, title, status, createdAt, updatedAt, headline, totalSteps, backend, config, error, sweep } =
    info as unknown as RunInfo;
  return {
    lab,
    title,
    status,
    createdAt,
    updatedAt,
    headline,
    totalSteps,
    backend: { name: backend?.name, adapter: backend?.adapter },
    config: config && typeof config === "object" ? config : {},
    ...(error ? { error } : {}),
    ...(sweep ? { sweep } : {}),
  };
}

export const unreadableInfo = (error: unknown) =>
  `run.json cannot be read as a run: ${error instanceof Error ? error.message : error}`;

/** Adds events to a fold: the latest step, their number, the latest status and value of every scalar key. */
export function foldEvents(fold: Fold, events: readonly RunEvent[]): void {
  for (const event of events) {
    fold.step = event.step;
    fold.events++;
    if (event.kind === "scalar") fold.latest[event.key] = event.value;
    else if (event.kind === "status") fold.status = event.status;
  }
}
