/**
 * Action distributions for policy-gradient agents, as tensors: log-probabilities and entropies of
 * a categorical policy (discrete actions, from logits) and of a diagonal Gaussian policy
 * (continuous actions, from a mean and a state-independent log standard deviation, as in
 * CleanRL's ppo_continuous_action.py).
 */
import { type Tensor, tf } from "../tf.ts";

/** log pi(a|s) for actions [B] (int32) under logits [B, A] -> [B]. */
export function categoricalLogProb(logits: Tensor, actions: Tensor): Tensor {
  return tf.tidy(() => tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(actions, logits.shape[1]!)), 1));
}

/** H(pi(.|s)) = -sum_a p log p for logits [B, A] -> [B]. */
export function categoricalEntropy(logits: Tensor): Tensor {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits);
    return tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), 1));
  });
}

/** Samples actions [B] from logits [B, A]; `seed` makes the draw reproducible. */
export function sampleCategorical(logits: Tensor, seed: number): Tensor {
  return tf.tidy(() => tf.reshape(tf.multinomial(logits as tf.Tensor2D, 1, seed), [-1]));
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log N(a; mean, exp(logStd)^2) summed over action dimensions: actions, mean [B, D], logStd [D] -> [B]. */
export function gaussianLogProb(actions: Tensor, mean: Tensor, logStd: Tensor): Tensor {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(actions, mean), tf.exp(logStd));
    return tf.sum(tf.neg(tf.add(tf.add(tf.mul(0.5, tf.square(z)), logStd), LOG_SQRT_2PI)), 1);
  });
}

/** Entropy of the diagonal Gaussian, the same for every state: logStd [D] -> scalar. */
export function gaussianEntropy(logStd: Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.add(logStd, 0.5 + LOG_SQRT_2PI)) as tf.Scalar);
}
