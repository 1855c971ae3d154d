/**
 * The kernel set the project gives tfjs's wasm backend, chosen once per backend switch:
 *
 * - always: a one-pass MaxPoolGrad (wasm_max_pool_grad.ts); an Identity that shares instead of
 *   copying, and a Cast to the same dtype likewise (wasm_identity.ts); Concat and SplitV as strided
 *   copies (wasm_concat_split.ts); one-pass Sum and Mean over leading axes (wasm_leading_reduce.ts);
 *   GatherV2 as row copies (wasm_gather.ts); a fused Adam update (wasm_adam.ts, used by lib/adam.ts); normalisation + activation with its
 *   gradient (wasm_norm_activation.ts, used by lib/models/norm_activation.ts); and, for DQN's update
 *   in lib/rl/, the Huber loss on the taken actions with its gradient (wasm_td_huber_loss.ts),
 *   clipping by global norm (wasm_clip_grad_norm.ts) and a dense layer's ReLU or tanh and bias
 *   gradients (wasm_activation_bias_grad.ts); for PPO's, a categorical policy's gradient
 *   (wasm_categorical_grad.ts);
 * - with a system BLAS: BatchMatMul and the dense layer's _FusedMatMul (wasm_blas_matmul.ts; the
 *   latter also as the dense layer's kernel with a gradient of its own, wasm_dense_layer.ts), and
 *   the convolution forward pass, Conv2D and FusedConv2D (wasm_blas_conv2d.ts), in BLAS; and Exp,
 *   Log1p and Tanh in SIMD (wasm_unary.ts: within 2 ulp, where wasm's own are scalar), and the
 *   summed Bernoulli log-likelihood of logits with its gradient (wasm_bce_with_logits.ts, for
 *   lib/losses.ts): these round otherwise, so they stay with the backend whose products round
 *   otherwise too, and `wasm` keeps tfjs's numbers;
 *
 * The elementwise passes these kernels share (bias and activation, column sums, clipping's sums)
 * are dense.wat's SIMD (wasm_dense.ts).
 * - without: wasm's own BatchMatMul, transposing operands first (wasm_transposed_matmul.ts);
 * - the conv2d gradients as im2col products (wasm_conv2d_backprop.ts), which tfjs lacks or runs
 *   as a scalar loop;
 * - with oneDNN as well (onednn.ts, only beside a BLAS): the convolution and both its gradients in
 *   oneDNN (onednn_conv2d.ts), the kernels above as its fallback.
 *
 * Each call registers the whole set. tfjs's original kernels are kept: the replacements hand them
 * the cases they do not cover, and `useStockWasmKernels` puts them back, so the choice can change
 * within one process (tests, bench).
 */
import { tf } from "../tf.ts";
import { blasConv2DKernels } from "./wasm_blas_conv2d.ts";
import { blasMatMulKernels } from "./wasm_blas_matmul.ts";
import { im2colConv2DBackprop } from "./wasm_conv2d_backprop.ts";
import { FUSED_ADAM, fusedAdam } from "./wasm_adam.ts";
import { CLIP_GRAD_NORM, clipGradNorm } from "./wasm_clip_grad_norm.ts";
import { ACTIVATION_BIAS_GRAD, activationBiasGrad } from "./wasm_activation_bias_grad.ts";
import { CATEGORICAL_GRAD, categoricalGrad } from "./wasm_categorical_grad.ts";
import { TD_HUBER_LOSS, TD_HUBER_LOSS_GRAD, tdHuberLoss, tdHuberLossGrad } from "./wasm_td_huber_loss.ts";
import { NORM_ACTIVATION, NORM_ACTIVATION_GRAD, normActivation, normActivationGrad } from "./wasm_norm_activation.ts";
import { identity, sharingCast } from "./wasm_identity.ts";
import { concatKernel, splitVKernel } from "./wasm_concat_split.ts";
import { maxPoolGrad } from "./wasm_max_pool_grad.ts";
import { leadingReduce } from "./wasm_leading_reduce.ts";
import { transposingMatMul } from "./wasm_transposed_matmul.ts";
import { simdUnary } from "./wasm_unary.ts";
import {
  BCE_WITH_LOGITS_GRAD,
  BCE_WITH_LOGITS_SUM,
  bceWithLogitsGrad,
  bceWithLogitsSum,
} from "./wasm_bce_with_logits.ts";
import { DENSE_LAYER } from "./wasm_dense_layer.ts";
import { rowGather } from "./wasm_gather.ts";
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
  "MaxPoolGrad",
  "Identity",
  "Cast",
  "Concat",
  "SplitV",
  "Sum",
  "Mean",
  "Tanh",
  "Exp",
  "Log1p",
  "GatherV2",
] as const;
type Replaced = typeof REPLACED[number];
let originals: Partial<Record<Replaced, tf.KernelConfig>> | undefined;
/** the project's own kernels, which tfjs's wasm backend lacks */
const PROJECT_KERNELS = [
  FUSED_ADAM,
  TD_HUBER_LOSS,
  TD_HUBER_LOSS_GRAD,
  CLIP_GRAD_NORM,
  ACTIVATION_BIAS_GRAD,
  CATEGORICAL_GRAD,
  NORM_ACTIVATION,
  NORM_ACTIVATION_GRAD,
  BCE_WITH_LOGITS_SUM,
  BCE_WITH_LOGITS_GRAD,
  DENSE_LAYER,
];
/** the project's kernels that only blas has */
const BLAS_ONLY = [BCE_WITH_LOGITS_SUM, BCE_WITH_LOGITS_GRAD, DENSE_LAYER];
let blasProducts = false;

