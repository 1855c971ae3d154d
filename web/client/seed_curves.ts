/**
 * One chart of the compare page when runs are grouped by setting: each group's curves aligned on
 * a common grid (lib/stats/align.ts), summarised step by step as a centre line and a shaded band
 * (lib/stats/curve_band.ts), optionally with each run faintly beneath. Where the runs of a group
 * do not all reach, the summary is over those that do, and the chart says so in words, as it
 * says when curves logged at different steps were interpolated.
 */
import type uPlot from "uplot";
import { alignCurves, type Curve } from "../../lib/stats/align.ts";
import { summariseCurves, usesBootstrap } from "../../lib/stats/curve_band.ts";
import type { Band, Line } from "../components/line_chart.tsx";
import { formatDuration, formatTick } from "../shared/format.ts";
import { countLabel, type GroupableRun, groupRuns, type SeedGroup } from "../shared/seed_groups.ts";
import type { SeedView } from "../shared/seed_view.ts";

/**
 * The most steps a chart is summarised on: about one per pixel of a chart card, or, when the band
 * is bootstrapped (1,000 resamples at each step), fewer, so that fifty runs' charts draw in seconds.
 */
export const gridPoints = (view: SeedView): number => (usesBootstrap(view) ? 150 : 400);

export interface ChartGroup {
  label: string;
  color: string;
  runs: number;
}

/**
 * What every chart of the page shares: the groups (runs alone when no two share a setting), their
 * colours and "n=5 seeds" counts, the legend, the lines each chart draws, and why runs stand apart.
 */
export function seedLayout(
  runs: readonly (GroupableRun & { label: string })[],
  { view, colors }: { view: SeedView; colors: readonly string[] },
) {
  const groups: SeedGroup[] = groupRuns(runs, view.groupBy), grouped = groups.some((g) => g.runIds.length > 1);
  const color = (i: number) => colors[i % colors.length];
  const counts = Object.fromEntries(groups.map((g) => [g.key, countLabel(g.runIds.length)]));
  const runLabel = new Map(runs.map((run) => [run.id, run.label]));
  // In the groups' order, which the charts' data follow, also when every run stands alone.
  const legend = groups.map((g, i) => ({
    label: grouped ? `${g.label} (${counts[g.key]})` : runLabel.get(g.runIds[0])!,
    color: color(i),
  }));
  const chartGroups = groups.map((g, i) => ({ label: g.label, color: color(i), runs: g.runIds.length }));
  const { lines, bands } = grouped ? groupedLines(chartGroups, view) : { lines: legend, bands: [] };
  const apart = [...new Set(groups.flatMap((g) => g.apart ?? []))];
  return { groups, grouped, counts, legend, chartGroups, lines, bands, apart };
}

/** The lines of a grouped chart: per group its centre and (with a band) two unstroked edges; then the runs. */
export function groupedLines(groups: readonly ChartGroup[], view: SeedView): { lines: Line[]; bands: Band[] } {
  const lines: Line[] = [], bands: Band[] = [];
  for (const group of groups) {
    lines.push({ label: group.label, color: group.color, width: 2 });
    if (view.band === "none") continue;
    lines.push({ label: `${group.label} high`, color: group.color, width: 0 });
    lines.push({ label: `${group.label} low`, color: group.color, width: 0 });
    bands.push({ upper: lines.length - 2, lower: lines.length - 1, fill: `${group.color}33` });
  }
  if (!view.showRuns) return { lines, bands };
  for (const group of groups) {
    for (let i = 0; i < group.runs; i++) {
      lines.push({ label: `${group.label} #${i}`, color: `${group.color}66`, width: 1 });
    }
  }
  return { lines, bands };
}

/**
 * The chart's data in groupedLines' order, and what it had to do to draw it. curves[g][r] is run
 * r of group g on the chart's x axis (null: the run logged no value under this key).
 */
