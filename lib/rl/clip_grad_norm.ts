/**
 * Gradient clipping by global norm, as PyTorch's `nn.utils.clip_grad_norm_` does it (and with it
 * Stable-Baselines3's `max_grad_norm` and CleanRL's): every gradient is scaled by
 * min(1, maxNorm / (||g|| + 1e-6)), where ||g|| is the L2 norm of all the gradients together.
 * tfjs optimizers have no such option, so agents compute gradients with `tf.variableGrads`,
 * clip them here and hand them to `optimizer.applyGradients`. On wasm and blas the clipping is one
 * kernel (lib/kernels/wasm_clip_grad_norm.ts), with the same numbers as the composition below.
 */
import { CLIP_GRAD_NORM, type ClipGradNormAttrs } from "../kernels/wasm_clip_grad_norm.ts";
import { tf } from "../tf.ts";

/** The clipped gradients (new tensors, same names and order) and the norm before clipping. */
export function clipGradNorm(
  grads: tf.NamedTensorMap,
  maxNorm: number,
): { grads: tf.NamedTensorMap; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new Error(`clipGradNorm: maxNorm must be positive, got ${maxNorm}`);
  const names = Object.keys(grads);
  if (tf.getKernel(CLIP_GRAD_NORM, tf.getBackend())) { // wasm, blas: one kernel, the same numbers
    const inputs = Object.fromEntries(names.map((name, i) => [`g${i}`, grads[name]]));
    const attrs: ClipGradNormAttrs = { maxNorm };
    const out = tf.engine().runKernel(CLIP_GRAD_NORM, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { grads: Object.fromEntries(names.map((name, i) => [name, out[i]])), norm: out[names.length] as tf.Scalar };
  }
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(names.map((name) => tf.sum(tf.square(grads[name]))))) as tf.Scalar;
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))); // PyTorch's clip_coef_clamped
    const clipped: tf.NamedTensorMap = {};
    for (const name of names) clipped[name] = tf.mul(grads[name], scale);
    return { grads: clipped, norm };
  });
}
