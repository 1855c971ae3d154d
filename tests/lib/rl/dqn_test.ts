import assert from "node:assert/strict";
import { buildQNetwork, qLoss, tdTargets, updateTarget } from "../../../lib/rl/dqn.ts";
import type { Minibatch } from "../../../lib/rl/replay_buffer.ts";
import { Rng } from "../../../lib/rng.ts";
import { layers, type Tensor, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

await tf.setBackend("cpu");

const batch: Minibatch = {
  obs: Float32Array.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6]),
  actions: Int32Array.from([1, 0]),
  rewards: Float32Array.from([1, 0.5]),
  nextObs: Float32Array.from([0.2, 0.1, 0, -0.3, 0.3, 0.2]),
  terminated: Float32Array.from([0, 1]),
};
const networks = () => {
  const online = buildQNetwork({ obsSize: 3, actions: 2, hidden: [8], rng: new Rng(1) });
  const target = buildQNetwork({ obsSize: 3, actions: 2, hidden: [8], rng: new Rng(2) });
  return { online, target };
};
const q = (model: layers.Sequential, obs: Float32Array) =>
  tf.tidy(() => (model.predict(tf.tensor2d(obs, [2, 3])) as Tensor).arraySync() as number[][]);

Deno.test("dqn - TD targets by hand: max of the target net, or its value of the online net's argmax", () => {
  const { online, target } = networks();
  const nextTarget = q(target, batch.nextObs);
  const nextOnline = q(online, batch.nextObs);
  const gamma = 0.99;
  const plain = tdTargets(online, target, batch, { gamma, double: false });
  assertClose(plain.dataSync(), [1 + gamma * Math.max(...nextTarget[0]), 0.5], { rtol: 1e-5 });
  const argmax = nextOnline[0].indexOf(Math.max(...nextOnline[0]));
  const double = tdTargets(online, target, batch, { gamma, double: true });
  assertClose(double.dataSync(), [1 + gamma * nextTarget[0][argmax], 0.5], { rtol: 1e-5 });
  tf.dispose([plain, double]);
});

Deno.test("dqn - Huber loss on Q(s, a) is quadratic below 1 and linear above", () => {
  const { online } = networks();
  const current = q(online, batch.obs);
  const taken = [current[0][1], current[1][0]];
  const targets = [taken[0] + 0.5, taken[1] - 3]; // errors 0.5 (quadratic) and 3 (linear)
  const loss = qLoss(online, batch, tf.tensor1d(targets));
  assertClose(loss.dataSync()[0], (0.5 * 0.5 ** 2 + (3 - 0.5)) / 2, { rtol: 1e-5 });
  loss.dispose();
});

Deno.test("dqn - an update changes the online weights, not the target's, and leaks no tensor", () => {
  const { online, target } = networks();
  const optimizer = tf.train.adam(1e-2);
  const snapshot = (m: layers.Sequential) => m.getWeights().map((w) => Array.from(w.dataSync()));
  const step = () => {
    const y = tdTargets(online, target, batch, { gamma: 0.99, double: true });
    optimizer.minimize(
      () => qLoss(online, batch, y),
      false,
      online.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    y.dispose();
  };
  step(); // the optimizer creates its moment variables on the first step
  const [onlineBefore, targetBefore] = [snapshot(online), snapshot(target)];
  const tensors = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.memory().numTensors, tensors);
  assert.notDeepEqual(snapshot(online), onlineBefore);
  assert.deepEqual(snapshot(target), targetBefore);
  updateTarget(online, target);
  assert.deepEqual(snapshot(target), snapshot(online));
  assert.equal(tf.memory().numTensors, tensors);
});
