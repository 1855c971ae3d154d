/**
 * Largest-Triangle-Three-Buckets (Steinarsson, "Downsampling Time Series for Visual
 * Representation", 2013): keeps the first and last points and, from each of the buckets in
 * between, the point that spans the largest triangle with its neighbours, so peaks and dips
 * survive where plain striding would drop them. Returns the indices to keep, increasing.
 */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, target: number): number[] {
  const n = xs.length;
  if (target >= n || n <= 2) return Array.from({ length: n }, (_, i) => i);
  if (target < 3) return [0, n - 1];
  const kept = [0];
  const bucketSize = (n - 2) / (target - 2);
  let a = 0;
  for (let bucket = 0; bucket < target - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.min(Math.floor((bucket + 1) * bucketSize) + 1, n - 1);
    // The next bucket's average point is the third corner of the triangle.
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0, avgY = 0, count = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      if (!Number.isFinite(ys[i])) continue;
      avgX += xs[i];
      avgY += ys[i];
      count++;
    }
    if (count) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = xs[n - 1];
      avgY = Number.isFinite(ys[n - 1]) ? ys[n - 1] : 0;
    }
    let best = start, bestArea = -1;
    for (let i = start; i < end; i++) {
      // A non-finite value (a diverged loss) is always kept visible.
      const area = Number.isFinite(ys[i])
        ? Math.abs((xs[a] - avgX) * (ys[i] - ys[a]) - (xs[a] - xs[i]) * (avgY - ys[a]))
        : Infinity;
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    kept.push(best);
    a = best;
  }
  kept.push(n - 1);
  return kept;
}
