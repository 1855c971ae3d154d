import assert from "node:assert/strict";
import {
  buildTransferCnn,
  copyWeights,
  featureSize,
  headLogits,
  transferLogits,
  variablesOf,
} from "../../../lib/models/transfer_cnn.ts";
import { Rng } from "../../../lib/rng.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";

await tf.setBackend("cpu");

const small = (seed: number) => buildTransferCnn({ filters: 3, hidden: 8, classes: 5, rng: new Rng(seed) });
const values = (model: ReturnType<typeof small>) =>
  [...model.features.weights, ...model.head.weights].map((w) => Array.from(w.read().dataSync()));

Deno.test("transfer cnn - images [B, 28, 28, 1] give features [B, 12 * 12 * F] and logits [B, C]", () => {
  const model = small(1);
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 3);
  assert.deepEqual((model.features.apply(x) as Tensor).shape, [2, featureSize(3)]);
  assert.equal(featureSize(3), 432);
  assert.deepEqual(transferLogits(model, x).shape, [2, 5]);
  assert.deepEqual(model.head.layers.map((l) => l.name), ["hidden", "logits"]);
});

Deno.test("transfer cnn - the head on precomputed features equals the whole net, with and without dropout", () => {
  const model = small(1);
  const x = tf.randomUniform([4, 28, 28, 1], 0, 1, "float32", 3);
  const features = model.features.apply(x) as Tensor;
  assert.deepEqual(headLogits(model, features).arraySync(), transferLogits(model, x).arraySync());
  assert.deepEqual(headLogits(model, features, 7).arraySync(), transferLogits(model, x, 7).arraySync());
  assert.notDeepEqual(transferLogits(model, x, 7).arraySync(), transferLogits(model, x).arraySync());
});

Deno.test("transfer cnn - the seed fixes every initial weight", () => {
  assert.deepEqual(values(small(1)), values(small(1)));
  assert.notDeepEqual(values(small(1))[0], values(small(2))[0]);
});

Deno.test("transfer cnn - copied weights are equal, and training the copy leaves the source unchanged", () => {
  const [source, target] = [small(1), small(2)];
  const before = values(source);
  copyWeights(source.features, target.features);
  assert.deepEqual(values(target).slice(0, 4), before.slice(0, 4));
  const optimizer = tf.train.sgd(0.1);
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 3);
  optimizer.minimize(
    () => tf.sum(tf.square(transferLogits(target, x))) as tf.Scalar,
    false,
    variablesOf(target.features),
  );
  assert.notDeepEqual(values(target)[0], before[0]);
  assert.deepEqual(values(source), before);
});

Deno.test("transfer cnn - bad sizes are refused by name", () => {
  assert.throws(
    () => buildTransferCnn({ filters: 0, hidden: 8, classes: 5, rng: new Rng(1) }),
    /expected filters to be a positive integer, got 0/,
  );
  assert.throws(
    () => buildTransferCnn({ filters: 2, hidden: 1.5, classes: 5, rng: new Rng(1) }),
    /expected hidden to be a positive integer, got 1.5/,
  );
});
