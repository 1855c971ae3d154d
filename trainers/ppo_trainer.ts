/**
 * Proximal Policy Optimization (Schulman et al., 2017) as CleanRL's ppo.py and
 * ppo_continuous_action.py read: vectorised envs, generalised advantage estimation (Schulman et
 * al., 2016), the clipped surrogate objective, an entropy bonus, Adam (eps 1e-5), global
 * gradient-norm clipping, advantages normalised per minibatch, the learning rate and the clipping
 * coefficient optionally annealed linearly to 0. Unlike CleanRL, an episode cut by the time limit
 * is bootstrapped from the value of its last observation, as Stable-Baselines3 does.
 *
 * The labs (labs/ppo_cartpole.ts, labs/ppo_pendulum.ts) give the env, the agent (lib/rl/ppo_agent.ts:
 * categorical or Gaussian) and their defaults of the spec (lib/rl/ppo_spec.ts); this file is the
 * loop they share: rollout, update, logging. Its run bookkeeping (evaluation, checkpoints that
 * resume exactly, graceful stop at the end of an update, summary) is trainers/rl_run.ts's.
 */
import { makeVec, type VectorStepResult } from "../environments/mod.ts";
import { adam, PYTORCH_ADAM } from "../lib/adam.ts";
import { UsageError } from "../lib/errors.ts";
import { GpuWindow } from "../lib/gpu_counters.ts";
import { type Lab, type LabStart, type RunFlags, withRun } from "../runner/lab.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import { type Tensor, tf } from "../lib/tf.ts";
import { captureTraining, restoreTraining, type Training } from "../lib/train_state.ts";
import type { Config } from "../lib/hparams.ts";
import type { PpoSpec } from "../lib/rl/ppo_spec.ts";
import { ActionLog } from "../lib/rl/action_log.ts";
import type { BatchedPolicy } from "../lib/rl/evaluate_batched.ts";
import { denseOutput } from "../lib/rl/dense_stack.ts";
import type { PpoAgent } from "../lib/rl/ppo_agent.ts";
import { type PpoRolloutBatch, ppoUpdate } from "../lib/rl/ppo_update.ts";
import { explainedVariance, Rollout } from "../lib/rl/rollout.ts";
import { type EvalReturn, type Reached, RlRun, type VectorObsEnvId } from "./rl_run.ts";

export interface PpoTask {
  envId: VectorObsEnvId;
  /** the mean evaluation return that counts as solved */
  threshold: number;
  /** builds the agent (called once, after the flags are checked) */
  agent: (rng: Rng) => PpoAgent;
  /** the published results the summary quotes */
  reference: Record<string, string>;
}

const ADAM = { ...PYTORCH_ADAM, epsilon: 1e-5 }; // CleanRL's and SB3's PPO

/**
 * One sampled action per row, with its log-probability and the state's value. Read back with
 * `await data()`: WebGPU has no `dataSync()`.
 */
async function act(agent: PpoAgent, obs: Float32Array, seed: number) {
  const rows = obs.length / agent.obsSize, width = rows * agent.actionSize;
  const out = tf.tidy(() => {
    const x = tf.tensor2d(obs, [rows, agent.obsSize]);
    const { actions, logProb } = agent.sample(x, seed); // [N, actionSize], [N]
    const value = tf.reshape(denseOutput(agent.critic, x), [-1]); // [N]
    return tf.concat([tf.reshape(actions, [-1]), logProb, value]); // [N * actionSize + 2N]
  });
  const data = await out.data() as Float32Array;
  out.dispose();
  return { actions: data.slice(0, width), logProbs: data.slice(width, width + rows), values: data.slice(width + rows) };
}

/** V(s) of each row of `obs`. */
async function stateValues(agent: PpoAgent, obs: Float32Array): Promise<Float32Array> {
  const v = tf.tidy(() =>
    tf.reshape(denseOutput(agent.critic, tf.tensor2d(obs, [obs.length / agent.obsSize, agent.obsSize])), [-1])
  );
  const data = await v.data() as Float32Array;
  v.dispose();
  return data;
}

