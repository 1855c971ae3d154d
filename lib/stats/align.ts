/**
 * Curves logged at different steps (or of different lengths) put on one common grid, so that
 * their values can be summarised step by step. Each curve is interpolated linearly between its
 * own points and never extrapolated: at a grid step outside a curve's first and last point it
 * has no value (NaN), and a summary there is taken over the curves that do cover it, instead of
 * dropping the short curves altogether or inventing their tails.
 */

export interface Curve {
  /** non-decreasing */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface Aligned {
  grid: Float64Array;
  /** one row per curve, grid.length long, NaN where the curve does not reach */
  values: Float64Array[];
  /** how many curves have a value somewhere on the grid that is not one they logged at that step */
  interpolated: number;
  /** how far beyond its first and last point a curve still counts (half the spacing of an even grid, else 0) */
  reach: number;
}

/** The most grid steps unless asked otherwise: finer than a chart is wide. */
export const DEFAULT_GRID_POINTS = 600;

/**
 * The grid: every step that any curve logged, when there are at most `maxPoints` of them (seeds
 * of one setting usually log at the same steps, and then nothing is interpolated at all); else
 * `maxPoints` evenly spaced steps from the first step any curve logged to the last. On an even
 * grid each step stands for the interval around it, so a curve reaches half a spacing beyond its
 * ends: seeds that stop a few steps apart all count at the last step.
 */
export function commonGrid(
  curves: readonly Curve[],
  maxPoints = DEFAULT_GRID_POINTS,
): { grid: Float64Array; reach: number } {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`maxPoints must be an integer >= 2, got ${maxPoints}`);
  }
  const steps = new Set<number>();
  for (const curve of curves) {
    for (let i = 0; i < curve.x.length && steps.size <= maxPoints; i++) steps.add(curve.x[i]);
  }
  if (steps.size <= maxPoints) return { grid: Float64Array.from(steps).sort(), reach: 0 };
  let first = Infinity, last = -Infinity;
  for (const { x } of curves) {
    if (!x.length) continue;
    first = Math.min(first, x[0]);
    last = Math.max(last, x[x.length - 1]);
  }
  const spacing = (last - first) / (maxPoints - 1);
  return { grid: Float64Array.from({ length: maxPoints }, (_, i) => first + spacing * i), reach: spacing / 2 };
}

/**
 * The curve's values at the grid steps (sorted ascending): linear between the two points around
 * each step, the last value logged at a step when it was logged there, the end's value within
 * `reach` beyond either end, NaN farther out. `exact` says whether every value is one the curve
 * logged at that step.
 */
export function interpolate(
  curve: Curve,
  grid: ArrayLike<number>,
  { reach = 0 }: { reach?: number } = {},
): { values: Float64Array; exact: boolean } {
  const { x, y } = curve, last = x.length - 1;
  const out = new Float64Array(grid.length).fill(NaN);
  let exact = true;
  let j = 0; // the first point with x > the current grid step
  for (let g = 0; g < grid.length; g++) {
    const at = grid[g];
    while (j <= last && x[j] <= at) j++;
    const i = j - 1;
    if (i >= 0 && x[i] === at) {
      out[g] = y[i];
      continue;
    }
    if (j === 0 && x.length && x[0] - at <= reach) out[g] = y[0];
    else if (j > last && last >= 0 && at - x[last] <= reach) out[g] = y[last];
    else if (j > 0 && j <= last) out[g] = y[i] + (y[j] - y[i]) * (at - x[i]) / (x[j] - x[i]);
    else continue; // beyond the curve's reach
    exact = false;
  }
  return { values: out, exact };
}

export function alignCurves(curves: readonly Curve[], maxPoints = DEFAULT_GRID_POINTS): Aligned {
  const { grid, reach } = commonGrid(curves, maxPoints);
  const rows = curves.map((curve) => interpolate(curve, grid, { reach }));
  return { grid, values: rows.map((r) => r.values), interpolated: rows.filter((r) => !r.exact).length, reach };
}
