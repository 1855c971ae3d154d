/**
 * One scalar key's curve in the browser: the server's downsampled history, then every live
 * point appended at full resolution. A point is taken only if its seq is past the last one held,
 * so replays after a reconnect or a refetch can never add a point twice.
 */
import type { ScalarEvent, SeriesPayload } from "../shared/payloads.ts";
import { Smoother } from "../shared/smoothing.ts";

export class SeriesModel {
  step: number[];
  time: number[];
  value: number[];
  smooth: number[];
  /** points in the full series, history and live */
  total: number;
  seq: number;
  private smoother: Smoother;

  constructor(readonly key: string, payload: SeriesPayload) {
    this.step = payload.step.slice();
    this.time = payload.time.slice();
    this.value = payload.value.slice();
    this.smooth = payload.smooth.slice();
    this.total = payload.total;
    this.seq = payload.seq;
    this.smoother = Smoother.resume(payload.state);
  }

  /** true if the point was new and was added */
  push(event: ScalarEvent): boolean {
    if (event.seq <= this.seq) return false;
    this.seq = event.seq;
    this.step.push(event.step);
    this.time.push(event.time);
    this.value.push(event.value);
    this.smooth.push(this.smoother.push(event.value));
    this.total++;
    return true;
  }

  /** x values: steps, or seconds since the run's first event */
  xs(axis: "step" | "time", startTime: number): number[] {
    return axis === "step" ? this.step : this.time.map((t) => (t - startTime) / 1000);
  }
}
