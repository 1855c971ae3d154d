/**
 * The wasm backend's BatchMatMul is about 15x slower with transposeA or transposeB than without
 * (its XNNPACK path only takes plain row-major operands), and every dense layer's gradient
 * multiplies by a transpose. This wraps the kernel: a transposed operand is first materialised
 * with the wasm Transpose kernel (one cheap pass over memory), then the fast untransposed kernel
 * runs. Results are identical up to float rounding order; tests compare against the cpu backend.
 */
import { tf } from "../tf.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type TensorInfo = tf.TensorInfo;

/** Wraps wasm's own BatchMatMul (`original`) so that transposed operands are materialised first. */
export function transposingMatMul(original: KernelFunc, transposeFunc: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const swapLast = (x: TensorInfo): TensorInfo => {
      const perm = x.shape.map((_, i) => i);
      const rank = perm.length;
      [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
      return transposeFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
    };
    const a = transposeA ? swapLast(inputs.a as TensorInfo) : inputs.a as TensorInfo;
    const b = transposeB ? swapLast(inputs.b as TensorInfo) : inputs.b as TensorInfo;
    try {
      return original({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      const disposer = backend as unknown as { disposeData(id: unknown): void };
      if (transposeA) disposer.disposeData(a.dataId);
      if (transposeB) disposer.disposeData(b.dataId);
    }
  };
}
