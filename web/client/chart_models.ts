/**
 * The scalar curves of one run in the browser, keyed by scalar key: built from a server
 * payload (history cut at a cursor), extended by live events. Rebuilding from a new payload
 * (another smoothing) and replaying the live events on top gives the same curves as if the page
 * had been loaded now.
 */
import type { RunEvent, ScalarsPayload, SeriesPayload } from "../shared/payloads.ts";
import { Smoother, type Smoothing } from "../shared/smoothing.ts";
import { SeriesModel } from "./series_model.ts";

export class ChartModels {
  models = new Map<string, SeriesModel>();
  smoothing: Smoothing;
  startTime: number;
  /** the highest seq applied: a refetch asks the server for exactly this much */
  lastSeq: number;

  constructor(payload: ScalarsPayload) {
    this.smoothing = payload.smoothing;
    this.startTime = payload.startTime;
    this.lastSeq = payload.cursor;
    for (const series of payload.series) this.models.set(series.key, new SeriesModel(series.key, series));
  }

  /** Applies one event; true when it added a key not seen before. */
  apply(event: RunEvent): boolean {
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    if (!this.startTime) this.startTime = event.time;
    if (event.kind !== "scalar") return false;
    let model = this.models.get(event.key);
    const added = !model;
    if (!model) this.models.set(event.key, model = new SeriesModel(event.key, emptySeries(event.key, this.smoothing)));
    model.push(event);
    return added;
  }

  /** Keys grouped by namespace, groups and keys in name order. */
  groups(): [string, SeriesModel[]][] {
    const groups = new Map<string, SeriesModel[]>();
    for (const key of [...this.models.keys()].sort()) {
      const name = key.includes("/") ? key.slice(0, key.indexOf("/")) : "other";
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name)!.push(this.models.get(key)!);
    }
    return [...groups].sort(([a], [b]) => byGroup(a, b));
  }
}

// The namespaces a researcher looks at first come first; "system" and "other" last.
const groupRank = (name: string) => (name === "system" ? 2 : name === "other" ? 3 : 1);

/** Namespaces in reading order: the run's own first, then system, then other. */
export const byGroup = (a: string, b: string): number => groupRank(a) - groupRank(b) || a.localeCompare(b);

export function emptySeries(key: string, smoothing: Smoothing): SeriesPayload {
  return { key, seq: 0, total: 0, step: [], time: [], value: [], smooth: [], state: Smoother.of(smoothing).state };
}
