/**
 * Gradient clipping by global norm, as PyTorch's `nn.utils.clip_grad_norm_` does it (and with it
 * Stable-Baselines3's `max_grad_norm` and CleanRL's): every gradient is scaled by
 * min(1, maxNorm / (||g|| + 1e-6)), where ||g|| is the L2 norm of all the gradients together.
 * tfjs optimizers have no such option, so agents compute gradients with `tf.variableGrads`,
 * clip them here and hand them to `optimizer.applyGradients`.
 */
import { tf } from "../tf.ts";

/** The clipped gradients (new tensors, same names and order) and the norm before clipping. */
export function clipGradNorm(
  grads: tf.NamedTensorMap,
  maxNorm: number,
): { grads: tf.NamedTensorMap; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new Error(`clipGradNorm: maxNorm must be positive, got ${maxNorm}`);
  return tf.tidy(() => {
    const names = Object.keys(grads);
    const norm = tf.sqrt(tf.addN(names.map((name) => tf.sum(tf.square(grads[name]))))) as tf.Scalar;
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))); // PyTorch's clip_coef_clamped
    const clipped: tf.NamedTensorMap = {};
    for (const name of names) clipped[name] = tf.mul(grads[name], scale);
    return { grads: clipped, norm };
  });
}
