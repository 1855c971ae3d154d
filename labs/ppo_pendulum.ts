/**
 * ppo-pendulum: Proximal Policy Optimization (Schulman et al., 2017) with continuous actions on
 * Pendulum-v1, as CleanRL's ppo_continuous_action.py reads: a diagonal Gaussian policy whose mean
 * comes from a 64-64 tanh network and whose log standard deviation is a learned vector that does
 * not depend on the state, a separate critic, orthogonal init, GAE, the clipped objective, Adam
 * (eps 1e-5) and gradient-norm clipping. The defaults are RL Baselines3 Zoo's tuned Pendulum-v1
 * PPO (hyperparams/ppo.yml: 4 envs x 1024 steps, minibatches of 64, 10 epochs, gamma 0.9,
 * lambda 0.95, learning rate 1e-3, clip 0.2, no entropy bonus) with gSDE off (the zoo uses
 * use_sde with sde_sample_freq 4): a plain Gaussian, log std starting at 0. No observation or
 * reward normalisation. Episodes never terminate; the 200-step time limit is bootstrapped from
 * the value of the last observation, as Stable-Baselines3 does.
 * Pendulum-v1 registers no reward threshold; solved here means a mean return >= -250 over 100
 * evaluation episodes with the mean action (the bar). Pendulum clips torques to [-2, 2].
 *
 *   deno task lab ppo-pendulum [--total-timesteps 100000] [--seed 1] [--max-steps N] ...
 */
import { make, makeVec, type VectorStepResult } from "../environments/mod.ts";
import { UsageError } from "../lib/errors.ts";
import { exitOnError } from "../lib/exit_on_error.ts";
import { type Lab, openRun, startLab, withRun } from "../lib/lab.ts";
import { Progress } from "../lib/progress.ts";
import { ActionLog } from "../lib/rl/action_log.ts";
import { clipGradNorm } from "../lib/rl/clip_grad_norm.ts";
import { recordEpisode } from "../lib/rl/evaluate.ts";
import { type BatchedPolicy, evaluateBatched } from "../lib/rl/evaluate_batched.ts";
import { orthogonalDense } from "../lib/rl/orthogonal.ts";
import { gaussianEntropy, gaussianLogProb } from "../lib/rl/policy.ts";
import { ppoLoss } from "../lib/rl/ppo_loss.ts";
import { explainedVariance, Rollout } from "../lib/rl/rollout.ts";
import { deriveSeed, Rng, type RngState } from "../lib/rng.ts";
import { layers, type Tensor, tf } from "../lib/tf.ts";
import { captureAdam, captureWeights, restoreAdam, restoreWeights } from "../lib/train_state.ts";
import { adam } from "../lib/adam.ts";

const ENV_ID = "Pendulum-v1";
const OBS_SIZE = 3; // cos(theta), sin(theta), angular velocity
const ACTION_SIZE = 1; // torque
/** Gymnasium registers none for Pendulum-v1; the issue asks for -250. */
const REWARD_THRESHOLD = -250;

export const lab: Lab<typeof spec> = {
  id: "ppo-pendulum",
  title: "PPO with a Gaussian policy on Pendulum-v1",
  description:
    "Schulman et al. (2017) as CleanRL's ppo_continuous_action.py, with RL Baselines3 Zoo's tuned Pendulum-v1\n" +
    "hyperparameters, gSDE off. Solved: mean return >= -250 over 100 evaluation episodes with the mean action.\n" +
    "Here --max-steps caps env steps (rounded down to whole updates of num-envs x num-steps, at least one);\n" +
    "the schedules still run over --total-timesteps.",
  get spec() {
    return spec;
  },
  headline: "eval/mean_return",
};

