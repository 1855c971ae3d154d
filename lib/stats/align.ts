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
}

/** The most grid steps unless asked otherwise: finer than a chart is wide. */
export const DEFAULT_GRID_POINTS = 600;

/**
 * The grid: every step that any curve logged, when there are at most `maxPoints` of them (seeds
 * of one setting usually log at the same steps, and then nothing is interpolated at all); else
 * `maxPoints` evenly spaced steps from the first step any curve logged to the last.
 */
export function commonGrid(curves: readonly Curve[], maxPoints = DEFAULT_GRID_POINTS): Float64Array {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`maxPoints must be an integer >= 2, got ${maxPoints}`);
  }
  const steps = new Set<number>();
  for (const curve of curves) {
    for (let i = 0; i < curve.x.length && steps.size <= maxPoints; i++) steps.add(curve.x[i]);
  }
  if (steps.size <= maxPoints) return Float64Array.from(steps).sort();
  let first = Infinity, last = -Infinity;
  for (const { x } of curves) {
    if (!x.length) continue;
    first = Math.min(first, x[0]);
    last = Math.max(last, x[x.length - 1]);
  }
  return Float64Array.from({ length: maxPoints }, (_, i) => first + (last - first) * i / (maxPoints - 1));
}

/**
 * The curve's values at the grid steps (sorted ascending): linear between the two points around
 * each step, the last value logged at a step when it was logged there, NaN outside the curve.
 */
export function interpolate(curve: Curve, grid: ArrayLike<number>): Float64Array {
  const { x, y } = curve;
  const out = new Float64Array(grid.length).fill(NaN);
  let j = 0; // the first point with x > the current grid step
  for (let g = 0; g < grid.length; g++) {
    const at = grid[g];
    while (j < x.length && x[j] <= at) j++;
    if (j === 0) continue; // before the curve's first point
    const i = j - 1;
    if (x[i] === at) out[g] = y[i];
    else if (j < x.length) out[g] = y[i] + (y[j] - y[i]) * (at - x[i]) / (x[j] - x[i]);
    // else: after the curve's last point
  }
  return out;
}

export function alignCurves(curves: readonly Curve[], maxPoints = DEFAULT_GRID_POINTS): Aligned {
  const grid = commonGrid(curves, maxPoints);
  return { grid, values: curves.map((curve) => interpolate(curve, grid)) };
}
