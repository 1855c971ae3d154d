/**
 * Action distributions for policy-gradient agents, as tensors: log-probabilities and entropies of
 * a categorical policy (discrete actions, from logits) and of a diagonal Gaussian policy
 * (continuous actions, from a mean and a state-independent log standard deviation, as in
 * CleanRL's ppo_continuous_action.py).
 */
import { CATEGORICAL_GRAD } from "../kernels/wasm_categorical_grad.ts";
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

/**
 * categoricalLogProb and categoricalEntropy together, as a training step wants them: one
 * logSoftmax, and where the backend has the kernel (wasm, blas) the gradient in one kernel
 * (lib/kernels/wasm_categorical_grad.ts) instead of the tape's; the same numbers either way.
 */
export const categoricalTerms = tf.op({ categoricalTerms_ }) as (
  logits: Tensor,
  actions: Tensor,
) => { logProb: Tensor; entropy: Tensor };

function categoricalTerms_(logits: Tensor, actions: Tensor): { logProb: Tensor; entropy: Tensor } {
  if (!tf.getKernel(CATEGORICAL_GRAD, tf.getBackend())) {
    return { logProb: categoricalLogProb(logits, actions), entropy: categoricalEntropy(logits) };
  }
  const withGradient = tf.customGrad((x, save) => {
    const logP = tf.logSoftmax(x as Tensor); // [B, A]
    const p = tf.exp(logP); // [B, A]
    const logProb = tf.sum(tf.mul(logP, tf.oneHot(actions, logits.shape[1]!)), 1); // [B]
    const entropy = tf.neg(tf.sum(tf.mul(p, logP), 1)); // [B]
    (save as tf.GradSaveFunc)([logP, p]);
    return {
      value: tf.stack([logProb, entropy]), // [2, B]
      gradFunc: (dy, [logP, p]) => tf.engine().runKernel(CATEGORICAL_GRAD, { dy: dy as Tensor, logP, p, actions }),
    };
  });
  const [logProb, entropy] = tf.unstack(withGradient(logits) as Tensor);
  return { logProb, entropy };
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
