/** Summary statistics against numpy's figures (computed with numpy 2.4.6 and written here). */
import assert from "node:assert/strict";
import { Rng } from "../../../lib/rng.ts";
import {
  mean,
  median,
  quantileInPlace,
  quantileSorted,
  sampleStd,
  sortedCopy,
  standardError,
} from "../../../lib/stats/describe.ts";
import { assertClose } from "../../helpers.ts";

const scores = [1, 2, 3, 10, 100];

Deno.test("describe - mean, median, sample std and standard error as numpy computes them", () => {
  assert.equal(mean(scores), 23.2);
  assert.equal(median(scores), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assertClose(sampleStd(scores), 43.0778365287766, { rtol: 1e-12 }); // np.std(ddof=1)
  assertClose(standardError(scores), 43.0778365287766 / Math.sqrt(5), { rtol: 1e-12 });
  assert.equal(sampleStd([7]), 0, "one value has no spread");
});

Deno.test("describe - quantiles interpolate linearly between ranks, as np.percentile", () => {
  const sorted = sortedCopy(scores);
  assertClose([0.025, 0.5, 0.975].map((q) => quantileSorted(sorted, q)), [1.1, 3, 91], { rtol: 1e-12 });
  const octets = sortedCopy([80, 10, 70, 20, 60, 30, 50, 40]);
  assertClose([0.025, 0.975].map((q) => quantileSorted(octets, q)), [11.75, 78.25], { rtol: 1e-12 });
  assert.equal(quantileSorted(sorted, 0), 1);
  assert.equal(quantileSorted(sorted, 1), 100);
});

Deno.test("describe - selection finds the sorted quantile without sorting, ties and all", () => {
  const rng = new Rng(4);
  for (const n of [1, 2, 7, 100, 1001]) {
    const values = Float64Array.from({ length: n }, () => Math.floor(rng.uniform() * 20)); // many ties
    for (const q of [0, 0.025, 0.5, 0.975, 1]) {
      assert.equal(quantileInPlace(values.slice(), q), quantileSorted(sortedCopy(values), q), `n=${n} q=${q}`);
    }
  }
});
