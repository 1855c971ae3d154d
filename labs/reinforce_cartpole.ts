/**
 * reinforce-cartpole: REINFORCE (Williams, 1992) on CartPole-v1, the Monte-Carlo policy gradient
 * with reward-to-go and a learned state-value baseline (Sutton and Barto, 2018, section 13.4):
 *
 *   A_t = G_t - V(s_t),   G_t = sum_k gamma^k r_{t+k}   (to the end of the episode)
 *   policy loss = -mean(log pi(a_t|s_t) * A_t) - entCoef * entropy,   value loss = 0.5 * mean((V(s_t) - G_t)^2)
 *
 * with the policy and the baseline each a 64-64 tanh MLP with PyTorch's default init and its own
 * Adam, one update per episode by default. Advantages are not normalised by default: normalising
 * one episode's advantages keeps pushing half its actions down even once every episode lasts 500
 * steps, and made the greedy return swing more after reaching the threshold in our runs. An
 * episode cut by the time limit (500 steps) is not a failure: its reward-to-go is bootstrapped
 * from V of its last observation. Every event's step is the number of training episodes so far.
 * Solved: mean return >= 475 over 100 greedy (argmax) evaluation episodes, within 1,000 episodes.
 *
 *   deno task lab reinforce-cartpole [--episodes 1000] [--seed 1] [--max-steps N] ...
 */
import { make, spec as envSpec } from "../environments/mod.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { type Lab, startLab, withRun } from "../runner/lab.ts";
import { GpuWindow } from "../lib/gpu_counters.ts";
import { linear } from "../lib/models/linear.ts";
import type { BatchedPolicy } from "../lib/rl/evaluate_batched.ts";
import { categoricalEntropy, categoricalLogProb, sampleCategorical } from "../lib/rl/policy.ts";
import { discountedReturns } from "../lib/rl/returns.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import { layers, type Tensor, tf } from "../lib/tf.ts";
import { captureTraining, restoreTraining, type Training } from "../lib/train_state.ts";
import { adam, PYTORCH_ADAM } from "../lib/adam.ts";
import { type EvalReturn, type Reached, RlRun } from "../trainers/rl_run.ts";

const ENV_ID = "CartPole-v1";
const OBS_SIZE = 4; // cart position and velocity, pole angle and angular velocity
const ACTIONS = 2; // push left, push right

export const lab: Lab<typeof spec> = {
  id: "reinforce-cartpole",
  title: "REINFORCE with a learned baseline on CartPole-v1",
  description: "Williams (1992), reward-to-go and a state-value baseline (Sutton and Barto, section 13.4).\n" +
    "Solved: mean return >= 475 over 100 greedy evaluation episodes within 1,000 training episodes.\n" +
    "Event steps count training episodes. Here --max-steps caps env steps: training stops after the\n" +
    "update (of --batch-episodes episodes) that reaches it.",
  get spec() {
    return spec;
  },
  headline: "eval/mean_return",
  better: "higher",
};

const spec = {
  episodes: { type: "int", default: 1000, min: 1, help: "training episodes" },
  batchEpisodes: { type: "int", default: 1, min: 1, max: 1000, help: "episodes per policy-gradient update" },
  gamma: { type: "float", default: 0.99, min: 0, max: 1, help: "discount factor" },
  lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate of the policy" },
  valueLr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate of the baseline" },
  entCoef: { type: "float", default: 0.0, min: 0, help: "entropy bonus coefficient" },
  normAdv: { type: "bool", default: false, help: "normalise advantages over each batch (less stable here)" },
  hidden: { type: "int", default: 64, min: 1, max: 4096, help: "units in each of the two hidden layers" },
  evalEvery: { type: "int", default: 20, min: 1, help: "episodes between greedy evaluations" },
  evalEpisodes: { type: "int", default: 100, min: 1, max: 10_000, help: "episodes per evaluation" },
  checkpointEvery: { type: "int", default: 50, min: 1, help: "episodes between checkpoints (and one at the end)" },
  logEvery: {
    type: "int",
    default: 10,
    min: 1,
    help: "updates whose losses are read back together (each logged at its own episode; on a GPU each read stalls it)",
  },
} as const;

