/**
 * The kernel set the project gives tfjs's wasm backend, chosen once per backend switch:
 *
 * - always: conv2d gradients as im2col products (wasm_conv2d_backprop.ts), which tfjs lacks; a
 *   one-pass MaxPoolGrad (wasm_max_pool_grad.ts); an Identity that shares instead of copying
 *   (wasm_identity.ts); one-pass Sum and Mean over leading axes (wasm_leading_reduce.ts); and a
 *   fused Adam update (wasm_adam.ts, used by lib/adam.ts);
 * - with a system BLAS: BatchMatMul and the dense layer's _FusedMatMul (wasm_blas_matmul.ts), and
 *   the convolution forward pass, Conv2D and FusedConv2D (wasm_blas_conv2d.ts), in BLAS;
 * - without: wasm's own BatchMatMul, transposing operands first (wasm_transposed_matmul.ts).
 *
 * tfjs's original kernels are kept, so the choice can change within one process (tests, bench).
 */
import { tf } from "../tf.ts";
import { blasConv2DKernels } from "./wasm_blas_conv2d.ts";
import { blasMatMulKernels } from "./wasm_blas_matmul.ts";
import { installWasmConv2DBackprop } from "./wasm_conv2d_backprop.ts";
import { installWasmFusedAdam } from "./wasm_adam.ts";
import { installWasmIdentity } from "./wasm_identity.ts";
import { installWasmMaxPoolGrad } from "./wasm_max_pool_grad.ts";
import { installWasmLeadingReduce } from "./wasm_leading_reduce.ts";
import { transposingMatMul } from "./wasm_transposed_matmul.ts";
import type { SystemBlas } from "./system_blas.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
const REPLACED = ["BatchMatMul", "_FusedMatMul", "Transpose", "Conv2D", "FusedConv2D"] as const;
type Replaced = typeof REPLACED[number];
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
  if (!originals) { // the first call: keep tfjs's kernels, install the ones every kernel set shares
    originals = Object.fromEntries(REPLACED.map((name) => [name, { ...tf.getKernel(name, "wasm")! }])) as Record<
      Replaced,
      tf.KernelConfig
    >;
    installWasmConv2DBackprop();
    installWasmMaxPoolGrad();
    installWasmIdentity();
    installWasmFusedAdam();
    installWasmLeadingReduce();
  }
  if (blas) {
    const { batchMatMul, fusedMatMul } = blasMatMulKernels(blas, originals._FusedMatMul.kernelFunc);
    const { conv2D, fusedConv2D } = blasConv2DKernels(blas, originals.FusedConv2D.kernelFunc);
    replace("BatchMatMul", batchMatMul);
    replace("_FusedMatMul", fusedMatMul);
    replace("Conv2D", conv2D);
    replace("FusedConv2D", fusedConv2D);
  } else {
    replace("BatchMatMul", transposingMatMul(originals.BatchMatMul.kernelFunc, originals.Transpose.kernelFunc));
    for (const name of ["_FusedMatMul", "Conv2D", "FusedConv2D"] as const) replace(name, originals[name].kernelFunc);
  }
}
