/**
 * Gymnasium-compatible environments in pure TypeScript (no tfjs): `make(id)` builds a registered
 * env with its time limit; `makeVec(id, { numEnvs })` steps copies together; `checkEnv` checks
 * an env against the contract. See core.ts for the API and each env's file for its doc header.
 */
export * from "./core.ts";
export { Box, Discrete, type Space } from "./spaces.ts";
export {
  type EnvId,
  envIds,
  type EnvTypes,
  type MadeEnv,
  make,
  type MakeOptions,
  type Registration,
  registry,
  spec,
} from "./registry.ts";
export { RegisteredEnv, type RegisteredSpec } from "./registered_env.ts";
export { type BatchedObs, type EpisodeStats, makeVec, VectorEnv, type VectorStepResult } from "./vector.ts";
export { checkEnv, type CheckEnvOptions } from "./check_env.ts";
export { CartPole, type CartPoleOptions, type CartPoleRenderState } from "./cart_pole.ts";
export { MountainCar, type MountainCarOptions, type MountainCarRenderState } from "./mountain_car.ts";
export { Acrobot, type AcrobotRenderState } from "./acrobot.ts";
export { Pendulum, type PendulumOptions, type PendulumRenderState } from "./pendulum.ts";
export { FrozenLake, type FrozenLakeOptions, type FrozenLakeRenderState, MAPS } from "./frozen_lake.ts";
export { CliffWalking, type CliffWalkingOptions, type CliffWalkingRenderState } from "./cliff_walking.ts";
export type { Transition, TransitionTable } from "./toy_text.ts";
