/**
 * The DDPM training objective (Ho et al., 2020, algorithm 1, L_simple): noise clean images to a
 * random step t by q(x_t | x_0) and regress the network's noise estimate on the noise, mean
 * squared error over pixels and batch.
 */
import { predictNoise, type Unet, type UnetWeights } from "../models/unet.ts";
import { type Tensor, tf } from "../tf.ts";
import { qSample } from "./sampling.ts";
import type { NoiseSchedule } from "./schedule.ts";

export interface DiffusionBatch {
  /** clean images [B, 28, 28, 1] in [-1, 1] */
  x0: Tensor;
  /** steps [B] (int32), uniform over 0..T-1 */
  t: Tensor;
  /** the noise eps ~ N(0, I), like x0 */
  eps: Tensor;
}

/** || eps - eps_theta(sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, t) ||^2, averaged. */
export function diffusionLoss(unet: Unet, weights: UnetWeights, schedule: NoiseSchedule, batch: DiffusionBatch) {
  return tf.tidy(() => {
    const xt = qSample(schedule, batch.x0, batch); // [B, 28, 28, 1]
    return tf.mean(tf.squaredDifference(predictNoise(unet, weights, xt, batch.t), batch.eps)) as tf.Scalar;
  });
}

/** One Adam step on the loss over every U-Net weight; returns the loss, not read back. */
export function diffusionTrainStep(
  unet: Unet,
  optimizer: tf.Optimizer,
  { schedule, ...batch }: DiffusionBatch & { schedule: NoiseSchedule },
): tf.Scalar {
  return optimizer.minimize(
    () => diffusionLoss(unet, unet.weights, schedule, batch),
    true,
    Object.values(unet.weights),
  )!;
}
