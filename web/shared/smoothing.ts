/**
 * Smoothing of scalar curves, computed on the full series (the server smooths before it
 * downsamples) and continued point by point in the browser from a saved state, so a live curve
 * is smoothed exactly as if the whole series had been smoothed at once.
 *
 * - "ema": TensorBoard's debiased exponential moving average. s_t = w s_{t-1} + (1 - w) x_t
 *   starts at 0, so early values are divided by 1 - w^t, the weight the average has gathered.
 * - "mean": a true trailing moving average over the last `window` points.
 */
export type SmoothingMode = "ema" | "mean";

export interface Smoothing {
  mode: SmoothingMode;
  /** ema: weight in [0, 1); mean: window in points (>= 1) */
  amount: number;
}

export const DEFAULT_SMOOTHING: Smoothing = { mode: "ema", amount: 0.6 };

export type SmootherState =
  | { mode: "ema"; weight: number; last: number; count: number }
  | { mode: "mean"; window: number; recent: number[] };

/** A smoother that takes one point at a time; `state` resumes it elsewhere. */
export class Smoother {
  private constructor(private s: SmootherState) {}

  static of(smoothing: Smoothing): Smoother {
    return smoothing.mode === "ema"
      ? new Smoother({ mode: "ema", weight: clampWeight(smoothing.amount), last: 0, count: 0 })
      : new Smoother({ mode: "mean", window: Math.max(1, Math.round(smoothing.amount)), recent: [] });
  }

  static resume(state: SmootherState): Smoother {
    return new Smoother(structuredClone(state));
  }

  get state(): SmootherState {
    return structuredClone(this.s);
  }

  /** The smoothed value after x. Non-finite x (a diverged loss) passes through unsmoothed. */
  push(x: number): number {
    if (!Number.isFinite(x)) return x;
    const s = this.s;
    if (s.mode === "ema") {
      s.last = s.weight * s.last + (1 - s.weight) * x;
      s.count++;
      const debias = 1 - Math.pow(s.weight, s.count);
      return debias > 0 ? s.last / debias : x;
    }
    s.recent.push(x);
    if (s.recent.length > s.window) s.recent.shift();
    return s.recent.reduce((a, b) => a + b, 0) / s.recent.length;
  }
}

const clampWeight = (w: number) => Math.min(Math.max(Number.isFinite(w) ? w : 0, 0), 0.999);

/** Smooths a whole series; the state continues it. */
export function smoothSeries(values: ArrayLike<number>, smoothing: Smoothing): {
  smoothed: number[];
  state: SmootherState;
} {
  const smoother = Smoother.of(smoothing);
  const smoothed = Array.from(values, (v) => smoother.push(v));
  return { smoothed, state: smoother.state };
}

/** "ema:0.6" or "mean:25" <-> Smoothing; bad input gives the default. */
export function parseSmoothing(text: string | null | undefined): Smoothing {
  const [mode, raw] = (text ?? "").split(":");
  const amount = Number(raw);
  if (mode === "ema" && amount >= 0 && amount < 1) return { mode, amount };
  if (mode === "mean" && Number.isInteger(amount) && amount >= 1 && amount <= 10_000) return { mode, amount };
  return DEFAULT_SMOOTHING;
}

export const formatSmoothing = (s: Smoothing): string => `${s.mode}:${s.amount}`;
