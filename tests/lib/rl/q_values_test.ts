/**
 * qValues and predictQ (lib/rl/q_values.ts) against tfjs-layers on the same network: the Q-values of
 * apply and predict and the gradients of tf.variableGrads through apply, bit for bit on blas and
 * wasm (the backends whose runs must not change), to float32 tolerance on cpu.
 */
import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { openSystemBlas } from "../../../lib/kernels/system_blas.ts";
import { buildQNetwork } from "../../../lib/rl/dqn.ts";
import { predictQ, qValues } from "../../../lib/rl/q_values.ts";
import { Rng } from "../../../lib/rng.ts";
import { layers, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

const BACKENDS = [
  { name: "blas", backend: "wasm", blas: openSystemBlas() },
  { name: "wasm", backend: "wasm", blas: null },
  { name: "cpu", backend: "cpu", blas: null },
];

/** Q-values and the loss's gradients (a weighted sum of Q-values), by `q`, for `rows` observations. */
function outputs(net: layers.Sequential, rows: number, q: (obs: tf.Tensor2D) => tf.Tensor2D): Float32Array[] {
  const rng = new Rng(rows);
  const obs = tf.tensor2d(Float32Array.from({ length: rows * 4 }, () => rng.normal()), [rows, 4]);
  const weights = tf.tensor2d(Float32Array.from({ length: rows * 2 }, () => rng.normal()), [rows, 2]);
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(q(obs), weights)), variables);
  const result = [q(obs), value, ...variables.map((v) => grads[v.name])].map((t) => t.dataSync() as Float32Array);
  tf.dispose([obs, weights, value, ...Object.values(grads)]);
  return result;
}

for (const { name, backend, blas } of BACKENDS) {
  Deno.test(`qValues - apply's Q-values and gradients on ${name}`, async () => {
    if (backend === "wasm") configureWasmKernels({ blas });
    await tf.setBackend(backend);
    for (const hidden of [[256, 256], [8], []]) {
      const net = buildQNetwork({ obsSize: 4, actions: 2, hidden, rng: new Rng(1) });
      for (const rows of [64, 3]) {
        const expected = outputs(net, rows, (obs) => net.apply(obs) as tf.Tensor2D);
        const actual = outputs(net, rows, (obs) => qValues(net, obs));
        actual.forEach((values, i) => {
          if (name === "cpu") assertClose(values, expected[i], { rtol: 1e-5, atol: 1e-6 });
          else assert.deepEqual(Array.from(values), Array.from(expected[i]), `hidden [${hidden}], ${rows} rows: ${i}`);
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

Deno.test("qValues - a layer other than relu or linear is refused by name", async () => {
  await tf.setBackend("cpu");
  const tanh = layers.sequential({ layers: [layers.layers.dense({ units: 2, inputShape: [2], activation: "tanh" })] });
  assert.throws(
    () => qValues(tanh, tf.zeros([1, 2])),
    /expected dense layers with relu or linear activations, got tanh/,
  );
});
