/**
 * Deep Q-learning (Mnih et al., "Human-level control through deep reinforcement learning", 2015)
 * as Stable-Baselines3's DQN runs it: an epsilon-greedy agent fills a replay buffer; every `trainFrequency`
 * env steps it takes `gradientSteps` Adam steps on the Huber loss of the TD error, against a
 * target network that follows the online one every `targetUpdateInterval` env steps (with
 * --double, the double-DQN target of van Hasselt et al., 2016).
 *
 * The labs (labs/dqn_cartpole.ts, labs/dqn_acrobot.ts) give the env, their defaults of the spec
 * (lib/rl/dqn_spec.ts) and the published results; this file is the loop they share. Its run
 * bookkeeping (evaluation, checkpoints, graceful stop at an episode's end, summary) is
 * trainers/rl_run.ts's.
 */
import { make } from "../environments/mod.ts";
import { adam, PYTORCH_ADAM } from "../lib/adam.ts";
import { GpuWindow } from "../lib/gpu_counters.ts";
import { buildQNetwork, dqnUpdate, type QNetworks, updateTarget } from "../lib/rl/dqn.ts";
import { actsAtRandom, afterEnvStep } from "../lib/rl/dqn_schedule.ts";
import type { DqnSpec } from "../lib/rl/dqn_spec.ts";
import { type Minibatch, ReplayBuffer } from "../lib/rl/replay_buffer.ts";
import { linearSchedule } from "../lib/rl/schedule.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import { layers, type Tensor, tf } from "../lib/tf.ts";
import { captureTraining, restoreTraining, type Training } from "../lib/train_state.ts";
import { type Lab, type LabStart, withRun } from "../runner/lab.ts";
import { type Reached, RlRun } from "./rl_run.ts";

/** For a DQN lab's --help. */
export const DQN_MAX_STEPS_NOTE = "--max-steps caps env steps (not gradient steps); a capped run still ends with an " +
  "evaluation and a checkpoint.";

export interface DqnTask {
  envId: "CartPole-v1" | "Acrobot-v1";
  /** the mean evaluation return that counts as solved */
  threshold: number;
  /** published figures to print beside ours in summary.json */
  reference: Record<string, string>;
}

interface Agent extends QNetworks {
  optimizer: tf.AdamOptimizer;
}

