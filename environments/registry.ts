/**
 * The registry: every env id with its time limit and reward threshold exactly as Gymnasium
 * registers them (gymnasium/envs/__init__.py), and `make`, which builds the env and wraps it in
 * the time limit. Gymnasium's snake_case kwargs are camelCase options here (`map_name` ->
 * `mapName`, `is_slippery` -> `isSlippery`, `max_episode_steps` -> `maxEpisodeSteps`).
 *
 * Registering an env is one entry in `registry`: each id's observation, action, option and
 * render-state types are read off the class the entry names, so `make(id)` is typed without a
 * second list.
 */
import { didYouMean } from "../lib/errors.ts";
import { Acrobot } from "./acrobot.ts";
import { CartPole } from "./cart_pole.ts";
import { CliffWalking } from "./cliff_walking.ts";
import type { Env, EnvSpec } from "./core.ts";
import { FrozenLake } from "./frozen_lake.ts";
import { MountainCar } from "./mountain_car.ts";
import { Pendulum } from "./pendulum.ts";
import { RegisteredEnv } from "./registered_env.ts";

/** An env class, built from one options object (which may carry the id it is made under). */
type EnvClass = new (options: never) => Env<unknown, unknown>;

/** The options an env class takes. */
type OptionsOf<C extends EnvClass> = NonNullable<ConstructorParameters<C>[0]>;

/** The options a registration may name: the class's own, less `id`, which `make` sets. */
type OptionName<C extends EnvClass> = Exclude<keyof OptionsOf<C>, "id"> & string;

/** A registered id: its spec, the options its env takes, and the class that builds it. */
export interface Registration<C extends EnvClass = EnvClass> extends Omit<EnvSpec, "id"> {
  /** Gymnasium's `entry_point`. */
  readonly entryPoint: C;
  /** The option names the env accepts, for a clear error on any other. */
  readonly optionNames: readonly OptionName<C>[];
  /** Gymnasium's registered kwargs: options this id fixes, under the caller's. */
  readonly kwargs: Readonly<Record<string, unknown>>;
}

const cartPole = ["suttonBartoReward"] as const;
const frozenLake = ["desc", "mapName", "isSlippery", "successRate", "rewardSchedule"] as const;

export const registry = Object.freeze({
  "CartPole-v0": register(CartPole, { maxEpisodeSteps: 200, rewardThreshold: 195.0, optionNames: cartPole }),
  "CartPole-v1": register(CartPole, { maxEpisodeSteps: 500, rewardThreshold: 475.0, optionNames: cartPole }),
  "MountainCar-v0": register(MountainCar, {
    maxEpisodeSteps: 200,
    rewardThreshold: -110.0,
    optionNames: ["goalVelocity"],
  }),
  "Pendulum-v1": register(Pendulum, { maxEpisodeSteps: 200, rewardThreshold: null, optionNames: ["g"] }),
  "Acrobot-v1": register(Acrobot, { maxEpisodeSteps: 500, rewardThreshold: -100.0, optionNames: [] }),
  "FrozenLake-v1": register(FrozenLake, {
    maxEpisodeSteps: 100,
    rewardThreshold: 0.70, // optimum = 0.74
    optionNames: frozenLake,
    kwargs: { mapName: "4x4" },
  }),
  "FrozenLake8x8-v1": register(FrozenLake, {
    maxEpisodeSteps: 200,
    rewardThreshold: 0.85, // optimum = 0.91
    optionNames: frozenLake,
    kwargs: { mapName: "8x8" },
  }),
  "CliffWalking-v1": register(CliffWalking, {
    maxEpisodeSteps: null,
    rewardThreshold: null,
    optionNames: ["isSlippery"],
  }),
  "CliffWalkingSlippery-v1": register(CliffWalking, {
    maxEpisodeSteps: null,
    rewardThreshold: null,
    optionNames: ["isSlippery"],
    kwargs: { isSlippery: true },
  }),
});

type Registry = typeof registry;

export type EnvId = keyof Registry;

/** The unwrapped env that `make(id)` builds. */
type EnvOf<K extends EnvId> = InstanceType<Registry[K]["entryPoint"]>;

/** The observation, action, option and render-state types of each registered id. */
export type EnvTypes = {
  [K in EnvId]: {
    obs: ReturnType<EnvOf<K>["reset"]>["obs"];
    action: Parameters<EnvOf<K>["step"]>[0];
    options: OptionsOf<Registry[K]["entryPoint"]>;
    render: ReturnType<EnvOf<K>["renderState"]>;
  };
};

/** `make`'s options: the env's own (less `id`) and an override of the time limit. */
export type MakeOptions<K extends EnvId> = Omit<EnvTypes[K]["options"], "id"> & { maxEpisodeSteps?: number };

/** What `make(id)` returns for a registered id. */
export type MadeEnv<K extends EnvId> = RegisteredEnv<EnvTypes[K]["obs"], EnvTypes[K]["action"], EnvTypes[K]["render"]>;

export const envIds = Object.keys(registry) as EnvId[];

/** The registered spec of `id` (time limit, reward threshold, default options). */
export function spec<K extends EnvId>(id: K): Registry[K] {
  if (!Object.hasOwn(registry, id)) {
    throw new Error(
      `unknown environment id ${JSON.stringify(id)}.${didYouMean(id, envIds)} Registered: ${envIds.join(", ")}`,
    );
  }
  return registry[id];
}

/**
 * Builds a registered env, as `gymnasium.make(id, **kwargs)`: the registry's options, then the
 * caller's, and the time limit (`maxEpisodeSteps` overrides the registered one).
 */
export function make<K extends EnvId>(id: K, options: MakeOptions<K> = {} as MakeOptions<K>): MadeEnv<K> {
  const registration: Registration = spec(id);
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
  // `never`: the options were checked by name above, and `MakeOptions<K>` typed them for the id.
  const env = new registration.entryPoint({ ...kwargs, id } as never);
  const made = new RegisteredEnv(env, {
    id,
    maxEpisodeSteps: maxEpisodeSteps as number | null,
    rewardThreshold: registration.rewardThreshold,
    kwargs,
  });
  return made as MadeEnv<K>;
}

function register<C extends EnvClass>(
  entryPoint: C,
  registration: Omit<Registration<C>, "entryPoint" | "kwargs"> & { kwargs?: Partial<Omit<OptionsOf<C>, "id">> },
): Registration<C> {
  return Object.freeze({ ...registration, entryPoint, kwargs: Object.freeze({ ...registration.kwargs }) });
}
