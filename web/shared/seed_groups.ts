/**
 * Runs that differ only in their seed, grouped so the compare page can draw each group as one
 * curve with its spread. The grouping key is read from the config each run recorded in run.json,
 * so any flag can be part of it: by default every flag whose value differs between the runs,
 * except the seed and the flags that only say how a run is run (where it is written, which
 * backend computes it, whether it serves a dashboard), never what it learns. The lab is always
 * part of the key: runs of different labs never share a curve. Nor do two runs with the same
 * seed: they are not two draws of one setting but, most likely, two versions of the code.
 */
import { flagName } from "../../lib/hparams.ts";

export interface GroupableRun {
  id: string;
  lab: string;
  config: Record<string, unknown>;
}

export interface SeedGroup {
  /** stable identity of the group: the lab and its values of the grouping flags */
  key: string;
  /** what sets the group apart: "lr=0.001 gamma=0.99", or "all runs" */
  label: string;
  runIds: string[];
  /** why a run stands alone although its setting has other runs: they share its seed */
  apart?: string;
}

export const SEED_FLAG = "seed";
/**
 * runner/lab.ts's run flags that do not change what a run computes (tests/web/shared keeps this
 * list inside those flags). The backend can change the last bits of a result but not what was
 * trained; a user who wants it apart ticks it.
 */
export const RUN_ONLY_FLAGS: readonly string[] = [
  "backend",
  "runsDir",
  "store",
  "resume",
  "dashboard",
  "detach",
  "maxSteps",
  "notes",
  "sweepTrial",
  "store",
  "worker",
];

const show = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value) ?? "–");

/** The config keys whose values are not the same in every run, in name order. */
export function varyingFlags(runs: readonly GroupableRun[]): string[] {
  const keys = new Set(runs.flatMap((run) => Object.keys(run.config)));
  return [...keys].filter((key) => new Set(runs.map((run) => show(run.config[key]))).size > 1).sort();
}

/** The grouping a user sees first: every varying flag but the seed and the run-only ones. */
export const defaultGroupBy = (runs: readonly GroupableRun[]): string[] =>
  varyingFlags(runs).filter((key) => key !== SEED_FLAG && !RUN_ONLY_FLAGS.includes(key));

/** Groups in the order their first run comes, runs in each in the order given; a group whose seeds repeat, split into its runs. */
export function groupRuns(runs: readonly GroupableRun[], by: readonly string[]): SeedGroup[] {
  const labs = new Set(runs.map((run) => run.lab));
  const groups = new Map<string, SeedGroup & { seeds: string[] }>();
  for (const run of runs) {
    const values = by.map((key) => `${flagName(key)}=${show(run.config[key])}`);
    const key = JSON.stringify([run.lab, ...values]);
    const label = [...(labs.size > 1 ? [run.lab] : []), ...values].join(" ") || "all runs";
    if (!groups.has(key)) groups.set(key, { key, label, runIds: [], seeds: [] });
    groups.get(key)!.runIds.push(run.id);
    groups.get(key)!.seeds.push(show(run.config[SEED_FLAG]));
  }
  return [...groups.values()].flatMap(({ seeds, ...group }) => {
    const repeated = seeds.find((seed, i) => seeds.indexOf(seed) !== i);
    if (repeated === undefined) return [group];
    const apart =
      `${group.label}: seed ${repeated} is in more than one run, so its ${seeds.length} runs are drawn apart`;
    return group.runIds.map((id) => ({
      key: JSON.stringify([group.key, id]),
      label: group.label === "all runs" ? id : `${group.label} ${id}`,
      runIds: [id],
      apart,
    }));
  });
}

/** "n=3 seeds": the runs of a group all have different seeds. */
export const countLabel = (runs: number): string => (runs === 1 ? "n=1 run" : `n=${runs} seeds`);
