/**
 * A dense layer's forward pass as one kernel with a gradient of its own, for blas (used by
 * lib/models/linear.ts). Under a gradient tape tfjs fuses only linear products with their bias
 * (a ReLU layer runs BatchMatMul, Add and Relu, with clones of each saved input), and the fused
 * product's gradient is a custom gradient wrapped in reshapes: about 17 kernels per layer and
 * step. Here: the forward is blas's _FusedMatMul (product, bias and activation in one), the
 * gradient the activation and bias gradient in one kernel (wasm_activation_bias_grad.ts) and the
 * two products, each computed only when the tape asks for it (no product for the input of a first
 * layer). The kernels are those the composition runs, or the project's equivalents that give the
 * same bits, so outputs and gradients equal tfjs-layers' Dense bit for bit
 * (tests/lib/models/linear_test.ts).
 */
import { tf } from "../tf.ts";
import { activationBiasGrads } from "./wasm_activation_bias_grad.ts";
import type { DenseActivation } from "./wasm_dense.ts";

export const DENSE_LAYER = "TflabDenseLayer";

/** The activations are those blas's _FusedMatMul applies in SIMD (dense.wat's). */
export interface DenseLayerAttrs {
  activation: DenseActivation;
}

/** inputs a [B, in], b (the kernel) [in, out], bias [out]; the output y [B, out] is saved for the gradient. */
tf.registerGradient({
  kernelName: DENSE_LAYER,
  inputsToSave: ["a", "b"],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [a, b, y] = saved;
    const { activation } = attrs as unknown as DenseLayerAttrs;
    const [da, db] = activationBiasGrads(dy as tf.Tensor2D, y, activation);
    return {
      a: () => tf.matMul(da, b, false, true),
      b: () => tf.matMul(a, da, true, false),
      bias: () => db,
    };
  },
});
