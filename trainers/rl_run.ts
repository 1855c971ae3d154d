/**
 * The run bookkeeping every RL loop shares (trainers/dqn_trainer.ts, trainers/ppo_trainer.ts,
 * labs/reinforce_cartpole.ts), so that each loop reads as its algorithm: the run directory and the
 * progress bar, wall-clock time summed over resumes, the evaluation (a deterministic policy over
 * fixed seeds, one recorded episode for the replay, and when its mean first reached the reward
 * threshold), checkpoints and the graceful stop at the points a run resumes from exactly, and the
 * summary.
 */
import { type EnvId, type EnvTypes, make } from "../environments/mod.ts";
import type { Config, Spec } from "../lib/hparams.ts";
import { type BatchedPolicy, evaluateBatched } from "../lib/rl/evaluate_batched.ts";
import { deriveSeed } from "../lib/rng.ts";
import type { RunEvent } from "../lib/run/types.ts";
import type { RunWriter } from "../lib/run/run_writer.ts";
import { type Lab, type LabStart, openRun, type RunFlags } from "../runner/lab.ts";
import { Progress } from "../runner/progress.ts";

/** The registered envs whose observations are vectors (Box spaces): the ones these loops' agents read. */
export type VectorObsEnvId = { [K in EnvId]: EnvTypes[K]["obs"] extends Float32Array ? K : never }[EnvId];

/** The mean and standard deviation of the return over an evaluation's episodes. */
export type EvalReturn = { mean: number; std: number };

/** When an evaluation's mean first reached the threshold: the loop's counters then, and the wall-clock seconds. */
export type Reached<At> = At & { wallSeconds: number };

export interface RlRunOptions<At> {
  envId: VectorObsEnvId;
  /** the mean evaluation return that counts as solved */
  threshold: number;
  evalEpisodes: number;
  /** the run's end and this session's start, in the unit of its events' steps */
  totalSteps: number;
  startStep: number;
  /** where the loop stops after a Ctrl-C (a point a checkpoint resumes from exactly), for the message */
  gracefulStop: string;
  /** what the checkpoint this session resumes from recorded */
  resumed?: { wallSeconds: number; reachedAt: Reached<At> | null; lastEval?: EvalReturn };
}

/** What every RL summary holds besides the lab's own counters. */
export interface RlSummary<At> {
  lab: string;
  env: VectorObsEnvId;
  "eval/mean_return": number;
  "eval/std_return": number;
  evalEpisodes: number;
  rewardThreshold: number;
  solved: boolean;
  /** the first evaluation whose mean reached the threshold, or null */
  thresholdReachedAt: Reached<At> | null;
  /** the evaluation with the highest mean, beside the final one: whether a result held to the end */
  bestEval: { mean: number; std: number; step: number } | null;
  reference?: Record<string, string>;
  backend: string;
  wallSeconds: number;
}

export class RlRun<At extends { envSteps: number }> {
  /** the latest evaluation (NaN before the first) */
  lastEval: EvalReturn;
  /** when an evaluation first reached the threshold, or null */
  reachedAt: Reached<At> | null;
  private readonly startedAt = performance.now();
  private readonly evalSeed: number;

  private constructor(
    readonly run: RunWriter,
    readonly progress: Progress,
    private readonly about: { lab: string; backend: string; seed: number },
    private readonly options: RlRunOptions<At>,
  ) {
    this.lastEval = options.resumed?.lastEval ?? { mean: NaN, std: NaN };
    this.reachedAt = options.resumed?.reachedAt ?? null;
    this.evalSeed = deriveSeed(about.seed, "eval"); // the same evaluation episodes every time
  }

  /** Opens the run directory (runner/lab.ts's openRun) and the progress bar. */
  static async open<S extends Spec, At extends { envSteps: number }>(
    lab: Lab<S>,
    start: LabStart<S>,
    options: RlRunOptions<At>,
  ): Promise<RlRun<At>> {
    const { seed }: Config<RunFlags> = start.config;
    const run = await openRun(lab, start, { totalSteps: options.totalSteps });
    run.gracefulStop = options.gracefulStop;
    const progress = new Progress({ totalSteps: options.totalSteps, startStep: options.startStep });
    return new RlRun(run, progress, { lab: lab.id, backend: start.backend.name, seed }, options);
  }

