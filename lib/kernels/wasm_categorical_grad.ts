/**
 * The gradient of a categorical policy's log-probabilities and entropies with respect to its
 * logits (lib/rl/policy.ts's categoricalTerms), as one kernel for tfjs's wasm backend: inputs dy
 * [2, B] (the gradients at log pi(a_i|s_i), then at the entropies H_i), logP [B, A] (the logits'
 * log-softmax), p [B, A] (its exp, the probabilities) and actions [B] int32; output dLogits [B, A].
 * Through the gradient tape, tfjs takes about 25 kernels for it, and clones each saved tensor.
 *
 * The arithmetic is that of tfjs's gradients of the composition (categoricalLogProb's
 * sum(logSoftmax * oneHot) and categoricalEntropy's -sum(exp(logSoftmax) * logSoftmax), each with
 * its own logSoftmax), in float32 and in the same order: Sum's, Mul's, Exp's and Neg's gradients,
 * then LogSoftmax's, dy - sum(dy) * exp(logP), once per branch, the two branches added at the
 * logits. So results are bit for bit those of the tape; tests/lib/kernels/wasm_categorical_grad_test.ts
 * checks it. LogSoftmax's gradient needs exp(logP), which is p: the same kernel on the same input.
 */
import { tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";

export const CATEGORICAL_GRAD = "TflabCategoricalGrad";

type TensorInfo = tf.TensorInfo;
const f32 = Math.fround;

export const categoricalGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend }) => {
  const { dy, logP, p, actions } = inputs as Record<string, TensorInfo>;
  const [rows, width] = logP.shape;
  if (
    logP.shape.length !== 2 || p.shape.join() !== logP.shape.join() || dy.shape.join() !== `2,${rows}` ||
    actions.shape.join() !== `${rows}` || actions.dtype !== "int32" ||
    [dy, logP, p].some((t) => t.dtype !== "float32")
  ) {
    throw new Error(
      `${CATEGORICAL_GRAD}: expected dy float32 [2, B], logP and p float32 [B, A], actions int32 [B], got dy ` +
        `${dy.dtype} [${dy.shape}], logP ${logP.dtype} [${logP.shape}], p ${p.dtype} [${p.shape}], actions ` +
        `${actions.dtype} [${actions.shape}]`,
    );
  }
  const wasm = backend as unknown as WasmKernelBackend;
  const out = wasm.makeOutput(logP.shape, "float32");
  const [dyv, lv, pv, dl] = [dy, logP, p, out].map((t) => wasm.typedArrayFromHeap(t)); // views after the allocation
  const av = wasm.typedArrayFromHeap(actions) as unknown as Int32Array;
  const taken = new Float32Array(width), spread = new Float32Array(width); // each branch's grad at its logSoftmax
  for (let i = 0; i < rows; i++) {
    const at = i * width;
    const dLogProb = dyv[i], dEntropy = -dyv[rows + i]; // Neg's gradient
    let sumTaken = 0, sumSpread = 0;
    for (let j = 0; j < width; j++) {
      taken[j] = dLogProb * (j === av[i] ? 1 : 0); // Mul's by the one-hot
      const dp = f32(dEntropy * lv[at + j]); // Mul's, for p
      spread[j] = f32(f32(dEntropy * pv[at + j]) + f32(dp * pv[at + j])); // Mul's for logP, plus Exp's
      sumTaken = f32(sumTaken + taken[j]);
      sumSpread = f32(sumSpread + spread[j]);
    }
    for (let j = 0; j < width; j++) {
      const fromTaken = f32(taken[j] - f32(sumTaken * pv[at + j]));
      const fromSpread = f32(spread[j] - f32(sumSpread * pv[at + j]));
      dl[at + j] = fromSpread + fromTaken;
    }
  }
  return out;
};
