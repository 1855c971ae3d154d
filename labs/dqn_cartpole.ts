/**
 * dqn-cartpole: deep Q-learning (Mnih et al., "Human-level control through deep reinforcement
 * learning", 2015) on CartPole-v1, as CleanRL's dqn.py reads. An epsilon-greedy agent fills a
 * replay buffer; every `trainFrequency` env steps it takes `gradientSteps` Adam steps on the Huber
 * loss of the TD error, against a target network that follows the online one every
 * `targetUpdateInterval` env steps (with --double, the double-DQN target of van Hasselt et al.,
 * 2016). The defaults are the RL Baselines3 Zoo's tuned CartPole-v1 DQN (hyperparams/dqn.yml),
 * which bench/reference/dqn_cartpole_torch.py runs in PyTorch. Solved: mean return >= 475 over 100
 * greedy episodes; the zoo's DQN reaches 500 at 50,000 env steps.
 *
 *   deno task lab dqn-cartpole [--seed 1] [--total-timesteps 50000] [--double] [--max-steps N] ...
 *
 * The loop is shared: labs/dqn_acrobot.ts runs `runDqn` on Acrobot-v1 with the zoo's Acrobot defaults.
 */
import { make } from "../environments/mod.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import type { Spec } from "../lib/hparams.ts";
import { type Lab, openRun, startLab, withRun } from "../runner/lab.ts";
import { Progress } from "../runner/progress.ts";
import { clipGradNorm } from "../lib/rl/clip_grad_norm.ts";
import { buildQNetwork, qLoss, tdTargets, updateTarget } from "../lib/rl/dqn.ts";
import { type Evaluation, recordEpisode } from "../lib/rl/evaluate.ts";
import { evaluateBatched } from "../lib/rl/evaluate_batched.ts";
import { type Minibatch, ReplayBuffer } from "../lib/rl/replay_buffer.ts";
import { linearSchedule } from "../lib/rl/schedule.ts";
import { deriveSeed, Rng, type RngState } from "../lib/rng.ts";
import { layers, type Tensor, tf } from "../lib/tf.ts";
import { captureAdam, captureWeights, restoreAdam, restoreWeights } from "../lib/train_state.ts";
import { adam } from "../lib/adam.ts";

/** What differs between DQN labs; the meaning and bounds of every flag are declared once, in dqnSpec. */
export interface DqnDefaults {
  totalTimesteps: number;
  lr: number;
  bufferSize: number;
  batchSize: number;
  hiddenSize: number;
  learningStarts: number;
  trainFrequency: number;
  gradientSteps: number;
  targetUpdateInterval: number;
  explorationFraction: number;
  endEpsilon: number;
  evalEvery: number;
  checkpointEvery: number;
}

