/**
 * The shipped classifier (assets/mnist_classifier.ckpt) is a real yardstick: it classifies the
 * MNIST test set at >= 99%, and its FID-MNIST separates real digits from noise by orders of
 * magnitude.
 */
import assert from "node:assert/strict";
import { useBackend } from "../../lib/backend.ts";
import { loadMnist, splitImages } from "../../lib/data/mnist.ts";
import { FEATURE_SIZE } from "../../lib/models/mnist_classifier.ts";
import { Rng } from "../../lib/rng.ts";
import { classify, frechetDistance, gaussianStats, loadYardstick, sampleQuality } from "../../lib/sample_quality.ts";

await useBackend("wasm");
const mnist = await loadMnist();
const classifier = await loadYardstick();
const test = await classify(classifier, splitImages(mnist.test));
const testStats = gaussianStats(test.features, FEATURE_SIZE);

Deno.test("yardstick - the shipped classifier is >= 99% accurate on the MNIST test set", () => {
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    const row = test.probabilities.subarray(i * 10, i * 10 + 10);
    if (row.indexOf(Math.max(...row)) === mnist.test.labels[i]) correct++;
  }
  assert.ok(correct / test.count >= 0.99, `accuracy ${correct / test.count}`);
});

// Measured: 2,000 training digits score about 7 (FID is biased upwards at small n), uniform noise
// about 900, one digit repeated about 1,600.
Deno.test("yardstick - real digits score near the floor, noise and one repeated digit do not", async () => {
  const real = await sampleQuality(classifier, splitImages(mnist.train, 2000), testStats);
  assert.ok(real.fidMnist < 15, `real-vs-real FID ${real.fidMnist}`);
  assert.ok(real.classEntropy > 2.25, `real class entropy ${real.classEntropy}`);
  assert.ok(real.meanConfidence > 0.95, `real confidence ${real.meanConfidence}`);

  const rng = new Rng(1);
  const noise = await sampleQuality(
    classifier,
    Float32Array.from({ length: 500 * 784 }, () => rng.uniform()),
    testStats,
  );
  assert.ok(noise.fidMnist > 20 * real.fidMnist, `noise FID ${noise.fidMnist} vs real ${real.fidMnist}`);

  const firstDigit = splitImages(mnist.train, 1);
  const collapsed = new Float32Array(500 * 784);
  for (let i = 0; i < 500; i++) collapsed.set(firstDigit, i * 784);
  const mode = await sampleQuality(classifier, collapsed, testStats);
  assert.ok(mode.classEntropy < 0.01, `one digit repeated has class entropy ${mode.classEntropy}`);
  assert.ok(mode.fidMnist > 10 * real.fidMnist, `mode collapse FID ${mode.fidMnist}`);
  assert.ok(frechetDistance(testStats, testStats) < 1e-6);
});
