/**
 * Losses as pure functions of tensors. Call them inside `tf.tidy` (or an optimizer's minimize
 * closure) so that their intermediates are freed.
 */
import { BCE_WITH_LOGITS_SUM } from "./kernels/wasm_bce_with_logits.ts";
import { type Tensor, tf } from "./tf.ts";

/**
 * Bernoulli negative log-likelihood of `targets` in [0, 1] under `logits`, summed over every
 * element: PyTorch's binary_cross_entropy_with_logits(reduction="sum"), in its stable form
 * max(l, 0) - l*x + log(1 + exp(-|l|)). On blas one kernel each way (like PyTorch's, fused:
 * lib/kernels/wasm_bce_with_logits.ts), elsewhere tfjs's composition.
 */
export function bceWithLogitsSum(logits: Tensor, targets: Tensor): tf.Scalar {
  const fused = tf.getKernel(BCE_WITH_LOGITS_SUM, tf.getBackend());
  if (
    fused && logits.dtype === "float32" && targets.dtype === "float32" &&
    tf.util.arraysEqual(logits.shape, targets.shape)
  ) {
    return tf.engine().runKernel(BCE_WITH_LOGITS_SUM, { logits, targets }) as tf.Scalar;
  }
  return tf.losses.sigmoidCrossEntropy(targets, logits, undefined, 0, tf.Reduction.SUM) as tf.Scalar;
}

/**
 * KL(N(mu, exp(logVar)) || N(0, I)), summed over latent dimensions and the batch: the closed
 * form -1/2 * sum(1 + logVar - mu^2 - exp(logVar)) of Kingma and Welling (2014), appendix B.
 *
 * Exercise vae-kl: return that sum for mu and logVar [B, latent] as a scalar tensor, computed
 * with tf ops so that gradients reach mu and logVar.
 * Hints:
 * - The formula is element-wise; then one sum over every element of the batch (not a mean).
 * - tf.add, tf.sub, tf.mul, tf.square, tf.exp and tf.sum are all it takes; tf.tidy frees the
 *   intermediates.
 * - Check yourself: mu = 0 and logVar = 0 (the posterior is the prior) give exactly 0.
 */
export function gaussianKlSum(mu: Tensor, logVar: Tensor): tf.Scalar {
  // @exercise vae-kl 10
  return tf.tidy(() => tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar))))));
  // @end-exercise
}
