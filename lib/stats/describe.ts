/**
 * Summary statistics of a handful of numbers (the seeds of one setting): mean, median, sample
 * standard deviation, standard error and quantiles as numpy computes them, so that figures on
 * the dashboard match what `np.mean`, `np.median`, `np.std(ddof=1)` and `np.percentile` give.
 * Pure (no tfjs, no Deno): the dashboard's browser code uses it as well as the command line.
 */

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** The sample standard deviation (n - 1 in the denominator, numpy's ddof=1); 0 for one value. */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - m) ** 2;
  return Math.sqrt(squares / (n - 1));
}

/** The standard error of the mean, s / sqrt(n). */
export const standardError = (values: ArrayLike<number>): number => sampleStd(values) / Math.sqrt(values.length);

/**
 * The q-quantile (0 <= q <= 1) of values sorted ascending, interpolating linearly between the
 * two nearest ranks: numpy's default ("linear", Hyndman and Fan's type 7).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position), above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export const medianSorted = (sorted: ArrayLike<number>): number => quantileSorted(sorted, 0.5);

/** A sorted copy, for the functions above that take sorted values. */
export const sortedCopy = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort();

export const median = (values: ArrayLike<number>): number => medianSorted(sortedCopy(values));

/**
 * quantileSorted's value without sorting: the two order statistics around the quantile's position
 * are found by selection (Hoare's quickselect), O(n) instead of a sort's O(n log n). Reorders values.
 */
export function quantileInPlace(values: Float64Array, q: number): number {
  const position = (values.length - 1) * q, below = Math.floor(position);
  const lower = select(values, below);
  if (position === below) return lower;
  let upper = Infinity; // the next order statistic: the least value right of the selected one
  for (let i = below + 1; i < values.length; i++) upper = Math.min(upper, values[i]);
  return lower + (upper - lower) * (position - below);
}

/** Puts the k-th smallest value at index k, smaller ones before it and larger ones after; returns it. */
function select(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) [a[i], a[j]] = [a[j], a[i]], i++, j--;
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}
