/**
 * The backward pass through a dense layer's ReLU and bias, as one kernel for tfjs's wasm backend:
 * inputs dy [B, N] (the gradient at the layer's output) and y [B, N] (its output); outputs
 * da = dy * step(y) [B, N], the gradient at the product, and the bias gradient db = sum_rows(da) [N].
 * tfjs takes six kernels for it (Step, Cast, Multiply, Reshape, Sum, Reshape).
 *
 * The arithmetic is theirs, in float32 and the same order (the row sum as wasm_leading_reduce.ts
 * does it: row 0, then each row added in turn), so results are bit for bit the same;
 * tests/lib/kernels/wasm_relu_bias_grad_test.ts checks it. step(y) of ReLU's output equals step of
 * its input: both are 1 where the input is positive, else 0.
 */
import { tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";

export const RELU_BIAS_GRAD = "TflabReluBiasGrad";

export const reluBiasGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend }) => {
  const { dy, y } = inputs as Record<string, tf.TensorInfo>;
  if (dy.shape.length !== 2 || dy.shape.join() !== y.shape.join() || dy.dtype !== "float32" || y.dtype !== "float32") {
    throw new Error(
      `${RELU_BIAS_GRAD}: expected dy and y float32 of one shape [B, N], got dy ${dy.dtype} [${dy.shape}] and ` +
        `y ${y.dtype} [${y.shape}]`,
    );
  }
  const wasm = backend as unknown as WasmKernelBackend;
  const [rows, width] = dy.shape;
  const outputs = [wasm.makeOutput(dy.shape, "float32"), wasm.makeOutput([width], "float32")];
  const [dyv, yv, da, db] = [dy, y, ...outputs].map((t) => wasm.typedArrayFromHeap(t)); // views after the allocations
  for (let i = 0; i < da.length; i++) da[i] = dyv[i] * (yv[i] > 0 ? 1 : yv[i] <= 0 ? 0 : NaN); // tfjs's step(y)
  if (rows === 0) db.fill(0);
  else db.set(da.subarray(0, width));
  for (let row = 1; row < rows; row++) {
    const at = row * width;
    for (let j = 0; j < width; j++) db[j] += da[at + j];
  }
  return outputs;
};
