/**
 * MountainCar: drive an under-powered car up the right hill of a sinusoidal valley. A port of
 * Gymnasium's `MountainCarEnv` (gymnasium/envs/classic_control/mountain_car.py), from Andrew
 * Moore's PhD thesis, "Efficient Memory-based Learning for Robot Control" (1990).
 *
 * ## Action Space
 * `Discrete(3)`: 0 accelerates to the left, 1 does not accelerate, 2 accelerates to the right.
 *
 * ## Observation Space
 * `Box(2,)` float32:
 *
 * | Num | Observation                          | Min   | Max  |
 * |-----|--------------------------------------|-------|------|
 * | 0   | position of the car along the x-axis | -1.2  | 0.6  |
 * | 1   | velocity of the car                  | -0.07 | 0.07 |
 *
 * ## Transition Dynamics
 * velocity_{t+1} = velocity_t + (action - 1) * force - cos(3 * position_t) * gravity,
 * position_{t+1} = position_t + velocity_{t+1}, with force = 0.001 and gravity = 0.0025. The
 * velocity is clipped to [-0.07, 0.07] and the position to [-1.2, 0.6]; hitting the left wall is
 * inelastic (the velocity becomes 0). The track's height is sin(3 * position) * 0.45 + 0.55.
 *
 * ## Rewards
 * -1 for every step (reward threshold -110).
 *
 * ## Starting State
 * Position uniform in [-0.6, -0.4] (`options.low`/`options.high` change it), velocity 0.
 * `reset({ options: { state: [position, velocity] } })` starts from a given state.
 *
 * ## Episode End
 * 1. Termination: position >= 0.5 (the flag on the right hill) with velocity >= `goalVelocity` (0).
 * 2. Truncation: 200 steps, applied by the registry's time limit.
 *
 * ## Version History
 * - v0: initial release.
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

export interface MountainCarOptions {
  id?: string;
  /** The least velocity at the flag that ends the episode (Gymnasium's `goal_velocity`). */
  goalVelocity?: number;
}

export interface MountainCarRenderState {
  kind: "mountain_car";
  /** Car position along the x-axis; its height is sin(3 * position) * 0.45 + 0.55. */
  position: number;
  velocity: number;
  minPosition: number;
  maxPosition: number;
  goalPosition: number;
}

export class MountainCar implements Env<Float32Array, number> {
  readonly id: string;
  /** Gymnasium's `metadata`: replays play at `render_fps` frames (steps) a second. */
  readonly metadata = { renderFps: 30 };
  /** The env's generator, Gymnasium's `np_random`: seed 0 until `reset({ seed })` reseeds it. */
  rng = new Rng(0);
  readonly minPosition = -1.2;
  readonly maxPosition = 0.6;
  readonly maxSpeed = 0.07;
  readonly goalPosition = 0.5;
  readonly goalVelocity: number;
  readonly force = 0.001;
  readonly gravity = 0.0025;
  readonly actionSpace = new Discrete(3);
  readonly observationSpace = new Box([this.minPosition, -this.maxSpeed], [this.maxPosition, this.maxSpeed]);
  private state?: [number, number];

  constructor({ id = "MountainCar-v0", goalVelocity = 0 }: MountainCarOptions = {}) {
    this.id = id;
    this.goalVelocity = goalVelocity;
  }

  reset({ seed, options }: ResetArgs = {}): ResetResult<Float32Array> {
    if (seed !== undefined) this.rng = new Rng(seed);
    if (options?.state !== undefined) {
      const [position, velocity] = readState(options.state, { id: this.id, length: 2 });
      this.state = [position, velocity];
    } else {
      const [low, high] = resetBounds(options, { id: this.id, low: -0.6, high: -0.4 });
      this.state = [low + (high - low) * this.rng.uniform(), 0];
    }
    return { obs: float32(this.state), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    assertAction(this, action);
    if (!this.state) throw notReset(this.id, "step");
    let [position, velocity] = this.state;
    velocity += (action - 1) * this.force + Math.cos(3 * position) * -this.gravity;
    velocity = clip(velocity, -this.maxSpeed, this.maxSpeed);
    position += velocity;
    position = clip(position, this.minPosition, this.maxPosition);
    if (position === this.minPosition && velocity < 0) velocity = 0;

    const terminated = position >= this.goalPosition && velocity >= this.goalVelocity;
    this.state = [position, velocity];
    return { obs: float32(this.state), reward: -1.0, terminated, truncated: false, info: {} };
  }

  renderState(): MountainCarRenderState {
    if (!this.state) throw notReset(this.id, "renderState");
    const [position, velocity] = this.state;
    return {
      kind: "mountain_car",
      position,
      velocity,
      minPosition: this.minPosition,
      maxPosition: this.maxPosition,
      goalPosition: this.goalPosition,
    };
  }
}

function clip(x: number, low: number, high: number): number {
  return Math.min(Math.max(x, low), high);
}
