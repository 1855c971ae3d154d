/**
 * Acrobot: swing the free end of a two-link chain above a line by torquing the joint between the
 * links. A port of Gymnasium's `AcrobotEnv` (gymnasium/envs/classic_control/acrobot.py, itself
 * from RLPy), after Sutton, "Generalization in Reinforcement Learning: Successful Examples Using
 * Sparse Coarse Coding" (NeurIPS 1995) and Sutton and Barto's book, whose dynamics it uses.
 *
 * ## Action Space
 * `Discrete(3)`: the torque on the actuated joint, 0 -> -1 N m, 1 -> 0 N m, 2 -> +1 N m.
 *
 * ## Observation Space
 * `Box(6,)` float32:
 *
 * | Num | Observation                  | Min                 | Max               |
 * |-----|------------------------------|---------------------|-------------------|
 * | 0   | Cosine of `theta1`           | -1                  | 1                 |
 * | 1   | Sine of `theta1`             | -1                  | 1                 |
 * | 2   | Cosine of `theta2`           | -1                  | 1                 |
 * | 3   | Sine of `theta2`             | -1                  | 1                 |
 * | 4   | Angular velocity of `theta1` | ~ -12.567 (-4 * pi) | ~ 12.567 (4 * pi) |
 * | 5   | Angular velocity of `theta2` | ~ -28.274 (-9 * pi) | ~ 28.274 (9 * pi) |
 *
 * `theta1` is the first joint's angle (0: the first link points straight down); `theta2` is
 * relative to the first link. The angles are wrapped to [-pi, pi] and the velocities bounded to
 * ±4π and ±9π after every step.
 *
 * ## Rewards
 * -1 for every step that does not reach the target height, 0 for the one that does (threshold -100).
 *
 * ## Starting State
 * `theta1`, `theta2` and both angular velocities uniform in [-0.1, 0.1] (`options.low`/`high`
 * change it), cast to float32 as Gymnasium does. `reset({ options: { state: [theta1, theta2,
 * dtheta1, dtheta2] } })` starts from a given state.
 *
 * ## Episode End
 * 1. Termination: the free end reaches the target height, `-cos(theta1) - cos(theta2 + theta1) > 1.0`.
 * 2. Truncation: 500 steps, applied by the registry's time limit.
 *
 * ## Version History
 * - v1: 500 steps (200 before); the observation gives the sine and cosine of each angle instead of
 *   the angles themselves.
 * - v0: initial release.
 *
 * One step integrates the equations of motion over dt = 0.2 s with a single classical RK4 step,
 * the action held constant, in float64 and in the same order of operations as Gymnasium.
 */
import { Rng } from "../lib/rng.ts";
import {
  assertAction,
  type Env,
  float32,
  notReset,
  readState,
  type ResetArgs,
  resetBounds,
  type ResetResult,
  type StepResult,
} from "./core.ts";
import { Box, Discrete } from "./spaces.ts";

export interface AcrobotRenderState {
  kind: "acrobot";
  /** Angle of the first link from straight down, and of the second link relative to the first (rad). */
  theta1: number;
  theta2: number;
  linkLength1: number;
  linkLength2: number;
}

const dt = 0.2;
const LINK_LENGTH_1 = 1.0; // [m]
const LINK_LENGTH_2 = 1.0; // [m]
const LINK_MASS_1 = 1.0; // [kg] mass of link 1
const LINK_MASS_2 = 1.0; // [kg] mass of link 2
const LINK_COM_POS_1 = 0.5; // [m] position of the center of mass of link 1
const LINK_COM_POS_2 = 0.5; // [m] position of the center of mass of link 2
const LINK_MOI = 1.0; // moments of inertia for both links
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const AVAIL_TORQUE = [-1.0, 0.0, +1];

