/// <reference lib="dom" />
/**
 * One swept value against the headline: a small point per trial (each seed), a large one per
 * setting's mean. The select picks the swept flag; a flag drawn from a log range (or a grid of
 * positive numbers spanning a factor of 10 or more) gets a log x axis, a flag of words or
 * true/false one tick per value.
 */
import { useState } from "preact/hooks";
import type uPlot from "uplot";
import type { SweptValue } from "../../lib/sweep/manifest.ts";
import { ScatterChart } from "../components/scatter_chart.tsx";

export interface ScatterDimension {
  flag: string;
  log: boolean;
  /** set for a flag whose values are not numbers: its values in order */
  categories?: string[];
}

export interface SweepScatterProps {
  headline: string;
  dimensions: ScatterDimension[];
  /** one per trial with a headline value */
  trials: { setting: string; values: Record<string, SweptValue>; metric: number }[];
  /** one per setting with a mean */
  means: { setting: string; values: Record<string, SweptValue>; mean: number }[];
}

export default function SweepScatter({ headline, dimensions, trials, means }: SweepScatterProps) {
  const [flag, setFlag] = useState((dimensions.find((d) => !d.categories) ?? dimensions[0]).flag); // numbers first
  const dimension = dimensions.find((d) => d.flag === flag)!;
  const xOf = (values: Record<string, SweptValue>) =>
    dimension.categories ? dimension.categories.indexOf(String(values[flag])) : Number(values[flag]);
  // One row per point, sorted by x: a trial's point, or a setting's mean (uPlot wants ascending xs).
  const points = [
    ...trials.map((t) => ({ x: xOf(t.values), trial: t.metric, mean: null })),
    ...means.map((m) => ({ x: xOf(m.values), trial: null, mean: m.mean })),
  ].sort((a, b) => a.x - b.x);
  const data: uPlot.AlignedData = [points.map((p) => p.x), points.map((p) => p.trial), points.map((p) => p.mean)];
  return (
    <div>
      <div class="controls">
        <label>
          x:{" "}
          <select
            value={flag}
            onChange={(e) => setFlag((e.target as HTMLSelectElement).value)}
            data-testid="scatter-flag"
          >
            {dimensions.map((d) => <option key={d.flag} value={d.flag}>{d.flag}</option>)}
          </select>
        </label>
        <span class="dim">{dimension.log ? "log scale" : ""}</span>
      </div>
      <ScatterChart
        title={`${headline} against ${flag}`}
        data={data}
        series={[
          { label: "trial (one seed)", color: "rgba(37, 99, 235, 0.45)", size: 6 },
          { label: "setting mean", color: "#dc2626", size: 11 },
        ]}
        x={{ label: flag, log: dimension.log, categories: dimension.categories }}
        chartKey={flag}
      />
    </div>
  );
}
