/**
 * Runs a sweep's queued trials as child processes, at most `parallel` at once, until the queue
 * is empty (and, under successive halving, no rung is left to promote). A trial whose run already
 * exists continues it: finished at its budget, it is only recorded; with a checkpoint, the lab
 * resumes it (`--resume`, with the next budget under halving); else it starts afresh. A failed
 * attempt goes back to the queue while retries last; the sweep goes on either way. Ctrl-C (or a
 * kill) stops every child with one signal, so each checkpoints and stops, and hands them back to
 * the queue: running the sweep again continues them.
 */
import { basename, join } from "node:path";
import { formatValue } from "../lib/format_value.ts";
import type { Setting, SweepManifest, Trial } from "../lib/sweep/manifest.ts";
import type { TrialQueue } from "../lib/sweep/trial_queue.ts";
import { nextRung } from "./halving.ts";
import { readHeadline, readRunState, waitForExit } from "./run_state.ts";
import { labArgs } from "./sweep_plan.ts";
import { startTrialProcess, type TrialProcess } from "./trial_process.ts";
import { withStopSignals } from "./stop_signals.ts";

export interface SchedulerOptions {
  runsDir: string;
  parallel: number;
  /** one line per trial event (default: stderr) */
  log?: (line: string) => void;
}

export type SweepEnd = "finished" | "interrupted";

export class Scheduler {
  private children = new Map<string, TrialProcess>();
  private stopRequests = 0;
  private log: (line: string) => void;
  private budgetKey?: string;

  constructor(private sweep: SweepManifest, private queue: TrialQueue, private options: SchedulerOptions) {
    this.log = options.log ?? ((line) => console.error(line));
    this.budgetKey = sweep.halving?.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  }

  run(): Promise<SweepEnd> {
    return withStopSignals(() => this.stop(), () => this.loop());
  }

  /** First call: every child checkpoints and stops; a second: they stop at once (still resumable). */
  stop(): void {
    this.stopRequests++;
    this.log(
      this.stopRequests === 1
        ? `\nStopping ${this.children.size} running trials at their next checkpoint (Ctrl-C again stops them at once).`
        : "\nStopping the running trials at once.",
    );
    for (const child of this.children.values()) child.signal("SIGTERM");
  }

  private async loop(): Promise<SweepEnd> {
    const running = new Map<string, Promise<void>>();
    while (true) {
      while (!this.stopRequests && running.size < this.options.parallel) {
        const trial = await this.queue.claim();
        if (!trial) break;
        running.set(trial.id, this.runTrial(trial).finally(() => running.delete(trial.id)));
      }
      if (running.size) {
        await Promise.race(running.values());
        continue;
      }
      if (this.stopRequests) return "interrupted";
      const rung = nextRung(this.sweep, await this.queue.list());
      if (!rung) return "finished";
      const flag = this.sweep.halving!.flag;
      this.log(
        `rung --${flag} ${rung.budget}: continuing ${rung.kept.map((s) => this.describe(s)).join("; ")}` +
          (rung.stopped.length ? ` (stopped: ${rung.stopped.join(", ")})` : ""),
      );
      await this.queue.enqueue(rung.trials);
    }
  }

  private async runTrial(trial: Trial): Promise<void> {
    try {
      await this.attempt(trial);
    } catch (error) { // the process could not start, or its run could not be read: a failed attempt
      await this.failed(trial, error instanceof Error ? error.message : String(error));
    }
  }

