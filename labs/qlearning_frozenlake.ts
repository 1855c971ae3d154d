/**
 * qlearning-frozenlake: tabular Q-learning (Watkins, 1989), or SARSA (Rummery and Niranjan, 1994)
 * with --algorithm sarsa, on slippery 4x4 FrozenLake-v1, as in Sutton and Barto, chapter 6: an
 * epsilon-greedy agent updates one table entry per env step, with epsilon falling linearly. Solved:
 * the greedy policy reaches the goal in >= 70% of 1000 evaluation episodes (Gymnasium's threshold;
 * the optimum is about 74%).
 *
 *   deno task lab qlearning-frozenlake [--algorithm qlearning|sarsa] [--no-slippery] [--seed 1] ...
 */
import { make } from "../environments/mod.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { type Lab, openRun, startLab, withRun } from "../runner/lab.ts";
import { Progress } from "../runner/progress.ts";
import { evaluatePolicy, type Evaluation, recordEpisode } from "../lib/rl/evaluate.ts";
import { QTable } from "../lib/rl/q_table.ts";
import { linearSchedule } from "../lib/rl/schedule.ts";
import { deriveSeed, restoreStreams, Rng, streamStates } from "../lib/rng.ts";

export const lab: Lab<typeof spec> = {
  id: "qlearning-frozenlake",
  title: "Tabular Q-learning (or SARSA) on FrozenLake-v1",
  usesTfjs: false, // plain arrays: --backend auto times nothing
  description: "Sutton and Barto, chapter 6, on Gymnasium's slippery 4x4 lake. Logs, every --log-every env steps,\n" +
    "the mean return and length of the episodes that ended in the window, the mean squared TD error and\n" +
    "epsilon; evaluates the greedy policy's success rate every --eval-every env steps and records an episode.\n" +
    "--max-steps caps env steps; a capped run still ends with an evaluation and a checkpoint.",
  get spec() {
    return spec;
  },
  headline: "eval/mean_return",
  better: "higher",
};

const spec = {
  algorithm: {
    type: "string",
    default: "qlearning",
    choices: ["qlearning", "sarsa"],
    help: "the TD target: max_a' Q(s', a') (Q-learning) or Q(s', a') of the next epsilon-greedy action (SARSA)",
  },
  totalTimesteps: { type: "int", default: 200_000, min: 1, max: 1e9, help: "env steps of the run" },
  alpha: { type: "float", default: 0.05, min: 0, max: 1, help: "step size of each table update" },
  gamma: { type: "float", default: 0.99, min: 0, max: 1, help: "discount factor" },
  startEpsilon: { type: "float", default: 1, min: 0, max: 1, help: "exploration rate at the first step" },
  endEpsilon: { type: "float", default: 0.05, min: 0, max: 1, help: "exploration rate after the decay" },
  explorationFraction: {
    type: "float",
    default: 0.5,
    min: 0.000001,
    max: 1,
    help: "fraction of --total-timesteps over which epsilon falls linearly",
  },
  slippery: { type: "bool", default: true, help: "the ice moves the agent sideways two times in three" },
  evalEvery: { type: "int", default: 20_000, min: 1, help: "env steps between greedy evaluations" },
  evalEpisodes: { type: "int", default: 1000, min: 1, max: 1e6, help: "greedy episodes per evaluation" },
  logEvery: { type: "int", default: 2000, min: 1, help: "env steps between logged windows" },
  checkpointEvery: {
    type: "int",
    default: 50_000,
    min: 1,
    help: "checkpoint at the first episode end after every N env steps, and at the end",
  },
} as const;

const ENV_ID = "FrozenLake-v1";

/** When an evaluation first reached the env's reward threshold. */
type Reached = { envSteps: number; wallSeconds: number };

/** What a checkpoint keeps besides its step and the random stream: the table and the counters. */
type TabularMeta = {
  qTable: number[]; // float64 in JSON, so a resumed run continues bit for bit
  episodes: number;
  thresholdReachedAt: Reached | null;
  wallSeconds: number;
};

