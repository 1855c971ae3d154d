import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";

Deno.test("wasm Identity - a clone shares its buffer and outlives the original", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const x = tf.tensor([1, 2, 3]);
  const buffers = tf.engine().backend.numDataIds();
  const y = tf.clone(x);
  assert.equal(tf.engine().backend.numDataIds(), buffers, "no new buffer");
  x.dispose();
  assert.deepEqual(Array.from(await y.data()), [1, 2, 3]);
  y.dispose();
  assert.equal(tf.engine().backend.numDataIds(), buffers - 1, "the shared buffer is freed with its last tensor");
});

Deno.test("wasm Identity - training steps that save tensors for backprop leave no buffer behind", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const w = tf.variable(tf.randomUniform([8, 4], -1, 1, "float32", 1));
  const x = tf.randomUniform([16, 8], -1, 1, "float32", 2);
  const optimizer = tf.train.adam(0.01);
  const step = () => optimizer.minimize(() => tf.mean(tf.square(tf.relu(tf.matMul(x, w)))) as tf.Scalar);
  step();
  const buffers = tf.engine().backend.numDataIds();
  const before = await w.data();
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.engine().backend.numDataIds(), buffers);
  assert.notDeepEqual(Array.from(await w.data()), Array.from(before), "the weights did train");
  tf.dispose([w, x]);
});

Deno.test("wasm Cast - to its own dtype shares the buffer; to another dtype converts", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const x = tf.tensor([1.5, -2.5, 0]);
  const buffers = tf.engine().backend.numDataIds();
  const same = tf.cast(x, "float32");
  assert.equal(tf.engine().backend.numDataIds(), buffers, "no new buffer for float32 -> float32");
  const asInt = tf.cast(x, "int32");
  assert.equal(tf.engine().backend.numDataIds(), buffers + 1);
  x.dispose();
  assert.deepEqual(Array.from(await same.data()), [1.5, -2.5, 0]);
  assert.deepEqual([asInt.dtype, ...await asInt.data()], ["int32", 1, -2, 0]);
  tf.dispose([same, asInt]);
  assert.equal(tf.engine().backend.numDataIds(), buffers - 1);
});
