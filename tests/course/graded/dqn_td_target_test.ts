/**
 * Graded tests of exercise dqn-td-target: tdTargets in lib/rl/dqn.ts. The networks are single
 * linear layers set by hand: Q_target(s') = s', and Q_online(s') = [s'_1, 2 s'_0].
 */
import { buildQNetwork, tdTargets } from "../../../lib/rl/dqn.ts";
import type { Minibatch } from "../../../lib/rl/replay_buffer.ts";
import { Rng } from "../../../lib/rng.ts";
import { layers, tf } from "../../../lib/tf.ts";
import { expectClose, expectTrue } from "./grading.ts";

await tf.setBackend("cpu");

function network(kernel: number[][]): layers.Sequential {
  const net = buildQNetwork({ obsSize: 2, actions: 2, hidden: [], rng: new Rng(1) });
  net.getLayer("q_out").setWeights([tf.tensor2d(kernel), tf.zeros([2])]);
  return net;
}
const target = network([[1, 0], [0, 1]]);
const online = network([[0, 2], [1, 0]]);

// next states [1, 3], [2, -1], [5, 0]: Q_target = the same, Q_online = [3, 2], [-1, 4], [0, 10]
const batch: Minibatch = {
  obs: Float32Array.from([0, 0, 0, 0, 0, 0]),
  actions: Int32Array.from([0, 1, 0]),
  rewards: Float32Array.from([0.5, 1, -1]),
  nextObs: Float32Array.from([1, 3, 2, -1, 5, 0]),
  terminated: Float32Array.from([0, 0, 1]),
};
const targets = (options: { gamma: number; double: boolean }) =>
  tf.tidy(() => Array.from(tdTargets(online, target, batch, options).dataSync()));

Deno.test("dqn-td-target - DQN: r + gamma max_a' Q_target(s', a'), and r alone when s' is terminal", () => {
  // [0.5 + 0.9 * 3, 1 + 0.9 * 2, -1]
  expectClose("targets with gamma 0.9 (the last transition is terminal)", targets({ gamma: 0.9, double: false }), [
    3.2,
    2.8,
    -1,
  ]);
});

Deno.test("dqn-td-target - double DQN: the online network picks a', the target network values it", () => {
  // online argmax: [0, 1, 1]; Q_target(s', a') = [1, -1, 0]
  expectClose("double-DQN targets with gamma 0.9", targets({ gamma: 0.9, double: true }), [1.4, 0.1, -1]);
});

Deno.test("dqn-td-target - gamma 0 gives the rewards", () => {
  expectClose("targets with gamma 0", targets({ gamma: 0, double: false }), [0.5, 1, -1]);
});

Deno.test("dqn-td-target - one target per transition, and no tensor left behind", () => {
  const before = tf.memory().numTensors;
  const y = tdTargets(online, target, batch, { gamma: 0.9, double: true });
  expectTrue(y.shape.length === 1 && y.shape[0] === 3, `expected targets of shape [3], got [${y.shape}]`);
  y.dispose();
  expectTrue(
    tf.memory().numTensors === before,
    `one call left ${tf.memory().numTensors - before} tensors behind: wrap it in tf.tidy`,
  );
});