const spec = {
  totalTimesteps: {
    type: "int",
    default: 100_000,
    min: 1,
    help: "env steps to train for (rounded up to whole updates)",
  },
  numEnvs: { type: "int", default: 4, min: 1, max: 1024, help: "Pendulum copies stepped together" },
  numSteps: { type: "int", default: 1024, min: 1, help: "steps per copy in each rollout" },
  lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate at the start" },
  annealLr: { type: "bool", default: false, help: "anneal the learning rate linearly to 0" },
  gamma: { type: "float", default: 0.9, min: 0, max: 1, help: "discount factor" },
  gaeLambda: { type: "float", default: 0.95, min: 0, max: 1, help: "GAE lambda" },
  numMinibatches: { type: "int", default: 64, min: 1, help: "minibatches per rollout (64 of 64 steps, as SB3)" },
  updateEpochs: { type: "int", default: 10, min: 1, help: "passes over each rollout" },
  normAdv: { type: "bool", default: true, help: "normalise advantages per minibatch" },
  clipCoef: { type: "float", default: 0.2, min: 0, max: 10, help: "surrogate clipping coefficient at the start" },
  annealClip: { type: "bool", default: false, help: "anneal the clipping coefficient linearly to 0" },
  clipVloss: { type: "bool", default: false, help: "clip the value loss around the rollout's values (CleanRL does)" },
  entCoef: { type: "float", default: 0.0, min: 0, help: "entropy bonus coefficient" },
  vfCoef: { type: "float", default: 1.0, min: 0, help: "value loss coefficient on 0.5 * MSE (= SB3's 0.5 on MSE)" },
  maxGradNorm: { type: "float", default: 0.5, min: 0, help: "global gradient-norm clip (0: none)" },
  hidden: { type: "int", default: 64, min: 1, max: 4096, help: "units in each of the two hidden layers" },
  logStdInit: { type: "float", default: 0, min: -20, max: 2, help: "initial log standard deviation of the policy" },
  evalEvery: { type: "int", default: 1, min: 1, help: "updates between mean-action evaluations" },
  evalEpisodes: { type: "int", default: 100, min: 1, max: 10_000, help: "episodes per evaluation" },
  checkpointEvery: { type: "int", default: 1, min: 1, help: "updates between checkpoints (and one at the end)" },
} as const;

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-5 }; // CleanRL's and SB3's PPO
const TANH_HIDDEN = { gain: Math.SQRT2, activation: "tanh" } as const;

interface Agent {
  actorMean: layers.Sequential; // obs [B, 3] -> mean torque [B, 1]
  logStd: tf.Variable; // [1], the same for every state
  critic: layers.Sequential; // obs [B, 3] -> V(s) [B, 1]
}

/** CleanRL's Agent: gains sqrt(2) on hidden layers, 0.01 on the mean head, 1 on the value head. */
function buildAgent(hidden: number, logStdInit: number, rng: Rng): Agent {
  const mlp = (name: string, out: number, gain: number) =>
    layers.sequential({
      name,
      layers: [
        orthogonalDense({ name: `${name}0`, units: hidden, fanIn: OBS_SIZE, ...TANH_HIDDEN, rng }),
        orthogonalDense({ name: `${name}1`, units: hidden, fanIn: hidden, ...TANH_HIDDEN, rng }),
        orthogonalDense({ name: `${name}_out`, units: out, fanIn: hidden, gain, rng }),
      ],
    });
  return {
    actorMean: mlp("actor_mean", ACTION_SIZE, 0.01),
    logStd: tf.tidy(() => tf.variable(tf.fill([ACTION_SIZE], logStdInit))),
    critic: mlp("critic", 1, 1),
  };
}

const agentVariables = (agent: Agent) => [
  ...agent.actorMean.trainableWeights.map((w) => w.read() as tf.Variable),
  agent.logStd,
  ...agent.critic.trainableWeights.map((w) => w.read() as tf.Variable),
];

/**
 * One sampled action per row, a ~ N(mean(s), exp(logStd)^2), with its log-probability and the state's
 * value. Read back with `await data()`: WebGPU has no `dataSync()`.
 */
