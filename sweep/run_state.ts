/**
 * Where a trial's run stands, read from its run directory alone: its status, how far it was
 * trained (its recorded budget flag), whether a checkpoint lets it continue, whether a process
 * still writes it, and its headline: summary.json's value when the lab put it there, else the
 * last value logged.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { readEvents, readRunInfo } from "../lib/run/run_reader.ts";
import type { RunInfo } from "../lib/run/types.ts";
import { isLiveCommand } from "../runner/live_command.ts";

export interface RunState {
  status: RunInfo["status"];
  /** the value of `budgetKey` the run was last started with */
  budget?: number;
  hasCheckpoint: boolean;
  /** the lab process still writing it on this machine, if any */
  livePid?: number;
}

export async function readRunState(runDir: string, budgetKey?: string): Promise<RunState | null> {
  const info = await readRunInfo(runDir).catch(() => null);
  if (!info) return null;
  const checkpoints = await Array.fromAsync(Deno.readDir(join(runDir, "checkpoints"))).catch(() => []);
  const live = info.status === "running" && info.host.hostname === hostname() &&
    await isLiveCommand(info.host.pid, "lab");
  return {
    status: info.status,
    ...(budgetKey ? { budget: info.config[budgetKey] as number } : {}),
    hasCheckpoint: checkpoints.some((e) => e.name.endsWith(".ckpt")),
    ...(live ? { livePid: info.host.pid } : {}),
  };
}

/** The run's headline value, or null when it logged none. */
export async function readHeadline(runDir: string, headline: string): Promise<number | null> {
  const summary = await Deno.readTextFile(join(runDir, "summary.json")).then(JSON.parse, () => null);
  const value = summary?.[headline];
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const logged = (await readEvents(runDir)).findLast((e) => e.kind === "scalar" && e.key === headline);
  return logged?.kind === "scalar" ? logged.value : null;
}

/** Waits until a process that still writes a run from an earlier sweep process has ended. */
export async function waitForExit(pid: number): Promise<void> {
  while (await isLiveCommand(pid, "lab")) await new Promise((resolve) => setTimeout(resolve, 500));
}
