/**
 * The registry: every env id with its time limit and reward threshold exactly as Gymnasium
 * registers them (gymnasium/envs/__init__.py), and `make`, which builds the env and wraps it in
 * the time limit. Gymnasium's snake_case kwargs are camelCase options here (`map_name` ->
 * `mapName`, `is_slippery` -> `isSlippery`, `max_episode_steps` -> `maxEpisodeSteps`).
 */
import { didYouMean } from "../lib/errors.ts";
import { Acrobot, type AcrobotRenderState } from "./acrobot.ts";
import { CartPole, type CartPoleOptions, type CartPoleRenderState } from "./cart_pole.ts";
import { CliffWalking, type CliffWalkingOptions, type CliffWalkingRenderState } from "./cliff_walking.ts";
import type { Env, EnvSpec } from "./core.ts";
import { FrozenLake, type FrozenLakeOptions, type FrozenLakeRenderState } from "./frozen_lake.ts";
import { MountainCar, type MountainCarOptions, type MountainCarRenderState } from "./mountain_car.ts";
import { Pendulum, type PendulumOptions, type PendulumRenderState } from "./pendulum.ts";
import { RegisteredEnv } from "./registered_env.ts";

/** The observation, action, option and render-state types of an env. */
interface Types<O, A, Options, R> {
  obs: O;
  action: A;
  options: Options;
  render: R;
}

type Grid<Options, R> = Types<number, number, Options, R>;

/** The types of each registered id. */
export interface EnvTypes {
  "CartPole-v0": Types<Float32Array, number, CartPoleOptions, CartPoleRenderState>;
  "CartPole-v1": Types<Float32Array, number, CartPoleOptions, CartPoleRenderState>;
  "MountainCar-v0": Types<Float32Array, number, MountainCarOptions, MountainCarRenderState>;
  "Pendulum-v1": Types<Float32Array, ArrayLike<number>, PendulumOptions, PendulumRenderState>;
  "Acrobot-v1": Types<Float32Array, number, { id?: string }, AcrobotRenderState>;
  "FrozenLake-v1": Grid<FrozenLakeOptions, FrozenLakeRenderState>;
  "FrozenLake8x8-v1": Grid<FrozenLakeOptions, FrozenLakeRenderState>;
  "CliffWalking-v1": Grid<CliffWalkingOptions, CliffWalkingRenderState>;
  "CliffWalkingSlippery-v1": Grid<CliffWalkingOptions, CliffWalkingRenderState>;
}

export type EnvId = keyof EnvTypes;

/** `make`'s options: the env's own (less `id`) and an override of the time limit. */
export type MakeOptions<K extends EnvId> = Omit<EnvTypes[K]["options"], "id"> & { maxEpisodeSteps?: number };

type UnwrappedEnv<K extends EnvId> = Env<EnvTypes[K]["obs"], EnvTypes[K]["action"], EnvTypes[K]["render"]>;

/** What `make(id)` returns for a registered id. */
export type MadeEnv<K extends EnvId> = RegisteredEnv<EnvTypes[K]["obs"], EnvTypes[K]["action"], EnvTypes[K]["render"]>;

/** A registered id: its spec, the options its env takes, and how to build it. */
export interface Registration<K extends EnvId> extends EnvSpec {
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** The option names the env accepts, for a clear error on any other. */
  readonly optionNames: readonly string[];
  readonly entryPoint: (options: EnvTypes[K]["options"]) => UnwrappedEnv<K>;
}

const cartPole = ["suttonBartoReward"];
const frozenLake = ["desc", "mapName", "isSlippery", "successRate", "rewardSchedule"];

