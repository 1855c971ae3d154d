/**
 * Exp, Log1p and Tanh for blas in SIMD (unary.wat): within 2 ulp of the exact values (tested
 * against Math's), where wasm's own kernels call scalar expf, log1pf and tanhf, 9 to 30 ns a value
 * here against about 1 to 6. They round otherwise than wasm's, so they are blas's only
 * (wasm_kernels.ts), beside its BLAS products, which round otherwise too.
 */
import { tf } from "../tf.ts";
import { UNARY_WASM } from "./wasm_unary_module.ts";
import { exportsIn, heapAddress, heapMemory, type WasmKernelBackend } from "./wasm_heap.ts";

/** unary.wat's operations, by the kernels they replace. */
export const SIMD_UNARY = { Exp: 0, Log1p: 1, Tanh: 2 } as const;

/** The kernel `name` for float32 tensors; others (int32 inputs) go to `original`, tfjs's kernel. */
export function simdUnary(
  name: keyof typeof SIMD_UNARY,
  original: tf.KernelConfig["kernelFunc"],
): tf.KernelConfig["kernelFunc"] {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== "float32") return original(args);
    const wasm = args.backend as unknown as WasmKernelBackend;
    const out = wasm.makeOutput(x.shape, "float32");
    const count = tf.util.sizeFromShape(x.shape);
    if (count === 0) return out;
    const unary = exportsIn(heapMemory(wasm), UNARY_WASM).unary as (...args: number[]) => void;
    unary(heapAddress(wasm, x), heapAddress(wasm, out), count, SIMD_UNARY[name]);
    return out;
  };
}
