/**
 * Gymnasium-compatible environments in pure TypeScript (no tfjs): `make(id)` builds a registered
 * env with its time limit; `makeVec(id, { numEnvs })` steps copies together; `checkEnv` checks
 * an env against the contract. See core.ts for the API and each env's file for its doc header;
 * an env's class and render-state type are imported from its own file, so a new env is its file
 * and its entry in registry.ts, and nothing here.
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
export type { Transition, TransitionTable } from "./toy_text.ts";