export const registry: { readonly [K in EnvId]: Registration<K> } = {
  "CartPole-v0": register("CartPole-v0", {
    maxEpisodeSteps: 200,
    rewardThreshold: 195.0,
    optionNames: cartPole,
    entryPoint: (o) => new CartPole(o),
  }),
  "CartPole-v1": register("CartPole-v1", {
    maxEpisodeSteps: 500,
    rewardThreshold: 475.0,
    optionNames: cartPole,
    entryPoint: (o) => new CartPole(o),
  }),
  "MountainCar-v0": register("MountainCar-v0", {
    maxEpisodeSteps: 200,
    rewardThreshold: -110.0,
    optionNames: ["goalVelocity"],
    entryPoint: (o) => new MountainCar(o),
  }),
  "Pendulum-v1": register("Pendulum-v1", {
    maxEpisodeSteps: 200,
    rewardThreshold: null,
    optionNames: ["g"],
    entryPoint: (o) => new Pendulum(o),
  }),
  "Acrobot-v1": register("Acrobot-v1", {
    maxEpisodeSteps: 500,
    rewardThreshold: -100.0,
    optionNames: [],
    entryPoint: (o) => new Acrobot(o),
  }),
  "FrozenLake-v1": register("FrozenLake-v1", {
    maxEpisodeSteps: 100,
    rewardThreshold: 0.70, // optimum = 0.74
    optionNames: frozenLake,
    entryPoint: (o) => new FrozenLake(o),
    kwargs: { mapName: "4x4" },
  }),
  "FrozenLake8x8-v1": register("FrozenLake8x8-v1", {
    maxEpisodeSteps: 200,
    rewardThreshold: 0.85, // optimum = 0.91
    optionNames: frozenLake,
    entryPoint: (o) => new FrozenLake(o),
    kwargs: { mapName: "8x8" },
  }),
  "CliffWalking-v1": register("CliffWalking-v1", {
    maxEpisodeSteps: null,
    rewardThreshold: null,
    optionNames: ["isSlippery"],
    entryPoint: (o) => new CliffWalking(o),
  }),
  "CliffWalkingSlippery-v1": register("CliffWalkingSlippery-v1", {
    maxEpisodeSteps: null,
    rewardThreshold: null,
    optionNames: ["isSlippery"],
    entryPoint: (o) => new CliffWalking(o),
    kwargs: { isSlippery: true },
  }),
};

export const envIds = Object.keys(registry) as EnvId[];

/** The registered spec of `id` (time limit, reward threshold, default options). */
export function spec<K extends EnvId>(id: K): Registration<K> {
  if (!Object.hasOwn(registry, id)) {
    throw new Error(
      `unknown environment id ${JSON.stringify(id)}.${didYouMean(id, envIds)} Registered: ${envIds.join(", ")}`,
    );
  }
  return registry[id] as Registration<K>;
}

/**
 * Builds a registered env, as `gymnasium.make(id, **kwargs)`: the registry's options, then the
 * caller's, and the time limit (`maxEpisodeSteps` overrides the registered one).
 */
export function make<K extends EnvId>(id: K, options: MakeOptions<K> = {} as MakeOptions<K>): MadeEnv<K> {
  const registration = spec(id);
  const { maxEpisodeSteps = registration.maxEpisodeSteps, ...rest } = options as Record<string, unknown>;
  for (const name of Object.keys(rest)) {
    if (registration.optionNames.includes(name)) continue;
    const hint = didYouMean(name, registration.optionNames);
    const valid = [...registration.optionNames, "maxEpisodeSteps"].join(", ");
    throw new Error(`${id}: unknown option ${JSON.stringify(name)}.${hint} Options: ${valid}`);
  }
  if (maxEpisodeSteps !== null && !(Number.isInteger(maxEpisodeSteps) && (maxEpisodeSteps as number) > 0)) {
    throw new Error(`${id}: maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
  }
  const kwargs = { ...registration.kwargs, ...rest };
  const env = registration.entryPoint({ ...kwargs, id } as EnvTypes[K]["options"]);
  return new RegisteredEnv(env, {
    id,
    maxEpisodeSteps: maxEpisodeSteps as number | null,
    rewardThreshold: registration.rewardThreshold,
    kwargs,
  });
}

function register<K extends EnvId>(
  id: K,
  registration: Omit<Registration<K>, "id" | "kwargs"> & { kwargs?: Record<string, unknown> },
): Registration<K> {
  return Object.freeze({ ...registration, id, kwargs: Object.freeze(registration.kwargs ?? {}) });
}