async function act(agent: Agent, obs: Float32Array, seed: number) {
  const rows = obs.length / OBS_SIZE;
  const out = tf.tidy(() => {
    const x = tf.tensor2d(obs, [rows, OBS_SIZE]);
    const mean = agent.actorMean.apply(x) as Tensor; // [N, 1]
    const noise = tf.randomNormal([rows, ACTION_SIZE], 0, 1, "float32", seed); // [N, 1]
    const action = tf.add(mean, tf.mul(tf.exp(agent.logStd), noise)); // [N, 1], unclipped: the env clips
    const logProb = gaussianLogProb(action, mean, agent.logStd); // [N]
    const value = tf.reshape(agent.critic.apply(x) as Tensor, [-1]); // [N]
    return tf.stack([tf.reshape(action, [-1]), logProb, value]); // [3, N] (ACTION_SIZE is 1)
  });
  const data = await out.data() as Float32Array;
  out.dispose();
  return { actions: data.slice(0, rows), logProbs: data.slice(rows, 2 * rows), values: data.slice(2 * rows) };
}

/** V(s) of each row of `obs`. */
async function stateValues(agent: Agent, obs: Float32Array): Promise<Float32Array> {
  const v = tf.tidy(() =>
    tf.reshape(agent.critic.apply(tf.tensor2d(obs, [obs.length / OBS_SIZE, OBS_SIZE])) as Tensor, [-1])
  );
  const data = await v.data() as Float32Array;
  v.dispose();
  return data;
}

/** V(final observation) of each copy whose episode the time limit cut this step (0 elsewhere). */
async function finalValues(
  agent: Agent,
  result: VectorStepResult<Float32Array>,
): Promise<Float32Array | undefined> {
  const cut = result.truncated.flatMap((truncated, i) => (truncated && !result.terminated[i] ? [i] : []));
  if (!cut.length) return undefined;
  const values = await stateValues(agent, Float32Array.from(cut.flatMap((i) => [...result.finalObs[i]!])));
  const perCopy = new Float32Array(result.truncated.length);
  cut.forEach((i, r) => (perCopy[i] = values[r]));
  return perCopy;
}

/** SB3's deterministic evaluation: the mean action. */
const meanAction = (agent: Agent): BatchedPolicy => async (obs, rows) => {
  const a = tf.tidy(() => agent.actorMean.apply(tf.tensor2d(obs, [rows, OBS_SIZE])) as Tensor);
  const data = await a.data();
  a.dispose();
  return data;
};

/** What one update trains on: the rollout, flattened, as tensors. */
interface Batch {
  obs: Tensor; // [B, 3]
  actions: Tensor; // [B, 1]
  logProbs: Tensor; // [B]
  advantages: Tensor; // [B]
  returns: Tensor; // [B]
  values: Tensor; // [B]
}

/**
 * One clipped-PPO step on the minibatch `indices`; returns, not yet read back, [policy loss,
 * value loss, entropy, approx_kl, clip fraction, gradient norm].
 */
function trainMinibatch(
  agent: Agent,
  optimizer: tf.AdamOptimizer,
  batch: Batch,
  indices: Int32Array,
  c: { clipCoef: number; entCoef: number; vfCoef: number; clipVloss: boolean; normAdv: boolean; maxGradNorm: number },
): Tensor {
  return tf.tidy(() => {
    const idx = tf.tensor1d(indices, "int32");
    const mb = Object.fromEntries(Object.entries(batch).map(([k, t]) => [k, tf.gather(t, idx)])) as unknown as Batch;
    let metrics!: Tensor;
    const { value, grads } = tf.variableGrads(() => {
      const mean = agent.actorMean.apply(mb.obs) as Tensor; // [M, 1]
      const out = ppoLoss({
        newLogProb: gaussianLogProb(mb.actions, mean, agent.logStd),
        oldLogProb: mb.logProbs,
        advantages: mb.advantages,
        newValues: tf.reshape(agent.critic.apply(mb.obs) as Tensor, [-1]),
        oldValues: mb.values,
        returns: mb.returns,
        entropy: gaussianEntropy(agent.logStd),
      }, {
        clipCoef: c.clipCoef,
        entCoef: c.entCoef,
        vfCoef: c.vfCoef,
        clipValueLoss: c.clipVloss,
        normAdvantages: c.normAdv,
      });
      metrics = tf.keep(tf.stack([out.policyLoss, out.valueLoss, out.entropy, out.approxKl, out.clipFraction]));
      return out.loss;
    }, agentVariables(agent));
    value.dispose();
    const clipped = c.maxGradNorm > 0 ? clipGradNorm(grads, c.maxGradNorm) : { grads, norm: tf.scalar(NaN) };
    optimizer.applyGradients(Object.entries(clipped.grads).map(([name, tensor]) => ({ name, tensor })));
    const all = tf.concat([metrics, tf.reshape(clipped.norm, [1])]); // [6]
    metrics.dispose(); // kept out of variableGrads' scope, so no tidy disposes it
    return all;
  });
}