export function groupedChart(
  groups: readonly ChartGroup[],
  curves: readonly (readonly (Curve | null)[])[],
  { view, axis }: { view: SeedView; axis: "step" | "time" },
): { data: uPlot.AlignedData; notes: string[] } {
  const logged = curves.flat().filter((c): c is Curve => c !== null);
  const { grid, values, interpolated } = alignCurves(logged, gridPoints(view));
  const gap = () => Array.from(grid, () => null);
  const series: (number | null)[][] = [], runs: (number | null)[][] = [];
  let at = 0;
  const rows = curves.map((group) => group.map((curve) => (curve ? values[at++] : null)));
  for (const group of rows) {
    const aligned = group.filter((row): row is Float64Array => row !== null);
    const summary = aligned.length ? summariseCurves(aligned, { centre: view.centre, band: view.band }) : null;
    series.push(summary?.centre ?? gap());
    if (view.band !== "none") series.push(summary?.high ?? gap(), summary?.low ?? gap());
    for (const row of group) runs.push(row ? Array.from(row, (v) => (Number.isNaN(v) ? null : v)) : gap());
  }
  const notes = coverageNotes(groups, { curves, rows, axis });
  if (interpolated) {
    notes.push(`${interpolated} of ${logged.length} curves interpolated linearly onto ${grid.length} common steps`);
  }
  return { data: [Array.from(grid), ...series, ...(view.showRuns ? runs : [])] as uPlot.AlignedData, notes };
}

/**
 * Where a group's summary is over fewer runs than the group has, in words: "lr=0.01: n varies:
 * 2 of 5 runs end before step 20k (at 12k, 15k); 1 of 5 logged no value". rows[g][r] is run r
 * of group g on the common grid (NaN where it does not reach).
 */
function coverageNotes(groups: readonly { label: string }[], { curves, rows, axis }: {
  curves: readonly (readonly (Curve | null)[])[];
  rows: readonly (readonly (Float64Array | null)[])[];
  axis: "step" | "time";
}): string[] {
  const x = (v: number) => (axis === "step" ? formatTick(v) : formatDuration(v * 1000));
  const where = axis === "step" ? "step " : "";
  return groups.flatMap((group, g) => {
    const spans = rows[g].flatMap((row, r) => {
      const first = row?.findIndex((v) => !Number.isNaN(v)) ?? -1;
      const curve = curves[g][r]!;
      return first < 0 ? [] : [{ first, last: row!.findLastIndex((v) => !Number.isNaN(v)), curve }];
    });
    const total = rows[g].length, parts: string[] = [];
    const lastIndex = Math.max(...spans.map((s) => s.last)), firstIndex = Math.min(...spans.map((s) => s.first));
    const ends = spans.map((s) => s.curve.x[s.curve.x.length - 1]), starts = spans.map((s) => s.curve.x[0]);
    const early = spans.filter((s) => s.last < lastIndex).map((s) => s.curve.x[s.curve.x.length - 1]);
    const late = spans.filter((s) => s.first > firstIndex).map((s) => s.curve.x[0]);
    const list = (steps: number[]) => steps.sort((a, b) => a - b).map(x).join(", ");
    if (early.length) {
      parts.push(`${early.length} of ${total} runs end before ${where}${x(Math.max(...ends))} (at ${list(early)})`);
    }
    if (late.length) {
      parts.push(`${late.length} of ${total} runs start after ${where}${x(Math.min(...starts))} (at ${list(late)})`);
    }
    if (spans.length < total) parts.push(`${total - spans.length} of ${total} logged no value`);
    return parts.length ? [`${group.label}: n varies: ${parts.join("; ")}`] : [];
  });
}

/** Recomputes a value only when its inputs change: the bootstrap is too slow to redo for every live point. */
export class Memo {
  private held = new Map<string, { inputs: string; value: unknown }>();

  get<T>(name: string, inputs: unknown, compute: () => T): T {
    const key = JSON.stringify(inputs), hit = this.held.get(name);
    if (hit?.inputs === key) return hit.value as T;
    const value = compute();
    this.held.set(name, { inputs: key, value });
    return value;
  }
}
