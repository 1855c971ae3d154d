/**
 * The seeded bootstrap against references: a naive loop over the same draws, the exact
 * bootstrap distribution of a tiny sample (every one of its n^n resamples), the closed-form
 * bootstrap variance of the mean, and rliable's stratification (runs resampled within tasks).
 */
import assert from "node:assert/strict";
import { Rng } from "../../../lib/rng.ts";
import { bootstrap, resampleRows, stratifiedBootstrap } from "../../../lib/stats/bootstrap.ts";
import { mean, medianSorted, sortedCopy } from "../../../lib/stats/describe.ts";
import { iqm, iqmSorted } from "../../../lib/stats/iqm.ts";
import { assertClose } from "../../helpers.ts";

const scores = [12, 250, 31, 500, 480, 77, 5, 300, 499, 150];

/** The textbook loop: draw n indices per resample, apply the statistic, sort, take np.percentile. */
function naiveBootstrap(values: number[], statistic: (v: number[]) => number, reps: number, seed: number) {
  const rng = new Rng(seed), results: number[] = [];
  for (let r = 0; r < reps; r++) {
    const resample: number[] = [];
    for (let j = 0; j < values.length; j++) resample.push(values[rng.int(values.length)]);
    results.push(statistic(resample));
  }
  results.sort((a, b) => a - b);
  const percentile = (q: number) => {
    const at = (reps - 1) * q, i = Math.floor(at);
    return results[i] + (results[Math.min(i + 1, reps - 1)] - results[i]) * (at - i);
  };
  return { low: percentile(0.025), high: percentile(0.975) };
}

const naiveMedian = (v: number[]) => medianSorted([...v].sort((a, b) => a - b));

const CASES = [["mean", mean, mean], ["median", medianSorted, naiveMedian], ["iqm", iqmSorted, iqm]] as const;

Deno.test("bootstrap - sorted resample rows give the naive loop's interval for mean, median and IQM", () => {
  const sorted = [...sortedCopy(scores)]; // the naive loop draws the same indices into the sorted scores
  for (const [name, fast, naive] of CASES) {
    const got = bootstrap(scores, fast, { reps: 2000, seed: 7 });
    const want = naiveBootstrap(sorted, naive, 2000, 7);
    assertClose([got.low, got.high], [want.low, want.high], { rtol: 1e-12 }); // sums in another order: last-bit rounding
    assert.ok(got.low < got.estimate && got.estimate < got.high, `${name}: ${JSON.stringify(got)}`);
  }
});

Deno.test("bootstrap - the interval's tails hold 2.5% each of the exact bootstrap distribution (all n^n resamples)", () => {
  const values = [1, 4, 6, 19], n = values.length;
  const exact: number[] = []; // the mean of every ordered resample, each with probability n^-n
  for (let code = 0; code < n ** n; code++) {
    let sum = 0;
    for (let j = 0, c = code; j < n; j++, c = Math.floor(c / n)) sum += values[c % n];
    exact.push(sum / n);
  }
  const { low, high, se } = bootstrap(sortedCopy(values), mean, { reps: 40_000, seed: 1 });
  const below = exact.filter((m) => m < low).length / exact.length;
  const above = exact.filter((m) => m > high).length / exact.length;
  assert.ok(below <= 0.025 && exact.filter((m) => m <= low).length / exact.length >= 0.025 - 0.01, `below ${below}`);
  assert.ok(above <= 0.025 && exact.filter((m) => m >= high).length / exact.length >= 0.025 - 0.01, `above ${above}`);
  // Closed form: the bootstrap variance of the mean is the plug-in variance over n.
  const plugIn = values.reduce((s, v) => s + (v - mean(values)) ** 2, 0) / n;
  assertClose(se, Math.sqrt(plugIn / n), { rtol: 0.02 });
});

Deno.test("bootstrap - stratified: runs are resampled within each task, never across", () => {
  const strata = [[1, 1, 1], [5, 5, 5, 5, 5]];
  const pooledMean = (s: Float64Array[]) => {
    assert.deepEqual(s.map((x) => x.length), [3, 5], "each task keeps its number of runs");
    return mean(s.flatMap((x) => [...x]));
  };
  const stratified = stratifiedBootstrap(strata, pooledMean, { reps: 500 });
  assert.deepEqual([stratified.low, stratified.estimate, stratified.high], [3.5, 3.5, 3.5]);
  const pooled = bootstrap(strata.flat(), mean, { reps: 500 });
  assert.ok(pooled.low < 3.5 && pooled.high > 3.5, "a pooled bootstrap mixes the tasks' runs");
});

Deno.test("bootstrap - seeded: the same seed repeats the interval exactly, another seed moves it", () => {
  const sorted = sortedCopy(scores);
  const a = bootstrap(sorted, iqmSorted, { reps: 1000, seed: 3 });
  assert.deepEqual(bootstrap(sorted, iqmSorted, { reps: 1000, seed: 3 }), a);
  assert.notDeepEqual(bootstrap(sorted, iqmSorted, { reps: 1000, seed: 4 }), a);
  assert.deepEqual(resampleRows(4, { reps: 3, seed: 9 }), resampleRows(4, { reps: 3, seed: 9 }));
  const row = [...resampleRows(4, { reps: 3, seed: 9 }).slice(4, 8)];
  assert.deepEqual(row, [...row].sort(), "each row is sorted");
});

Deno.test("bootstrap - bad options and empty scores are refused by value", () => {
  assert.throws(() => bootstrap([1, 2], mean, { reps: 1 }), /reps must be an integer >= 2, got 1/);
  assert.throws(() => bootstrap([1, 2], mean, { confidence: 95 }), /confidence must be in \(0, 1\), got 95/);
  assert.throws(() => bootstrap([], mean), /at least one score/);
  assert.throws(() => stratifiedBootstrap([[1], []], ([s]) => mean(s)), /every stratum/);
  assert.throws(
    () => bootstrap([1, 2], mean, { reps: 3, rows: new Int32Array(4) }),
    /expected 3 rows of 2 indices, got 4/,
  );
});
