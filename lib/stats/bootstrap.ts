/**
 * Seeded percentile bootstrap confidence intervals, as rliable computes them (Agarwal et al.,
 * 2021): `StratifiedBootstrap` resamples the runs of each task with replacement, independently
 * per task (so every task keeps its number of runs), applies the aggregate to each resample,
 * and `get_interval_estimates(method="percentile")` takes the 2.5th and 97.5th percentiles of
 * the results. With one task it is the plain bootstrap. The draws come from the project's
 * seeded generator (lib/rng.ts), so the same scores and seed give the same interval every time.
 */
import { Rng } from "../rng.ts";
import { quantileInPlace, sampleStd, sortedCopy } from "./describe.ts";

export interface BootstrapOptions {
  /** resamples drawn (rliable's default is 50,000 for final scores, 2,000 for curves) */
  reps?: number;
  /** coverage of the interval */
  confidence?: number;
  seed?: number;
}

export const BOOTSTRAP_DEFAULTS: Required<BootstrapOptions> = { reps: 10_000, confidence: 0.95, seed: 0 };

export interface Interval {
  /** the statistic of the scores themselves */
  estimate: number;
  low: number;
  high: number;
  /** the standard deviation of the resampled statistics: the bootstrap standard error */
  se: number;
}

/**
 * The draws of one stratum of n scores: `reps` rows of n indices drawn with replacement, each
 * row sorted ascending. A row indexes the scores sorted ascending into a resample that is itself
 * sorted, so an order statistic (median, IQM) of a resample needs no sort. The same (n, reps,
 * seed) gives the same rows: a curve's band reuses them at every step.
 */
export function resampleRows(n: number, options: BootstrapOptions = {}): Int32Array {
  const { reps, seed } = checked(options);
  const rng = new Rng(seed);
  const rows = new Int32Array(reps * n);
  for (let r = 0; r < reps; r++) {
    const row = rows.subarray(r * n, (r + 1) * n);
    for (let j = 0; j < n; j++) row[j] = rng.int(n);
    row.sort();
  }
  return rows;
}

/**
 * The percentile interval of `statistic` over stratified resamples of `strata` (one array of
 * run scores per task). The statistic is given each stratum's resample sorted ascending, in the
 * strata's order, in arrays reused for the next resample. Stratum t is drawn with seed + t, by
 * resampleRows unless its rows are given.
 */
export function stratifiedBootstrap(
  strata: readonly ArrayLike<number>[],
  statistic: (sortedStrata: Float64Array[]) => number,
  options: BootstrapOptions & { rows?: Int32Array[] } = {},
): Interval {
  const { reps, confidence, seed } = checked(options);
  if (!strata.length || strata.some((s) => !s.length)) throw new RangeError("every stratum needs at least one score");
  const sorted = strata.map(sortedCopy);
  const rows = sorted.map((s, t) => options.rows?.[t] ?? resampleRows(s.length, { reps, seed: seed + t }));
  rows.forEach((r, t) => {
    if (r.length !== reps * sorted[t].length) {
      throw new RangeError(
        `stratum ${t}: expected ${reps} rows of ${sorted[t].length} indices, got ${r.length} indices`,
      );
    }
  });
  const resampled = sorted.map((s) => new Float64Array(s.length)), results = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    for (let t = 0; t < sorted.length; t++) {
      const n = sorted[t].length, row = rows[t], out = resampled[t], from = sorted[t];
      for (let j = 0; j < n; j++) out[j] = from[row[r * n + j]];
    }
    results[r] = statistic(resampled);
  }
  const se = sampleStd(results), tail = (1 - confidence) / 2;
  return {
    estimate: statistic(sorted),
    low: quantileInPlace(results, tail),
    high: quantileInPlace(results, 1 - tail),
    se,
  };
}

/** The plain (one-stratum) bootstrap of a statistic of sorted scores: mean, medianSorted, iqmSorted. */
export const bootstrap = (
  scores: ArrayLike<number>,
  statistic: (sorted: Float64Array) => number,
  options: BootstrapOptions & { rows?: Int32Array } = {},
): Interval =>
  stratifiedBootstrap([scores], ([sorted]) => statistic(sorted), {
    ...options,
    rows: options.rows && [options.rows],
  });

function checked(options: BootstrapOptions): Required<BootstrapOptions> {
  const d = BOOTSTRAP_DEFAULTS;
  const o = {
    reps: options.reps ?? d.reps,
    confidence: options.confidence ?? d.confidence,
    seed: options.seed ?? d.seed,
  };
  if (!Number.isInteger(o.reps) || o.reps < 2) throw new RangeError(`reps must be an integer >= 2, got ${o.reps}`);
  if (!(o.confidence > 0 && o.confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${o.confidence}`);
  }
  return o;
}
