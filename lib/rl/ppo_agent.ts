/**
 * PPO's actor-critic agents, as CleanRL builds them: separate 64-64 tanh actor and critic with
 * orthogonal init (gains sqrt(2) on hidden layers, 0.01 on the policy head, 1 on the value head).
 * The policy is categorical over discrete actions (ppo.py) or a diagonal Gaussian whose log standard
 * deviation is a learned vector that does not depend on the state (ppo_continuous_action.py).
 * trainers/ppo_trainer.ts trains either; only the policy's distribution differs. The networks run
 * through lib/rl/dense_stack.ts: apply's numbers, bit for bit, in fewer kernels.
 */
import type { Rng } from "../rng.ts";
import { layers, type Tensor, tf } from "../tf.ts";
import type { TensorGroup } from "../train_state.ts";
import { denseOutput, denseStack } from "./dense_stack.ts";
import { orthogonalDense } from "./orthogonal.ts";
import { categoricalLogProb, categoricalTerms, gaussianEntropy, gaussianLogProb, sampleCategorical } from "./policy.ts";

export interface PpoAgent {
  obsSize: number;
  /** numbers per action: 1 for a discrete action, the action's dimensions for a continuous one */
  actionSize: number;
  /** obs [B, obsSize] -> the policy's logits [B, actions] (categorical) or mean [B, actionSize] (Gaussian) */
  actor: layers.Sequential;
  critic: layers.Sequential; // obs [B, obsSize] -> V(s) [B, 1]
  /** what a checkpoint keeps of the agent: the networks as "model", and the Gaussian's logStd */
  checkpointed: Record<string, TensorGroup>;
  /** every trainable variable, in the order Adam's checkpointed state follows */
  variables: tf.Variable[];
  /** sampled actions [N, actionSize] as floats and their log-probabilities [N], for observations x [N, obsSize] */
  sample(x: Tensor, seed: number): { actions: Tensor; logProb: Tensor };
  /** log pi(a|s) [B] of the rollout's actions, and the policy's entropy ([B], or a scalar for the Gaussian) */
  evaluate(obs: Tensor, actions: Tensor): { logProb: Tensor; entropy: Tensor };
  /** SB3's deterministic action for evaluation: the argmax of the logits, or the mean */
  deterministic(x: Tensor): Tensor;
  /** the rollout's actions [B * actionSize] as the tensor `evaluate` takes */
  actionTensor(actions: Float32Array, rows: number): Tensor;
  /** per-update chart scalars of the policy (the Gaussian's standard deviation) */
  chartScalars(): Promise<Record<string, number>>;
  dispose(): void;
}

const TANH_HIDDEN = { gain: Math.SQRT2, activation: "tanh" } as const;

function mlp(name: string, sizes: { obs: number; hidden: number; out: number }, gain: number, rng: Rng) {
  return layers.sequential({
    name,
    layers: [
      orthogonalDense({ name: `${name}0`, units: sizes.hidden, fanIn: sizes.obs, ...TANH_HIDDEN, rng }),
      orthogonalDense({ name: `${name}1`, units: sizes.hidden, fanIn: sizes.hidden, ...TANH_HIDDEN, rng }),
      orthogonalDense({ name: `${name}_out`, units: sizes.out, fanIn: sizes.hidden, gain, rng }),
    ],
  });
}

const variablesOf = (model: layers.Sequential) => model.trainableWeights.map((w) => w.read() as tf.Variable);

/** Discrete actions 0..actions-1 from the logits of the actor [B, actions]. */
export function categoricalPpoAgent(
  { obsSize, actions, hidden, rng }: { obsSize: number; actions: number; hidden: number; rng: Rng },
): PpoAgent {
  const actor = mlp("actor", { obs: obsSize, hidden, out: actions }, 0.01, rng);
  const critic = mlp("critic", { obs: obsSize, hidden, out: 1 }, 1, rng);
  return {
    obsSize,
    actionSize: 1,
    actor,
    critic,
    checkpointed: { model: { models: [actor, critic] } },
    variables: [...variablesOf(actor), ...variablesOf(critic)],
    sample(x, seed) {
      const logits = denseOutput(actor, x as tf.Tensor2D); // [N, actions]
      const sampled = sampleCategorical(logits, seed); // [N]
      return { actions: tf.cast(sampled, "float32"), logProb: categoricalLogProb(logits, sampled) };
    },
    evaluate(obs, taken) {
      const logits = denseStack(actor, obs as tf.Tensor2D); // [M, actions]
      return categoricalTerms(logits, taken);
    },
    deterministic: (x) => tf.argMax(denseOutput(actor, x as tf.Tensor2D), 1), // [N]
    actionTensor: (taken) => tf.tensor1d(Int32Array.from(taken), "int32"),
    chartScalars: () => Promise.resolve({}),
    dispose() {
      actor.dispose();
      critic.dispose();
    },
  };
}

/** Continuous actions a ~ N(mean(s), exp(logStd)^2), unclipped (the env clips). */
export function gaussianPpoAgent(
  { obsSize, actionSize, hidden, logStdInit, rng }: {
    obsSize: number;
    actionSize: number;
    hidden: number;
    logStdInit: number;
    rng: Rng;
  },
): PpoAgent {
  const actorMean = mlp("actor_mean", { obs: obsSize, hidden, out: actionSize }, 0.01, rng);
  const logStd = tf.tidy(() => tf.variable(tf.fill([actionSize], logStdInit))); // [actionSize]
  const critic = mlp("critic", { obs: obsSize, hidden, out: 1 }, 1, rng);
  return {
    obsSize,
    actionSize,
    actor: actorMean,
    critic,
    checkpointed: { model: { models: [actorMean, critic] }, logStd: { variables: { logStd } } },
    variables: [...variablesOf(actorMean), logStd, ...variablesOf(critic)],
    sample(x, seed) {
      const mean = denseOutput(actorMean, x as tf.Tensor2D); // [N, actionSize]
      const noise = tf.randomNormal(mean.shape, 0, 1, "float32", seed); // [N, actionSize]
      const sampled = tf.add(mean, tf.mul(tf.exp(logStd), noise)); // [N, actionSize]
      return { actions: sampled, logProb: gaussianLogProb(sampled, mean, logStd) };
    },
    evaluate(obs, taken) {
      const mean = denseStack(actorMean, obs as tf.Tensor2D); // [M, actionSize]
      return { logProb: gaussianLogProb(taken, mean, logStd), entropy: gaussianEntropy(logStd) };
    },
    deterministic: (x) => denseOutput(actorMean, x as tf.Tensor2D), // [N, actionSize]
    actionTensor: (taken, rows) => tf.tensor2d(taken, [rows, actionSize]),
    chartScalars: async () => ({ "charts/action_std": Math.exp((await logStd.data())[0]) }),
    dispose() {
      actorMean.dispose();
      logStd.dispose();
      critic.dispose();
    },
  };
}
