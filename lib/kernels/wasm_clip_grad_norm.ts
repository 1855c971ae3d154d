/**
 * Gradient clipping by global norm (lib/rl/clip_grad_norm.ts) as one kernel for tfjs's wasm
 * backend: inputs the gradients g0, g1, ...; outputs each gradient scaled by
 * min(1, maxNorm / (||g|| + 1e-6)), then the norm ||g||. tfjs composes it from 5 kernels per
 * gradient plus 5 (23 for an MLP's six weights), most of them on a handful of floats.
 *
 * The arithmetic is that of the composition, in float32 and in the same order (a Square, a
 * sequential Sum per gradient, AddN, Sqrt, Add, RealDiv, Minimum, Multiply), so the clipped
 * gradients are bit for bit the same; tests/lib/kernels/wasm_clip_grad_norm_test.ts checks it. The
 * passes over the gradients are dense.wat's (wasm_dense.ts): the sum in order, the scaling in SIMD.
 */
import { tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";
import { scaleInto, sumOfSquares } from "./wasm_dense.ts";

export const CLIP_GRAD_NORM = "TflabClipGradNorm";

export interface ClipGradNormAttrs {
  maxNorm: number;
}

const f32 = Math.fround;

export const clipGradNorm: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { maxNorm } = attrs as unknown as ClipGradNormAttrs;
  const grads = Object.keys(inputs).map((_, i) => {
    const g = inputs[`g${i}`];
    if (g?.dtype !== "float32") {
      throw new Error(`${CLIP_GRAD_NORM}: expected float32 inputs g0, g1, ..., got ${g?.dtype} for g${i}`);
    }
    return g;
  });
  const wasm = backend as unknown as WasmKernelBackend;
  const outputs = [...grads.map((g) => wasm.makeOutput(g.shape, "float32")), wasm.makeOutput([], "float32")];
  let squares = 0;
  for (const g of grads) squares = f32(squares + sumOfSquares(backend, g));
  const norm = f32(Math.sqrt(squares));
  const scale = Math.min(1, f32(f32(maxNorm) / f32(norm + f32(1e-6))));
  grads.forEach((g, i) => scaleInto(backend, g, outputs[i], scale));
  wasm.typedArrayFromHeap(outputs[grads.length])[0] = norm;
  return outputs;
};
