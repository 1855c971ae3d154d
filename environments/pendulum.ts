/**
 * Pendulum: swing a pendulum up and keep it upright with a bounded torque. A port of Gymnasium's
 * `PendulumEnv` (gymnasium/envs/classic_control/pendulum.py), the classic inverted-pendulum
 * swing-up problem of control theory.
 *
 * ## Action Space
 * `Box(-2.0, 2.0, (1,), float32)`: the torque on the free end (N m, counter-clockwise positive).
 * Values outside [-2, 2] are clipped, as Gymnasium clips them; an action that is not an array of
 * one number (or is NaN) is an error.
 *
 * ## Observation Space
 * `Box(3,)` float32:
 *
 * | Num | Observation      | Min  | Max |
 * |-----|------------------|------|-----|
 * | 0   | x = cos(theta)   | -1.0 | 1.0 |
 * | 1   | y = sin(theta)   | -1.0 | 1.0 |
 * | 2   | Angular Velocity | -8.0 | 8.0 |
 *
 * `theta` is 0 when the pendulum is upright.
 *
 * ## Rewards
 * r = -(theta² + 0.1 * theta_dt² + 0.001 * torque²), with theta normalized to [-pi, pi]: from
 * -(pi² + 0.1 * 8² + 0.001 * 2²) = -16.2736044 up to 0 (upright, still, no torque). No reward
 * threshold is registered.
 *
 * ## Starting State
 * `theta` uniform in [-pi, pi] and `theta_dt` uniform in [-1, 1]; `options.xInit`/`options.yInit`
 * replace pi and 1 (Gymnasium's `x_init`/`y_init`). `reset({ options: { state: [theta,
 * theta_dt] } })` starts from a given state.
 *
 * ## Episode End
 * Never terminates; truncation at 200 steps, applied by the registry's time limit.
 *
 * ## Arguments
 * `g`: the acceleration of gravity (m s⁻²), 10.0 by default.
 *
 * ## Version History
 * - v1: simpler equations, the same behaviour.
 * - v0: initial release.
 */
import { Rng } from "../lib/rng.ts";
import {
  describeValue,
  type Env,
  float32,
  notReset,
  readState,
  type ResetArgs,
  type ResetResult,
  type StepResult,
} from "./core.ts";
import { Box, isNumberArray } from "./spaces.ts";

export interface PendulumOptions {
  id?: string;
  /** Acceleration of gravity (m s⁻²). */
  g?: number;
}

export interface PendulumRenderState {
  kind: "pendulum";
  /** Angle from upright (rad, counter-clockwise positive). */
  theta: number;
  /** The last (clipped) torque, null right after reset; Gymnasium draws it as an arrow. */
  lastU: number | null;
}

const DEFAULT_X = Math.PI;
const DEFAULT_Y = 1.0;

export class Pendulum implements Env<Float32Array, ArrayLike<number>> {
  readonly id: string;
  /** Gymnasium's `metadata`: replays play at `render_fps` frames (steps) a second, 1.5x real time (dt 0.05 s). */
  readonly metadata = { renderFps: 30 };
  /** The env's generator, Gymnasium's `np_random`: seed 0 until `reset({ seed })` reseeds it. */
  rng = new Rng(0);
  readonly maxSpeed = 8;
  readonly maxTorque = 2.0;
  readonly dt = 0.05;
  readonly g: number;
  readonly m = 1.0;
  readonly l = 1.0;
  readonly actionSpace = new Box(-this.maxTorque, this.maxTorque, { shape: [1] });
  readonly observationSpace = new Box([-1.0, -1.0, -this.maxSpeed], [1.0, 1.0, this.maxSpeed]);
  private state?: [number, number];
  private lastU: number | null = null;

  constructor({ id = "Pendulum-v1", g = 10.0 }: PendulumOptions = {}) {
    this.id = id;
    this.g = g;
  }

  reset({ seed, options }: ResetArgs = {}): ResetResult<Float32Array> {
    if (seed !== undefined) this.rng = new Rng(seed);
    if (options?.state !== undefined) {
      const [th, thdot] = readState(options.state, { id: this.id, length: 2 });
      this.state = [th, thdot];
    } else {
      const high = [options?.xInit ?? DEFAULT_X, options?.yInit ?? DEFAULT_Y];
      if (!high.every(Number.isFinite)) throw new Error(`${this.id}: options.xInit and yInit must be finite numbers`);
      // Gymnasium enforces symmetric limits: low = -high.
      this.state = [-high[0] + 2 * high[0] * this.rng.uniform(), -high[1] + 2 * high[1] * this.rng.uniform()];
    }
    this.lastU = null;
    return { obs: this.observation(), info: {} };
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    if (!isNumberArray(action) || action.length !== 1 || Number.isNaN(action[0])) {
      throw new Error(
        `${this.id}: action ${describeValue(action)} is not in ${this.actionSpace}: ` +
          `expected an array of 1 number (values outside [-2, 2] are clipped)`,
      );
    }
    if (!this.state) throw notReset(this.id, "step");
    const [th, thdot] = this.state;
    const { g, m, l, dt } = this;

    // The action space is float32, so the torque is read as a float32; the maths is float64.
    const u = Math.fround(Math.min(Math.max(action[0], -this.maxTorque), this.maxTorque));
    this.lastU = u;
    const thNormalized = angleNormalize(th);
    const costs = thNormalized * thNormalized + 0.1 * (thdot * thdot) + 0.001 * (u * u);

    let newthdot = thdot + (((3 * g) / (2 * l)) * Math.sin(th) + (3.0 / (m * l ** 2)) * u) * dt;
    newthdot = Math.min(Math.max(newthdot, -this.maxSpeed), this.maxSpeed);
    const newth = th + newthdot * dt;
    this.state = [newth, newthdot];
    return { obs: this.observation(), reward: -costs, terminated: false, truncated: false, info: {} };
  }

  private observation(): Float32Array {
    const [theta, thetadot] = this.state!;
    return float32([Math.cos(theta), Math.sin(theta), thetadot]);
  }

  renderState(): PendulumRenderState {
    if (!this.state) throw notReset(this.id, "renderState");
    return { kind: "pendulum", theta: this.state[0], lastU: this.lastU };
  }
}

/** (x + pi) mod 2pi - pi with numpy's floored modulo (the result takes the divisor's sign). */
function angleNormalize(x: number): number {
  let mod = (x + Math.PI) % (2 * Math.PI);
  if (mod < 0) mod += 2 * Math.PI;
  return mod - Math.PI;
}
