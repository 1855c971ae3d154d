/**
 * The environment contract, Gymnasium's `Env` API (gymnasium/core.py) in TypeScript:
 * `reset({ seed, options })` -> `{ obs, info }`, `step(action)` -> `{ obs, reward, terminated,
 * truncated, info }`, `actionSpace`, `observationSpace`, `metadata` (Gymnasium's `render_fps`),
 * plus `renderState()` (plain JSON that the dashboard draws episode replays from). Box
 * observations are fresh float32 arrays, Discrete ones integers, as Gymnasium returns them.
 */
import type { Rng } from "../lib/rng.ts";
import type { Box, Discrete, Space } from "./spaces.ts";

export type Info = Record<string, unknown>;

/**
 * Options for `reset`. `state` starts the episode from a given internal state instead of the
 * start distribution (the env's doc header says what the state holds); `low`/`high` (CartPole,
 * MountainCar, Acrobot) and `xInit`/`yInit` (Pendulum) change the start distribution's bounds
 * as Gymnasium's `options={"low": ...}` and `options={"x_init": ...}` do.
 */
export interface ResetOptions {
  state?: ArrayLike<number> | number;
  low?: number;
  high?: number;
  xInit?: number;
  yInit?: number;
}

export interface ResetArgs {
  /**
   * Reseeds the env's generator; without it the generator continues. Where Gymnasium seeds a
   * never-seeded env from OS entropy, these start from seed 0, so every run repeats.
   */
  seed?: number;
  options?: ResetOptions;
}

export interface ResetResult<O> {
  obs: O;
  info: Info;
}

export interface StepResult<O> {
  obs: O;
  reward: number;
  /** The episode reached a terminal state of the MDP (do not bootstrap from `obs`). */
  terminated: boolean;
  /** The episode was cut short, by the time limit (bootstrap from `obs`). */
  truncated: boolean;
  info: Info;
}

/**
 * What the dashboard needs to draw one frame. Each env exports its own, with a `kind` naming it;
 * the dashboard picks the drawer by the episode's env id, so nothing here lists the envs.
 */
export interface RenderState {
  kind: string;
}

/** Gymnasium's `env.metadata`, of which the replay needs only the frame rate. */
export interface EnvMetadata {
  /** Gymnasium's `render_fps`: the frames per second a replay of the env plays at. */
  readonly renderFps: number;
}

/** The space of a value type: Discrete for integers, Box for float arrays. */
export type SpaceOf<T> = [T] extends [number] ? Discrete : [T] extends [ArrayLike<number>] ? Box : Space<T>;

export interface Env<O = unknown, A = unknown, R extends RenderState = RenderState> {
  readonly id: string;
  readonly actionSpace: SpaceOf<A>;
  readonly observationSpace: SpaceOf<O>;
  readonly metadata: EnvMetadata;
  /** The env's own generator (Gymnasium's `np_random`), reseeded by `reset({ seed })`. */
  readonly rng: Rng;
  reset(args?: ResetArgs): ResetResult<O>;
  step(action: A): StepResult<O>;
  renderState(): R;
}

/** Registered envs carry their spec (time limit, reward threshold) and the env they wrap. */
export interface EnvSpec {
  readonly id: string;
  /** Gymnasium's `max_episode_steps`: the TimeLimit truncates here; null for no limit. */
  readonly maxEpisodeSteps: number | null;
  /** Gymnasium's `reward_threshold`: the mean return that counts as solved; null when none. */
  readonly rewardThreshold: number | null;
}

/** A value as an error message shows it: `2`, `"left"`, `[0.5, NaN]`, `undefined`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `[${Array.from(value as unknown as ArrayLike<number>).join(", ")}]`;
  }
  if (Array.isArray(value)) return `[${value.map(describeValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/** Throws "CartPole-v1: action 2 is not in Discrete(2)" unless the env's action space holds the action. */
export function assertAction<A>(env: { id: string; actionSpace: Space<A> }, action: unknown): asserts action is A {
  if (!env.actionSpace.contains(action)) {
    throw new Error(`${env.id}: action ${describeValue(action)} is not in ${env.actionSpace}`);
  }
}

/** Reads `options.state` as `length` finite numbers (float64, kept as given). */
export function readState(state: ArrayLike<number> | number, { id, length }: { id: string; length: number }): number[] {
  const values = typeof state === "number" ? [state] : Array.from(state ?? []);
  if (values.length !== length || !values.every(Number.isFinite)) {
    throw new Error(`${id}: options.state must be ${length} finite numbers, got ${describeValue(state)}`);
  }
  return values;
}

/**
 * Gymnasium's `utils.maybe_parse_reset_bounds` (classic_control/utils.py): `options.low` and
 * `options.high` replace the default start bounds `low` and `high`.
 */
export function resetBounds(
  options: ResetOptions | undefined,
  { id, low, high }: { id: string; low: number; high: number },
): [number, number] {
  const lo = options?.low ?? low, hi = options?.high ?? high;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new Error(`${id}: options.low and options.high must be finite numbers, got ${lo} and ${hi}`);
  }
  if (lo > hi) throw new Error(`${id}: lower bound (${lo}) must be lower than higher bound (${hi})`);
  return [lo, hi];
}

/** The float32 observation of a float64 state, as `np.array(state, dtype=np.float32)`. */
export function float32(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values);
}

/** The error for `step()` (or `renderState()`) before the first `reset()`. */
export function notReset(id: string, method: string): Error {
  return new Error(`${id}: ${method}() called before reset(); call reset() first`);
}
