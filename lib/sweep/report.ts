/**
 * A sweep's results per setting, from its manifest alone: the headline's mean and sample
 * standard deviation (n - 1) over the seeds that finished, best first by the lab's direction.
 * Under successive halving a setting is compared at the largest budget it reached, and settings
 * that went further rank first: a setting stopped at a small budget was worse there.
 */
import { formatValue } from "../format_value.ts";
import type { Setting, SweepManifest, SweptValue, TrialStatus } from "./manifest.ts";

export interface SettingRow {
  setting: string;
  values: Record<string, SweptValue>;
  mean: number | null;
  /** null with fewer than two values */
  std: number | null;
  /** finished trials with a headline value */
  n: number;
  failed: number;
  /** trials still pending or running */
  open: number;
  /** halving: the budget the setting trains (or trained) to: where it stopped, once settled */
  budget?: number;
  /** halving: it was not continued to the last budget */
  stopped?: boolean;
  trials: { id: string; seed: number; status: TrialStatus; run?: string; metric: number | null }[];
}

export interface SweepReport {
  id: string;
  lab: string;
  headline: string;
  better: "higher" | "lower";
  method: SweepManifest["method"];
  budgetFlag?: string;
  rows: SettingRow[];
}

export function sweepReport(manifest: SweepManifest): SweepReport {
  const rows = manifest.settings.map((setting) => settingRow(manifest, setting));
  if (manifest.halving) {
    // Stopped: settled below the last budget while another setting went further (or the sweep ended).
    const furthest = Math.max(...rows.map((r) => r.budget ?? 0));
    const last = manifest.halving.budgets.at(-1)!;
    for (const row of rows) {
      row.stopped = row.open === 0 && row.budget! < last && (row.budget! < furthest || manifest.status === "finished");
    }
  }
  const sign = manifest.better === "higher" ? -1 : 1;
  rows.sort((a, b) =>
    (b.budget ?? 0) - (a.budget ?? 0) ||
    (a.mean === null ? 1 : 0) - (b.mean === null ? 1 : 0) ||
    sign * ((a.mean ?? 0) - (b.mean ?? 0)) ||
    a.setting.localeCompare(b.setting)
  );
  return {
    id: manifest.id,
    lab: manifest.lab,
    headline: manifest.headline,
    better: manifest.better,
    method: manifest.method,
    ...(manifest.halving ? { budgetFlag: manifest.halving.flag } : {}),
    rows,
  };
}

function settingRow(manifest: SweepManifest, setting: Setting): SettingRow {
  const trials = manifest.trials.filter((t) => t.setting === setting.id);
  const reached = Math.max(0, ...trials.flatMap((t) => t.results.map((r) => r.budget ?? 0)));
  const metricOf = (results: { budget?: number; metric: number | null }[]) =>
    results.findLast((r) => (r.budget ?? 0) === reached)?.metric ?? null;
  const metrics = trials.map((t) => metricOf(t.results)).filter((m): m is number => m !== null && Number.isFinite(m));
  return {
    setting: setting.id,
    values: setting.values,
    ...meanStd(metrics),
    n: metrics.length,
    failed: trials.filter((t) => t.status === "failed").length,
    open: trials.filter((t) => t.status === "pending" || t.status === "running").length,
    ...(manifest.halving ? { budget: Math.max(0, ...trials.map((t) => t.budget ?? 0)) } : {}),
    trials: trials.map((t) => ({
      id: t.id,
      seed: t.seed,
      status: t.status,
      ...(t.run ? { run: t.run } : {}),
      metric: metricOf(t.results),
    })),
  };
}

/** Mean and sample standard deviation (dividing by n - 1, as pandas' std); std is null below two values. */
export function meanStd(values: number[]): { mean: number | null; std: number | null } {
  if (!values.length) return { mean: null, std: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return { mean, std: null };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** "105.4 ± 0.1307", the mean alone below two values, "–" without any. */
export function formatMeanStd({ mean, std }: { mean: number | null; std: number | null }): string {
  if (mean === null) return "–";
  return std === null ? formatValue(mean) : `${formatValue(mean)} ± ${formatValue(std)}`;
}