/** obs [B, 4] -> [B, out], two tanh hidden layers. */
function mlp(name: string, hidden: number, out: number, rng: Rng): layers.Sequential {
  return layers.sequential({
    name,
    layers: [
      linear({ name: `${name}0`, units: hidden, fanIn: OBS_SIZE, activation: "tanh", rng }),
      linear({ name: `${name}1`, units: hidden, fanIn: hidden, activation: "tanh", rng }),
      linear({ name: `${name}_out`, units: out, fanIn: hidden, rng }),
    ],
  });
}

const variables = (model: layers.LayersModel) => model.trainableWeights.map((w) => w.read() as tf.Variable);

/**
 * One action sampled from pi(.|s) for a single observation. Every read-back here is `await data()`:
 * WebGPU has no `dataSync()`.
 */
async function sampleAction(policy: layers.Sequential, obs: Float32Array, seed: number): Promise<number> {
  const a = tf.tidy(() => sampleCategorical(policy.apply(tf.tensor2d(obs, [1, OBS_SIZE])) as Tensor, seed));
  const action = (await a.data())[0];
  a.dispose();
  return action;
}

/** V(s) of one observation. */
async function stateValue(value: layers.Sequential, obs: Float32Array): Promise<number> {
  const v = tf.tidy(() => value.apply(tf.tensor2d(obs, [1, OBS_SIZE])) as Tensor);
  const result = (await v.data())[0];
  v.dispose();
  return result;
}

/** The greedy policy of SB3's deterministic evaluation: argmax of the logits. */
const greedy = (policy: layers.Sequential): BatchedPolicy => async (obs, rows) => {
  const a = tf.tidy(() => tf.argMax(policy.apply(tf.tensor2d(obs, [rows, OBS_SIZE])) as Tensor, 1));
  const data = await a.data();
  a.dispose();
  return data;
};

/** A batch of whole episodes: states, actions taken and their rewards-to-go. */
interface Trajectories {
  obs: number[];
  actions: number[];
  returns: number[];
}

/**
 * One update of the baseline and then of the policy on a batch of episodes; returns, not yet
 * read back, [policy loss, value loss, entropy, approx_kl], approx_kl measured between the
 * policy before and after the update on the batch's own states and actions.
 */
function update(
  nets: { policy: layers.Sequential; value: layers.Sequential },
  optimizers: { policy: tf.Optimizer; value: tf.Optimizer },
  batch: Trajectories,
  c: { entCoef: number; normAdv: boolean },
): Tensor {
  return tf.tidy(() => {
    const obs = tf.tensor2d(batch.obs, [batch.actions.length, OBS_SIZE]); // [B, 4]
    const actions = tf.tensor1d(batch.actions, "int32"); // [B]
    const returns = tf.tensor1d(batch.returns); // [B]
    const values = tf.reshape(nets.value.apply(obs) as Tensor, [-1]); // [B], before the update
    let advantages = tf.sub(returns, values);
    if (c.normAdv && batch.actions.length > 1) {
      const { mean, variance } = tf.moments(advantages);
      advantages = tf.div(tf.sub(advantages, mean), tf.add(tf.sqrt(variance), 1e-8));
    }
    const valueLoss = optimizers.value.minimize(
      () => tf.mul(0.5, tf.mean(tf.square(tf.sub(tf.reshape(nets.value.apply(obs) as Tensor, [-1]), returns)))),
      true,
      variables(nets.value),
    )!;
    const oldLogProb = categoricalLogProb(nets.policy.apply(obs) as Tensor, actions); // [B]
    let entropy!: Tensor;
    const policyLoss = optimizers.policy.minimize(
      () => {
        const logits = nets.policy.apply(obs) as Tensor; // [B, 2]
        entropy = tf.keep(tf.mean(categoricalEntropy(logits)));
        const surrogate = tf.neg(tf.mean(tf.mul(categoricalLogProb(logits, actions), advantages)));
        return tf.sub(surrogate, tf.mul(c.entCoef, entropy)) as tf.Scalar;
      },
      true,
      variables(nets.policy),
    )!;
    const logRatio = tf.sub(categoricalLogProb(nets.policy.apply(obs) as Tensor, actions), oldLogProb);
    const approxKl = tf.mean(tf.sub(tf.sub(tf.exp(logRatio), 1), logRatio));
    const metrics = tf.stack([policyLoss, valueLoss, entropy, approxKl]); // [4]
    entropy.dispose(); // kept out of minimize's scope, so no tidy disposes it
    return metrics;
  });
}

