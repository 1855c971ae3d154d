/**
 * The DDPM noise schedule (Ho et al., 2020, section 4): T steps with beta_t rising linearly from
 * 1e-4 to 0.02, alpha_t = 1 - beta_t, and alpha-bar_t = prod_{s<=t} alpha_s, the fraction of the
 * signal's variance left at step t, so that q(x_t | x_0) = N(sqrt(alpha-bar_t) x_0, (1 - alpha-bar_t) I).
 *
 * Steps are indexed 0..T-1 as in the Keras DDPM example and the paper's official code (the paper's
 * t = 1..T is index t - 1). Kept in float64 JavaScript arrays: the sampling coefficients are
 * computed here once and handed to tfjs as scalars, so float32 rounding does not accumulate in
 * the running product over 1000 steps.
 */

export interface NoiseSchedule {
  /** number of diffusion steps T */
  steps: number;
  betas: Float64Array; // [T]
  alphas: Float64Array; // [T]
  alphaBars: Float64Array; // [T]
}

export interface ScheduleOptions {
  steps?: number;
  betaStart?: number;
  betaEnd?: number;
}

/** The linear schedule; defaults are the paper's T = 1000, beta from 1e-4 to 0.02. */
export function linearSchedule(
  { steps = 1000, betaStart = 1e-4, betaEnd = 0.02 }: ScheduleOptions = {},
): NoiseSchedule {
  if (!Number.isInteger(steps) || steps < 2) {
    throw new Error(`linearSchedule: steps must be an integer >= 2, got ${steps}`);
  }
  if (!(betaStart > 0 && betaStart <= betaEnd && betaEnd < 1)) {
    throw new Error(`linearSchedule: expected 0 < betaStart <= betaEnd < 1, got ${betaStart} and ${betaEnd}`);
  }
  const betas = Float64Array.from({ length: steps }, (_, t) => betaStart + ((betaEnd - betaStart) * t) / (steps - 1));
  const alphas = betas.map((b) => 1 - b);
  const alphaBars = new Float64Array(steps);
  let product = 1;
  for (let t = 0; t < steps; t++) alphaBars[t] = product *= alphas[t];
  return { steps, betas, alphas, alphaBars };
}

/** alpha-bar before step t: alpha-bar_{t-1}, and 1 for t = 0 (nothing has been noised yet). */
export const alphaBarBefore = (schedule: NoiseSchedule, t: number): number => (t > 0 ? schedule.alphaBars[t - 1] : 1);

/**
 * The timesteps a sampler of `count` steps visits, from the noisiest down: every step when count
 * = T (the full DDPM chain), else count evenly spaced ones, floor(i T / count) for i = count-1..0,
 * as DDIM's "uniform" skip (Song et al., 2021, appendix D.2).
 */
export function samplingTimesteps(schedule: NoiseSchedule, count: number): number[] {
  if (!Number.isInteger(count) || count < 1 || count > schedule.steps) {
    throw new Error(`samplingTimesteps: count must be an integer in [1, ${schedule.steps}], got ${count}`);
  }
  return Array.from({ length: count }, (_, i) => Math.floor(((count - 1 - i) * schedule.steps) / count));
}
