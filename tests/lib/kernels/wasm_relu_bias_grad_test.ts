/**
 * A dense layer's ReLU and bias gradients as one kernel (lib/kernels/wasm_relu_bias_grad.ts)
 * against tfjs's Relu and Add gradients through the tape: bit for bit on wasm (the same backend
 * with tfjs's own kernels), to float32 tolerance on the cpu backend.
 */
import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { RELU_BIAS_GRAD } from "../../../lib/kernels/wasm_relu_bias_grad.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { uniformInput, valuesOn } from "../../kernel_helpers.ts";

/** The kernel where installed, else tfjs's gradients of relu(p + b) for a random dy. */
const gradients = (rows: number, width: number, seed: number) => () => {
  const p = uniformInput([rows, width], seed);
  const b = uniformInput([width], seed + 1);
  const dy = uniformInput([rows, width], seed + 2);
  if (tf.getKernel(RELU_BIAS_GRAD, tf.getBackend())) {
    const y = tf.relu(tf.add(p, b)) as tf.Tensor2D;
    return tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y }) as tf.Tensor[];
  }
  const [dp, db] = tf.grads((p: tf.Tensor, b: tf.Tensor) => tf.relu(tf.add(p, b)))([p, b], dy);
  return [dp, db];
};
const SHAPES = [[64, 256], [1, 7], [33, 2]] as const;

Deno.test("wasm ReLU and bias gradient - the kernel gives tfjs's gradients bit for bit", async () => {
  for (const [rows, width] of SHAPES) {
    configureWasmKernels({ blas: null });
    const fused = await valuesOn("wasm", gradients(rows, width, rows));
    tf.unregisterKernel(RELU_BIAS_GRAD, "wasm"); // the next configureWasmKernels puts it back
    const composed = await valuesOn("wasm", gradients(rows, width, rows));
    fused.forEach((values, i) =>
      assert.deepEqual(Array.from(values), Array.from(composed[i]), `[${rows}, ${width}]: ${i}`)
    );
  }
  configureWasmKernels({ blas: null });
});

Deno.test("wasm ReLU and bias gradient - matches the cpu backend", async () => {
  configureWasmKernels({ blas: null });
  for (const [rows, width] of SHAPES) {
    const expected = await valuesOn("cpu", gradients(rows, width, rows));
    const actual = await valuesOn("wasm", gradients(rows, width, rows));
    actual.forEach((values, i) => assertClose(values, expected[i], { rtol: 1e-5, atol: 1e-6 }));
  }
});

Deno.test("wasm ReLU and bias gradient - mismatched shapes name themselves", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  assert.throws(
    () => tf.tidy(() => tf.engine().runKernel(RELU_BIAS_GRAD, { dy: tf.zeros([2, 3]), y: tf.zeros([3, 2]) })),
    /expected dy and y float32 of one shape \[B, N\], got dy float32 \[2,3\] and y float32 \[3,2\]/,
  );
});
