/**
 * The figures an RL comparison reports, after rliable (Agarwal et al., 2021): per setting, each
 * seed's final evaluation (its score: what the run ends with) and its best one (what it reached;
 * biased upwards, being a maximum over noisy evaluations), and over the seeds the interquartile
 * mean and the mean, each with a 95% stratified-bootstrap interval (one task per setting, so the
 * plain percentile bootstrap), and the median. Seeded: the page shows the same figures on every load.
 */
import { type Interval, stratifiedBootstrap } from "../../lib/stats/bootstrap.ts";
import { mean, median } from "../../lib/stats/describe.ts";
import { iqmSorted } from "../../lib/stats/iqm.ts";
import type { SeedGroup } from "./seed_groups.ts";

export const EVAL_KEY = "eval/mean_return";
/**
 * rliable's examples draw 50,000 resamples. 10,000, in a fifth of the time, kept the ends of a
 * 10-seed IQM interval within 2.2% of its width of where 200,000 put them (5 score sets, 3
 * bootstrap seeds each).
 */
export const AGGREGATE_BOOTSTRAP = { reps: 10_000, confidence: 0.95, seed: 0 };

export interface SeedScore {
  runId: string;
  final: number;
  finalStep: number;
  best: number;
  bestStep: number;
}

export interface Aggregate {
  iqm: Interval;
  mean: Interval;
  median: number;
}

export interface GroupScores {
  group: SeedGroup;
  seeds: SeedScore[];
  final: Aggregate;
  best: Aggregate;
}

/** A run's evaluations, in step order. */
export type EvalSeries = { step: readonly number[]; value: readonly (number | null)[] };

export function seedScore(runId: string, series: EvalSeries): SeedScore | null {
  let score: SeedScore | null = null;
  for (let i = 0; i < series.step.length; i++) {
    const value = series.value[i], step = series.step[i];
    if (value === null || !Number.isFinite(value)) continue;
    score ??= { runId, final: value, finalStep: step, best: value, bestStep: step };
    [score.final, score.finalStep] = [value, step];
    if (value > score.best) [score.best, score.bestStep] = [value, step];
  }
  return score;
}

export function aggregate(scores: readonly number[]): Aggregate {
  return {
    iqm: stratifiedBootstrap([scores], ([sorted]) => iqmSorted(sorted), AGGREGATE_BOOTSTRAP),
    mean: stratifiedBootstrap([scores], ([sorted]) => mean(sorted), AGGREGATE_BOOTSTRAP),
    median: median(scores),
  };
}

/** The groups with at least one evaluated run; a run without evaluations is left out of its group's figures. */
export function groupScores(groups: readonly SeedGroup[], seriesOf: (runId: string) => EvalSeries | undefined) {
  return groups.flatMap((group): GroupScores[] => {
    const seeds = group.runIds.flatMap((id) => {
      const series = seriesOf(id), score = series && seedScore(id, series);
      return score ? [score] : [];
    });
    if (!seeds.length) return [];
    return [{
      group,
      seeds,
      final: aggregate(seeds.map((s) => s.final)),
      best: aggregate(seeds.map((s) => s.best)),
    }];
  });
}
