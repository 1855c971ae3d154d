/**
 * Several seeds' curves, aligned on one grid (align.ts), summarised step by step as one curve
 * with its uncertainty: a centre (mean, median or IQM) and a band around it (min-max, standard
 * error, or a seeded bootstrap 95% interval). At each step only the curves that reach it count,
 * and how many did is returned with the summary.
 */
import { bootstrap, resampleRows } from "./bootstrap.ts";
import { mean, medianSorted, standardError } from "./describe.ts";
import { iqmSorted } from "./iqm.ts";

export const CENTRES = ["mean", "median", "iqm"] as const;
export type Centre = typeof CENTRES[number];
export const BANDS = ["none", "minmax", "stderr", "ci95"] as const;
export type BandKind = typeof BANDS[number];

export interface BandOptions {
  centre: Centre;
  band: BandKind;
  /** bootstrap resamples per step (the same resamples of the seeds at every step) */
  reps?: number;
  seed?: number;
}

/** Per grid step: the centre, the band's edges, and how many curves reach the step (null where none). */
export interface CurveSummary {
  centre: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
  n: number[];
}

export const BAND_REPS = 1000;

/** Whether the band needs the bootstrap (at every step: 1,000 resamples each), or has a closed form. */
export const usesBootstrap = ({ centre, band }: BandOptions): boolean =>
  band === "ci95" || (band === "stderr" && centre !== "mean");

const STATISTIC: Record<Centre, (sorted: ArrayLike<number>) => number> = {
  mean,
  median: medianSorted,
  iqm: iqmSorted,
};

export function summariseCurves(values: readonly Float64Array[], options: BandOptions): CurveSummary {
  const statistic = STATISTIC[options.centre];
  const boot = { reps: options.reps ?? BAND_REPS, seed: options.seed ?? 0 };
  const rows = new Map<number, Int32Array>(); // the resamples of n seeds, drawn once per n
  const steps = values[0]?.length ?? 0;
  const out: CurveSummary = { centre: [], low: [], high: [], n: [] };
  for (let g = 0; g < steps; g++) {
    const column = Float64Array.from(values.map((v) => v[g]).filter((v) => !Number.isNaN(v))).sort();
    const n = column.length;
    out.n.push(n);
    if (!n) {
      out.centre.push(null), out.low.push(null), out.high.push(null);
      continue;
    }
    const centre = statistic(column);
    let low = centre, high = centre;
    if (options.band === "minmax") [low, high] = [column[0], column[n - 1]];
    else if (options.band !== "none" && n > 1) {
      if (!usesBootstrap(options)) {
        const se = standardError(column);
        [low, high] = [centre - se, centre + se];
      } else {
        if (!rows.has(n)) rows.set(n, resampleRows(n, boot));
        const interval = bootstrap(column, statistic, { ...boot, rows: rows.get(n) });
        // The standard error of a median or IQM has no closed form: the bootstrap's is used.
        [low, high] = options.band === "ci95"
          ? [interval.low, interval.high]
          : [centre - interval.se, centre + interval.se];
      }
    }
    out.centre.push(centre), out.low.push(low), out.high.push(high);
  }
  return out;
}