/** What a checkpoint keeps besides its tensors and its step (the episodes so far). */
type ReinforceMeta = {
  envSteps: number;
  wallSeconds: number;
  solved: Reached<{ episodes: number; envSteps: number }> | null;
  lastEval: EvalReturn;
};

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;

  // ---- the env, the policy and its baseline, their optimisers (restored when resuming)
  const env = make(ENV_ID);
  const initRng = new Rng(deriveSeed(config.seed, "init"));
  const nets = {
    policy: mlp("policy", config.hidden, ACTIONS, initRng),
    value: mlp("value", config.hidden, 1, initRng),
  };
  const optimizers = {
    policy: adam(config.lr, PYTORCH_ADAM),
    value: adam(config.valueLr, PYTORCH_ADAM),
  };
  const sampling = new Rng(deriveSeed(config.seed, "actions"));
  const training: Training = {
    tensors: {
      model: { models: [nets.policy, nets.value] },
      policyOptimizer: { adam: optimizers.policy },
      valueOptimizer: { adam: optimizers.value },
    },
    rngs: { sampling },
  };
  let episode = 0, envSteps = 0;
  let resumed: ReinforceMeta | undefined;
  if (resumeFrom) {
    const { checkpoint } = resumeFrom;
    await restoreTraining(training, checkpoint);
    resumed = checkpoint.meta as ReinforceMeta;
    envSteps = resumed.envSteps;
    episode = checkpoint.step;
  }
  // Episode e starts from seed episodeSeed + e, so a resumed run needs no env state.
  const episodeSeed = deriveSeed(config.seed, "episodes");

  const rl = await RlRun.open(lab, start, {
    envId: ENV_ID,
    threshold: envSpec(ENV_ID).rewardThreshold!,
    evalEpisodes: config.evalEpisodes,
    totalSteps: config.episodes,
    startStep: episode,
    gracefulStop: "at the end of this batch of episodes", // where a checkpoint resumes exactly
    resumed: resumed && { wallSeconds: resumed.wallSeconds, reachedAt: resumed.solved, lastEval: resumed.lastEval },
  });
  const { run } = rl;
  const capped = () => config.maxSteps > 0 && envSteps >= config.maxSteps;
  const gpu = new GpuWindow(envSteps); // on WebGPU: what the updates and their episodes cost
  await withRun(run, async () => {
    // Each update's losses stay on the backend until logEvery updates have run (or an evaluation, a
    // checkpoint or the end comes): one read-back for all of them, each logged at its own episode.
    let pending: { episode: number; metrics: Tensor; scalars: Record<string, number> }[] = [];
    const logLosses = async () => {
      if (!pending.length) return;
      gpu.startTraining();
      const stacked = tf.stack(pending.map((p) => p.metrics)); // [updates, 4]
      const read = await stacked.data();
      gpu.endTraining(0);
      tf.dispose([stacked, ...pending.map((p) => p.metrics)]);
      const numTensors = tf.memory().numTensors;
      pending.forEach(({ episode, scalars }, i) => {
        const [policyLoss, valueLoss, entropy, approxKl] = read.subarray(4 * i, 4 * i + 4);
        run.scalars(episode, {
          ...scalars,
          "losses/policy_loss": policyLoss,
          "losses/value_loss": valueLoss,
          "losses/entropy": entropy,
          "losses/approx_kl": approxKl,
          "system/num_tensors": numTensors,
          ...(i === pending.length - 1 ? gpu.take(envSteps) : {}),
        });
      });
      const lastValueLoss = read[4 * (pending.length - 1) + 1];
      rl.progress.update(episode, { label: `episode ${episode}/${config.episodes}`, loss: lastValueLoss });
      pending = [];
    };
    const saveCheckpoint = async () => {
      await logLosses();
      const meta: ReinforceMeta = {
        envSteps,
        wallSeconds: rl.wallSeconds(),
        solved: rl.reachedAt,
        lastEval: rl.lastEval,
      };
      await run.checkpoint({ step: episode, epoch: episode, ...await captureTraining(training, { meta }) });
      gpu.restart(envSteps);
    };

    while (episode < config.episodes && !capped()) {
      await run.yieldToSignals(); // lets Ctrl-C stop the run promptly
      const batchStartedAt = performance.now();
      const batch: Trajectories = { obs: [], actions: [], returns: [] };
      const batchStart = envSteps;

      // ---- experience: batchEpisodes whole episodes with the current policy
      for (let b = 0; b < config.batchEpisodes && episode < config.episodes; b++) {
        let { obs } = env.reset({ seed: episodeSeed + episode });
        const rewards: number[] = [];
        // #region episode-returns
        for (let done = false; !done;) {
          const action = await sampleAction(nets.policy, obs, sampling.nextUint32());
          const step = env.step(action);
          batch.obs.push(...obs);
          batch.actions.push(action);
          rewards.push(step.reward);
          obs = step.obs;
          done = step.terminated || step.truncated;
          // The time limit is not a failure: the return goes on past it, as V(s_T) estimates.
          if (step.truncated && !step.terminated) {
            rewards[rewards.length - 1] += config.gamma * await stateValue(nets.value, obs);
          }
        }
        const dones = rewards.map((_, t) => (t === rewards.length - 1 ? 1 : 0));
        batch.returns.push(...discountedReturns(rewards, dones, config.gamma));
        // #endregion
        episode++;
        envSteps += rewards.length;
        run.scalars(episode, {
          "charts/episodic_return": rewards.length, // CartPole pays 1 per step
          "charts/episodic_length": rewards.length,
          "charts/env_steps": envSteps,
        });
      }

      // ---- learning: one update of the baseline and the policy on the batch
      gpu.startTraining();
      const metrics = update(nets, optimizers, batch, config);
      gpu.endTraining(1);
      pending.push({
        episode,
        metrics,
        scalars: {
          "charts/learning_rate": config.lr,
          "charts/sps": (envSteps - batchStart) / ((performance.now() - batchStartedAt) / 1000),
        },
      });
      // by update number, so that a resumed run reads back where the unbroken one did
      if (Math.ceil(episode / config.batchEpisodes) % config.logEvery === 0) await logLosses();

      // ---- evaluation: greedy actions over evalEpisodes fixed seeds, and one episode for replay
      const last = episode === config.episodes || capped();
      if (episode % config.evalEvery < config.batchEpisodes || last) {
        await logLosses();
        const label = `episode ${episode}/${config.episodes}`;
        await rl.evaluate(episode, greedy(nets.policy), { at: { episodes: episode, envSteps }, label });
        gpu.restart(envSteps); // the window counts training and its episodes, not evaluation
      }
      const due = episode % config.checkpointEvery < config.batchEpisodes;
      await rl.checkpointOrStop(episode, { due, last, save: saveCheckpoint });
    }
    await logLosses();
    await rl.finish(episode, { counts: { episodes: episode, envSteps } });
  });
  nets.policy.dispose();
  nets.value.dispose();
  optimizers.policy.dispose();
  optimizers.value.dispose();
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
