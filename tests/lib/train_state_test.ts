/**
 * captureTraining / restoreTraining: a lab's training state (layers models, named variables, Adam,
 * random streams) goes into a checkpoint and comes back so that training continues exactly as
 * if it had never stopped; what a checkpoint lacks is refused by name.
 */
import assert from "node:assert/strict";
import { adam, PYTORCH_ADAM } from "../../lib/adam.ts";
import { decodeCheckpoint, encodeCheckpoint } from "../../lib/checkpoint.ts";
import { UsageError } from "../../lib/errors.ts";
import { Rng } from "../../lib/rng.ts";
import { linear } from "../../lib/models/linear.ts";
import { layers, tf } from "../../lib/tf.ts";
import { captureTraining, restoreTraining, type Training } from "../../lib/train_state.ts";

/** A small model, a named variable, Adam over both and a random stream; `train` takes noisy steps. */
function setUp(seed: number) {
  const model = layers.sequential({
    layers: [linear({ name: "fc", units: 3, fanIn: 4, rng: new Rng(seed) })],
  });
  const scale = tf.variable(tf.scalar(1), true, `scale-${seed}-${crypto.randomUUID()}`);
  const optimizer = adam(0.01, PYTORCH_ADAM);
  const noise = new Rng(seed);
  const training: Training = {
    tensors: { model: { models: [model] }, extra: { variables: { scale } }, optimizer: { adam: optimizer } },
    rngs: { noise },
  };
  const weights = () => [...model.trainableWeights.map((w) => w.read() as tf.Variable), scale];
  const train = (steps: number) => {
    for (let i = 0; i < steps; i++) {
      const x = tf.tensor2d(Float32Array.from({ length: 8 }, () => noise.normal()), [2, 4]);
      optimizer.minimize(
        () => tf.sum(tf.square(tf.mul(model.apply(x) as tf.Tensor, scale))) as tf.Scalar,
        false,
        weights(),
      );
      x.dispose();
    }
  };
  const values = async () => (await Promise.all(weights().map((w) => w.data()))).map((d) => Array.from(d));
  return { training, train, values, noise };
}

Deno.test("train_state - a run restored from captureTraining continues bit for bit like the uninterrupted one", async () => {
  await tf.setBackend("cpu");
  const straight = setUp(3);
  straight.train(5);

  const first = setUp(3);
  first.train(2);
  const saved = await encodeCheckpoint({ step: 2, epoch: 0, eventSeq: 0, ...(await captureTraining(first.training)) });
  const second = setUp(3);
  await restoreTraining(second.training, await decodeCheckpoint(saved, "test"));
  second.train(3);

  assert.deepEqual(await second.values(), await straight.values());
  assert.equal(second.noise.nextUint32(), straight.noise.nextUint32());
});

Deno.test("train_state - a checkpoint without a group or a random stream the lab trains is refused by name", async () => {
  await tf.setBackend("cpu");
  const { training } = setUp(4);
  const state = await captureTraining(training);
  const { extra: _, ...withoutExtra } = state.tensors;
  await assert.rejects(
    restoreTraining(training, { tensors: withoutExtra, meta: state.meta }),
    (e: Error) => e instanceof UsageError && /no 'extra' tensors \(it holds model, optimizer\)/.test(e.message),
  );
  await assert.rejects(
    restoreTraining(training, { tensors: state.tensors, meta: { noise: [1, 2, 3] } }),
    (e: Error) => e instanceof UsageError && /random stream 'noise' \(found \[1,2,3\]\)/.test(e.message),
  );
});