/** V(final observation) of each copy whose episode the time limit cut this step (0 elsewhere). */
async function finalValues(
  agent: PpoAgent,
  result: VectorStepResult<Float32Array>,
): Promise<Float32Array | undefined> {
  const cut = result.truncated.flatMap((truncated, i) => (truncated && !result.terminated[i] ? [i] : []));
  if (!cut.length) return undefined;
  const values = await stateValues(agent, Float32Array.from(cut.flatMap((i) => [...result.finalObs[i]!])));
  const perCopy = new Float32Array(result.truncated.length);
  cut.forEach((i, r) => (perCopy[i] = values[r]));
  return perCopy;
}

/** SB3's deterministic evaluation policy. */
const deterministic = (agent: PpoAgent): BatchedPolicy => async (obs, rows) => {
  const a = tf.tidy(() => agent.deterministic(tf.tensor2d(obs, [rows, agent.obsSize])));
  const data = await a.data();
  a.dispose();
  return data;
};

/** The counters a run keeps of when its evaluation first reached the threshold. */
type PpoAt = { envSteps: number; update: number };

/** What a checkpoint keeps besides its tensors, its step (update x batch size) and its epoch (update). */
type PpoMeta = {
  episodes: number;
  wallSeconds: number;
  solved: Reached<PpoAt> | null;
  lastEval: EvalReturn;
};

