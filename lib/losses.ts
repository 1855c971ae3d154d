/**
 * Losses as pure functions of tensors. Call them inside `tf.tidy` (or an optimizer's minimize
 * closure) so that their intermediates are freed.
 */
import { type Tensor, tf } from "./tf.ts";

/**
 * Bernoulli negative log-likelihood of `targets` in [0, 1] under `logits`, summed over every
 * element: PyTorch's binary_cross_entropy_with_logits(reduction="sum"), in its stable form
 * max(l, 0) - l*x + log(1 + exp(-|l|)).
 */
export function bceWithLogitsSum(logits: Tensor, targets: Tensor): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(targets, logits, undefined, 0, tf.Reduction.SUM) as tf.Scalar;
}

/**
 * KL(N(mu, exp(logVar)) || N(0, I)), summed over latent dimensions and the batch: the closed
 * form -1/2 * sum(1 + logVar - mu^2 - exp(logVar)) of Kingma and Welling (2014), appendix B.
 */
export function gaussianKlSum(mu: Tensor, logVar: Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar))))));
}
