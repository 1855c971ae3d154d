/**
 * The kernel set the project gives tfjs's wasm backend, chosen once per backend switch:
 *
 * - always: conv2d gradients as im2col products (wasm_conv2d_backprop.ts), which tfjs lacks;
 * - with a system BLAS: BatchMatMul and the dense layer's _FusedMatMul in BLAS (wasm_blas_matmul.ts);
 * - without: wasm's own BatchMatMul, transposing operands first (wasm_transposed_matmul.ts).
 *
 * tfjs's original kernels are kept, so the choice can change within one process (tests, bench).
 */
import { tf } from "../tf.ts";
import { blasMatMulKernels } from "./wasm_blas_matmul.ts";
import { installWasmConv2DBackprop, wasmConv2DBackpropInstalled } from "./wasm_conv2d_backprop.ts";
import { transposingMatMul } from "./wasm_transposed_matmul.ts";
import type { SystemBlas } from "./system_blas.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type Replaced = "BatchMatMul" | "_FusedMatMul" | "Transpose";
let originals: Record<Replaced, tf.KernelConfig> | undefined;

/**
 * Registers `kernelFunc` under wasm's own config for `kernelName`: its setupFunc binds the wasm
 * function that the original kernel (which the replacements may call) needs.
 */
function replace(kernelName: Replaced, kernelFunc: KernelFunc): void {
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({ ...originals![kernelName], kernelFunc });
}

export function configureWasmKernels({ blas }: { blas: SystemBlas | null }): void {
  originals ??= {
    BatchMatMul: { ...tf.getKernel("BatchMatMul", "wasm")! },
    _FusedMatMul: { ...tf.getKernel("_FusedMatMul", "wasm")! },
    Transpose: { ...tf.getKernel("Transpose", "wasm")! },
  };
  if (!wasmConv2DBackpropInstalled()) installWasmConv2DBackprop();
  if (blas) {
    const { batchMatMul, fusedMatMul } = blasMatMulKernels(blas, originals._FusedMatMul.kernelFunc);
    replace("BatchMatMul", batchMatMul);
    replace("_FusedMatMul", fusedMatMul);
  } else {
    replace("BatchMatMul", transposingMatMul(originals.BatchMatMul.kernelFunc, originals.Transpose.kernelFunc));
    replace("_FusedMatMul", originals._FusedMatMul.kernelFunc);
  }
}
