/**
 * A run's scalar curves as charts want them for a first paint: every key smoothed on its full
 * series, then downsampled (LTTB) to a bounded number of points, all cut at one cursor so that
 * the live stream continues from exactly there.
 */
import { lttbIndices } from "../shared/downsample.ts";
import type { ScalarsPayload, SeriesPayload } from "../shared/payloads.ts";
import { type Smoothing, smoothSeries } from "../shared/smoothing.ts";
import { type RunLog, upperBound } from "./run_log.ts";

export const DEFAULT_POINTS = 1500;

export interface ScalarsOptions {
  smoothing: Smoothing;
  /** include events with seq <= until only (default: all read so far) */
  until?: number;
  /** the most points per key after downsampling */
  points?: number;
  /** only these keys (default: all) */
  keys?: readonly string[];
}

export function scalarsPayload(runId: string, log: RunLog, options: ScalarsOptions): ScalarsPayload {
  const cursor = Math.min(options.until ?? log.lastSeq, log.lastSeq);
  const series: SeriesPayload[] = [];
  const keys = options.keys ?? [...log.scalars.keys()].sort();
  for (const key of keys) {
    const columns = log.scalars.get(key);
    if (!columns) continue;
    const n = upperBound(columns.seq, cursor, (seq) => seq);
    if (!n) continue;
    const value = columns.value.slice(0, n);
    const { smoothed, state } = smoothSeries(value, options.smoothing);
    const keep = lttbIndices(columns.step.slice(0, n), value, options.points ?? DEFAULT_POINTS);
    const pick = (column: number[]) => keep.map((i) => column[i]);
    series.push({
      key,
      seq: columns.seq[n - 1],
      total: n,
      step: pick(columns.step),
      time: pick(columns.time),
      value: pick(value),
      smooth: pick(smoothed),
      state,
    });
  }
  return { runId, cursor, smoothing: options.smoothing, startTime: log.events[0]?.time ?? 0, series };
}
