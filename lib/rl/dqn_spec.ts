/**
 * The hyperparameters of the DQN labs (trainers/dqn_trainer.ts), declared once: each lab gives the
 * defaults it differs in (RL Baselines3 Zoo's tuned values for its env).
 */
import type { Spec } from "../hparams.ts";

/** What differs between DQN labs. */
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
      help: "env steps before the first training phase; actions are uniform at random until then (SB3)",
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