  private async attempt(trial: Trial): Promise<void> {
    const dir = trial.run ? join(this.options.runsDir, trial.run) : null;
    let state = dir ? await readRunState(dir, this.budgetKey) : null;
    if (dir && state?.livePid) {
      this.log(`${this.label(trial)}: waiting for process ${state.livePid}, which still writes ${dir}`);
      await waitForExit(state.livePid);
      state = await readRunState(dir, this.budgetKey);
    }
    if (dir && state?.status === "finished" && (trial.budget === undefined || state.budget! >= trial.budget)) {
      return await this.finished(trial, dir, "finished earlier");
    }
    if (this.stopRequests) return await this.queue.release(trial.id);

    const resume = dir !== null && state?.hasCheckpoint === true;
    const started = performance.now();
    const child = await startTrialProcess(this.labCommand(trial, resume ? dir : null), await this.logPath(trial));
    this.children.set(trial.id, child);
    if (this.stopRequests) child.signal("SIGTERM"); // stopped while it was starting
    const named = child.runDir.then(async (runDir) => {
      if (!runDir) return null;
      await this.queue.started(trial.id, { run: basename(runDir), resumed: resume });
      this.log(`${this.label(trial)}: ${resume ? "resumed" : "started"} -> ${runDir}`);
      return runDir;
    });
    const { code, error } = await child.exited;
    this.children.delete(trial.id);
    const runDir = await named;
    const seconds = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    if (code === 0 && runDir && (await readRunState(runDir))?.status === "finished") {
      return await this.finished(trial, runDir, `finished in ${seconds}`);
    }
    if (this.stopRequests) {
      this.log(`${this.label(trial)}: stopped after ${seconds}; the sweep continues it when run again`);
      return await this.queue.release(trial.id);
    }
    await this.failed(trial, error || "the lab exited without finishing its run");
  }

  /** The lab arguments of a trial's process: a new run, or its run continued (to the trial's budget under halving). */
  private labCommand(trial: Trial, resumeDir: string | null): string[] {
    const { lab, halving } = this.sweep;
    if (resumeDir) {
      return [
        lab,
        "--resume",
        resumeDir,
        ...(halving ? [`--${halving.flag}`, String(trial.budget)] : []),
        "--no-dashboard",
      ];
    }
    return [
      ...[lab, ...labArgs(this.sweep, this.setting(trial.setting), trial.seed, trial.budget)],
      ...["--no-dashboard", "--runs-dir", this.options.runsDir, "--sweep-trial", `${this.sweep.id}/${trial.id}`],
    ];
  }

  private async finished(trial: Trial, runDir: string, how: string): Promise<void> {
    const metric = await readHeadline(runDir, this.sweep.headline);
    await this.queue.complete(trial.id, metric);
    const trials = await this.queue.list();
    const settled = trials.filter((t) => t.status === "done" || t.status === "failed").length;
    const value = metric === null ? "not logged" : formatValue(metric);
    this.log(`${this.label(trial)}: ${how}, ${this.sweep.headline} ${value} (${settled}/${trials.length})`);
  }

  private async failed(trial: Trial, error: string): Promise<void> {
    const { retrying } = await this.queue.fail(trial.id, error);
    const log = await this.logPath(trial);
    this.log(`${this.label(trial)}: failed (${error}); ${retrying ? "trying again" : `gives up (log: ${log})`}`);
  }

  private setting(id: string): Setting {
    return this.sweep.settings.find((s) => s.id === id)!;
  }

  /** "s01 (lr=0.001 latent=2)" */
  private describe(settingId: string): string {
    const values = Object.entries(this.setting(settingId).values).map(([k, v]) => `${k}=${v}`).join(" ");
    return values ? `${settingId} (${values})` : settingId;
  }

  /** "t003 s02 (lr=0.001) seed 1", with the budget under halving */
  private label(trial: Trial): string {
    const budget = trial.budget === undefined ? "" : ` --${this.sweep.halving!.flag} ${trial.budget}`;
    return `${trial.id} ${this.describe(trial.setting)} seed ${trial.seed}${budget}`;
  }

  /** <runs-dir>/sweeps/<sweep-id>/<trial-id>.log: every attempt's output, appended. */
  private async logPath(trial: Trial): Promise<string> {
    const dir = join(this.options.runsDir, "sweeps", this.sweep.id);
    await Deno.mkdir(dir, { recursive: true });
    return join(dir, `${trial.id}.log`);
  }
}
