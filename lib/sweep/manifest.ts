/**
 * A sweep's manifest, `<runs-dir>/sweeps/<sweep-id>.json`: what the sweep is (lab, swept flags,
 * settings, seeds, method) and where each trial stands (status, run, attempts, results). The sweep
 * command rewrites it atomically after every change; the report and the dashboard only read it.
 * Each trial's run stays an ordinary run directory beside the others, its run.json naming the
 * sweep and the trial, so the manifest is an index, never the only copy of a result.
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../run/atomic_write.ts";
import type { HeadlineDirection } from "../run/types.ts";

export type SweepStatus = "running" | "finished" | "interrupted";
export type TrialStatus = "pending" | "running" | "done" | "failed";
export type SweptValue = number | string | boolean;

/** How one flag is swept: a list of values (`--grid`) or a range drawn from (`--range`, with `--random`). */
export type Dimension =
  | { flag: string; kind: "grid"; values: string[] }
  | { flag: string; kind: "range"; low: number; high: number; scale: "linear" | "log"; integer: boolean };

export interface Setting {
  /** "s01" */
  id: string;
  /** the swept flags' values by flag name as typed ("lr": 0.001, "slippery": false) */
  values: Record<string, SweptValue>;
  /** the same as lab arguments, as every trial of the setting gets them */
  args: string[];
}

/** One process started for a trial. */
export interface Attempt {
  startedAt: string;
  endedAt?: string;
  /** the run it wrote, once the lab named it */
  run?: string;
  /** halving: the budget it trained to */
  budget?: number;
  /** it continued the trial's run from a checkpoint */
  resumed?: boolean;
  outcome?: "finished" | "failed" | "interrupted";
  error?: string;
  /** the worker that ran it (`deno task worker`: hostname-pid unless named) */
  worker?: string;
}

export interface Trial {
  /** "t001" */
  id: string;
  setting: string;
  seed: number;
  status: TrialStatus;
  /** halving: the budget flag's value the trial trains to now */
  budget?: number;
  /** the run directory's name under the runs folder, once the lab has created it */
  run?: string;
  /** the headline at each budget it finished (one entry without halving); null when the run logged none */
  results: { budget?: number; metric: number | null }[];
  attempts: Attempt[];
  /** why it failed, once out of retries */
  error?: string;
}

export interface SweepManifest {
  version: 1;
  id: string;
  lab: string;
  /** the lab's headline metric and which way it improves: what settings are ranked by */
  headline: string;
  better: HeadlineDirection;
  status: SweepStatus;
  createdAt: string;
  updatedAt: string;
  search: { kind: "grid" | "random"; dimensions: Dimension[]; count?: number; sweepSeed?: number };
  method: "full" | "halving";
  /** successive halving: the budget flag, its value at each rung, and 1/eta of the settings kept per rung */
  halving?: { flag: string; budgets: number[]; eta: number };
  seeds: number[];
  /** lab arguments every trial gets (given after `--`) */
  fixed: string[];
  parallel: number;
  /** how many times a failed trial is tried again at the same budget */
  retries: number;
  settings: Setting[];
  trials: Trial[];
  /** the process running the sweep, so that a second one is refused */
  host?: { hostname: string; pid: number };
}

/** A sweep id: one plain path segment, as run ids are. */
const SWEEP_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;
export const isSweepId = (id: string): boolean => SWEEP_ID.test(id);

export const sweepsDir = (runsDir: string): string => join(runsDir, "sweeps");

export function manifestPath(runsDir: string, id: string): string {
  if (!isSweepId(id)) throw new Error(`not a sweep id: '${id}'`);
  return join(sweepsDir(runsDir), `${id}.json`);
}

/** The manifest, or null when the runs folder has no sweep of that id. */
export async function readManifest(runsDir: string, id: string): Promise<SweepManifest | null> {
  if (!isSweepId(id)) return null;
  try {
    return JSON.parse(await Deno.readTextFile(manifestPath(runsDir, id)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

export async function writeManifest(runsDir: string, manifest: SweepManifest): Promise<void> {
  await Deno.mkdir(sweepsDir(runsDir), { recursive: true });
  await writeJsonAtomic(manifestPath(runsDir, manifest.id), manifest);
}

/** Every readable manifest in the runs folder, newest first. */
export async function listSweeps(runsDir: string): Promise<SweepManifest[]> {
  const sweeps: SweepManifest[] = [];
  try {
    for await (const entry of Deno.readDir(sweepsDir(runsDir))) {
      const id = entry.name.replace(/\.json$/, "");
      if (!entry.isFile || id === entry.name || !isSweepId(id)) continue;
      const manifest = await readManifest(runsDir, id).catch(() => null); // torn or foreign: skipped
      if (manifest?.version === 1) sweeps.push(manifest);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return sweeps.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}
