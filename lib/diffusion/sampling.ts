/**
 * The DDPM forward process and the two reverse samplers, on images in [-1, 1]:
 *
 * - q_sample: x_t = sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) eps (Ho et al., 2020, eq. 4).
 * - DDPM step (Ho et al., algorithm 2, as their code and the Keras DDPM example run it): predict
 *   x_0 from the noise estimate, optionally clip it to [-1, 1], and draw x_{t-1} from the posterior
 *   q(x_{t-1} | x_t, x_0) = N(c0 x_0 + ct x_t, beta-tilde_t I), beta-tilde_t = beta_t (1 - abar_{t-1}) / (1 - abar_t).
 *   Unclipped, this is algorithm 2's 1/sqrt(alpha_t) (x_t - beta_t / sqrt(1 - abar_t) eps) + sigma_t z.
 * - DDIM step (Song, Meng and Ermon, 2021, eq. 12): x_prev = sqrt(abar_prev) x_0 + sqrt(1 - abar_prev
 *   - sigma^2) eps + sigma z with sigma = eta sqrt((1 - abar_prev) / (1 - abar_t)) sqrt(1 - abar_t / abar_prev);
 *   eta = 0 is deterministic, eta = 1 over every step is DDPM.
 */
import type { Rng } from "../rng.ts";
import { type Tensor, tf } from "../tf.ts";
import { alphaBarBefore, type NoiseSchedule, samplingTimesteps } from "./schedule.ts";

/**
 * x_t for clean images `x0` [B, H, W, C], per-example steps `t` [B] (int32) and noise `eps` like x0.
 *
 * Exercise ddpm-forward: return x_t = sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) eps, a tensor
 * shaped like x0, each example noised to its own step t (Ho et al., 2020, eq. 4): the closed form
 * that lets training jump to any step without running the chain.
 * Hints:
 * - schedule.alphaBars[t] is alpha-bar_t for t = 0 .. T-1 (plain numbers); tf.gather picks one
 *   per example from a 1-D tensor of them, indexed by `t`.
 * - Reshape the per-example factors to [B, 1, 1, 1] so that they broadcast over each image.
 * - Check yourself: with eps = 0, x_t is x0 times sqrt(alpha-bar_t); at t = 0 it is almost x0.
 */
export function qSample(schedule: NoiseSchedule, x0: Tensor, { t, eps }: { t: Tensor; eps: Tensor }): Tensor {
  // @exercise ddpm-forward 10
  return tf.tidy(() => {
    const shape = [-1, ...x0.shape.slice(1).map(() => 1)]; // [B, 1, 1, 1]
    const signal = tf.reshape(tf.gather(Float32Array.from(schedule.alphaBars, Math.sqrt), t), shape);
    const noise = tf.reshape(tf.gather(Float32Array.from(schedule.alphaBars, (a) => Math.sqrt(1 - a)), t), shape);
    return tf.add(tf.mul(signal, x0), tf.mul(noise, eps)); // [B, H, W, C]
  });
  // @end-exercise
}

/** x_0 as the noise estimate implies it, (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t), clipped to [-1, 1] if asked. */
function predictX0(xt: Tensor, epsHat: Tensor, alphaBar: number, clip: boolean): Tensor {
  const x0 = tf.div(tf.sub(xt, tf.mul(epsHat, Math.sqrt(1 - alphaBar))), Math.sqrt(alphaBar));
  return clip ? tf.clipByValue(x0, -1, 1) : x0;
}

export interface StepInputs {
  /** the current images x_t [B, H, W, C] */
  xt: Tensor;
  /** the network's noise estimate eps(x_t, t), like xt */
  epsHat: Tensor;
  /** the step index of xt, 0..T-1 */
  t: number;
  /** standard normal noise like xt; not read where the step adds none */
  z?: Tensor;
  /** clip the predicted x_0 to the data range [-1, 1] (Ho et al.'s code and the Keras example do) */
  clip?: boolean;
}

/** One ancestral DDPM step x_t -> x_{t-1}; at t = 0 it returns the posterior mean, adding no noise. */
export function ddpmStep(schedule: NoiseSchedule, { xt, epsHat, t, z, clip = true }: StepInputs): Tensor {
  const [beta, alpha, alphaBar] = [schedule.betas[t], schedule.alphas[t], schedule.alphaBars[t]];
  const alphaBarPrev = alphaBarBefore(schedule, t);
  return tf.tidy(() => {
    const x0 = predictX0(xt, epsHat, alphaBar, clip); // [B, H, W, C]
    const c0 = (beta * Math.sqrt(alphaBarPrev)) / (1 - alphaBar);
    const ct = ((1 - alphaBarPrev) * Math.sqrt(alpha)) / (1 - alphaBar);
    const mean = tf.add(tf.mul(x0, c0), tf.mul(xt, ct));
    if (t === 0) return mean;
    if (!z) throw new Error(`ddpmStep: step ${t} > 0 adds noise, but no z was given`);
    return tf.add(mean, tf.mul(z, Math.sqrt((beta * (1 - alphaBarPrev)) / (1 - alphaBar))));
  });
}