// tfjs keeps the learning rate in a protected field that every applyGradients reads.
function setLearningRate(optimizer: tf.AdamOptimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;
  const threshold = REWARD_THRESHOLD;

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
  const vec = makeVec(ENV_ID, { numEnvs: config.numEnvs });
  const agent = buildAgent(config.hidden, config.logStdInit, new Rng(deriveSeed(config.seed, "init")));
  const optimizer = adam(config.lr, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  let sampling = new Rng(deriveSeed(config.seed, "actions"));
  let shuffling = new Rng(deriveSeed(config.seed, "minibatches"));
  let actionLog = new ActionLog(config.numEnvs * ACTION_SIZE);
  let obs = vec.reset({ seed: config.seed }).obs; // copy i seeded seed + i, as CleanRL
  let update = 0, episodes = 0, wallBefore = 0;
  let solved: { envSteps: number; wallSeconds: number; update: number } | null = null;
  let lastEval = { mean: NaN, std: NaN };
  if (resumeFrom) {
    const { checkpoint } = resumeFrom;
    restoreWeights([agent.actorMean, agent.critic], checkpoint.tensors.model);
    tf.tidy(() => agent.logStd.assign(tf.tensor(checkpoint.tensors.logStd[0].data, [ACTION_SIZE])));
    await restoreAdam(optimizer, checkpoint.tensors.optimizer);
    const meta = checkpoint.meta as Record<string, unknown>;
    sampling = Rng.fromState(meta.sampling as RngState);
    shuffling = Rng.fromState(meta.shuffling as RngState);
    ({ episodes, wallSeconds: wallBefore } = meta as { episodes: number; wallSeconds: number });
    solved = meta.solved as typeof solved;
    lastEval = meta.lastEval as typeof lastEval;
    actionLog = ActionLog.fromArray(checkpoint.tensors.actions[0]);
    obs = actionLog.replay(vec, config.seed); // the envs mid-episode, as they were
    update = checkpoint.epoch;
    console.error(`resuming ${resumeFrom.dir} from update ${update}, env step ${checkpoint.step}`);
  }
  const evalSeed = deriveSeed(config.seed, "eval");
  const evaluationEnv = () => make(ENV_ID);

  const run = await openRun(lab, start, { totalSteps: numUpdates * batchSize });
  run.gracefulStop = "at the end of this update"; // where a checkpoint resumes exactly
  const progress = new Progress({ totalSteps: numUpdates * batchSize, startStep: update * batchSize });
  const startedAt = performance.now();
  const wallSeconds = () => wallBefore + (performance.now() - startedAt) / 1000;
  const summary = await withRun(run, async () => {
    const rollout = new Rollout({
      numEnvs: config.numEnvs,
      numSteps: config.numSteps,
      obsSize: OBS_SIZE,
      actionSize: ACTION_SIZE,
    });

    const saveCheckpoint = async () =>
      await run.checkpoint({
        step: update * batchSize,
        epoch: update,
        tensors: {
          model: await captureWeights([agent.actorMean, agent.critic]),
          logStd: [{ name: "logStd", shape: [ACTION_SIZE], data: await agent.logStd.data() as Float32Array }],
          optimizer: await captureAdam(optimizer),
          actions: [actionLog.toArray()],
        },
        meta: {
          sampling: sampling.state(),
          shuffling: shuffling.state(),
          episodes,
          wallSeconds: wallSeconds(),
          solved,
          lastEval,
        },
      });

    while (update < numUpdates) {
      await run.yieldToSignals(); // lets Ctrl-C stop the run promptly
      update++;
      const globalStart = (update - 1) * batchSize;
      const progressLeft = 1 - (update - 1) / plannedUpdates; // CleanRL's frac, over the planned budget
      const lr = config.annealLr ? progressLeft * config.lr : config.lr;
      const clipCoef = config.annealClip ? progressLeft * config.clipCoef : config.clipCoef;
      setLearningRate(optimizer, lr);
      const updateStartedAt = performance.now();

      // ---- rollout: numSteps steps of every copy with the current policy
      for (let t = 0; t < config.numSteps; t++) {
        const step = await act(agent, obs, sampling.nextUint32());
        const result = vec.step(step.actions);
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
      const batch: Batch = {
        obs: tf.tensor2d(rollout.obs, [batchSize, OBS_SIZE]),
        actions: tf.tensor2d(rollout.actions, [batchSize, ACTION_SIZE]),
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
          metrics.push(trainMinibatch(agent, optimizer, batch, indices, coefficients));
        }
      }
      const means = tf.tidy(() => tf.mean(tf.stack(metrics), 0));
      const [policyLoss, valueLoss, entropy, approxKl, clipFrac, gradNorm] = await means.data();
      tf.dispose([means, ...metrics, ...Object.values(batch)]);

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
        "charts/action_std": Math.exp((await agent.logStd.data())[0]),
        "losses/explained_variance": explainedVariance(rollout.values, returns),
        "system/num_tensors": tf.memory().numTensors,
      });
      progress.update(step, { label: `update ${update}/${numUpdates}`, loss: policyLoss + valueLoss });

      // ---- evaluation: greedy actions over evalEpisodes fixed seeds, and one episode for replay
      if (update % config.evalEvery === 0 || update === numUpdates) {
        const evaluation = await evaluateBatched(evaluationEnv, meanAction(agent), {
          episodes: config.evalEpisodes,
          seed: evalSeed,
        });
        lastEval = { mean: evaluation.mean, std: evaluation.std };
        if (!solved && evaluation.mean >= threshold) solved = { envSteps: step, wallSeconds: wallSeconds(), update };
        run.scalars(step, { "eval/mean_return": evaluation.mean, "eval/std_return": evaluation.std });
        const policy = meanAction(agent);
        const record = await recordEpisode(evaluationEnv(), (o) => policy(o, 1), evalSeed);
        await run.episode(step, "eval/episode", record, threshold);
        progress.log(
          step,
          `update ${update}/${numUpdates} | eval return ${evaluation.mean.toFixed(1)} +- ${evaluation.std.toFixed(1)}` +
            (solved ? ` | solved at ${solved.envSteps} steps` : ""),
        );
      }
      if (update % config.checkpointEvery === 0 || update === numUpdates) await saveCheckpoint();
      if (update < numUpdates) {
        await run.stopIfRequested(update * batchSize, saveCheckpoint, {
          justSaved: update % config.checkpointEvery === 0,
        });
      }
    }
    progress.stop();

    const result = {
      lab: lab.id,
      env: ENV_ID,
      envSteps: update * batchSize,
      updates: update,
      episodes,
      "eval/mean_return": lastEval.mean,
      "eval/std_return": lastEval.std,
      evalEpisodes: config.evalEpisodes,
      rewardThreshold: threshold,
      solved: solved !== null,
      thresholdReachedAt: solved,
      reference: {
        sb3: "RL Baselines3 Zoo tuned PPO with gSDE, 100,000 env steps: -172.2 +- 104.2 (benchmark.md)",
      },
      backend: start.backend.name,
      wallSeconds: wallSeconds(),
    };
    await run.finish(update * batchSize, result);
    return result;
  });
  agent.actorMean.dispose();
  agent.logStd.dispose();
  agent.critic.dispose();
  optimizer.dispose();
  console.error(
    `finished: eval return ${summary["eval/mean_return"].toFixed(1)} +- ${summary["eval/std_return"].toFixed(1)} ` +
      `after ${summary.envSteps} env steps` +
      (summary.thresholdReachedAt
        ? `; reached ${threshold} at ${summary.thresholdReachedAt.envSteps} steps, ` +
          `${summary.thresholdReachedAt.wallSeconds.toFixed(1)} s`
        : "") +
      ` -> ${run.dir}`,
  );
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