export function dqnSpec(d: DqnDefaults) {
  return {
    totalTimesteps: {
      type: "int",
      default: d.totalTimesteps,
      min: 1,
      max: 1e9,
      help: "env steps of the run; the epsilon schedule spans a fraction of them (--max-steps stops early)",
    },
    lr: { type: "float", default: d.lr, min: 0, max: 1, help: "Adam learning rate" },
    bufferSize: { type: "int", default: d.bufferSize, min: 1, max: 1e7, help: "transitions the replay buffer keeps" },
    batchSize: { type: "int", default: d.batchSize, min: 1, max: 65536, help: "transitions per gradient step" },
    gamma: { type: "float", default: 0.99, min: 0, max: 1, help: "discount factor" },
    hiddenSize: {
      type: "int",
      default: d.hiddenSize,
      min: 1,
      max: 4096,
      help: "units of each of the two hidden layers",
    },
    learningStarts: {
      type: "int",
      default: d.learningStarts,
      min: 0,
      help: "env steps before the first training phase (acting is epsilon-greedy throughout)",
    },
    trainFrequency: { type: "int", default: d.trainFrequency, min: 1, help: "env steps between training phases" },
    gradientSteps: { type: "int", default: d.gradientSteps, min: 1, help: "gradient steps per training phase" },
    targetUpdateInterval: {
      type: "int",
      default: d.targetUpdateInterval,
      min: 1,
      help: "env steps between target-network updates (as SB3 counts them: never inside a training phase)",
    },
    tau: { type: "float", default: 1, min: 0, max: 1, help: "target update rate: 1 copies the online network" },
    startEpsilon: { type: "float", default: 1, min: 0, max: 1, help: "exploration rate at the first step" },
    endEpsilon: { type: "float", default: d.endEpsilon, min: 0, max: 1, help: "exploration rate after the decay" },
    explorationFraction: {
      type: "float",
      default: d.explorationFraction,
      min: 0.000001,
      max: 1,
      help: "fraction of --total-timesteps over which epsilon falls linearly",
    },
    maxGradNorm: { type: "float", default: 10, min: 0.000001, help: "gradients are clipped to this global L2 norm" },
    double: { type: "bool", default: false, help: "double-DQN target: the online net picks a', the target values it" },
    evalEvery: {
      type: "int",
      default: d.evalEvery,
      min: 1,
      help: "env steps between greedy evaluations (each also records an episode for replay)",
    },
    evalEpisodes: { type: "int", default: 100, min: 1, max: 10000, help: "greedy episodes per evaluation" },
    logEvery: { type: "int", default: 500, min: 1, help: "env steps between loss, epsilon and speed events" },
    checkpointEvery: {
      type: "int",
      default: d.checkpointEvery,
      min: 1,
      help: "checkpoint at the first episode end after every N env steps, and at the end",
    },
  } as const satisfies Spec;
}
export type DqnSpec = ReturnType<typeof dqnSpec>;

export const MAX_STEPS_NOTE = "--max-steps caps env steps (not gradient steps); a capped run still ends with an " +
  "evaluation and a checkpoint.";

export const lab: Lab<DqnSpec> = {
  id: "dqn-cartpole",
  title: "Deep Q-network on CartPole-v1",
  description: "Mnih et al. (2015), as CleanRL's dqn.py, with the RL Baselines3 Zoo's tuned CartPole-v1 settings\n" +
    "(its DQN reaches 500 at 50,000 env steps). Logs episodic returns, TD loss, Q-values and epsilon;\n" +
    "evaluates the greedy policy every --eval-every env steps and records an episode for replay.\n" + MAX_STEPS_NOTE,
  get spec() {
    return spec;
  },
  headline: "eval/mean_return",
};

const spec = dqnSpec({
  totalTimesteps: 50_000,
  lr: 2.3e-3,
  bufferSize: 100_000,
  batchSize: 64,
  hiddenSize: 256,
  learningStarts: 1000,
  trainFrequency: 256,
  gradientSteps: 128,
  targetUpdateInterval: 10,
  explorationFraction: 0.16,
  endEpsilon: 0.04,
  evalEvery: 5000,
  checkpointEvery: 10_000,
});

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }; // PyTorch's defaults, as SB3 and CleanRL use them

interface Agent {
  online: layers.Sequential;
  target: layers.Sequential;
  variables: tf.Variable[];
  optimizer: tf.AdamOptimizer;
}

/**
 * Greedy actions for `rows` observations laid row after row: argmax_a Q(s, a) -> [rows]. Read back
 * asynchronously: WebGPU has no `dataSync()`.
 */
async function greedy(net: layers.LayersModel, obs: Float32Array, rows: number): Promise<Int32Array> {
  const best = tf.tidy(() => tf.argMax(net.predict(tf.tensor2d(obs, [rows, obs.length / rows])) as Tensor, 1));
  const actions = await best.data() as Int32Array;
  best.dispose();
  return actions;
}

