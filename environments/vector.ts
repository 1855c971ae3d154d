/**
 * N copies of an env stepped together, with observations batched into one typed array, as
 * Gymnasium's `SyncVectorEnv` (gymnasium/vector/sync_vector_env.py).
 *
 * Autoreset is Gymnasium's SAME-STEP mode: when copy i's episode ends in `step()`, the copy is
 * reset at once, `obs` row i is the new episode's first observation, and the observation that
 * ended the episode is in `finalObs[i]` (null for copies still running). So every row of `obs` is
 * one to act on next, and every (obs, action, reward, next obs) of a step is a real transition
 * when `finalObs[i] ?? obs row i` is taken as the next obs (bootstrap from it on truncation, not
 * on termination). Gymnasium 1.x defaults to NEXT-STEP mode (reset on the following `step()`,
 * whose action is ignored); same-step avoids that wasted step and masking it out in learners.
 *
 * Seeding: `reset({ seed })` seeds copy i with `seed + i`, as Gymnasium does; a first reset
 * without a seed uses seed 0, so copies always differ from one another. Autoresets continue each
 * copy's own generator.
 */
import { describeValue, type Info, type ResetOptions, type SpaceOf } from "./core.ts";
import type { RegisteredEnv } from "./registered_env.ts";
import { type EnvId, type EnvTypes, make, type MakeOptions } from "./registry.ts";
import { Box, isNumberArray } from "./spaces.ts";

/** A batch of observations: row i is copy i's, `obsSize` numbers long (1 for Discrete). */
export type BatchedObs<O> = O extends number ? Int32Array : Float32Array;

export interface EpisodeStats {
  /** Which copy finished the episode. */
  env: number;
  /** The undiscounted sum of its rewards, and its number of steps. */
  return: number;
  length: number;
  terminated: boolean;
}

export interface VectorStepResult<O> {
  obs: BatchedObs<O>;
  rewards: Float64Array;
  terminated: boolean[];
  truncated: boolean[];
  /** The observation that ended copy i's episode this step, else null. */
  finalObs: (O | null)[];
  /** The episodes that ended this step (for `charts/episodic_return`). */
  episodes: EpisodeStats[];
  /** Copy i's step info (for an ended episode, its last step's). */
  infos: Info[];
}

export class VectorEnv<O, A> {
  readonly numEnvs: number;
  readonly envs: RegisteredEnv<O, A>[];
  readonly singleObservationSpace: SpaceOf<O>;
  readonly singleActionSpace: SpaceOf<A>;
  /** Numbers per observation row (1 for a Discrete observation). */
  readonly obsSize: number;
  private readonly returns: Float64Array;
  private readonly lengths: Int32Array;
  private seeded = false;

  constructor(envs: RegisteredEnv<O, A>[]) {
    if (envs.length === 0) throw new Error("VectorEnv: needs at least one env");
    this.envs = envs;
    this.numEnvs = envs.length;
    this.singleObservationSpace = envs[0].observationSpace;
    this.singleActionSpace = envs[0].actionSpace;
    this.obsSize = this.singleObservationSpace instanceof Box ? this.singleObservationSpace.size : 1;
    this.returns = new Float64Array(this.numEnvs);
    this.lengths = new Int32Array(this.numEnvs);
  }

  get id(): string {
    return this.envs[0].id;
  }

  reset({ seed, options }: { seed?: number; options?: ResetOptions } = {}): { obs: BatchedObs<O>; infos: Info[] } {
    const base = seed ?? (this.seeded ? undefined : 0);
    this.seeded = true;
    const obs = this.allocate();
    const infos = this.envs.map((env, i) => {
      const result = env.reset({ seed: base === undefined ? undefined : base + i, options });
      this.write(obs, i, result.obs);
      return result.info;
    });
    this.returns.fill(0);
    this.lengths.fill(0);
    return { obs, infos };
  }

