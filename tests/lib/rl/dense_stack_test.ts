/**
 * denseStack (lib/rl/dense_stack.ts) on DQN's ReLU Q-networks and PPO's tanh actor and critic, and
 * predictQ (lib/rl/q_values.ts), against tfjs-layers on the same network: the outputs of apply and
 * predict and the gradients of tf.variableGrads through apply, bit for bit on blas and wasm (the
 * backends whose runs must not change), to float32 tolerance on cpu.
 */
import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { openSystemBlas } from "../../../lib/kernels/system_blas.ts";
import { buildQNetwork } from "../../../lib/rl/dqn.ts";
import { denseStack } from "../../../lib/rl/dense_stack.ts";
import { categoricalPpoAgent } from "../../../lib/rl/ppo_agent.ts";
import { predictQ } from "../../../lib/rl/q_values.ts";
import { Rng } from "../../../lib/rng.ts";
import { layers, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

const BACKENDS = [
  { name: "blas", backend: "wasm", blas: openSystemBlas() },
  { name: "wasm", backend: "wasm", blas: null },
  { name: "cpu", backend: "cpu", blas: null },
];

/** Outputs and the loss's gradients (a weighted sum of outputs), by `q`, for `rows` observations. */
function outputs(net: layers.Sequential, rows: number, q: (obs: tf.Tensor2D) => tf.Tensor2D): Float32Array[] {
  const rng = new Rng(rows);
  const width = net.outputs[0].shape[1]!;
  const obs = tf.tensor2d(Float32Array.from({ length: rows * 4 }, () => rng.normal()), [rows, 4]);
  const weights = tf.tensor2d(Float32Array.from({ length: rows * width }, () => rng.normal()), [rows, width]);
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(q(obs), weights)), variables);
  const result = [q(obs), value, ...variables.map((v) => grads[v.name])].map((t) => t.dataSync() as Float32Array);
  tf.dispose([obs, weights, value, ...Object.values(grads)]);
  return result;
}

for (const { name, backend, blas } of BACKENDS) {
  Deno.test(`denseStack - apply's outputs and gradients on ${name}, ReLU and tanh networks`, async () => {
    if (backend === "wasm") configureWasmKernels({ blas });
    await tf.setBackend(backend);
    const ppo = categoricalPpoAgent({ obsSize: 4, actions: 2, hidden: 64, rng: new Rng(2) });
    const nets = {
      ...Object.fromEntries(
        [[256, 256], [8], []].map((hidden) => [
          `relu [${hidden}]`,
          buildQNetwork({ obsSize: 4, actions: 2, hidden, rng: new Rng(1) }),
        ]),
      ),
      "tanh actor": ppo.actor,
      "tanh critic": ppo.critic,
    };
    for (const [label, net] of Object.entries(nets)) {
      // trained-looking weights: the biases start at zero, and a zero bias hides how it is added
      net.setWeights(net.weights.map((w, k) => tf.randomNormal(w.shape as number[], 0, 0.5, "float32", k + 1)));
      for (const rows of [256, 64, 3]) {
        const expected = outputs(net, rows, (obs) => net.apply(obs) as tf.Tensor2D);
        const actual = outputs(net, rows, (obs) => denseStack(net, obs));
        actual.forEach((values, i) => {
          if (name === "cpu") assertClose(values, expected[i], { rtol: 1e-5, atol: 1e-6 });
          else assert.deepEqual(Array.from(values), Array.from(expected[i]), `${label}, ${rows} rows: ${i}`);
        });
      }
      tf.dispose(net.weights.map((w) => w.read()));
    }
  });

  Deno.test(`predictQ - predict's Q-values on ${name}, in and out of its 32-row blocks`, async () => {
    if (backend === "wasm") configureWasmKernels({ blas });
    await tf.setBackend(backend);
    const net = buildQNetwork({ obsSize: 4, actions: 2, hidden: [256, 256], rng: new Rng(1) });
    for (const rows of [64, 128, 50, 32, 3]) {
      const obs = tf.randomNormal([rows, 4], 0, 1, "float32", rows) as tf.Tensor2D;
      const [expected, actual] = [net.predict(obs) as tf.Tensor, predictQ(net, obs)];
      if (name === "cpu") assertClose(actual.dataSync(), expected.dataSync(), { rtol: 1e-5, atol: 1e-6 });
      else assert.deepEqual(Array.from(actual.dataSync()), Array.from(expected.dataSync()), `${rows} rows`);
      tf.dispose([obs, expected, actual]);
    }
    tf.dispose(net.weights.map((w) => w.read()));
  });
}

Deno.test("denseStack - a layer other than relu, tanh or linear is refused by name", async () => {
  await tf.setBackend("cpu");
  const sigmoid = layers.sequential({
    name: "squashed",
    layers: [layers.layers.dense({ units: 2, inputShape: [2], activation: "sigmoid" })],
  });
  assert.throws(
    () => denseStack(sigmoid, tf.zeros([1, 2])),
    /denseStack squashed: expected dense layers with relu, tanh or linear activations, got sigmoid/,
  );
});