/** One gradient step: Huber loss on the TD error, gradients clipped, Adam. Returns the loss, not read back. */
function trainStep(agent: Agent, batch: Minibatch, c: { gamma: number; double: boolean; maxGradNorm: number }) {
  return tf.tidy(() => {
    const y = tdTargets(agent.online, agent.target, batch, c); // [B], no gradient flows into it
    const { value, grads } = tf.variableGrads(() => qLoss(agent.online, batch, y), agent.variables);
    const clipped = clipGradNorm(grads, c.maxGradNorm).grads;
    agent.optimizer.applyGradients(Object.entries(clipped).map(([name, tensor]) => ({ name, tensor })));
    return value;
  });
}

/** Mean Q(s, a) over a minibatch's taken actions (CleanRL's losses/q_values). */
async function meanTakenQ(net: layers.LayersModel, batch: Minibatch): Promise<number> {
  const mean = tf.tidy(() => {
    const n = batch.actions.length;
    const q = net.predict(tf.tensor2d(batch.obs, [n, batch.obs.length / n])) as Tensor; // [B, actions]
    return tf.mean(tf.sum(tf.mul(q, tf.oneHot(tf.tensor1d(batch.actions, "int32"), q.shape[1]!)), 1));
  });
  const value = (await mean.data())[0];
  mean.dispose();
  return value;
}

/** When an evaluation first reached the env's reward threshold. */
type Reached = { envSteps: number; wallSeconds: number };

interface DqnMeta {
  actionRng: RngState;
  replayRng: RngState;
  episodes: number;
  gradientSteps: number;
  thresholdReachedAt: Reached | null;
  wallSeconds: number;
}

export interface DqnRun {
  envId: "CartPole-v1" | "Acrobot-v1";
  /** published figures to print beside ours in summary.json */
  reference: Record<string, unknown>;
}

