/**
 * CliffWalking: walk a 4x12 grid from start to goal along a cliff. A port of Gymnasium's
 * `CliffWalkingEnv` (gymnasium/envs/toy_text/cliffwalking.py), Example 6.6 of Sutton and Barto,
 * "Reinforcement Learning: An Introduction" (2nd ed., 2018).
 *
 * ## Description
 * The player starts at [3, 0] and the goal is at [3, 11]; the cliff runs along [3, 1..10].
 * Stepping into the cliff sends the player back to the start.
 *
 * ## Action Space
 * `Discrete(4)`: 0 up, 1 right, 2 down, 3 left.
 *
 * ## Observation Space
 * `Discrete(48)`: the player's cell, `row * 12 + col` (the start is 3 * 12 + 0 = 36).
 *
 * ## Starting State
 * Cell 36, [3, 0]. `reset({ options: { state: s } })` starts from cell `s`.
 *
 * ## Rewards
 * -1 per step, -100 for stepping into the cliff. No reward threshold is registered.
 *
 * ## Episode End
 * Termination when the player enters cell 47, [3, 11]. Gymnasium registers no time limit for
 * CliffWalking, so neither does this registry: an agent that never reaches the goal never ends
 * its episode (pass `maxEpisodeSteps` to `make` to cap it).
 *
 * ## Information
 * `info.prob`: the probability of the transition taken (1 at reset).
 *
 * ## Arguments
 * `isSlippery` (default false; CliffWalkingSlippery-v1 sets it): the player moves in the intended
 * direction or either perpendicular one, each with probability 1/3.
 *
 * ## Version History
 * - v1: slippery variant added.
 * - v0: initial release.
 */
import { Rng } from "../lib/rng.ts";
import { assertAction, type Env, notReset, type ResetArgs, type ResetResult, type StepResult } from "./core.ts";
import { Discrete } from "./spaces.ts";
import { readCell, sampleTransition, slipDirections, type TransitionTable } from "./toy_text.ts";

/** [row, col] changes for UP, RIGHT, DOWN, LEFT. */
const POSITION_MAPPING = [[-1, 0], [0, 1], [1, 0], [0, -1]];
const NROW = 4, NCOL = 12;
const START_STATE = 3 * NCOL + 0;
const GOAL_STATE = 3 * NCOL + 11;
const isCliff = (row: number, col: number) => row === 3 && col >= 1 && col <= 10;

export interface CliffWalkingOptions {
  id?: string;
  isSlippery?: boolean;
}

export interface CliffWalkingRenderState {
  kind: "cliff_walking";
  /** Rows of S (start), C (cliff), G (goal) and . (open ground). */
  map: string[];
  row: number;
  col: number;
  /** The last action taken (0 up, 1 right, 2 down, 3 left), null right after reset. */
  lastAction: number | null;
}

export class CliffWalking implements Env<number, number> {
  readonly id: string;
  /** Gymnasium's `metadata`: replays play at `render_fps`, slow enough to follow each move. */
  readonly metadata = { renderFps: 4 };
  /** The env's generator, Gymnasium's `np_random`: seed 0 until `reset({ seed })` reseeds it. */
  rng = new Rng(0);
  readonly shape = [NROW, NCOL] as const;
  readonly actionSpace = new Discrete(4);
  readonly observationSpace = new Discrete(NROW * NCOL);
  /** Gymnasium's `P`, public as there for value iteration and tests. */
  readonly P: TransitionTable;
  private s?: number;
  private lastAction: number | null = null;

  constructor({ id = "CliffWalking-v1", isSlippery = false }: CliffWalkingOptions = {}) {
    this.id = id;
    this.P = Array.from({ length: NROW * NCOL }, (_, s) =>
      [0, 1, 2, 3].map((move) => {
        const moves = isSlippery ? slipDirections(move) : [move];
        return moves.map((m) => outcome(Math.floor(s / NCOL), s % NCOL, m, 1 / moves.length));
      }));
  }

  reset({ seed, options }: ResetArgs = {}): ResetResult<number> {
    if (seed !== undefined) this.rng = new Rng(seed);
    this.s = options?.state !== undefined ? readCell(options.state, { id: this.id, n: NROW * NCOL }) : START_STATE;
    this.lastAction = null;
    return { obs: this.s, info: { prob: 1 } };
  }

  step(action: number): StepResult<number> {
    assertAction(this, action);
    if (this.s === undefined) throw notReset(this.id, "step");
    const { prob, nextState, reward, terminated } = sampleTransition(this.P[this.s][action], this.rng);
    this.s = nextState;
    this.lastAction = action;
    return { obs: nextState, reward, terminated, truncated: false, info: { prob } };
  }

  renderState(): CliffWalkingRenderState {
    if (this.s === undefined) throw notReset(this.id, "renderState");
    const map = Array.from({ length: NROW }, (_, row) =>
      Array.from({ length: NCOL }, (_, col) => {
        const s = row * NCOL + col;
        return s === START_STATE ? "S" : s === GOAL_STATE ? "G" : isCliff(row, col) ? "C" : ".";
      }).join(""));
    return {
      kind: "cliff_walking",
      map,
      row: Math.floor(this.s / NCOL),
      col: this.s % NCOL,
      lastAction: this.lastAction,
    };
  }
}

/** One move from [row, col], kept on the grid: into the cliff is -100 and back to the start. */
function outcome(row: number, col: number, move: number, prob: number) {
  const newRow = Math.min(Math.max(row + POSITION_MAPPING[move][0], 0), NROW - 1);
  const newCol = Math.min(Math.max(col + POSITION_MAPPING[move][1], 0), NCOL - 1);
  if (isCliff(newRow, newCol)) return { prob, nextState: START_STATE, reward: -100, terminated: false };
  const nextState = newRow * NCOL + newCol;
  return { prob, nextState, reward: -1, terminated: nextState === GOAL_STATE };
}
