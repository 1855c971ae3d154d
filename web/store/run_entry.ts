/**
 * One run as the runs index holds it: run.json's header, summary.json's numbers, and a fold over
 * its events (latest step, number of events, the latest status event, the latest value of every
 * scalar key) that keeps no events. `check()` stats the three files and re-reads only what
 * changed: run.json and summary.json whole (small, and replaced atomically), events.jsonl from
 * where the last read stopped (EventTail), so a run that did not change costs three stats. A
 * run.json that cannot be read as a run gives a "malformed" row that says why, rather than a hole
 * in the list.
 */
import { join } from "node:path";
import { EventTail } from "../../lib/run/event_tail.ts";
import type { RunInfo } from "../../lib/run/types.ts";
import type { ListedStatus } from "../shared/runs_query.ts";

export interface IndexedRun {
  /** the folder's name, which URLs use (it may differ from run.json's id in a copied run) */
  id: string;
  lab: string;
  title: string;
  status: ListedStatus;
  createdAt: string;
  updatedAt: string;
  backend: string;
  adapter?: string;
  totalSteps: number;
  step: number;
  headline: string;
  headlineValue: number | null;
  events: number;
  error?: string;
  notes?: string;
  config: Record<string, unknown>;
  /** the latest value of every scalar key, then summary.json's numbers (nested keys joined by ".") */
  metrics: Record<string, number>;
  /** id, lab, title and notes in lower case, for the free-text search */
  text: string;
}

interface Fold {
  step: number;
  events: number;
  status: string | null;
  latest: Record<string, number>;
  error?: string;
}

/** What the fold over a run's events needs to go on without reading them again (./run_index_cache.ts). */
export interface SavedFold {
  /** the events file's stamp when folded: the fold holds only while it is unchanged */
  stamp: string;
  offset: number;
  fileId: string | null;
  fold: Fold;
}

const emptyFold = (): Fold => ({ step: 0, events: 0, status: null, latest: {} });

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
  private stamps = { info: "", summary: "", events: "" };
  private info: RunInfo | null = null;
  private infoError = "";
  private infoTime = 0;
  private summary: Record<string, number> = {};
  private fold = emptyFold();
  private tail: EventTail;

  constructor(readonly name: string, readonly dir: string) {
    this.tail = new EventTail(dir);
  }

  /** Running (its events are read at every sweep), or with a run.json that may be half written. */
  get live(): boolean {
    return this.run?.status === "running" || this.run?.status === "malformed";
  }

  /** The fold as it stands, to save; null before the events were read. */
  saved(): SavedFold | null {
    if (!this.stamps.events || this.fold.error) return null;
    return { stamp: this.stamps.events, offset: this.tail.offset, fileId: this.tail.fileId, fold: this.fold };
  }

  /** Starts from a saved fold: an events file with that stamp is not read again, an appended one from its offset. */
  restore(saved: SavedFold): void {
    this.stamps.events = saved.stamp;
    this.tail.offset = saved.offset;
    this.tail.fileId = saved.fileId;
    this.fold = saved.fold;
  }

  /** Re-reads what changed on disk; true when the row changed. A folder without run.json is no run (yet). */
  async check(): Promise<boolean> {
    const infoStamp = stampOf(join(this.dir, "run.json"));
    if (!infoStamp) {
      const had = this.run !== null;
      this.run = null;
      this.stamps = { info: "", summary: "", events: "" };
      return had;
    }
    let changed = false;
    if (infoStamp !== this.stamps.info) {
      this.stamps.info = infoStamp;
      await this.readInfo();
      changed = true;
    }
    const summaryStamp = stampOf(join(this.dir, "summary.json"));
    if (summaryStamp !== this.stamps.summary) {
      this.stamps.summary = summaryStamp;
      this.summary = summaryStamp ? await readNumbers(join(this.dir, "summary.json")) : {};
      changed = true;
    }
    const eventsStamp = stampOf(this.tail.path);
    if (eventsStamp !== this.stamps.events) {
      this.stamps.events = eventsStamp;
      changed = (await this.readEvents()) || changed;
    }
    if (changed || !this.run) this.run = this.row();
    return changed;
  }

  private async readInfo(): Promise<void> {
    const path = join(this.dir, "run.json");
    this.infoTime = Deno.statSync(path).mtime?.getTime() ?? 0;
    try {
      const info = JSON.parse(await Deno.readTextFile(path));
      const missing = ["lab", "createdAt"].filter((key) => typeof info?.[key] !== "string");
      if (missing.length) throw new Error(`no ${missing.join(" or ")} in it`);
      this.info = info;
      this.infoError = "";
    } catch (error) {
      this.info = null;
      this.infoError = `run.json cannot be read as a run: ${error instanceof Error ? error.message : error}`;
    }
  }

  private async readEvents(): Promise<boolean> {
    let changed = false;
    try {
      for (let more = true; more;) {
        const read = await this.tail.read();
        if (read.rewritten) this.fold = emptyFold();
        for (const event of read.events) {
          this.fold.step = event.step;
          this.fold.events++;
          if (event.kind === "scalar") this.fold.latest[event.key] = event.value;
          else if (event.kind === "status") this.fold.status = event.status;
        }
        changed ||= read.rewritten || read.events.length > 0;
        more = read.more;
      }
      delete this.fold.error;
    } catch (error) {
      this.fold.error = `events.jsonl: ${error instanceof Error ? error.message : error}`;
      changed = true;
    }
    return changed;
  }

  private row(): IndexedRun {
    const info = this.info, fold = this.fold;
    const config = info?.config && typeof info.config === "object" ? info.config : {};
    const notes = typeof config.notes === "string" && config.notes ? config.notes : undefined;
    const lab = info?.lab ?? "?";
    const title = typeof info?.title === "string" ? info.title : "";
    // A status event is the live truth (a crash leaves run.json at "running" but no event); run.json covers the rest.
    const status: ListedStatus = !info
      ? "malformed"
      : fold.status === "resumed"
      ? "running"
      : (fold.status as ListedStatus | null) ?? info.status;
    const headline = typeof info?.headline === "string" ? info.headline : "";
    const metrics = { ...fold.latest, ...this.summary };
    const error = this.infoError || info?.error || fold.error;
    return {
      id: this.name,
      lab,
      title,
      status,
      createdAt: info?.createdAt ?? new Date(this.infoTime).toISOString(),
      updatedAt: info?.updatedAt ?? new Date(this.infoTime).toISOString(),
      backend: info?.backend?.name ?? "?",
      ...(info?.backend?.adapter ? { adapter: info.backend.adapter } : {}),
      totalSteps: info?.totalSteps ?? 0,
      step: fold.step,
      headline,
      headlineValue: fold.latest[headline] ?? this.summary[headline] ?? null,
      events: fold.events,
      ...(error ? { error } : {}),
      ...(notes ? { notes } : {}),
      config,
      metrics,
      text: [this.name, lab, title, notes ?? ""].join(" ").toLowerCase(),
    };
  }
}

/** The numbers of a JSON object, nested keys joined by "." ({bestEval: {mean}} -> "bestEval.mean"); {} if unreadable. */
async function readNumbers(path: string): Promise<Record<string, number>> {
  const numbers: Record<string, number> = {};
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (typeof value === "number" && Number.isFinite(value)) numbers[prefix] = value;
    else if (value && typeof value === "object" && !Array.isArray(value) && depth < 3) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key, depth + 1);
    }
  };
  try {
    walk(JSON.parse(await Deno.readTextFile(path)), "", 0);
  } catch {
    // being replaced, or not JSON: the run is listed without its summary's numbers
  }
  return numbers;
}