/** DDIM's sigma for a jump t -> tPrev (tPrev = -1: to x_0); 0 when eta = 0. */
export function ddimSigma(schedule: NoiseSchedule, { t, tPrev, eta }: { t: number; tPrev: number; eta: number }) {
  const [alphaBar, alphaBarPrev] = [schedule.alphaBars[t], alphaBarBefore(schedule, tPrev + 1)];
  return eta * Math.sqrt((1 - alphaBarPrev) / (1 - alphaBar)) * Math.sqrt(1 - alphaBar / alphaBarPrev);
}

/** One DDIM step x_t -> x_tPrev (tPrev = -1 gives x_0); noise z is read only when sigma > 0. */
export function ddimStep(
  schedule: NoiseSchedule,
  { xt, epsHat, t, tPrev, eta, z, clip = true }: StepInputs & { tPrev: number; eta: number },
): Tensor {
  const [alphaBar, alphaBarPrev] = [schedule.alphaBars[t], alphaBarBefore(schedule, tPrev + 1)];
  const sigma = ddimSigma(schedule, { t, tPrev, eta });
  return tf.tidy(() => {
    const x0 = predictX0(xt, epsHat, alphaBar, clip); // [B, H, W, C]
    // The noise direction implied by the (clipped) x_0, so that x_t = sqrt(abar) x_0 + sqrt(1 - abar) eps holds.
    const eps = clip ? tf.div(tf.sub(xt, tf.mul(x0, Math.sqrt(alphaBar))), Math.sqrt(1 - alphaBar)) : epsHat;
    const direction = tf.mul(eps, Math.sqrt(Math.max(0, 1 - alphaBarPrev - sigma * sigma)));
    const mean = tf.add(tf.mul(x0, Math.sqrt(alphaBarPrev)), direction);
    if (sigma === 0) return mean;
    if (!z) throw new Error(`ddimStep: sigma ${sigma} > 0 adds noise, but no z was given`);
    return tf.add(mean, tf.mul(z, sigma));
  });
}

export interface SampleOptions {
  /** the network: noise estimate for images x [B, H, W, C] at step t (a scalar step for the whole batch) */
  predictNoise: (x: Tensor, t: number) => Tensor;
  /** the starting noise x_T [B, H, W, C] (kept; the caller disposes it) */
  xT: Tensor;
  /** sampler steps: T is the full DDPM chain, fewer is DDIM with `eta` */
  steps: number;
  /** DDIM's eta (ignored by the full DDPM chain) */
  eta: number;
  /** seeds the noise of each step */
  rng: Rng;
  /** how many of the intermediate images to return, evenly spaced over the chain (0: none) */
  record?: number;
  clip?: boolean;
}

/**
 * Runs the reverse chain from x_T; returns x_0 [B, H, W, C] and, if `record` > 0, that many
 * intermediate images from x_T to x_0 (the denoising trajectory), each [B, H, W, C].
 */
export function sample(schedule: NoiseSchedule, options: SampleOptions): { x0: Tensor; trajectory: Tensor[] } {
  const { predictNoise, xT, steps, eta, rng, record = 0, clip = true } = options;
  const timesteps = samplingTimesteps(schedule, steps);
  const ddpm = steps === schedule.steps;
  // Trajectory frames: after sampler steps evenly spaced over the chain, x_T as the first.
  const keepAfter = new Set(
    Array.from({ length: Math.max(record - 1, 0) }, (_, i) => Math.round(((i + 1) * steps) / (record - 1)) - 1),
  );
  const trajectory = record > 0 ? [tf.clone(xT)] : [];
  let x = tf.clone(xT);
  timesteps.forEach((t, i) => {
    const tPrev = i + 1 < steps ? timesteps[i + 1] : -1;
    const next = tf.tidy(() => {
      const epsHat = predictNoise(x, t);
      const noisy = ddpm ? t > 0 : ddimSigma(schedule, { t, tPrev, eta }) > 0;
      const z = noisy ? tf.randomNormal(x.shape, 0, 1, "float32", rng.nextUint32()) : undefined;
      return ddpm
        ? ddpmStep(schedule, { xt: x, epsHat, t, z, clip })
        : ddimStep(schedule, { xt: x, epsHat, t, tPrev, eta, z, clip });
    });
    x.dispose();
    x = next;
    if (keepAfter.has(i)) trajectory.push(tf.clone(x));
  });
  return { x0: x, trajectory };
}