/** Sums over one logging window, reported as means. */
class Window {
  returns = 0;
  lengths = 0;
  episodes = 0;
  squaredTd = 0;
  qValues = 0;
  updates = 0;
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config: c, resumeFrom } = start;
  const totalSteps = c.maxSteps ? Math.min(c.maxSteps, c.totalTimesteps) : c.totalTimesteps;

  // ---- environment; each episode is seeded from (seed, episode index), so a checkpoint taken
  // between episodes resumes with the same next episode without saving the env's generator
  const makeEnv = () => make(ENV_ID, { isSlippery: c.slippery });
  const env = makeEnv();
  const threshold = env.spec.rewardThreshold!;
  const evalSeed = deriveSeed(c.seed, "eval"); // the same evaluation episodes every time
  const epsilonAt = linearSchedule(c.startEpsilon, c.endEpsilon, c.explorationFraction * c.totalTimesteps);
  const sarsa = c.algorithm === "sarsa";

  // ---- agent: the table and its random stream (restored from the checkpoint when resuming)
  const q = new QTable(env.observationSpace.n, env.actionSpace.n);
  const actionRng = new Rng(deriveSeed(c.seed, "actions")); // epsilon-greedy draws and greedy ties
  let step = 0, episodes = 0, wallBefore = 0;
  let thresholdReachedAt: Reached | null = null;
  if (resumeFrom) {
    const { checkpoint } = resumeFrom;
    restoreStreams({ actionRng }, checkpoint.meta);
    const meta = checkpoint.meta as TabularMeta;
    q.values.set(meta.qTable);
    ({ episodes, thresholdReachedAt, wallSeconds: wallBefore } = meta);
    step = checkpoint.step;
  }
  const resetEpisode = () => env.reset({ seed: deriveSeed(c.seed, `env-${episodes}`) }).obs;

  const run = await openRun(lab, start, { totalSteps });
  const progress = new Progress({ totalSteps, startStep: step });
  const startedAt = performance.now(), startStep = step;
  const wallSeconds = () => wallBefore + (performance.now() - startedAt) / 1000;
  const summary = await withRun(run, async () => {
    let window = new Window();
    let flushedAt = -1, evaluatedAt = -1, checkpointedAt = step;
    let last: Evaluation | undefined;

    const flush = () => {
      if (flushedAt === step) return;
      flushedAt = step;
      const values: Record<string, number> = {
        "charts/epsilon": epsilonAt(step),
        "charts/sps": (step - startStep) / ((performance.now() - startedAt) / 1000),
      };
      if (window.episodes) {
        values["charts/episodic_return"] = window.returns / window.episodes;
        values["charts/episodic_length"] = window.lengths / window.episodes;
      }
      if (window.updates) {
        values["losses/td_loss"] = window.squaredTd / window.updates;
        values["losses/q_values"] = window.qValues / window.updates;
      }
      run.scalars(step, values);
      progress.update(step, { label: c.algorithm, loss: values["losses/td_loss"] ?? NaN });
      window = new Window();
    };

    const evaluate = async () => {
      evaluatedAt = step;
      // Greedy ties are broken by a generator of their own, the same for every evaluation.
      const ties = new Rng(deriveSeed(c.seed, "eval-ties"));
      const policy = (state: number) => q.greedy(state, ties);
      last = evaluatePolicy(makeEnv(), policy, { episodes: c.evalEpisodes, seed: evalSeed });
      run.scalars(step, { "eval/mean_return": last.mean, "eval/std_return": last.std });
      await run.episode(step, "eval/episode", await recordEpisode(makeEnv(), policy, evalSeed), threshold);
      if (!thresholdReachedAt && last.mean >= threshold) {
        thresholdReachedAt = { envSteps: step, wallSeconds: wallSeconds() };
      }
      progress.log(step, `step ${step}/${totalSteps} | greedy success rate ${last.mean.toFixed(3)}`);
    };

    const saveCheckpoint = async () => {
      flush();
      checkpointedAt = step;
      const meta: TabularMeta = {
        qTable: Array.from(q.values),
        episodes,
        thresholdReachedAt,
        wallSeconds: wallSeconds(),
      };
      await run.checkpoint({ step, epoch: episodes, tensors: {}, meta: { ...meta, ...streamStates({ actionRng }) } });
    };

    // ---- training: one epsilon-greedy step and one table update per env step
    let state = resetEpisode();
    let action: number | undefined; // chosen ahead only by SARSA, within an episode
    let episodeReturn = 0, episodeLength = 0;
    while (step < totalSteps) {
      // #region td-step
      action ??= q.epsilonGreedy(state, epsilonAt(step), actionRng);
      const next = env.step(action);
      step++;
      episodeReturn += next.reward;
      episodeLength++;
      // SARSA bootstraps from the action it takes next, chosen before the update (even when the
      // time limit ends the episode: truncation is not termination); Q-learning from the greedy one.
      const sarsaAction = sarsa ? q.epsilonGreedy(next.obs, epsilonAt(step), actionRng) : undefined;
      window.qValues += q.get(state, action);
      const tdError = q.update(
        {
          state,
          action,
          reward: next.reward,
          nextState: next.obs,
          terminated: next.terminated,
          nextAction: sarsaAction,
        },
        { alpha: c.alpha, gamma: c.gamma },
      );
      window.squaredTd += tdError ** 2;
      window.updates++;
      // #endregion
      const episodeEnded = next.terminated || next.truncated;
      if (episodeEnded) {
        window.returns += episodeReturn;
        window.lengths += episodeLength;
        window.episodes++;
        episodes++;
        episodeReturn = episodeLength = 0;
        state = resetEpisode();
        action = undefined;
      } else {
        state = next.obs;
        action = sarsaAction;
      }

      // ---- logging, evaluation, checkpoints (at episode ends, so no episode is cut in two)
      if (step % c.logEvery === 0) flush();
      if (step % c.evalEvery === 0) await evaluate();
      const checkpointDue = Math.floor(step / c.checkpointEvery) > Math.floor(checkpointedAt / c.checkpointEvery);
      if (episodeEnded && checkpointDue && step < totalSteps) await saveCheckpoint();
    }
    flush();
    if (evaluatedAt !== step) await evaluate();
    await saveCheckpoint();
    progress.stop();

    const result = {
      lab: lab.id,
      env: ENV_ID,
      algorithm: c.algorithm,
      slippery: c.slippery,
      "eval/mean_return": last!.mean, // the greedy policy's success rate
      "eval/std_return": last!.std,
      evalEpisodes: c.evalEpisodes,
      rewardThreshold: threshold,
      solved: thresholdReachedAt !== null,
      // the first evaluation (every --eval-every env steps) whose success rate reached the threshold, or null
      thresholdReachedAt,
      envSteps: step,
      episodes,
      backend: start.backend.name,
      wallSeconds: wallSeconds(),
      reference: { optimum: "about 0.74 success rate on slippery 4x4 (Gymnasium's registry note)" },
    };
    await run.finish(step, result);
    return result;
  });
  console.error(
    `finished: greedy success rate ${summary["eval/mean_return"].toFixed(3)} over ${c.evalEpisodes} episodes ` +
      `after ${summary.envSteps} env steps -> ${run.dir}`,
  );
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
