/**
 * The kernel set the project gives tfjs's wasm backend, chosen once per backend switch:
 *
 * - always: a one-pass MaxPoolGrad (wasm_max_pool_grad.ts); an Identity that shares instead of
 *   copying (wasm_identity.ts); one-pass Sum and Mean over leading axes (wasm_leading_reduce.ts);
 *   and a fused Adam update (wasm_adam.ts, used by lib/adam.ts);
 * - with a system BLAS: BatchMatMul and the dense layer's _FusedMatMul (wasm_blas_matmul.ts), and
 *   the convolution forward pass, Conv2D and FusedConv2D (wasm_blas_conv2d.ts), in BLAS;
 * - without: wasm's own BatchMatMul, transposing operands first (wasm_transposed_matmul.ts);
 * - the conv2d gradients as im2col products (wasm_conv2d_backprop.ts), which tfjs lacks or runs
 *   as a scalar loop;
 * - with oneDNN as well (onednn.ts, only beside a BLAS): the convolution and both its gradients in
 *   oneDNN (onednn_conv2d.ts), the kernels above as its fallback.
 *
 * tfjs's original kernels are kept, so the choice can change within one process (tests, bench).
 */
import { tf } from "../tf.ts";
import { blasConv2DKernels } from "./wasm_blas_conv2d.ts";
import { blasMatMulKernels } from "./wasm_blas_matmul.ts";
import { im2colBackpropFilter, im2colBackpropInput } from "./wasm_conv2d_backprop.ts";
import { installWasmFusedAdam } from "./wasm_adam.ts";
import { installWasmIdentity } from "./wasm_identity.ts";
import { installWasmMaxPoolGrad } from "./wasm_max_pool_grad.ts";
import { installWasmLeadingReduce } from "./wasm_leading_reduce.ts";
import { transposingMatMul } from "./wasm_transposed_matmul.ts";
import type { SystemBlas } from "./system_blas.ts";
import type { OneDnn } from "./onednn.ts";
import { type Conv2DKernels, oneDnnConv2DKernels } from "./onednn_conv2d.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
const REPLACED = [
  "BatchMatMul",
  "_FusedMatMul",
  "Transpose",
  "Conv2D",
  "FusedConv2D",
  "Conv2DBackpropInput",
  "Conv2DBackpropFilter",
] as const;
type Replaced = typeof REPLACED[number];
let originals: Partial<Record<Replaced, tf.KernelConfig>> | undefined;

/**
 * Registers `kernelFunc` under wasm's own config for `kernelName`, if it has one: its setupFunc
 * binds the wasm function that the original kernel (which the replacements may call) needs.
 */
function replace(kernelName: Replaced, kernelFunc: KernelFunc): void {
  if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({ ...(originals![kernelName] ?? { kernelName, backendName: "wasm" }), kernelFunc });
}

export function configureWasmKernels({ blas, onednn }: { blas: SystemBlas | null; onednn?: OneDnn | null }): void {
  if (!originals) { // the first call: keep tfjs's kernels, install the ones every kernel set shares
    originals = Object.fromEntries(
      REPLACED.flatMap((name) => {
        const kernel = tf.getKernel(name, "wasm"); // tfjs has no Conv2DBackpropFilter for wasm
        return kernel ? [[name, { ...kernel }]] : [];
      }),
    );
    installWasmMaxPoolGrad();
    installWasmIdentity();
    installWasmFusedAdam();
    installWasmLeadingReduce();
  }
  const original = (name: Replaced) => originals![name]!.kernelFunc;
  let conv: Conv2DKernels = {
    conv2D: original("Conv2D"),
    fusedConv2D: original("FusedConv2D"),
    backpropInput: im2colBackpropInput,
    backpropFilter: im2colBackpropFilter,
  };
  if (blas) {
    const { batchMatMul, fusedMatMul } = blasMatMulKernels(blas, original("_FusedMatMul"));
    replace("BatchMatMul", batchMatMul);
    replace("_FusedMatMul", fusedMatMul);
    conv = { ...conv, ...blasConv2DKernels(blas, original("FusedConv2D")) };
    if (onednn) conv = oneDnnConv2DKernels(onednn, conv);
  } else {
    replace("BatchMatMul", transposingMatMul(original("BatchMatMul"), original("Transpose")));
    replace("_FusedMatMul", original("_FusedMatMul"));
  }
  replace("Conv2D", conv.conv2D);
  replace("FusedConv2D", conv.fusedConv2D);
  replace("Conv2DBackpropInput", conv.backpropInput);
  replace("Conv2DBackpropFilter", conv.backpropFilter);
}