export async function runDqn(lab: Lab<DqnSpec>, { envId, reference }: DqnRun, args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config: c, resumeFrom } = start;
  const totalSteps = c.maxSteps ? Math.min(c.maxSteps, c.totalTimesteps) : c.totalTimesteps;

  // ---- environment; each episode is seeded from (seed, episode index), so a checkpoint taken
  // between episodes resumes with the same next episode without saving the env's generator
  const env = make(envId);
  const obsSize = env.observationSpace.size;
  const numActions = env.actionSpace.n;
  const threshold = env.spec.rewardThreshold!;
  const evalSeed = deriveSeed(c.seed, "eval"); // the same evaluation episodes every time
  const epsilonAt = linearSchedule(c.startEpsilon, c.endEpsilon, c.explorationFraction * c.totalTimesteps);

  // ---- agent, replay buffer and random streams (restored from the checkpoint when resuming)
  const initRng = new Rng(deriveSeed(c.seed, "init"));
  const hidden = [c.hiddenSize, c.hiddenSize];
  const online = buildQNetwork({ obsSize, actions: numActions, hidden, rng: initRng });
  const target = buildQNetwork({ obsSize, actions: numActions, hidden, rng: initRng });
  updateTarget(online, target);
  const agent: Agent = {
    online,
    target,
    variables: online.trainableWeights.map((w) => w.read() as tf.Variable),
    optimizer: adam(c.lr, ADAM.beta1, ADAM.beta2, ADAM.epsilon),
  };
  let buffer = new ReplayBuffer(c.bufferSize, obsSize);
  let actionRng = new Rng(deriveSeed(c.seed, "actions")); // epsilon-greedy draws
  let replayRng = new Rng(deriveSeed(c.seed, "replay")); // minibatch indices
  let step = 0, episodes = 0, gradientSteps = 0, wallBefore = 0;
  let thresholdReachedAt: Reached | null = null;
  if (resumeFrom) {
    const { checkpoint } = resumeFrom;
    restoreWeights([online], checkpoint.tensors.online);
    restoreWeights([target], checkpoint.tensors.target);
    await restoreAdam(agent.optimizer, checkpoint.tensors.optimizer);
    buffer = ReplayBuffer.fromArrays(checkpoint.tensors.replay);
    const meta = checkpoint.meta as unknown as DqnMeta;
    actionRng = Rng.fromState(meta.actionRng);
    replayRng = Rng.fromState(meta.replayRng);
    ({ episodes, gradientSteps, thresholdReachedAt, wallSeconds: wallBefore } = meta);
    step = checkpoint.step;
    console.error(`resuming ${resumeFrom.dir} from step ${step} (${checkpoint.path}), ${buffer.size} transitions`);
  }
  const resetEpisode = () => env.reset({ seed: deriveSeed(c.seed, `env-${episodes}`) }).obs;

  const run = await openRun(lab, start, { totalSteps });
  run.gracefulStop = "at the end of this episode"; // where a checkpoint resumes exactly
  const progress = new Progress({ totalSteps, startStep: step });
  const startedAt = performance.now(), startStep = step;
  const wallSeconds = () => wallBefore + (performance.now() - startedAt) / 1000;
  const summary = await withRun(run, async () => {
    let pending: tf.Scalar[] = [];
    let lastBatch: Minibatch | undefined;
    let flushedAt = -1, evaluatedAt = -1, checkpointedAt = step;
    let last: Evaluation | undefined;

    // Losses are read back once per window, not once per gradient step.
    const flush = async () => {
      if (flushedAt === step) return;
      flushedAt = step;
      const values: Record<string, number> = {
        "charts/epsilon": epsilonAt(step),
        "charts/sps": (step - startStep) / ((performance.now() - startedAt) / 1000),
      };
      if (pending.length) {
        const stacked = tf.stack(pending);
        const losses = await stacked.data() as Float32Array;
        tf.dispose([stacked, ...pending]);
        pending = [];
        values["losses/td_loss"] = losses.reduce((a, b) => a + b, 0) / losses.length;
        values["losses/q_values"] = await meanTakenQ(online, lastBatch!);
      }
      values["system/num_tensors"] = tf.memory().numTensors;
      run.scalars(step, values);
      progress.update(step, { label: envId, loss: values["losses/td_loss"] ?? NaN });
    };

    const evaluate = async () => {
      evaluatedAt = step;
      last = await evaluateBatched(() => make(envId), (obs, rows) => greedy(online, obs, rows), {
        episodes: c.evalEpisodes,
        seed: evalSeed,
      });
      run.scalars(step, { "eval/mean_return": last.mean, "eval/std_return": last.std });
      const record = await recordEpisode(make(envId), async (obs) => (await greedy(online, obs, 1))[0], evalSeed);
      await run.episode(step, "eval/episode", record, threshold);
      if (!thresholdReachedAt && last.mean >= threshold) {
        thresholdReachedAt = { envSteps: step, wallSeconds: wallSeconds() };
      }
      const reached = thresholdReachedAt ? ` | reached ${threshold} at step ${thresholdReachedAt.envSteps}` : "";
      progress.log(
        step,
        `step ${step}/${totalSteps} | eval return ${last.mean.toFixed(1)} +- ${last.std.toFixed(1)}${reached}`,
      );
    };

    const saveCheckpoint = async () => {
      await flush();
      checkpointedAt = step;
      const meta: DqnMeta = {
        actionRng: actionRng.state(),
        replayRng: replayRng.state(),
        episodes,
        gradientSteps,
        thresholdReachedAt,
        wallSeconds: wallSeconds(),
      };
      await run.checkpoint({
        step,
        epoch: episodes, // RL has no epochs; the episodes completed stand in for them
        tensors: {
          online: await captureWeights([online]),
          target: await captureWeights([target]),
          optimizer: await captureAdam(agent.optimizer),
          replay: buffer.toArrays(),
        },
        meta: meta as unknown as Record<string, unknown>,
      });
    };

    // ---- training: act epsilon-greedily, store the transition, learn from replayed minibatches
    let obs = resetEpisode();
    let episodeReturn = 0, episodeLength = 0;
    while (step < totalSteps) {
      await run.yieldToSignals(); // lets Ctrl-C stop the run promptly
      const action = actionRng.uniform() < epsilonAt(step)
        ? actionRng.int(numActions)
        : (await greedy(online, obs, 1))[0];
      const next = env.step(action);
      // Bootstrap through time-limit truncations: only a terminal state has no next value.
      buffer.add({ obs, action, reward: next.reward, nextObs: next.obs, terminated: next.terminated });
      episodeReturn += next.reward;
      episodeLength++;
      step++;
      const episodeEnded = next.terminated || next.truncated;
      if (episodeEnded) {
        run.scalars(step, { "charts/episodic_return": episodeReturn, "charts/episodic_length": episodeLength });
        episodes++;
        episodeReturn = episodeLength = 0;
        obs = resetEpisode();
      } else {
        obs = next.obs;
      }

      if (step > c.learningStarts && step % c.trainFrequency === 0) {
        for (let g = 0; g < c.gradientSteps; g++) {
          lastBatch = buffer.sample(c.batchSize, replayRng);
          pending.push(trainStep(agent, lastBatch, c));
          gradientSteps++;
        }
      }
      if (step % c.targetUpdateInterval === 0) updateTarget(online, target, c.tau);

      // ---- logging, evaluation, checkpoints (at episode ends, so no episode is cut in two)
      if (step % c.logEvery === 0) await flush();
      if (step % c.evalEvery === 0) await evaluate();
      const checkpointDue = Math.floor(step / c.checkpointEvery) > Math.floor(checkpointedAt / c.checkpointEvery);
      if (episodeEnded && checkpointDue && step < totalSteps) await saveCheckpoint();
      if (episodeEnded && step < totalSteps) {
        await run.stopIfRequested(step, saveCheckpoint, { justSaved: checkpointedAt === step });
      }
    }
    // A capped run (--max-steps) ends like a full one: evaluation, checkpoint, summary.
    await flush();
    if (evaluatedAt !== step) await evaluate();
    await saveCheckpoint();
    progress.stop();

    const result = {
      lab: lab.id,
      env: envId,
      "eval/mean_return": last!.mean,
      "eval/std_return": last!.std,
      evalEpisodes: c.evalEpisodes,
      rewardThreshold: threshold,
      solved: thresholdReachedAt !== null,
      // the first evaluation (every --eval-every env steps) whose mean reached the threshold, or null
      thresholdReachedAt,
      envSteps: step,
      episodes,
      gradientSteps,
      backend: start.backend.name,
      wallSeconds: wallSeconds(),
      reference,
    };
    await run.finish(step, result);
    return result;
  });
  online.dispose();
  target.dispose();
  agent.optimizer.dispose();
  const reached = summary.thresholdReachedAt;
  console.error(
    `finished: eval return ${summary["eval/mean_return"].toFixed(1)} +- ${summary["eval/std_return"].toFixed(1)} ` +
      `after ${summary.envSteps} env steps; threshold ${threshold} ${
        reached ? `first reached at ${reached.envSteps} steps, ${reached.wallSeconds.toFixed(0)} s` : "not reached"
      } -> ${run.dir}`,
  );
}

export const main = (args: string[]): Promise<void> =>
  runDqn(lab, {
    envId: "CartPole-v1",
    reference: {
      "rl-baselines3-zoo DQN": "mean return 500 +- 0 after 50,000 env steps with these settings (benchmark.md)",
      "CleanRL dqn.py": "about 490 at about 300,000 env steps, about 145 s on a CPU",
      pytorch: "bench/reference/dqn_cartpole_torch.py, the same settings in PyTorch",
    },
  }, args);

if (import.meta.main) await exitOnError(() => main(Deno.args));
