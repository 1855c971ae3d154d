/**
 * The interquartile mean (IQM): the mean of the middle 50% of the scores, the aggregate that
 * Agarwal et al. (2021, "Deep RL at the Edge of the Statistical Precipice") recommend over the
 * mean (dominated by outlier seeds) and the median (which ignores half of them). rliable
 * computes it as `scipy.stats.trim_mean(scores, proportiontocut=0.25, axis=None)`, and so does
 * this: floor(0.25 n) scores are cut from each end, whole, and the rest averaged with equal
 * weights (no fractional weights when n is not a multiple of 4; with n < 4 nothing is cut and
 * the IQM is the mean).
 */
import { sortedCopy } from "./describe.ts";

/** scipy.stats.trim_mean: the mean after cutting floor(proportion * n) values from each end. */
export function trimMeanSorted(sorted: ArrayLike<number>, proportion: number): number {
  if (!(proportion >= 0 && proportion < 0.5)) {
    throw new RangeError(`trim proportion must be in [0, 0.5), got ${proportion}`);
  }
  const n = sorted.length, cut = Math.floor(proportion * n);
  let sum = 0;
  for (let i = cut; i < n - cut; i++) sum += sorted[i];
  return sum / (n - 2 * cut);
}

export const iqmSorted = (sorted: ArrayLike<number>): number => trimMeanSorted(sorted, 0.25);

/** The IQM of scores in any order (rliable's aggregate_iqm over all runs and tasks together). */
export const iqm = (scores: ArrayLike<number>): number => iqmSorted(sortedCopy(scores));
