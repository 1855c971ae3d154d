import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { uniformInput, valuesOn } from "../../kernel_helpers.ts";

Deno.test("wasm MaxPoolGrad - matches the cpu backend over pool sizes, strides and paddings", async () => {
  configureWasmKernels({ blas: null });
  const cases: { x: number[]; size: number; stride: number; pad: "same" | "valid" }[] = [
    { x: [2, 24, 24, 8], size: 2, stride: 2, pad: "valid" }, // the mnist_cnn's pool
    { x: [2, 9, 9, 3], size: 3, stride: 2, pad: "same" },
    { x: [1, 7, 6, 2], size: 3, stride: 1, pad: "valid" }, // overlapping windows
    { x: [1, 5, 5, 1], size: 2, stride: 2, pad: "same" }, // windows past the edge
    { x: [2, 7, 7, 6], size: 3, stride: 2, pad: "same" }, // four channels at a time, then a tail of two
  ];
  for (const { x, size, stride, pad } of cases) {
    const compute = () => {
      const input = uniformInput(x, 1);
      const pooled = tf.maxPool(input as tf.Tensor4D, size, stride, pad);
      const weights = uniformInput(pooled.shape, 2); // a gradient that differs per output
      return [
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, pad), weights)))(input),
      ];
    };
    const [expected] = await valuesOn("cpu", compute);
    const [actual] = await valuesOn("wasm", compute);
    assertClose(actual, expected, { rtol: 1e-6, atol: 1e-6 });
  }
});

Deno.test("wasm MaxPoolGrad - a tie sends the gradient to the first maximum in the window, as the cpu backend", async () => {
  configureWasmKernels({ blas: null });
  const compute = () => [
    tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, "valid")))(tf.ones([1, 2, 2, 1])),
  ];
  const [expected] = await valuesOn("cpu", compute);
  const [actual] = await valuesOn("wasm", compute);
  assert.deepEqual(Array.from(actual), [1, 0, 0, 0]);
  assert.deepEqual(Array.from(actual), Array.from(expected));
});
