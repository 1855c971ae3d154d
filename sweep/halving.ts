/**
 * Successive halving (Jamieson and Talwalkar, 2016; synchronous, as in Li et al.'s ASHA paper
 * without the asynchrony): every setting trains to the first budget; once a rung has settled, the
 * best floor(n / eta) settings (at least one), ranked by the mean headline over their seeds, are
 * continued from their checkpoints to the next budget, and the rest stop there. The next rung is
 * computed from the trials' results alone, so a resumed sweep takes the same decision.
 */
import type { SweepManifest, Trial } from "../lib/sweep/manifest.ts";
import { meanStd } from "../lib/sweep/report.ts";
import type { QueuedTrial } from "../lib/sweep/trial_queue.ts";

export interface Rung {
  budget: number;
  /** the settings continued, best first, and those stopped at the rung just settled */
  kept: string[];
  stopped: string[];
  trials: QueuedTrial[];
}

/** The next rung once every trial has settled, or null when the last budget is reached (or nothing can go on). */
export function nextRung(sweep: Pick<SweepManifest, "halving" | "better" | "settings">, trials: Trial[]): Rung | null {
  if (!sweep.halving) return null;
  const { budgets, eta } = sweep.halving;
  const current = Math.max(...trials.map((t) => t.budget ?? budgets[0]));
  const next = budgets[budgets.indexOf(current) + 1];
  if (next === undefined) return null;
  const atRung = trials.filter((t) => t.budget === current);
  const scored = sweep.settings.flatMap((setting) => {
    const metrics = atRung.filter((t) => t.setting === setting.id && t.status === "done")
      .map((t) => t.results.findLast((r) => r.budget === current)?.metric)
      .filter((m): m is number => typeof m === "number" && Number.isFinite(m));
    const { mean } = meanStd(metrics);
    return mean === null ? [] : [{ setting: setting.id, mean }];
  });
  if (!scored.length) return null;
  const sign = sweep.better === "higher" ? -1 : 1;
  scored.sort((a, b) => sign * (a.mean - b.mean) || a.setting.localeCompare(b.setting));
  const alive = new Set(atRung.map((t) => t.setting));
  const keep = Math.max(1, Math.floor(alive.size / eta));
  const kept = scored.slice(0, keep).map((s) => s.setting);
  return {
    budget: next,
    kept,
    stopped: [...alive].filter((s) => !kept.includes(s)).sort(),
    trials: atRung.filter((t) => kept.includes(t.setting) && t.status === "done")
      .map(({ id, setting, seed }) => ({ id, setting, seed, budget: next })),
  };
}
