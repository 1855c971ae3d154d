import assert from "node:assert/strict";
import { adam, FusedAdamOptimizer, KERAS_ADAM, PYTORCH_ADAM } from "../../lib/adam.ts";
import { configureWasmKernels } from "../../lib/kernels/wasm_kernels.ts";
import { captureAdam, restoreAdam } from "../../lib/train_state.ts";
import { tf } from "../../lib/tf.ts";
import { SHAPES, trainAdam as train } from "../kernel_helpers.ts";

for (const backend of ["wasm", "cpu"]) { // cpu has no fused kernel: tfjs's own update runs
  Deno.test(`adam - the fused update equals tf.train.adam bit for bit on ${backend}`, async () => {
    configureWasmKernels({ blas: null });
    await tf.setBackend(backend);
    for (const [lr, b1, b2, eps] of [[0.01, 0.9, 0.999, 1e-8], [3e-4, 0.5, 0.99, 1e-5]]) {
      const expected = await train(tf.train.adam(lr, b1, b2, eps), 12);
      const actual = await train(adam(lr, { beta1: b1, beta2: b2, epsilon: eps }), 12);
      actual.forEach((values, i) => assert.deepEqual(values, expected[i], `weight ${i} with lr ${lr}, beta1 ${b1}`));
    }
  });
}

Deno.test("adam - the fused update runs as one kernel per variable on wasm, and leaves no tensor behind", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const w = tf.variable(tf.randomUniform([300], -1, 1, "float32", 1));
  const optimizer = adam(0.01, PYTORCH_ADAM);
  const step = () => optimizer.minimize(() => tf.sum(tf.square(w)), false, [w]);
  step();
  const tensors = tf.memory().numTensors;
  const profile = await tf.profile(() => void step());
  const kernels = profile.kernels.map((k) => k.name);
  assert.equal(kernels.filter((name) => name === "TflabFusedAdam").length, 1);
  assert.ok(!kernels.includes("Sqrt"), `tfjs's own update ran as well: ${kernels}`);
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.memory().numTensors, tensors);
  tf.dispose(w);
  optimizer.dispose();
});

Deno.test("adam - a checkpoint of the fused optimizer resumes tfjs's, and the other way round", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const resumed = async (first: tf.AdamOptimizer, second: tf.AdamOptimizer) => {
    const weights = SHAPES.map((shape, i) => tf.variable(tf.randomUniform(shape, -1, 1, "float32", i + 1)));
    const loss = () => tf.addN(weights.map((w) => tf.sum(tf.square(tf.sub(w, 0.3))))) as tf.Scalar;
    for (let s = 0; s < 4; s++) first.minimize(loss, false, weights);
    await restoreAdam(second, await captureAdam(first));
    for (let s = 0; s < 4; s++) second.minimize(loss, false, weights);
    const values = await Promise.all(weights.map(async (w) => Array.from(await w.data())));
    tf.dispose(weights);
    first.dispose();
    second.dispose();
    return values;
  };
  const plain = await resumed(tf.train.adam(0.01), tf.train.adam(0.01));
  assert.deepEqual(await resumed(adam(0.01, KERAS_ADAM), tf.train.adam(0.01)), plain);
  assert.deepEqual(await resumed(tf.train.adam(0.01), adam(0.01, KERAS_ADAM)), plain);
  assert.ok(adam(0.01, KERAS_ADAM) instanceof FusedAdamOptimizer && adam(0.01, KERAS_ADAM) instanceof tf.AdamOptimizer);
});
