/**
 * The hyperparameters of the PPO labs (trainers/ppo_trainer.ts), declared once: each lab gives the
 * defaults it differs in (RL Baselines3 Zoo's tuned values for its env).
 */
import type { Spec } from "../hparams.ts";

/** What differs between PPO labs. */
export interface PpoDefaults {
  numEnvs: number;
  numSteps: number;
  annealLr: boolean;
  gamma: number;
  gaeLambda: number;
  numMinibatches: number;
  updateEpochs: number;
  annealClip: boolean;
  evalEvery: number;
  checkpointEvery: number;
}

export function ppoSpec(d: PpoDefaults) {
  return {
    totalTimesteps: {
      type: "int",
      default: 100_000,
      min: 1,
      help: "env steps to train for (rounded up to whole updates)",
    },
    numEnvs: { type: "int", default: d.numEnvs, min: 1, max: 1024, help: "copies of the env stepped together" },
    numSteps: { type: "int", default: d.numSteps, min: 1, help: "steps per copy in each rollout" },
    lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate at the start" },
    annealLr: { type: "bool", default: d.annealLr, help: "anneal the learning rate linearly to 0" },
    gamma: { type: "float", default: d.gamma, min: 0, max: 1, help: "discount factor" },
    gaeLambda: { type: "float", default: d.gaeLambda, min: 0, max: 1, help: "GAE lambda" },
    numMinibatches: { type: "int", default: d.numMinibatches, min: 1, help: "minibatches each rollout is split into" },
    updateEpochs: { type: "int", default: d.updateEpochs, min: 1, help: "passes over each rollout" },
    normAdv: { type: "bool", default: true, help: "normalise advantages per minibatch" },
    clipCoef: { type: "float", default: 0.2, min: 0, max: 10, help: "surrogate clipping coefficient at the start" },
    annealClip: {
      type: "bool",
      default: d.annealClip,
      help: "anneal the clipping coefficient linearly to 0 (SB3's lin_0.2)",
    },
    clipVloss: { type: "bool", default: false, help: "clip the value loss around the rollout's values (CleanRL does)" },
    entCoef: { type: "float", default: 0.0, min: 0, help: "entropy bonus coefficient" },
    vfCoef: { type: "float", default: 1.0, min: 0, help: "value loss coefficient on 0.5 * MSE (= SB3's 0.5 on MSE)" },
    maxGradNorm: { type: "float", default: 0.5, min: 0, help: "global gradient-norm clip (0: none)" },
    hidden: { type: "int", default: 64, min: 1, max: 4096, help: "units in each of the two hidden layers" },
    evalEvery: {
      type: "int",
      default: d.evalEvery,
      min: 1,
      help: "updates between evaluations of the deterministic policy (argmax, or the mean action)",
    },
    evalEpisodes: { type: "int", default: 100, min: 1, max: 10_000, help: "episodes per evaluation" },
    checkpointEvery: {
      type: "int",
      default: d.checkpointEvery,
      min: 1,
      help: "updates between checkpoints (and one at the end)",
    },
  } as const satisfies Spec;
}
export type PpoSpec = ReturnType<typeof ppoSpec>;