/**
 * Whether the wasm backend's matrix products run in the system BLAS (the `blas` backend), which
 * broadcasts batch dimensions (wasm's own _FusedMatMul does not) and whose rounding depends on a
 * product's row count.
 */
export const wasmProductsInBlas = (): boolean => tf.getBackend() === "wasm" && blasProducts;

/** tfjs's own wasm kernels, saved before the first replacement. */
function saveOriginals(): Partial<Record<Replaced, tf.KernelConfig>> {
  return originals ??= Object.fromEntries(
    REPLACED.flatMap((name) => {
      const kernel = tf.getKernel(name, "wasm"); // tfjs has no Conv2DBackpropFilter for wasm
      return kernel ? [[name, { ...kernel }]] : [];
    }),
  );
}

/**
 * Registers `kernelFunc` under wasm's own config for `kernelName`, if it has one: its setupFunc
 * binds the wasm function that the original kernel (which the replacements may call) needs.
 */
function replace(kernelName: string, kernelFunc: KernelFunc): void {
  if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
  const original = originals![kernelName as Replaced];
  tf.registerKernel({ ...(original ?? { kernelName, backendName: "wasm" }), kernelFunc });
}

export function configureWasmKernels({ blas, onednn }: { blas: SystemBlas | null; onednn?: OneDnn | null }): void {
  saveOriginals();
  blasProducts = blas !== null;
  const original = (name: Replaced) => originals![name]!.kernelFunc;
  replace("MaxPoolGrad", maxPoolGrad);
  replace("Identity", identity);
  replace("Cast", sharingCast(original("Cast")));
  replace("Concat", concatKernel(original("Concat")));
  replace("SplitV", splitVKernel(original("SplitV")));
  replace("Sum", leadingReduce(original("Sum"), false));
  replace("Mean", leadingReduce(original("Mean"), true));
  replace("GatherV2", rowGather(original("GatherV2")));
  replace(FUSED_ADAM, fusedAdam);
  replace(TD_HUBER_LOSS, tdHuberLoss);
  replace(CLIP_GRAD_NORM, clipGradNorm);
  replace(ACTIVATION_BIAS_GRAD, activationBiasGrad);
  replace(CATEGORICAL_GRAD, categoricalGrad);
  replace(TD_HUBER_LOSS_GRAD, tdHuberLossGrad);
  replace(NORM_ACTIVATION, normActivation);
  replace(NORM_ACTIVATION_GRAD, normActivationGrad);
  let conv: Conv2DKernels = {
    conv2D: original("Conv2D"),
    fusedConv2D: original("FusedConv2D"),
    ...im2colConv2DBackprop(original("Conv2DBackpropInput")),
  };
  if (blas) {
    const { batchMatMul, fusedMatMul } = blasMatMulKernels(blas, {
      batchMatMul: original("BatchMatMul"),
      fusedMatMul: original("_FusedMatMul"),
    });
    replace("BatchMatMul", batchMatMul);
    replace("_FusedMatMul", fusedMatMul);
    replace(DENSE_LAYER, fusedMatMul);
    for (const name of ["Exp", "Log1p", "Tanh"] as const) replace(name, simdUnary(name, original(name)));
    replace(BCE_WITH_LOGITS_SUM, bceWithLogitsSum);
    replace(BCE_WITH_LOGITS_GRAD, bceWithLogitsGrad);
    conv = { ...conv, ...blasConv2DKernels(blas, conv) };
    if (onednn) conv = oneDnnConv2DKernels(onednn, conv);
  } else {
    replace("BatchMatMul", transposingMatMul(original("BatchMatMul"), original("Transpose")));
    replace("_FusedMatMul", original("_FusedMatMul"));
    for (const name of ["Exp", "Log1p", "Tanh"] as const) replace(name, original(name));
    for (const name of BLAS_ONLY) if (tf.getKernel(name, "wasm")) tf.unregisterKernel(name, "wasm");
  }
  replace("Conv2D", conv.conv2D);
  replace("FusedConv2D", conv.fusedConv2D);
  replace("Conv2DBackpropInput", conv.backpropInput);
  replace("Conv2DBackpropFilter", conv.backpropFilter);
}

/** tfjs's wasm backend as shipped: its own kernels back, the project's removed (to compare against). */
export function useStockWasmKernels(): void {
  saveOriginals();
  blasProducts = false;
  for (const name of [...REPLACED, ...PROJECT_KERNELS]) {
    if (tf.getKernel(name, "wasm")) tf.unregisterKernel(name, "wasm");
    const original = originals![name as Replaced];
    if (original) tf.registerKernel(original);
  }
}
