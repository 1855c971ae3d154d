/**
 * The IQM as rliable's aggregate_iqm computes it (scipy.stats.trim_mean with proportiontocut
 * 0.25): hand-computed values, checked against scipy 1.17.1, including a case where a
 * fractional-weight IQM would differ.
 */
import assert from "node:assert/strict";
import { iqm, trimMeanSorted } from "../../../lib/stats/iqm.ts";

Deno.test("iqm - below four scores nothing is cut: the IQM is the mean", () => {
  assert.equal(iqm([1, 2, 3]), 2);
  assert.equal(iqm([5]), 5);
});

Deno.test("iqm - floor(n/4) whole scores cut from each end, the rest averaged (scipy's trim_mean)", () => {
  assert.equal(iqm([5, 1, 4, 2, 3]), 3); // cut 1 each end: mean(2, 3, 4)
  assert.equal(iqm([10, 20, 30, 40, 50, 60, 70, 80]), 45); // cut 2: mean(30, 40, 50, 60)
  assert.equal(iqm([3, 1, 4, 1, 5, 9, 2]), 3); // sorted 1 1 2 3 4 5 9, cut 1: mean(1..5)
  assert.equal(iqm([5, 1, 9, 3, 7, 2, 8, 4, 6, 100, -50]), 5); // n = 11, cut 2: the outliers are gone
  // A fractional-weight IQM (1.25 scores cut from each end) would give (0.75*2 + 3 + 0.75*10) / 2.5 = 4.8.
  assert.equal(iqm([1, 2, 3, 10, 100]), 5);
});

Deno.test("iqm - a trim proportion outside [0, 0.5) is refused by value", () => {
  assert.throws(() => trimMeanSorted([1, 2], 0.5), /got 0.5/);
  assert.equal(trimMeanSorted([1, 2, 3, 4], 0), 2.5);
});