  /**
   * Steps every copy. `actions`: one action per copy (numbers for Discrete, arrays for Box), or
   * for a Box action space one flat array of `numEnvs * size` numbers, row i for copy i.
   */
  step(actions: ArrayLike<number> | readonly A[]): VectorStepResult<O> {
    const perEnv = this.split(actions);
    const n = this.numEnvs;
    // Check every action before stepping any copy, so a bad batch leaves all copies as they were.
    perEnv.forEach((action, i) => {
      if (acceptable(this.singleActionSpace, action)) return;
      const what = `${this.id}: action ${describeValue(action)} is not in ${this.singleActionSpace}`;
      throw new Error(`vector env copy ${i} of ${n}: ${what}`);
    });
    const out: VectorStepResult<O> = {
      obs: this.allocate(),
      rewards: new Float64Array(n),
      terminated: new Array(n).fill(false),
      truncated: new Array(n).fill(false),
      finalObs: new Array(n).fill(null),
      episodes: [],
      infos: new Array(n),
    };
    for (let i = 0; i < n; i++) {
      const env = this.envs[i];
      const { obs, reward, terminated, truncated, info } = env.step(perEnv[i]);
      out.rewards[i] = reward;
      out.terminated[i] = terminated;
      out.truncated[i] = truncated;
      out.infos[i] = info;
      this.returns[i] += reward;
      this.lengths[i] += 1;
      if (terminated || truncated) {
        out.finalObs[i] = obs;
        out.episodes.push({ env: i, return: this.returns[i], length: this.lengths[i], terminated });
        this.returns[i] = 0;
        this.lengths[i] = 0;
        this.write(out.obs, i, env.reset().obs);
      } else {
        this.write(out.obs, i, obs);
      }
    }
    return out;
  }

  private allocate(): BatchedObs<O> {
    const size = this.numEnvs * this.obsSize;
    return (this.singleObservationSpace instanceof Box ? new Float32Array(size) : new Int32Array(size)) as BatchedObs<
      O
    >;
  }

  private write(batch: BatchedObs<O>, i: number, obs: O): void {
    if (typeof obs === "number") batch[i] = obs;
    else batch.set(obs as Float32Array, i * this.obsSize);
  }

  private split(actions: ArrayLike<number> | readonly A[]): A[] {
    const n = this.numEnvs, space = this.singleActionSpace;
    if (space instanceof Box && actions.length === n * space.size && typeof actions[0] === "number") {
      const flat = actions as ArrayLike<number>;
      return Array.from(
        { length: n },
        (_, i) => Array.prototype.slice.call(flat, i * space.size, (i + 1) * space.size) as A,
      );
    }
    if (actions.length !== n) {
      const flat = space instanceof Box ? ` (or ${n * space.size} numbers)` : "";
      throw new Error(`${this.id} vector env: expected ${n} actions${flat}, got ${actions.length}`);
    }
    return Array.from(actions as ArrayLike<A>);
  }
}

/** Whether a copy will take `action`: in a Discrete space, or shaped for a Box (which clips). */
function acceptable<A>(space: SpaceOf<A>, action: unknown): boolean {
  if (space instanceof Box) {
    return isNumberArray(action) && action.length === space.size && !Array.from(action).some(Number.isNaN);
  }
  return space.contains(action);
}

/** `numEnvs` copies of a registered env, as `gymnasium.make_vec(id, num_envs)`. */
export function makeVec<K extends EnvId>(
  id: K,
  { numEnvs, ...options }: MakeOptions<K> & { numEnvs: number },
): VectorEnv<EnvTypes[K]["obs"], EnvTypes[K]["action"]> {
  if (!Number.isInteger(numEnvs) || numEnvs < 1) {
    throw new Error(`makeVec: numEnvs must be a positive integer, got ${numEnvs}`);
  }
  return new VectorEnv(Array.from({ length: numEnvs }, () => make(id, options as MakeOptions<K>)));
}