  /** Seconds of training, this session's and those of the sessions it resumes. */
  wallSeconds(): number {
    return (this.options.resumed?.wallSeconds ?? 0) + (performance.now() - this.startedAt) / 1000;
  }

  /**
   * Evaluates `policy` over evalEpisodes fixed seeds and records the first episode for the replay,
   * at event step `step`; `at` is what `reachedAt` keeps if this evaluation is the first to reach
   * the threshold, `label` what the progress line starts with.
   */
  async evaluate(step: number, policy: BatchedPolicy, { at, label }: { at: At; label: string }): Promise<EvalReturn> {
    const { envId, threshold, evalEpisodes } = this.options;
    const { mean, std, first } = await evaluateBatched(() => make(envId), policy, {
      episodes: evalEpisodes,
      seed: this.evalSeed,
    });
    this.lastEval = { mean, std };
    if (!this.reachedAt && mean >= threshold) this.reachedAt = { ...at, wallSeconds: this.wallSeconds() };
    this.run.scalars(step, { "eval/mean_return": mean, "eval/std_return": std });
    await this.run.episode(step, "eval/episode", first, threshold);
    const reached = this.reachedAt ? ` | reached ${threshold} at ${this.reachedAt.envSteps} env steps` : "";
    this.progress.log(step, `${label} | eval return ${mean.toFixed(1)} +- ${std.toFixed(1)}${reached}`);
    return this.lastEval;
  }

  /**
   * At a point a checkpoint resumes from exactly: checkpoints when one is due and at the end, and
   * stops there, checkpointed, if a Ctrl-C or a kill asked the run to (never at the end).
   */
  async checkpointOrStop(
    step: number,
    { due, last = false, save }: { due: boolean; last?: boolean; save: () => Promise<unknown> },
  ): Promise<void> {
    if (due || last) await save();
    if (!last) await this.run.stopIfRequested(step, save, { justSaved: due });
  }

  /**
   * Ends the run: writes summary.json (the lab's counters, then the evaluation and the threshold)
   * and prints its gist. Returns the summary.
   */
  async finish<C extends { envSteps: number; episodes: number }>(
    step: number,
    { counts, reference }: { counts: C; reference?: Record<string, string> },
  ): Promise<C & RlSummary<At>> {
    const { envId, threshold, evalEpisodes } = this.options;
    this.progress.stop();
    const best = bestEvaluation(await this.run.readEvents());
    const summary = {
      lab: this.about.lab,
      env: envId,
      ...counts,
      "eval/mean_return": this.lastEval.mean,
      "eval/std_return": this.lastEval.std,
      evalEpisodes,
      rewardThreshold: threshold,
      solved: this.reachedAt !== null,
      thresholdReachedAt: this.reachedAt,
      bestEval: best,
      ...(reference && { reference }),
      backend: this.about.backend,
      wallSeconds: this.wallSeconds(),
    };
    await this.run.finish(step, summary);
    const reached = this.reachedAt;
    console.error(
      `finished: eval return ${this.lastEval.mean.toFixed(1)} +- ${this.lastEval.std.toFixed(1)} after ` +
        `${counts.episodes} episodes (${counts.envSteps} env steps); threshold ${threshold} ` +
        (reached
          ? `first reached at ${reached.envSteps} env steps, ${reached.wallSeconds.toFixed(1)} s`
          : "not reached") +
        (best ? `; best ${best.mean.toFixed(1)} +- ${best.std.toFixed(1)} at step ${best.step}` : "") +
        ` -> ${this.run.dir}`,
    );
    return summary;
  }
}

/** The evaluation with the highest mean return over the whole run, resumed sessions included (from its events). */
function bestEvaluation(events: RunEvent[]): { mean: number; std: number; step: number } | null {
  let best: { mean: number; std: number; step: number } | null = null;
  const stds = new Map<number, number>();
  for (const event of events) {
    if (event.kind !== "scalar") continue;
    if (event.key === "eval/std_return") stds.set(event.step, event.value);
    if (event.key === "eval/mean_return" && event.value > (best?.mean ?? -Infinity)) {
      best = { mean: event.value, std: NaN, step: event.step };
    }
  }
  return best && { ...best, std: stds.get(best.step) ?? NaN };
}
