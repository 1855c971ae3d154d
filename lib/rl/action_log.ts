/**
 * Resuming an on-policy run whose environments were mid-episode. The environments expose no way
 * to save their state, but each is a deterministic function of its seed and the actions it was
 * given, so a checkpoint holds every action taken since the vector env's seeded reset, and a
 * resumed run replays them to the same state, bit for bit (200,000 CartPole steps take about
 * 0.2 s). Actions are kept as float32: CartPole's are small integers, and Pendulum reads its
 * torque as a float32 anyway.
 */
import type { NamedArray } from "../checkpoint.ts";
import type { BatchedObs, VectorEnv } from "../../environments/mod.ts";

export class ActionLog {
  private data: Float32Array;
  private size = 0;

  /** `rowSize`: the numbers one vector step takes (numEnvs times the action size). */
  constructor(readonly rowSize: number, initial?: Float32Array) {
    if (!(Number.isInteger(rowSize) && rowSize > 0)) {
      throw new Error(`ActionLog: rowSize must be a positive integer, got ${rowSize}`);
    }
    if (initial && initial.length % rowSize !== 0) {
      throw new Error(`ActionLog: ${initial.length} logged numbers are not whole rows of ${rowSize}`);
    }
    this.data = new Float32Array(Math.max(1024, initial?.length ?? 0));
    if (initial) this.data.set(initial);
    this.size = initial?.length ?? 0;
  }

  /** Vector steps logged. */
  get steps(): number {
    return this.size / this.rowSize;
  }

  push(actions: ArrayLike<number>): void {
    if (actions.length !== this.rowSize) {
      throw new Error(`ActionLog.push: expected ${this.rowSize} numbers, got ${actions.length}`);
    }
    if (this.size + this.rowSize > this.data.length) {
      const grown = new Float32Array(2 * this.data.length + this.rowSize);
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    }
    this.data.set(actions, this.size);
    this.size += this.rowSize;
  }

  toArray(name = "actions"): NamedArray {
    return { name, shape: [this.steps, this.rowSize], data: this.data.slice(0, this.size) };
  }

  static fromArray(array: NamedArray): ActionLog {
    const [steps, rowSize] = array.shape;
    if (array.shape.length !== 2 || steps * rowSize !== array.data.length) {
      throw new Error(`ActionLog.fromArray: expected a [steps, rowSize] array, got [${array.shape}]`);
    }
    return new ActionLog(rowSize, array.data);
  }

  /**
   * Resets `vec` with `seed` and steps it through every logged action; returns the observations
   * to act on next, as the run that logged the actions saw them.
   */
  replay<O, A>(vec: VectorEnv<O, A>, seed: number): BatchedObs<O> {
    let { obs } = vec.reset({ seed });
    for (let at = 0; at < this.size; at += this.rowSize) {
      obs = vec.step(this.data.subarray(at, at + this.rowSize)).obs;
    }
    return obs;
  }
}
