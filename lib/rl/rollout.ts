/**
 * The rollout storage of an on-policy agent (the buffers of CleanRL's ppo.py, Stable-Baselines3's
 * RolloutBuffer): numSteps steps of numEnvs copies of a vector env, and their GAE advantages.
 *
 * Entries are env-major (entry i * numSteps + t is copy i's step t), so one pass of `gae` covers
 * every copy, each copy's segment ending in a cut. An episode cut by the time limit is
 * bootstrapped from the value of the observation that ended it, as Stable-Baselines3 does
 * (CleanRL's ppo.py treats it as a termination); a terminated one is not.
 */
import { gae } from "./returns.ts";

export interface RolloutShape {
  numEnvs: number;
  numSteps: number;
  obsSize: number;
  /** numbers per action: 1 for a Discrete action */
  actionSize: number;
}

/** What step t of every copy stored: row i of each array is copy i's. */
export interface RolloutStep {
  /** the observations acted on: [numEnvs, obsSize] */
  obs: ArrayLike<number>;
  actions: ArrayLike<number>;
  logProbs: ArrayLike<number>;
  values: ArrayLike<number>;
  rewards: ArrayLike<number>;
  terminated: readonly boolean[];
  truncated: readonly boolean[];
  /** V(final observation) of each copy whose episode was truncated at this step; read only there */
  finalValues?: ArrayLike<number>;
}

export class Rollout {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly rewards: Float32Array;
  private readonly nextValues: Float32Array;
  /** 1 where GAE must not look past the step: an episode's end (or, after `advantages`, a segment's) */
  private readonly cut: Float32Array;

  constructor(readonly shape: RolloutShape) {
    const { numEnvs, numSteps, obsSize, actionSize } = shape;
    if (![numEnvs, numSteps, obsSize, actionSize].every((n) => Number.isInteger(n) && n > 0)) {
      throw new Error(`Rollout: sizes must be positive integers, got ${JSON.stringify(shape)}`);
    }
    const n = numEnvs * numSteps;
    this.obs = new Float32Array(n * obsSize);
    this.actions = new Float32Array(n * actionSize);
    [this.logProbs, this.values, this.rewards, this.nextValues, this.cut] = Array.from(
      { length: 5 },
      () => new Float32Array(n),
    );
  }

  /** Entries held: numEnvs * numSteps. */
  get size(): number {
    return this.shape.numEnvs * this.shape.numSteps;
  }

  add(t: number, step: RolloutStep): void {
    const { numEnvs, numSteps, obsSize, actionSize } = this.shape;
    if (!(Number.isInteger(t) && t >= 0 && t < numSteps)) {
      throw new Error(`Rollout.add: step ${t} outside 0..${numSteps - 1}`);
    }
    for (let i = 0; i < numEnvs; i++) {
      const k = i * numSteps + t;
      for (let j = 0; j < obsSize; j++) this.obs[k * obsSize + j] = step.obs[i * obsSize + j];
      for (let j = 0; j < actionSize; j++) this.actions[k * actionSize + j] = step.actions[i * actionSize + j];
      this.logProbs[k] = step.logProbs[i];
      this.values[k] = step.values[i];
      this.rewards[k] = step.rewards[i];
      const truncated = step.truncated[i] && !step.terminated[i];
      this.cut[k] = step.terminated[i] || truncated ? 1 : 0;
      if (truncated && step.finalValues === undefined) {
        throw new Error(`Rollout.add: copy ${i} was truncated without finalValues`);
      }
      this.nextValues[k] = truncated ? step.finalValues![i] : 0;
    }
  }

  // #region rollout-advantages
  /**
   * GAE advantages and value targets (advantage + value) of every entry, once all numSteps steps
   * are stored; `lastValues[i]` is V of copy i's observation after the last step.
   */
  advantages(lastValues: ArrayLike<number>, options: { gamma: number; gaeLambda: number }) {
    const { numEnvs, numSteps } = this.shape;
    const nextValues = this.nextValues.slice();
    const cut = this.cut.slice();
    for (let i = 0; i < numEnvs; i++) {
      for (let t = 0; t < numSteps; t++) {
        const k = i * numSteps + t;
        if (cut[k]) continue;
        nextValues[k] = t < numSteps - 1 ? this.values[k + 1] : lastValues[i];
        if (t === numSteps - 1) cut[k] = 1; // the end of copy i's segment
      }
    }
    return gae({ rewards: this.rewards, values: this.values, nextValues, dones: cut }, options);
  }
  // #endregion
}

/** 1 - Var(returns - values) / Var(returns): how much of the returns the critic explains (NaN if none vary). */
export function explainedVariance(values: ArrayLike<number>, returns: ArrayLike<number>): number {
  const variance = (x: number[]) => {
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    return x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  };
  const r = Array.from(returns);
  const v = variance(r);
  return v === 0 ? NaN : 1 - variance(r.map((x, i) => x - values[i])) / v;
}
