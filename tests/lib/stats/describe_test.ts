/** Summary statistics against numpy's figures (computed with numpy 2.4.6 and written here). */
import assert from "node:assert/strict";
import { mean, median, quantileSorted, sampleStd, sortedCopy, standardError } from "../../../lib/stats/describe.ts";
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
