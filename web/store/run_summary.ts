/**
 * The runs list's view of one run: run.json plus a fold over its events (latest step, latest
 * headline value, event count). The fold reads events.jsonl incrementally and keeps no events,
 * so listing many long runs costs memory per run, not per event.
 */
import { join } from "node:path";
import { EventTail } from "../../lib/run/event_tail.ts";
import { readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunInfo } from "../../lib/run/types.ts";
import type { RunSummary } from "../shared/payloads.ts";
import type { EventSource } from "./run_log.ts";

export class RunSummarizer {
  private info: RunInfo | null = null;
  private infoStamp = "";
  private tail: EventSource;
  private fold = { step: 0, headlineValue: null as number | null, events: 0 };

  /** A run folder, or a run in a store: its events and its run.json as the store's list gave it. */
  constructor(readonly source: string | { tail: EventSource; info: RunInfo }) {
    this.tail = typeof source === "string" ? new EventTail(source) : source.tail;
  }

  /** The current summary; null when run.json is missing or unreadable (not a run, or being created). */
  async summary(latest?: RunInfo): Promise<RunSummary | null> {
    if (latest) this.info = latest;
    else if (!(await this.readFolderInfo())) return null;
    if (!this.info) return null;
    await this.readEvents(this.info.headline);
    return toSummary(this.info, this.fold);
  }

  /** run.json of a folder, read again only when it changed; false when it is missing. */
  private async readFolderInfo(): Promise<boolean> {
    if (typeof this.source !== "string") return true;
    const stat = await Deno.stat(join(this.source, "run.json")).catch(() => null);
    if (!stat) return false;
    const stamp = `${stat.mtime?.getTime()}:${stat.size}:${stat.ino}`;
    if (stamp !== this.infoStamp) {
      this.info = await readRunInfo(this.source).catch(() => this.info);
      this.infoStamp = stamp;
    }
    return true;
  }

  private async readEvents(headline: string): Promise<void> {
    for (let more = true; more;) {
      const read = await this.tail.read();
      if (read.rewritten) this.fold = { step: 0, headlineValue: null, events: 0 };
      for (const event of read.events) {
        this.fold.step = event.step;
        this.fold.events++;
        if (event.kind === "scalar" && event.key === headline) this.fold.headlineValue = event.value;
      }
      more = read.more;
    }
  }
}

function toSummary(info: RunInfo, fold: { step: number; headlineValue: number | null; events: number }): RunSummary {
  return {
    id: info.id,
    lab: info.lab,
    title: info.title,
    status: info.status,
    createdAt: info.createdAt,
    updatedAt: info.updatedAt,
    backend: info.backend?.name ?? "?",
    adapter: info.backend?.adapter,
    totalSteps: info.totalSteps ?? 0,
    step: fold.step,
    headline: info.headline ?? "",
    headlineValue: fold.headlineValue,
    events: fold.events,
    ...(info.error ? { error: info.error } : {}),
    ...(info.sweep ? { sweep: info.sweep } : {}),
  };
}