/** Trains `task`'s agent with PPO as `start`'s flags say, writing the run; resumes when asked. */
export async function trainPpo<S extends PpoSpec>(lab: Lab<S>, start: LabStart<S>, task: PpoTask): Promise<void> {
  const config: Config<PpoSpec & RunFlags> = start.config;
  const { resumeFrom } = start;
  const { envId, threshold } = task;

  // ---- plan: whole updates of numEnvs x numSteps env steps
  const batchSize = config.numEnvs * config.numSteps;
  const minibatchSize = Math.floor(batchSize / config.numMinibatches);
  if (minibatchSize < 1) {
    throw new UsageError(
      `--num-minibatches ${config.numMinibatches} is more than the ${batchSize} steps of a rollout.`,
    );
  }
  const plannedUpdates = Math.ceil(config.totalTimesteps / batchSize);
  const numUpdates = config.maxSteps
    ? Math.min(plannedUpdates, Math.max(1, Math.floor(config.maxSteps / batchSize)))
    : plannedUpdates;

  // ---- envs, agent and optimiser (restored from the checkpoint when resuming)
  const vec = makeVec(envId, { numEnvs: config.numEnvs });
  const agent = task.agent(new Rng(deriveSeed(config.seed, "init")));
  const optimizer = adam(config.lr, ADAM);
  const sampling = new Rng(deriveSeed(config.seed, "actions"));
  const shuffling = new Rng(deriveSeed(config.seed, "minibatches"));
  const training: Training = {
    tensors: { ...agent.checkpointed, optimizer: { adam: optimizer } },
    rngs: { sampling, shuffling },
  };
  let actionLog = new ActionLog(config.numEnvs * agent.actionSize);
  let obs = vec.reset({ seed: config.seed }).obs as Float32Array; // copy i seeded seed + i, as CleanRL
  let update = 0, episodes = 0;
  let resumed: PpoMeta | undefined;
  if (resumeFrom) {
    const { checkpoint } = resumeFrom;
    await restoreTraining(training, checkpoint);
    resumed = checkpoint.meta as PpoMeta;
    episodes = resumed.episodes;
    actionLog = ActionLog.fromArray(checkpoint.tensors.actions[0]);
    obs = actionLog.replay(vec, config.seed) as Float32Array; // the envs mid-episode, as they were
    update = checkpoint.epoch;
  }

  const rl = await RlRun.open(lab, start, {
    envId,
    threshold,
    evalEpisodes: config.evalEpisodes,
    totalSteps: numUpdates * batchSize,
    startStep: update * batchSize,
    gracefulStop: "at the end of this update", // where a checkpoint resumes exactly
    resumed: resumed && { wallSeconds: resumed.wallSeconds, reachedAt: resumed.solved, lastEval: resumed.lastEval },
  });
  const { run } = rl;
  const gpu = new GpuWindow(update * batchSize); // on WebGPU: what each update's rollout and training cost
  await withRun(run, async () => {
    const rollout = new Rollout({
      numEnvs: config.numEnvs,
      numSteps: config.numSteps,
      obsSize: agent.obsSize,
      actionSize: agent.actionSize,
    });

    const saveCheckpoint = async () => {
      const meta: PpoMeta = {
        episodes,
        wallSeconds: rl.wallSeconds(),
        solved: rl.reachedAt,
        lastEval: rl.lastEval,
      };
      await run.checkpoint({
        step: update * batchSize,
        epoch: update,
        ...await captureTraining(training, { tensors: { actions: [actionLog.toArray()] }, meta }),
      });
    };

    while (update < numUpdates) {
      await run.yieldToSignals(); // lets Ctrl-C stop the run promptly
      update++;
      const globalStart = (update - 1) * batchSize;
      // #region anneal
      const progressLeft = 1 - (update - 1) / plannedUpdates; // CleanRL's frac, over the planned budget
      const lr = config.annealLr ? progressLeft * config.lr : config.lr;
      const clipCoef = config.annealClip ? progressLeft * config.clipCoef : config.clipCoef;
      optimizer.setLearningRate(lr);
      // #endregion
      const updateStartedAt = performance.now();
      gpu.restart(globalStart);

      // ---- rollout: numSteps steps of every copy with the current policy
      for (let t = 0; t < config.numSteps; t++) {
        const step = await act(agent, obs, sampling.nextUint32());
        const result = vec.step(step.actions) as VectorStepResult<Float32Array>;
        actionLog.push(step.actions);
        rollout.add(t, { ...step, ...result, obs, finalValues: await finalValues(agent, result) });
        obs = result.obs;
        for (const e of result.episodes) {
          episodes++;
          run.scalars(globalStart + (t + 1) * config.numEnvs, {
            "charts/episodic_return": e.return,
            "charts/episodic_length": e.length,
          });
        }
      }
      const { advantages, returns } = rollout.advantages(await stateValues(agent, obs), config);

      // ---- optimisation: updateEpochs passes over shuffled minibatches
      gpu.startTraining();
      const batch: PpoRolloutBatch = {
        obs: tf.tensor2d(rollout.obs, [batchSize, agent.obsSize]),
        actions: agent.actionTensor(rollout.actions, batchSize),
        logProbs: tf.tensor1d(rollout.logProbs),
        advantages: tf.tensor1d(advantages),
        returns: tf.tensor1d(returns),
        values: tf.tensor1d(rollout.values),
      };
      const metrics: Tensor[] = [];
      const coefficients = { ...config, clipCoef };
      for (let epoch = 0; epoch < config.updateEpochs; epoch++) {
        const order = shuffling.permutation(batchSize);
        for (let m = 0; m < config.numMinibatches; m++) {
          const indices = order.subarray(m * minibatchSize, (m + 1) * minibatchSize);
          metrics.push(ppoUpdate(agent, optimizer, { batch, indices }, coefficients));
        }
      }
      const means = tf.tidy(() => tf.mean(tf.stack(metrics), 0));
      const [policyLoss, valueLoss, entropy, approxKl, clipFrac, gradNorm] = await means.data();
      tf.dispose([means, ...metrics, ...Object.values(batch)]);
      const chartScalars = await agent.chartScalars();
      gpu.endTraining(config.updateEpochs * config.numMinibatches);

      // ---- logging
      const step = update * batchSize;
      run.scalars(step, {
        "charts/learning_rate": lr,
        "charts/clip_coef": clipCoef,
        "charts/sps": batchSize / ((performance.now() - updateStartedAt) / 1000),
        "losses/policy_loss": policyLoss,
        "losses/value_loss": valueLoss,
        "losses/entropy": entropy,
        "losses/approx_kl": approxKl,
        "losses/clipfrac": clipFrac,
        "losses/grad_norm": gradNorm,
        ...chartScalars,
        "losses/explained_variance": explainedVariance(rollout.values, returns),
        "system/num_tensors": tf.memory().numTensors,
        ...gpu.take(step),
      });
      rl.progress.update(step, { label: `update ${update}/${numUpdates}`, loss: policyLoss + valueLoss });

      // ---- evaluation: deterministic actions over evalEpisodes fixed seeds, and one episode for replay
      const last = update === numUpdates;
      if (update % config.evalEvery === 0 || last) {
        const label = `update ${update}/${numUpdates}`;
        await rl.evaluate(step, deterministic(agent), { at: { envSteps: step, update }, label });
      }
      await rl.checkpointOrStop(step, { due: update % config.checkpointEvery === 0, last, save: saveCheckpoint });
    }
    const counts = { envSteps: update * batchSize, updates: update, episodes };
    await rl.finish(update * batchSize, { counts, reference: task.reference });
  });
  agent.dispose();
  optimizer.dispose();
}
