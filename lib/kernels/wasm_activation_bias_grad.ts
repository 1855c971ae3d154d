/**
 * The backward pass through a dense layer's activation (ReLU or tanh) and bias, as one kernel for
 * tfjs's wasm backend: inputs dy [B, N] (the gradient at the layer's output) and y [B, N] (its
 * output), attribute `activation`; outputs da [B, N], the gradient at the product, and the bias
 * gradient db = sum_rows(da) [N]. tfjs takes six kernels for it with ReLU (Step, Cast, Multiply,
 * Reshape, Sum, Reshape) and six with tanh (Square, Sub, Multiply, Reshape, Sum, Reshape).
 *
 * The arithmetic is theirs, in float32 and the same order: ReLU's da = dy * step(y), tanh's
 * da = (1 - y * y) * dy (tfjs's Tanh gradient, from the output), and the row sum as
 * wasm_leading_reduce.ts does it (row 0, then each row added in turn); so results are bit for bit
 * the same, as tests/lib/kernels/wasm_activation_bias_grad_test.ts checks. step(y) of ReLU's output
 * equals step of its input: both are 1 where the input is positive, else 0. The passes are
 * dense.wat's (wasm_dense.ts), in SIMD.
 */
import { type Tensor, tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";
import { activationBiasGradInto, type DenseActivation } from "./wasm_dense.ts";

export const ACTIVATION_BIAS_GRAD = "TflabActivationBiasGrad";

export interface ActivationBiasGradAttrs {
  activation: "relu" | "tanh";
}

export const activationBiasGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { dy, y } = inputs as Record<string, tf.TensorInfo>;
  const { activation } = attrs as unknown as ActivationBiasGradAttrs;
  if (activation !== "relu" && activation !== "tanh") {
    throw new Error(`${ACTIVATION_BIAS_GRAD}: expected activation relu or tanh, got ${activation}`);
  }
  if (dy.shape.length !== 2 || dy.shape.join() !== y.shape.join() || dy.dtype !== "float32" || y.dtype !== "float32") {
    throw new Error(
      `${ACTIVATION_BIAS_GRAD}: expected dy and y float32 of one shape [B, N], got dy ${dy.dtype} [${dy.shape}] and ` +
        `y ${y.dtype} [${y.shape}]`,
    );
  }
  const wasm = backend as unknown as WasmKernelBackend;
  const [da, db] = [wasm.makeOutput(dy.shape, "float32"), wasm.makeOutput([dy.shape[1]], "float32")];
  activationBiasGradInto(backend, { dy, y, da, db }, activation);
  return [da, db];
};

/**
 * The gradients at a dense layer's product and bias, [da, db], from dy [B, N] at its output y: the
 * kernel above where the backend has it, else tfjs's Relu or Tanh gradient and Add's (a sum over
 * the rows); a linear layer passes dy through.
 */
export function activationBiasGrads(dy: tf.Tensor2D, y: Tensor, activation: DenseActivation): [tf.Tensor2D, Tensor] {
  if (activation === "linear") return [dy, tf.sum(dy, 0)];
  if (tf.getKernel(ACTIVATION_BIAS_GRAD, tf.getBackend())) {
    const attrs: ActivationBiasGradAttrs = { activation };
    return tf.engine().runKernel(ACTIVATION_BIAS_GRAD, { dy, y }, attrs as unknown as tf.NamedAttrMap) as [
      tf.Tensor2D,
      Tensor,
    ];
  }
  const da = activation === "relu"
    ? tf.mul(dy, tf.cast(tf.step(y), "float32")) as tf.Tensor2D
    : tf.mul(tf.sub(1, tf.square(y)), dy) as tf.Tensor2D;
  return [da, tf.reshape(tf.sum(da, 0), [dy.shape[1]])];
}
