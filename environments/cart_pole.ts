/**
 * CartPole: balance a pole on a cart. A port of Gymnasium's `CartPoleEnv`
 * (gymnasium/envs/classic_control/cartpole.py), the cart-pole of Barto, Sutton and Anderson,
 * "Neuronlike Adaptive Elements That Can Solve Difficult Learning Control Problems" (1983).
 *
 * ## Action Space
 * `Discrete(2)`: 0 pushes the cart to the left, 1 to the right, with a fixed force of 10 N.
 *
 * ## Observation Space
 * `Box(4,)` float32:
 *
 * | Num | Observation           | Min                 | Max               |
 * |-----|-----------------------|---------------------|-------------------|
 * | 0   | Cart Position         | -4.8                | 4.8               |
 * | 1   | Cart Velocity         | -Inf                | Inf               |
 * | 2   | Pole Angle            | ~ -0.418 rad (-24°) | ~ 0.418 rad (24°) |
 * | 3   | Pole Angular Velocity | -Inf                | Inf               |
 *
 * The bounds are twice the termination thresholds, so the observation that ends an episode is
 * still inside the space.
 *
 * ## Rewards
 * +1 for every step, the terminating step included (threshold 475 for v1, 195 for v0). With
 * `suttonBartoReward`, 0 per step and -1 on the terminating step.
 *
 * ## Starting State
 * All four state variables uniform in (-0.05, 0.05); `reset({ options: { low, high } })` changes
 * the bounds. `reset({ options: { state: [x, x_dot, theta, theta_dot] } })` starts from a state.
 *
 * ## Episode End
 * 1. Termination: the pole angle leaves ±12° (±0.2095 rad).
 * 2. Termination: the cart position leaves ±2.4 (the cart's centre reaches the display's edge).
 * 3. Truncation: 500 steps for v1 (200 for v0), applied by the registry's time limit.
 *
 * ## Version History
 * - v1: `max_episode_steps` raised to 500 (reward threshold 475).
 * - v0: initial release (200 steps, threshold 195).
 *
 * The state is float64 and integrated with explicit Euler, as Gymnasium's default
 * `kinematics_integrator = "euler"`; the observation is its float32 cast.
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

export interface CartPoleOptions {
  id?: string;
  /** Reward 0 per step and -1 on termination, as Sutton and Barto's original. */
  suttonBartoReward?: boolean;
}

export interface CartPoleRenderState {
  kind: "cart_pole";
  /** Cart position (m) and pole angle from upright (rad, positive leaning towards +x). */
  x: number;
  theta: number;
  xThreshold: number;
  thetaThresholdRadians: number;
  /** Half the pole's length (m), as Gymnasium names it. */
  length: number;
}

export class CartPole implements Env<Float32Array, number> {
  readonly id: string;
  /** Gymnasium's `metadata`: replays play at `render_fps`, here one frame per `tau`, in real time. */
  readonly metadata = { renderFps: 50 };
  /** The env's generator, Gymnasium's `np_random`: seed 0 until `reset({ seed })` reseeds it. */
  rng = new Rng(0);
  readonly gravity = 9.8;
  readonly masscart = 1.0;
  readonly masspole = 0.1;
  readonly totalMass = this.masspole + this.masscart;
  readonly length = 0.5; // actually half the pole's length
  readonly polemassLength = this.masspole * this.length;
  readonly forceMag = 10.0;
  readonly tau = 0.02; // seconds between state updates
  readonly thetaThresholdRadians = (12 * 2 * Math.PI) / 360;
  readonly xThreshold = 2.4;
  readonly actionSpace = new Discrete(2);
  readonly observationSpace: Box;
  private readonly suttonBartoReward: boolean;
  private state?: number[];
  private stepsBeyondTerminated: number | null = null;

  constructor({ id = "CartPole-v1", suttonBartoReward = false }: CartPoleOptions = {}) {
    this.id = id;
    this.suttonBartoReward = suttonBartoReward;
    const high = [this.xThreshold * 2, Infinity, this.thetaThresholdRadians * 2, Infinity];
    this.observationSpace = new Box(high.map((h) => -h), high);
  }

  reset({ seed, options }: ResetArgs = {}): ResetResult<Float32Array> {
    if (seed !== undefined) this.rng = new Rng(seed);
    if (options?.state !== undefined) {
      this.state = readState(options.state, { id: this.id, length: 4 });
    } else {
      const [low, high] = resetBounds(options, { id: this.id, low: -0.05, high: 0.05 });
      this.state = Array.from({ length: 4 }, () => low + (high - low) * this.rng.uniform());
    }
    this.stepsBeyondTerminated = null;
    return { obs: float32(this.state), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    assertAction(this, action);
    if (!this.state) throw notReset(this.id, "step");
    let [x, xDot, theta, thetaDot] = this.state;
    const force = action === 1 ? this.forceMag : -this.forceMag;
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);

    // Florian, "Correct equations for the dynamics of the cart-pole system" (2007), eqs. 23-24.
    const temp = (force + this.polemassLength * (thetaDot * thetaDot) * sintheta) / this.totalMass;
    const thetaacc = (this.gravity * sintheta - costheta * temp) /
      (this.length * (4.0 / 3.0 - (this.masspole * (costheta * costheta)) / this.totalMass));
    const xacc = temp - (this.polemassLength * thetaacc * costheta) / this.totalMass;

    x = x + this.tau * xDot;
    xDot = xDot + this.tau * xacc;
    theta = theta + this.tau * thetaDot;
    thetaDot = thetaDot + this.tau * thetaacc;
    this.state = [x, xDot, theta, thetaDot];

    const terminated = x < -this.xThreshold || x > this.xThreshold ||
      theta < -this.thetaThresholdRadians || theta > this.thetaThresholdRadians;
    return { obs: float32(this.state), reward: this.reward(terminated), terminated, truncated: false, info: {} };
  }

  /** +1 per step (Sutton-Barto: 0, and -1 when the pole falls); 0 for steps past the end. */
  private reward(terminated: boolean): number {
    if (!terminated) return this.suttonBartoReward ? 0.0 : 1.0;
    if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0;
      return this.suttonBartoReward ? -1.0 : 1.0;
    }
    this.stepsBeyondTerminated += 1;
    return this.suttonBartoReward ? -1.0 : 0.0;
  }

  renderState(): CartPoleRenderState {
    if (!this.state) throw notReset(this.id, "renderState");
    return {
      kind: "cart_pole",
      x: this.state[0],
      theta: this.state[2],
      xThreshold: this.xThreshold,
      thetaThresholdRadians: this.thetaThresholdRadians,
      length: this.length,
    };
  }
}
