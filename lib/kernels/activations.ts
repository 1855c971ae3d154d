/** The epilogue of the project's fused kernels (_FusedMatMul, FusedConv2D): bias, then activation. */
import type { tf } from "../tf.ts";
import { biasActivation, isDenseActivation } from "./wasm_dense.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";

/**
 * The activations of tfjs's fused kernels that dense.wat does not apply, elementwise, after its bias
 * pass. (It applies linear and ReLU, as these do, and tanh, which is not a tfjs fused activation:
 * lib/rl/dense_stack.ts asks for it on blas.)
 */
const TYPESCRIPT_ACTIVATIONS: Record<string, (x: number, alpha: number) => number> = {
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  leakyrelu: (x, alpha) => (x > 0 ? x : alpha * x),
  elu: (x) => (x >= 0 ? x : Math.exp(x) - 1),
};

/** Whether biasAndActivation applies `activation`; the fused kernels hand the others to tfjs's. */
export const fusedActivation = (activation: string): boolean =>
  isDenseActivation(activation) || Object.hasOwn(TYPESCRIPT_ACTIVATIONS, activation);

/**
 * In place on `out`, rows of `width` values: + bias (one per column), then the activation. Bias,
 * linear, ReLU and tanh in SIMD (dense.wat); the other activations in a TypeScript loop after it.
 */
export function biasAndActivation(
  backend: WasmKernelBackend,
  out: tf.TensorInfo,
  width: number,
  bias: tf.TensorInfo | undefined,
  activation: string,
  alpha: number,
): void {
  if (isDenseActivation(activation)) return biasActivation(backend, out, width, bias, activation);
  if (bias) biasActivation(backend, out, width, bias, "linear");
  applyActivation(backend.typedArrayFromHeap(out), TYPESCRIPT_ACTIVATIONS[activation], alpha);
}

// A function of its own: V8 optimises a hot loop inside a longer function by on-stack replacement
// and drops that code at the loop's exit.
function applyActivation(values: Float32Array, apply: (x: number, alpha: number) => number, alpha: number) {
  for (let i = 0; i < values.length; i++) values[i] = apply(values[i], alpha);
}
