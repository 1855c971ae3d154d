import assert from "node:assert/strict";
import { rocAuc } from "../../lib/roc_auc.ts";
import { Rng } from "../../lib/rng.ts";
import { assertClose } from "../helpers.ts";

/** The Mann-Whitney U of the positives through rank sums (average ranks for ties), over n+ n-. */
function mannWhitneyAuc(positives: number[], negatives: number[]): number {
  const all = [...positives, ...negatives];
  const rank = (v: number) => {
    const below = all.filter((s) => s < v).length;
    const equal = all.filter((s) => s === v).length;
    return below + (equal + 1) / 2; // 1-based average rank of a tie group
  };
  const rankSum = positives.reduce((sum, v) => sum + rank(v), 0);
  const u = rankSum - (positives.length * (positives.length + 1)) / 2;
  return u / (positives.length * negatives.length);
}

Deno.test("roc auc - a hand-computed case with a tie", () => {
  // Pairs (positive beats negative): 0.9 beats all 4, 0.8 beats all 4, 0.4 beats 0.3 and 0.1, ties 0.4 (half),
  // loses to 0.7: (4 + 4 + 2.5) / 12 = 0.875.
  assertClose(rocAuc([0.9, 0.8, 0.4], [0.7, 0.3, 0.4, 0.1]), 10.5 / 12, { rtol: 1e-12 });
  // The ROC curve of the same data: points (0,0) (0,1/3) (0,2/3) (1/4,2/3) (1/2,1) (3/4,1) (1,1), area 0.875.
});

Deno.test("roc auc - perfect, reversed, and indistinguishable scores give 1, 0 and 1/2", () => {
  assert.equal(rocAuc([5, 6, 7], [1, 2]), 1);
  assert.equal(rocAuc([1, 2], [5, 6, 7]), 0);
  assert.equal(rocAuc([3, 3, 3], [3, 3]), 0.5);
});

Deno.test("roc auc - matches the Mann-Whitney rank-sum formula on random scores with many ties", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 20; trial++) {
    const nPos = 1 + rng.int(40), nNeg = 1 + rng.int(40);
    const positives = Array.from({ length: nPos }, () => rng.int(12) + 2); // shifted up: AUC above 1/2
    const negatives = Array.from({ length: nNeg }, () => rng.int(12));
    assertClose(rocAuc(positives, negatives), mannWhitneyAuc(positives, negatives), { rtol: 1e-12 });
  }
  const continuous = Array.from({ length: 300 }, () => rng.normal());
  const auc = rocAuc(continuous.slice(0, 100).map((v) => v + 1), continuous.slice(100));
  assertClose(auc, mannWhitneyAuc(continuous.slice(0, 100).map((v) => v + 1), continuous.slice(100)), { rtol: 1e-12 });
  // Two unit Gaussians one apart: AUC = Phi(1 / sqrt 2) = 0.760; 300 samples land within 0.07.
  assertClose(auc, 0.7602, { atol: 0.07 });
});

Deno.test("roc auc - empty sets and NaN scores are refused", () => {
  assert.throws(() => rocAuc([], [1]), /at least one positive and one negative, got 0 and 1/);
  assert.throws(() => rocAuc([1, NaN], [0]), /NaN at index 1 of positives/);
});
