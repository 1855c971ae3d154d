import { Matrix } from "ml-matrix";
import assert from "node:assert/strict";
import {
  classEntropy,
  frechetDistance,
  gaussianStats,
  meanConfidence,
  qualityLine,
  qualityScalars,
  qualitySummary,
  UNMEASURED,
} from "../../lib/sample_quality.ts";
import { Rng } from "../../lib/rng.ts";
import { assertClose } from "../helpers.ts";

const stats = (mean: number[], covariance: number[][]) => ({ mean, covariance: new Matrix(covariance) });

Deno.test("sample quality - Fréchet distance: zero for equal Gaussians, closed form for diagonal ones", () => {
  const a = stats([1, 2], [[2, 0.5], [0.5, 1]]);
  assertClose(frechetDistance(a, a), 0, { atol: 1e-9 });
  // Diagonal: |mu1 - mu2|^2 + sum (s1 + s2 - 2 sqrt(s1 s2)) = 1 + 4 + (4 + 1 - 4) + (9 + 4 - 12)
  const d = frechetDistance(stats([0, 0], [[4, 0], [0, 9]]), stats([1, 2], [[1, 0], [0, 4]]));
  assertClose(d, 5 + 1 + 1, { rtol: 1e-9 });
});

Deno.test("sample quality - Fréchet distance matches the 1-D formula for rotated (non-diagonal) covariances", () => {
  // Both covariances share eigenvectors (a 30 degree rotation), so the distance is that of their eigenvalues.
  const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
  const rotated = (
    l1: number,
    l2: number,
  ) => [[c * c * l1 + s * s * l2, c * s * (l1 - l2)], [c * s * (l1 - l2), s * s * l1 + c * c * l2]];
  const d = frechetDistance(stats([0, 0], rotated(4, 1)), stats([0, 0], rotated(9, 16)));
  assertClose(d, (2 - 3) ** 2 + (1 - 4) ** 2, { rtol: 1e-9 });
});

Deno.test("sample quality - sample statistics recover the generating mean and covariance", () => {
  const rng = new Rng(1);
  const n = 20_000;
  const rows = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const [z1, z2] = [rng.normal(), rng.normal()];
    rows[2 * i] = 1 + 2 * z1;
    rows[2 * i + 1] = -1 + z1 + z2; // var 2, cov with the first 2
  }
  const { mean, covariance } = gaussianStats(rows, 2);
  assertClose(mean, [1, -1], { atol: 0.05 });
  assertClose(covariance.to1DArray(), [4, 2, 2, 2], { atol: 0.2 }); // 5 standard errors at n = 20,000
});

Deno.test("sample quality - class entropy is ln 10 for an even spread and 0 for one class; confidence is the mean top probability", () => {
  const oneHot = (classes: number[], p = 1) =>
    Float32Array.from(classes.flatMap((k) => Array.from({ length: 10 }, (_, j) => (j === k ? p : (1 - p) / 9))));
  assertClose(classEntropy(oneHot([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])), Math.log(10), { rtol: 1e-9 });
  assertClose(classEntropy(oneHot([3, 3, 3, 3])), 0);
  assertClose(classEntropy(oneHot([1, 1, 2, 2])), Math.log(2), { rtol: 1e-9 });
  assertClose(meanConfidence(oneHot([1, 2, 3], 0.7)), 0.7, { rtol: 1e-6 });
});

Deno.test("sample quality - the console line and the event keys every generative lab shares", () => {
  const q = { fidMnist: 96.6074, classEntropy: 2.25316, meanConfidence: 0.88807 };
  assert.equal(qualityLine(q), "FID-MNIST 96.61 | class entropy 2.253 | confidence 0.888");
  assert.equal(
    qualityLine(q, { separator: ", ", floor: 2.714 }),
    "FID-MNIST 96.61 (floor 2.71), class entropy 2.253, confidence 0.888",
  );
  assert.equal(qualityLine(UNMEASURED, { floor: NaN }), "no sample metrics (--sample-count 0)");
  assert.deepEqual(qualityScalars(q), {
    "eval/fid_mnist": 96.6074,
    "eval/class_entropy": 2.25316,
    "eval/mean_confidence": 0.88807,
  });
  assert.deepEqual(qualitySummary(UNMEASURED, undefined, 200), {
    "eval/fid_mnist": NaN,
    "eval/class_entropy": NaN,
    "eval/mean_confidence": NaN,
    "eval/fid_mnist_floor": NaN,
    referenceImages: 200,
  });
});
