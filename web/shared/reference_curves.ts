/**
 * What a run should look like: a lab's reference curves (references/<lab-id>.json, read by
 * web/references/load_references.ts), placed on a run's step axis and compared with its latest
 * value. Plain data and pure functions, the same on the server and in the browser.
 */

/** The unit of a curve's x values: what the overlaid key's event `step` counts in that lab. */
export type ReferenceUnit = "epoch" | "env_steps" | "episodes";
export const REFERENCE_UNITS: readonly ReferenceUnit[] = ["epoch", "env_steps", "episodes"];

export interface ReferencePoint {
  x: number;
  mean: number;
  /** the band around the mean (the curve's `band` says what it is: seeds' range, a standard deviation) */
  low?: number;
  high?: number;
}

export interface ReferenceCurve {
  /** unique in its file; the README's quotes link to it as references/<lab>.json#<id> */
  id: string;
  /** the legend text: who ran it, how many seeds */
  label: string;
  /** outside: published or measured with another implementation; own: this project's recorded runs */
  kind: "outside" | "own";
  /** the scalar key it overlays, e.g. eval/nelbo */
  metric: string;
  better: "higher" | "lower";
  x: ReferenceUnit;
  /** a sentence: what was run or published, where, on what */
  source: string;
  /** the command that reproduces it, for measured curves */
  command?: string;
  /** where it was published */
  url?: string;
  /** what low and high are, when the points have them */
  band?: string;
  /**
   * the lab's flags (as run.json's config names them) whose values shaped the curve: a run with
   * other values is not judged by it, nor shown it
   */
  config?: Record<string, FlagValue>;
  points: ReferencePoint[];
}

export type FlagValue = string | number | boolean;

/** The first flag of the curve's config that the run's config sets otherwise, or null when the curve applies. */
export function configMismatch(
  curve: ReferenceCurve,
  config: Record<string, unknown>,
): { flag: string; curve: FlagValue; run: unknown } | null {
  for (const [flag, value] of Object.entries(curve.config ?? {})) {
    // A run recorded before a flag existed ran with what is now its default: no mismatch.
    if (flag in config && config[flag] !== value) return { flag, curve: value, run: config[flag] };
  }
  return null;
}

export interface LabReferences {
  lab: string;
  curves: ReferenceCurve[];
}

/** A run's `epoch` scalar: the step at which each epoch ended. */
export interface EpochMarks {
  step: number[];
  value: number[];
}

/**
 * Steps per epoch as the run recorded them: the largest step / epoch over its `epoch` points
 * (exact at every full epoch; a run cut by --max-steps logs its last epoch early). Null before
 * the first epoch ends.
 */
export function stepsPerEpoch(epochs: EpochMarks | undefined): number | null {
  let best = 0;
  for (let i = 0; i < (epochs?.step.length ?? 0); i++) {
    if (epochs!.value[i] > 0) best = Math.max(best, epochs!.step[i] / epochs!.value[i]);
  }
  return best > 0 ? best : null;
}

/** The curve's x values on the run's step axis, or null when they cannot be placed yet (epochs before the first). */
export function curveSteps(curve: ReferenceCurve, epochs: EpochMarks | undefined): number[] | null {
  if (curve.x !== "epoch") return curve.points.map((p) => p.x);
  const perEpoch = stepsPerEpoch(epochs);
  return perEpoch === null ? null : curve.points.map((p) => p.x * perEpoch);
}

/** A run step in the curve's unit (the inverse of curveSteps), or null. */
export function stepInUnit(unit: ReferenceUnit, step: number, epochs: EpochMarks | undefined): number | null {
  if (unit !== "epoch") return step;
  const perEpoch = stepsPerEpoch(epochs);
  return perEpoch === null ? null : step / perEpoch;
}

/**
 * The reference at x, linearly interpolated between its two neighbouring points (mean, low and
 * high each); null outside the curve's first and last x. A single point covers its own x only.
 */
export function referenceAt(curve: ReferenceCurve, x: number): ReferencePoint | null {
  const points = curve.points;
  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  for (let i = 0; i < points.length; i++) {
    const p = points[i], next = points[i + 1];
    if (near(x, p.x)) return { ...p, x };
    if (!next || x < p.x || x > next.x) continue;
    const t = (x - p.x) / (next.x - p.x);
    const mix = (a: number, b: number) => a + t * (b - a);
    const point: ReferencePoint = { x, mean: mix(p.mean, next.mean) };
    // A curve's points all have a band or none has (checked when the file is read).
    if (p.low !== undefined && p.high !== undefined) {
      point.low = mix(p.low, next.low!);
      point.high = mix(p.high, next.high!);
    }
    return point;
  }
  return null;
}

export interface Verdict {
  onTrack: boolean;
  curve: ReferenceCurve;
  /** the reference where the run is, in the curve's unit */
  at: ReferencePoint;
}

/**
 * Whether a run's latest value is on track: against the first of `curves` (in the file's order)
 * that covers the run's x, a value within the band or better than it is on track; without a
 * band, at the mean or better. Null when no curve covers where the run is.
 */
export function verdict(
  curves: ReferenceCurve[],
  latest: { step: number; value: number },
  epochs: EpochMarks | undefined,
): Verdict | null {
  if (!Number.isFinite(latest.value)) return null;
  for (const curve of curves) {
    const x = stepInUnit(curve.x, latest.step, epochs);
    const at = x === null ? null : referenceAt(curve, x);
    if (!at) continue;
    const onTrack = curve.better === "higher"
      ? latest.value >= (at.low ?? at.mean)
      : latest.value <= (at.high ?? at.mean);
    return { onTrack, curve, at };
  }
  return null;
}

/** "epoch 10", "50,000 env steps", "episode 260": where a verdict was taken, for the status line. */
export function formatUnit(unit: ReferenceUnit, x: number): string {
  const n = Number(x.toPrecision(6)).toLocaleString("en-US");
  return unit === "epoch" ? `epoch ${n}` : unit === "episodes" ? `episode ${n}` : `${n} env steps`;
}
