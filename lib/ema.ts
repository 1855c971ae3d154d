/**
 * An exponential moving average of weights (Polyak averaging as DDPM uses it: Ho et al., 2020,
 * appendix B, decay 0.9999; the Keras DDPM example 0.999): after every optimiser step,
 * ema <- d * ema + (1 - d) * w. Samples are drawn with the average, which is smoother than the
 * last iterate of a noisy objective.
 *
 * With `warmup`, d = min(decay, (1 + n) / (10 + n)) after n earlier updates, as TensorFlow's
 * ExponentialMovingAverage does with num_updates: a run of a few thousand steps would otherwise
 * sample from an average still weighted towards its untrained start (0.999^2000 = 0.14).
 */
import { tf } from "./tf.ts";

export interface EmaOptions {
  decay: number;
  warmup?: boolean;
}

/** The decay of update number n (0-based). */
export const emaDecay = ({ decay, warmup = false }: EmaOptions, n: number): number =>
  warmup ? Math.min(decay, (1 + n) / (10 + n)) : decay;

export class Ema {
  /** the averaged weights, one per tracked variable under the same name; they start as copies */
  readonly weights: Record<string, tf.Variable>;

  constructor(private readonly source: Record<string, tf.Variable>, readonly options: EmaOptions) {
    if (!(options.decay >= 0 && options.decay < 1)) {
      throw new Error(`Ema: decay must be in [0, 1), got ${options.decay}`);
    }
    this.weights = Object.fromEntries(Object.entries(source).map(([name, w]) => [name, tf.variable(w, false)]));
  }

  /** Update number `n` (0-based; the optimiser step it follows) towards the current weights. */
  update(n: number): void {
    const d = emaDecay(this.options, n);
    tf.tidy(() => {
      for (const [name, average] of Object.entries(this.weights)) {
        average.assign(tf.add(tf.mul(average, d), tf.mul(this.source[name], 1 - d)));
      }
    });
  }

  dispose(): void {
    tf.dispose(Object.values(this.weights));
  }
}