export class Acrobot implements Env<Float32Array, number> {
  readonly id: string;
  /** Gymnasium's `metadata`: replays play at `render_fps` frames (steps) a second, 3x real time (dt 0.2 s). */
  readonly metadata = { renderFps: 15 };
  /** The env's generator, Gymnasium's `np_random`: seed 0 until `reset({ seed })` reseeds it. */
  rng = new Rng(0);
  readonly actionSpace = new Discrete(3);
  readonly observationSpace = new Box([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2], [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2]);
  private state?: number[];

  constructor({ id = "Acrobot-v1" }: { id?: string } = {}) {
    this.id = id;
  }

  reset({ seed, options }: ResetArgs = {}): ResetResult<Float32Array> {
    if (seed !== undefined) this.rng = new Rng(seed);
    if (options?.state !== undefined) {
      this.state = readState(options.state, { id: this.id, length: 4 });
    } else {
      const [low, high] = resetBounds(options, { id: this.id, low: -0.1, high: 0.1 });
      this.state = Array.from({ length: 4 }, () => Math.fround(low + (high - low) * this.rng.uniform()));
    }
    return { obs: this.observation(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    assertAction(this, action);
    if (!this.state) throw notReset(this.id, "step");
    const ns = rk4([...this.state, AVAIL_TORQUE[action]], dt);
    this.state = [
      wrap(ns[0], -Math.PI, Math.PI),
      wrap(ns[1], -Math.PI, Math.PI),
      bound(ns[2], -MAX_VEL_1, MAX_VEL_1),
      bound(ns[3], -MAX_VEL_2, MAX_VEL_2),
    ];
    const [theta1, theta2] = this.state;
    const terminated = -Math.cos(theta1) - Math.cos(theta2 + theta1) > 1.0;
    return { obs: this.observation(), reward: terminated ? 0.0 : -1.0, terminated, truncated: false, info: {} };
  }

  private observation(): Float32Array {
    const [theta1, theta2, dtheta1, dtheta2] = this.state!;
    return float32([Math.cos(theta1), Math.sin(theta1), Math.cos(theta2), Math.sin(theta2), dtheta1, dtheta2]);
  }

  renderState(): AcrobotRenderState {
    if (!this.state) throw notReset(this.id, "renderState");
    return {
      kind: "acrobot",
      theta1: this.state[0],
      theta2: this.state[1],
      linkLength1: LINK_LENGTH_1,
      linkLength2: LINK_LENGTH_2,
    };
  }
}

/**
 * The time derivative of [theta1, theta2, dtheta1, dtheta2, torque] (the torque's is 0): the
 * "book" equations of Sutton and Barto, term by term as Gymnasium's `_dsdt`.
 */
function dsdt(s: readonly number[]): number[] {
  const m1 = LINK_MASS_1, m2 = LINK_MASS_2, l1 = LINK_LENGTH_1;
  const lc1 = LINK_COM_POS_1, lc2 = LINK_COM_POS_2, I1 = LINK_MOI, I2 = LINK_MOI;
  const g = 9.8;
  const [theta1, theta2, dtheta1, dtheta2, a] = s;
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * Math.cos(theta2)) + I1 + I2;
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * Math.cos(theta2)) + I2;
  const phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
  const phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * Math.sin(theta2) -
    2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2) +
    (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 = (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * Math.sin(theta2) - phi2) /
    (m2 * lc2 ** 2 + I2 - (d2 * d2) / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return [dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0];
}

/** One classical Runge-Kutta step of length `h` from `y0`; returns the four state entries. */
function rk4(y0: readonly number[], h: number): number[] {
  const h2 = h / 2.0;
  const along = (k: readonly number[], step: number) => y0.map((y, i) => y + step * k[i]);
  const k1 = dsdt(y0);
  const k2 = dsdt(along(k1, h2));
  const k3 = dsdt(along(k2, h2));
  const k4 = dsdt(along(k3, h));
  return y0.slice(0, 4).map((y, i) => y + (h / 6.0) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
}

/** Wraps `x` into [m, M] by whole turns (unlike `bound`, which clips). */
function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

function bound(x: number, m: number, M: number): number {
  return Math.min(Math.max(x, m), M);
}
