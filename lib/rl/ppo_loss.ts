/**
 * The PPO objective (Schulman et al., 2017) as CleanRL's ppo.py computes it, for one minibatch:
 *
 *   ratio = exp(logp_new - logp_old)
 *   policy loss = mean(max(-A * ratio, -A * clip(ratio, 1 - clipCoef, 1 + clipCoef)))
 *   value loss  = 0.5 * mean((V - returns)^2)            (clipped around the old values if asked)
 *   loss        = policy loss - entCoef * entropy + vfCoef * value loss
 *
 * with advantages normalised per minibatch, and approx_kl = mean((ratio - 1) - log ratio)
 * (Schulman's low-variance estimator) reported alongside.
 */
import { type Tensor, tf } from "../tf.ts";

export interface PpoBatch {
  newLogProb: Tensor; // [B]
  oldLogProb: Tensor; // [B]
  advantages: Tensor; // [B]
  newValues: Tensor; // [B]
  oldValues: Tensor; // [B]
  returns: Tensor; // [B]
  entropy: Tensor; // [B] or scalar
}

export interface PpoCoefficients {
  clipCoef: number;
  entCoef: number;
  vfCoef: number;
  clipValueLoss: boolean;
  normAdvantages: boolean;
}

export interface PpoLosses {
  /** policy loss - entCoef * entropy + vfCoef * value loss: what the optimiser minimises */
  loss: tf.Scalar;
  policyLoss: Tensor;
  valueLoss: Tensor;
  entropy: Tensor;
  approxKl: Tensor;
  /** the fraction of the batch whose ratio lies outside [1 - clipCoef, 1 + clipCoef] */
  clipFraction: Tensor;
}

/**
 * The loss of one minibatch, and the diagnostics CleanRL logs with it.
 *
 * Exercise ppo-clipped-objective: compute every term of the header's formulas, each a scalar.
 * Hints:
 * - Work with log-probabilities: ratio = exp(newLogProb - oldLogProb).
 * - The objective is pessimistic: of the clipped and unclipped terms, the loss takes the larger
 *   (tf.maximum of the negated objectives), so a ratio that has moved too far earns nothing more
 *   and its gradient is 0. tf.clipByValue clips.
 * - With normAdvantages, subtract the minibatch mean and divide by its standard deviation
 *   (tf.moments; add 1e-8) before anything else uses the advantages.
 * - The clipped value loss clips V - V_old to [-clipCoef, clipCoef] and takes the larger error.
 * - The entropy is subtracted (a bonus for exploring); wrap everything in tf.tidy.
 */
export function ppoLoss(b: PpoBatch, c: PpoCoefficients): PpoLosses {
  // @exercise ppo-clipped-objective 15
  return tf.tidy(() => {
    const logRatio = tf.sub(b.newLogProb, b.oldLogProb);
    const ratio = tf.exp(logRatio);
    let advantages = b.advantages;
    if (c.normAdvantages) {
      const { mean, variance } = tf.moments(advantages);
      advantages = tf.div(tf.sub(advantages, mean), tf.add(tf.sqrt(variance), 1e-8));
    }
    const unclipped = tf.mul(tf.neg(advantages), ratio);
    const clipped = tf.mul(tf.neg(advantages), tf.clipByValue(ratio, 1 - c.clipCoef, 1 + c.clipCoef));
    const policyLoss = tf.mean(tf.maximum(unclipped, clipped));

    const valueError = tf.square(tf.sub(b.newValues, b.returns));
    const valueLoss = c.clipValueLoss
      ? tf.mul(
        0.5,
        tf.mean(tf.maximum(
          valueError,
          tf.square(tf.sub(
            tf.add(b.oldValues, tf.clipByValue(tf.sub(b.newValues, b.oldValues), -c.clipCoef, c.clipCoef)),
            b.returns,
          )),
        )),
      )
      : tf.mul(0.5, tf.mean(valueError));
    const entropy = tf.mean(b.entropy);
    const loss = tf.add(tf.sub(policyLoss, tf.mul(c.entCoef, entropy)), tf.mul(c.vfCoef, valueLoss)) as tf.Scalar;
    const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
    const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clipCoef), "float32"));
    return { loss, policyLoss, valueLoss, entropy, approxKl, clipFraction };
  });
  // @end-exercise
}
