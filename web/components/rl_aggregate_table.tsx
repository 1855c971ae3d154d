/**
 * The RL figures per setting (web/shared/rl_aggregates.ts): IQM and mean of the seeds' final
 * evaluations with 95% bootstrap intervals, the median, the same of their best evaluations, and
 * each seed's final and best, for the results table of a paper.
 */
import type { Interval } from "../../lib/stats/bootstrap.ts";
import { formatTick, formatValue } from "../shared/format.ts";
import { AGGREGATE_BOOTSTRAP, EVAL_KEY, type GroupScores } from "../shared/rl_aggregates.ts";

const withInterval = (i: Interval) => (
  <>
    {formatValue(i.estimate)} <span class="dim">[{formatValue(i.low)}, {formatValue(i.high)}]</span>
  </>
);

export function RlAggregateTable({ rows, counts, seedNames }: {
  rows: GroupScores[];
  /** "n=5 seeds", by group key */
  counts: Record<string, string>;
  /** "seed 3", by run id */
  seedNames: Record<string, string>;
}) {
  return (
    <section class="aggregates" data-testid="rl-aggregates">
      <h2>
        Evaluation <span class="mono small">{EVAL_KEY}</span>
      </h2>
      <table class="runs">
        <thead>
          <tr>
            <th>setting</th>
            <th>final: IQM [95% CI]</th>
            <th>final: mean [95% CI]</th>
            <th>final: median</th>
            <th>best: IQM [95% CI]</th>
            <th>per seed: final @ step (best @ step)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ group, seeds, final, best }) => (
            <tr key={group.key}>
              <td>
                {group.label} <span class="dim">{counts[group.key]}</span>
              </td>
              <td class="mono">{withInterval(final.iqm)}</td>
              <td class="mono">{withInterval(final.mean)}</td>
              <td class="mono">{formatValue(final.median)}</td>
              <td class="mono">{withInterval(best.iqm)}</td>
              <td class="mono small">
                {seeds.map((s) => (
                  <div key={s.runId}>
                    {seedNames[s.runId]}: {formatValue(s.final)} @ {formatTick(s.finalStep)}{" "}
                    <span class="dim">(best {formatValue(s.best)} @ {formatTick(s.bestStep)})</span>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="small dim">
        Final: each seed's last evaluation; best: its highest (an optimistic figure, the maximum of noisy evaluations).
        IQM: the mean of the middle 50% of seeds (floor(n/4) cut from each end, as rliable's{" "}
        <span class="mono">aggregate_iqm</span>; with fewer than 4 seeds it is the mean). Intervals: percentile
        bootstrap over seeds, {AGGREGATE_BOOTSTRAP.reps.toLocaleString("en")} resamples, seed {AGGREGATE_BOOTSTRAP.seed}
        {" "}
        (Agarwal et al., 2021).
      </p>
    </section>
  );
}
