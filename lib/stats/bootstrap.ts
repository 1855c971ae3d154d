/**
 * Seeded percentile bootstrap confidence intervals, as rliable computes them (Agarwal et al.,
 * 2021): `StratifiedBootstrap` resamples the runs of each task with replacement, independently
 * per task (so every task keeps its number of runs), applies the aggregate to each resample,
 * and `get_interval_estimates(method="percentile")` takes the 2.5th and 97.5th percentiles of
 * the results. With one task it is the plain bootstrap. The draws come from the project's
 * seeded generator (lib/rng.ts), so the same scores and seed give the same interval every time.
 */
import { Rng } from "../rng.ts";
import { quantileInPlace, sampleStd } from "./describe.ts";

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
 * The percentile interval of `statistic` over stratified resamples of `strata` (one array of
 * run scores per task). The statistic sees the resampled strata, in the strata's order.
 */
export function stratifiedBootstrap(
  strata: readonly (readonly number[])[],
  statistic: (strata: number[][]) => number,
  options: BootstrapOptions = {},
): Interval {
  const { reps, confidence, seed } = checked(options);
  if (!strata.length || strata.some((s) => !s.length)) throw new RangeError("every stratum needs at least one score");
  const rng = new Rng(seed);
  const results = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    results[r] = statistic(strata.map((scores) => Array.from(scores, () => scores[rng.int(scores.length)])));
  }
  return interval(statistic(strata.map((s) => [...s])), results, confidence);
}

/**
 * The draws of a one-stratum bootstrap of n items: `reps` rows of n indices, each row sorted
 * ascending. A row indexes values sorted ascending into a resample that is itself sorted, so an
 * order statistic (median, IQM) of a resample needs no sort. The same (n, reps, seed) gives the
 * same rows, drawn as stratifiedBootstrap draws them: a curve's band can reuse them at every step.
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
 * The plain percentile bootstrap of a statistic of sorted values (e.g. medianSorted, iqmSorted,
 * mean), over the rows of resampleRows(sorted.length, options), given or drawn here.
 */
export function bootstrapSorted(
  sorted: ArrayLike<number>,
  statistic: (sorted: ArrayLike<number>) => number,
  options: BootstrapOptions & { rows?: Int32Array } = {},
): Interval {
  const { reps, confidence } = checked(options);
  const n = sorted.length;
  if (!n) throw new RangeError("a bootstrap needs at least one value");
  const rows = options.rows ?? resampleRows(n, options);
  if (rows.length !== reps * n) {
    throw new RangeError(`expected ${reps} rows of ${n} indices, got ${rows.length} indices`);
  }
  const resample = new Float64Array(n), results = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    for (let j = 0; j < n; j++) resample[j] = sorted[rows[r * n + j]];
    results[r] = statistic(resample);
  }
  return interval(statistic(sorted), results, confidence);
}

function interval(estimate: number, results: Float64Array, confidence: number): Interval {
  const se = sampleStd(results), tail = (1 - confidence) / 2;
  return { estimate, low: quantileInPlace(results, tail), high: quantileInPlace(results, 1 - tail), se };
}

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
