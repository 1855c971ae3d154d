/** Seeds summarised step by step: closed forms for mean, min-max and standard error; the bootstrap band repeats. */
import assert from "node:assert/strict";
import { bootstrap } from "../../../lib/stats/bootstrap.ts";
import { summariseCurves } from "../../../lib/stats/curve_band.ts";
import { mean, medianSorted, standardError } from "../../../lib/stats/describe.ts";
import { assertClose } from "../../helpers.ts";

const row = (...values: number[]) => Float64Array.from(values);
// Three seeds over four steps; the third ends a step early.
const seeds = [row(1, 2, 3, 4), row(3, 4, 5, 6), row(8, 9, 10, NaN)];

Deno.test("curve band - mean with min-max: at each step over the seeds that reach it, n says how many", () => {
  const s = summariseCurves(seeds, { centre: "mean", band: "minmax" });
  assert.deepEqual(s.n, [3, 3, 3, 2]);
  assertClose(s.centre as number[], [4, 5, 6, 5], { rtol: 1e-12 });
  assert.deepEqual(s.low, [1, 2, 3, 4]);
  assert.deepEqual(s.high, [8, 9, 10, 6]);
});

Deno.test("curve band - standard error: s/sqrt(n) around the mean; the bootstrap's around a median", () => {
  const s = summariseCurves(seeds, { centre: "mean", band: "stderr" });
  const se = standardError([1, 3, 8]);
  assertClose([s.low[0]!, s.high[0]!], [mean([1, 3, 8]) - se, mean([1, 3, 8]) + se], { rtol: 1e-12 });
  const m = summariseCurves(seeds, { centre: "median", band: "stderr", reps: 500, seed: 2 });
  const boot = bootstrap([1, 3, 8], medianSorted, { reps: 500, seed: 2 });
  assertClose([m.centre[0]!, m.low[0]!, m.high[0]!], [3, 3 - boot.se, 3 + boot.se], { rtol: 1e-12 });
});

Deno.test("curve band - bootstrap 95%: one set of resamples for every step, seeded", () => {
  // Seeds that differ by a constant offset: the same resamples at each step give a band of constant width.
  const shifted = [0, 5, 7, 30].map((c) => Float64Array.from({ length: 6 }, (_, i) => i * i + c));
  const s = summariseCurves(shifted, { centre: "iqm", band: "ci95", reps: 400 });
  const widths = s.high.map((h, i) => h! - s.low[i]!);
  assert.ok(widths[0] > 0);
  assertClose(widths, widths.map(() => widths[0]), { rtol: 1e-9 });
  assert.deepEqual(summariseCurves(shifted, { centre: "iqm", band: "ci95", reps: 400 }), s);
});

Deno.test("curve band - one seed has a zero-width band; a step no seed reaches is null", () => {
  const s = summariseCurves([row(2, NaN)], { centre: "mean", band: "ci95" });
  assert.deepEqual([s.centre, s.low, s.high, s.n], [[2, null], [2, null], [2, null], [1, 0]]);
});