/** Online and target networks, equal at the start, and the online network's Adam. */
function buildAgent(c: { seed: number; hiddenSize: number; lr: number }, obsSize: number, actions: number): Agent {
  const initRng = new Rng(deriveSeed(c.seed, "init"));
  const hidden = [c.hiddenSize, c.hiddenSize];
  const online = buildQNetwork({ obsSize, actions, hidden, rng: initRng });
  const target = buildQNetwork({ obsSize, actions, hidden, rng: initRng });
  updateTarget(online, target);
  return {
    online,
    target,
    variables: online.trainableWeights.map((w) => w.read() as tf.Variable),
    optimizer: adam(c.lr, PYTORCH_ADAM),
  };
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

/** Mean Q(s, a) over a minibatch's taken actions (CleanRL's losses/q_values), not yet read back. */
function meanTakenQ(net: layers.LayersModel, batch: Minibatch): tf.Scalar {
  return tf.tidy(() => {
    const n = batch.actions.length;
    const q = net.predict(tf.tensor2d(batch.obs, [n, batch.obs.length / n])) as Tensor; // [B, actions]
    return tf.mean(tf.sum(tf.mul(q, tf.oneHot(tf.tensor1d(batch.actions, "int32"), q.shape[1]!)), 1));
  });
}

/** What a checkpoint keeps of the agent (both networks, Adam) and its random streams; the replay buffer goes beside it. */
const checkpointed = (agent: Agent, rngs: Record<"actionRng" | "replayRng", Rng>): Training => ({
  tensors: {
    online: { models: [agent.online] },
    target: { models: [agent.target] },
    optimizer: { adam: agent.optimizer },
  },
  rngs,
});

/** What a checkpoint keeps besides its tensors and step. */
type DqnMeta = {
  episodes: number;
  gradientSteps: number;
  thresholdReachedAt: Reached<{ envSteps: number }> | null;
  wallSeconds: number;
};

/**
 * The training events: epsilon, speed, and the mean TD loss and Q-value of the gradient steps since
 * the last log, their losses and the Q-value read back together once per log window, not once per
 * gradient step; on WebGPU, what the window's gradient steps and acting cost (GpuWindow).
 */
class TrainingLog {
  private pending: tf.Scalar[] = [];
  private lastBatch?: Minibatch;
  private loggedAt = -1;
  private readonly startedAt = performance.now();
  readonly gpu: GpuWindow;

  constructor(
    private readonly rl: RlRun<{ envSteps: number }>,
    private readonly o: {
      label: string;
      startStep: number;
      epsilonAt: (step: number) => number;
      online: layers.Sequential;
    },
  ) {
    this.gpu = new GpuWindow(o.startStep);
  }

  add(loss: tf.Scalar, batch: Minibatch): void {
    this.pending.push(loss);
    this.lastBatch = batch;
  }

  async flush(step: number): Promise<void> {
    if (this.loggedAt === step) return;
    this.loggedAt = step;
    const values: Record<string, number> = {
      "charts/epsilon": this.o.epsilonAt(step),
      "charts/sps": (step - this.o.startStep) / ((performance.now() - this.startedAt) / 1000),
    };
    if (this.pending.length) {
      this.gpu.startTraining();
      const stacked = tf.tidy(() => tf.stack([...this.pending, meanTakenQ(this.o.online, this.lastBatch!)]));
      const read = await stacked.data() as Float32Array; // [losses..., mean Q]
      this.gpu.endTraining(0);
      tf.dispose([stacked, ...this.pending]);
      const losses = read.subarray(0, this.pending.length);
      this.pending = [];
      values["losses/td_loss"] = losses.reduce((a, b) => a + b, 0) / losses.length;
      values["losses/q_values"] = read[losses.length];
    }
    values["system/num_tensors"] = tf.memory().numTensors;
    Object.assign(values, this.gpu.take(step));
    this.rl.run.scalars(step, values);
    this.rl.progress.update(step, { label: this.o.label, loss: values["losses/td_loss"] ?? NaN });
  }
}

/** Trains a Q-network on `task`'s env as `start`'s flags say, writing the run; resumes when asked. */
export async function trainDqn(lab: Lab<DqnSpec>, start: LabStart<DqnSpec>, task: DqnTask): Promise<void> {
  const { config: c, resumeFrom } = start;
  const { envId, threshold } = task;
  const totalSteps = c.maxSteps ? Math.min(c.maxSteps, c.totalTimesteps) : c.totalTimesteps;

  // ---- environment; each episode is seeded from (seed, episode index), so a checkpoint taken
  // between episodes resumes with the same next episode without saving the env's generator
  const env = make(envId);
  const obsSize = env.observationSpace.size;
  const numActions = env.actionSpace.n;
  const epsilonAt = linearSchedule(c.startEpsilon, c.endEpsilon, c.explorationFraction * c.totalTimesteps);

  // ---- agent, replay buffer and random streams (restored from the checkpoint when resuming)
  const agent = buildAgent(c, obsSize, numActions);
  let buffer = new ReplayBuffer(c.bufferSize, obsSize);
  const actionRng = new Rng(deriveSeed(c.seed, "actions")); // epsilon-greedy draws
  const replayRng = new Rng(deriveSeed(c.seed, "replay")); // minibatch indices
  const training = checkpointed(agent, { actionRng, replayRng });
  let step = 0, episodes = 0, gradientSteps = 0;
  let resumed: DqnMeta | undefined;
  if (resumeFrom) {
    const { checkpoint } = resumeFrom;
    await restoreTraining(training, checkpoint);
    buffer = ReplayBuffer.fromArrays(checkpoint.tensors.replay);
    resumed = checkpoint.meta as DqnMeta;
    ({ episodes, gradientSteps } = resumed);
    step = checkpoint.step;
    console.error(`${buffer.size} transitions in the replay buffer`);
  }
  const resetEpisode = () => env.reset({ seed: deriveSeed(c.seed, `env-${episodes}`) }).obs;

  const rl = await RlRun.open(lab, start, {
    envId,
    threshold,
    evalEpisodes: c.evalEpisodes,
    totalSteps,
    startStep: step,
    gracefulStop: "at the end of this episode", // where a checkpoint resumes exactly
    resumed: resumed && { wallSeconds: resumed.wallSeconds, reachedAt: resumed.thresholdReachedAt },
  });
  const { run } = rl;
  const log = new TrainingLog(rl, { label: envId, startStep: step, epsilonAt, online: agent.online });
  await withRun(run, async () => {
    let evaluatedAt = -1, checkpointedAt = step;
    const evaluate = async () => {
      evaluatedAt = step;
      const policy = (obs: Float32Array, rows: number) => greedy(agent.online, obs, rows);
      await rl.evaluate(step, policy, { at: { envSteps: step }, label: `step ${step}/${totalSteps}` });
      log.gpu.restart(step); // the window counts training, not evaluation
    };
    const saveCheckpoint = async () => {
      await log.flush(step);
      checkpointedAt = step;
      const meta: DqnMeta = {
        episodes,
        gradientSteps,
        thresholdReachedAt: rl.reachedAt,
        wallSeconds: rl.wallSeconds(),
      };
      // RL has no epochs; the episodes completed stand in for them
      await run.checkpoint({
        step,
        epoch: episodes,
        ...await captureTraining(training, { tensors: { replay: buffer.toArrays() }, meta }),
      });
      log.gpu.restart(step);
    };

    // ---- training: act epsilon-greedily, store the transition, learn from replayed minibatches
    let obs = resetEpisode();
    let episodeReturn = 0, episodeLength = 0;
    while (step < totalSteps) {
      await run.yieldToSignals(); // lets Ctrl-C stop the run promptly
      // #region act-and-store
      // uniform before learningStarts (SB3's warm-up), then epsilon-greedy
      const action = actsAtRandom(step, c) || actionRng.uniform() < epsilonAt(step)
        ? actionRng.int(numActions)
        : (await greedy(agent.online, obs, 1))[0];
      const next = env.step(action);
      // Bootstrap through time-limit truncations: only a terminal state has no next value.
      buffer.add({ obs, action, reward: next.reward, nextObs: next.obs, terminated: next.terminated });
      // #endregion
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

      // #region learn
      // as SB3 orders them (lib/rl/dqn_schedule.ts): a target update due now, then the training phase
      const due = afterEnvStep(step, c);
      if (due.updateTarget) updateTarget(agent.online, agent.target, c.tau);
      log.gpu.startTraining();
      for (let g = 0; g < due.gradientSteps; g++) {
        const batch = buffer.sample(c.batchSize, replayRng);
        log.add(dqnUpdate(agent, batch, c), batch);
        gradientSteps++;
      }
      log.gpu.endTraining(due.gradientSteps);
      // #endregion

      // ---- logging, evaluation, checkpoints (at episode ends, so no episode is cut in two)
      if (step % c.logEvery === 0) await log.flush(step);
      if (step % c.evalEvery === 0) await evaluate();
      if (episodeEnded && step < totalSteps) {
        const due = Math.floor(step / c.checkpointEvery) > Math.floor(checkpointedAt / c.checkpointEvery);
        await rl.checkpointOrStop(step, { due, save: saveCheckpoint });
      }
    }
    // A capped run (--max-steps) ends like a full one: evaluation, checkpoint, summary.
    await log.flush(step);
    if (evaluatedAt !== step) await evaluate();
    await saveCheckpoint();
    await rl.finish(step, { counts: { envSteps: step, episodes, gradientSteps }, reference: task.reference });
  });
  agent.online.dispose();
  agent.target.dispose();
  agent.optimizer.dispose();
}
