/**
 * FrozenLake: cross a frozen lake from start (S) to goal (G) without falling into a hole (H),
 * walking on frozen tiles (F) where the ice may be slippery. A port of Gymnasium's
 * `FrozenLakeEnv` (gymnasium/envs/toy_text/frozen_lake.py).
 *
 * ## Action Space
 * `Discrete(4)`: 0 left, 1 down, 2 right, 3 up.
 *
 * ## Observation Space
 * `Discrete(nrow * ncol)`: the player's cell, `row * ncol + col` (the 4x4 goal is 3 * 4 + 3 = 15).
 *
 * ## Starting State
 * The start tile, cell 0 (uniform over S tiles if a custom map has several).
 * `reset({ options: { state: s } })` starts from cell `s`.
 *
 * ## Rewards
 * Reach goal +1, reach hole 0, reach frozen 0 (`rewardSchedule` = [goal, hole, frozen] changes
 * them; the start tile counts as frozen). Reward thresholds: 0.70 for FrozenLake-v1 (optimum
 * about 0.74), 0.85 for FrozenLake8x8-v1 (optimum about 0.91).
 *
 * ## Episode End
 * 1. Termination: the player moves into a hole or reaches the goal.
 * 2. Truncation: 100 steps for FrozenLake-v1, 200 for FrozenLake8x8-v1, from the registry: as in
 *    Gymnasium, `make("FrozenLake-v1", { mapName: "8x8" })` keeps FrozenLake-v1's 100.
 *
 * ## Information
 * `info.prob`: the probability of the transition taken (1 at reset).
 *
 * ## Arguments
 * - `mapName`: "4x4" (default) or "8x8", Gymnasium's predefined maps; `desc` gives a custom map
 *   (rows of S, F, H, G). Gymnasium's random map (neither given) is not ported.
 * - `isSlippery` (default true): the player moves in the intended direction with probability
 *   `successRate` (default 1/3), else in either perpendicular direction with equal probability.
 *
 * ## Version History
 * - v1: bug fixes to rewards (reward customization added in Gymnasium 1.3).
 * - v0: initial release.
 */
import { Rng } from "../lib/rng.ts";
import { assertAction, type Env, notReset, type ResetArgs, type ResetResult, type StepResult } from "./core.ts";
import { Discrete } from "./spaces.ts";
import {
  categoricalSample,
  readCell,
  sampleTransition,
  slipDirections,
  type Transition,
  type TransitionTable,
} from "./toy_text.ts";

const LEFT = 0, DOWN = 1, RIGHT = 2, UP = 3;

export const MAPS: Record<"4x4" | "8x8", readonly string[]> = {
  "4x4": ["SFFF", "FHFH", "FFFH", "HFFG"],
  "8x8": ["SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF", "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG"],
};

export interface FrozenLakeOptions {
  id?: string;
  /** A custom map, rows of S (start), F (frozen), H (hole), G (goal); overrides `mapName`. */
  desc?: readonly string[];
  mapName?: "4x4" | "8x8";
  isSlippery?: boolean;
  /** Probability of moving in the intended direction on slippery ice. */
  successRate?: number;
  /** Rewards for reaching [goal, hole, frozen]. */
  rewardSchedule?: readonly [number, number, number];
}

export interface FrozenLakeRenderState {
  kind: "frozen_lake";
  /** Rows of S, F, H, G. */
  map: string[];
  row: number;
  col: number;
  /** The last action taken (0 left, 1 down, 2 right, 3 up), null right after reset. */
  lastAction: number | null;
}

export class FrozenLake implements Env<number, number> {
  readonly id: string;
  /** Gymnasium's `metadata`: replays play at `render_fps`, slow enough to follow each move. */
  readonly metadata = { renderFps: 4 };
  /** The env's generator, Gymnasium's `np_random`: seed 0 until `reset({ seed })` reseeds it. */
  rng = new Rng(0);
  readonly desc: readonly string[];
  readonly nrow: number;
  readonly ncol: number;
  readonly actionSpace = new Discrete(4);
  readonly observationSpace: Discrete;
  /** Gymnasium's `P`, public as there for value iteration and tests. */
  readonly P: TransitionTable;
  private readonly initialStateDistrib: number[];
  private s?: number;
  private lastAction: number | null = null;

  constructor(options: FrozenLakeOptions = {}) {
    const { id = "FrozenLake-v1", mapName = "4x4", isSlippery = true, successRate = 1.0 / 3.0 } = options;
    const { rewardSchedule = [1, 0, 0] } = options;
    this.id = id;
    if (!options.desc && !Object.hasOwn(MAPS, mapName)) {
      throw new Error(`${id}: unknown mapName ${JSON.stringify(mapName)}; expected "4x4" or "8x8", or give a desc`);
    }
    this.desc = options.desc ?? MAPS[mapName];
    checkMap(id, this.desc);
    this.nrow = this.desc.length;
    this.ncol = this.desc[0].length;
    this.observationSpace = new Discrete(this.nrow * this.ncol);
    const starts = this.desc.join("").split("").map((c) => (c === "S" ? 1 : 0));
    const nStarts = starts.reduce((a: number, b) => a + b, 0);
    this.initialStateDistrib = starts.map((c) => c / nStarts);
    this.P = this.transitions(isSlippery, successRate, rewardSchedule);
  }

  private transitions(isSlippery: boolean, successRate: number, rewardSchedule: readonly number[]): TransitionTable {
    const failRate = (1.0 - successRate) / 2.0;
    const outcome = (row: number, col: number, move: number, prob: number): Transition => {
      const [newRow, newCol] = inc(row, col, move, this.nrow, this.ncol);
      const newLetter = this.desc[newRow][newCol];
      const reward = rewardSchedule[newLetter === "G" ? 0 : newLetter === "H" ? 1 : 2];
      return { prob, nextState: newRow * this.ncol + newCol, reward, terminated: "GH".includes(newLetter) };
    };
    return this.desc.flatMap((line, row) =>
      [...line].map((letter, col) =>
        [LEFT, DOWN, RIGHT, UP].map((a) => {
          if ("GH".includes(letter)) {
            return [{ prob: 1.0, nextState: row * this.ncol + col, reward: 0, terminated: true }];
          }
          if (!isSlippery) {
            return [outcome(row, col, a, 1.0)];
          }
          return slipDirections(a).map((b) => outcome(row, col, b, b === a ? successRate : failRate));
        })
      )
    );
  }

  reset({ seed, options }: ResetArgs = {}): ResetResult<number> {
    if (seed !== undefined) this.rng = new Rng(seed);
    this.s = options?.state !== undefined
      ? readCell(options.state, { id: this.id, n: this.observationSpace.n })
      : categoricalSample(this.initialStateDistrib, this.rng);
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

  renderState(): FrozenLakeRenderState {
    if (this.s === undefined) throw notReset(this.id, "renderState");
    const row = Math.floor(this.s / this.ncol), col = this.s % this.ncol;
    return { kind: "frozen_lake", map: [...this.desc], row, col, lastAction: this.lastAction };
  }
}

/** The cell one move away, staying on the board. */
function inc(row: number, col: number, a: number, nrow: number, ncol: number): [number, number] {
  if (a === LEFT) col = Math.max(col - 1, 0);
  else if (a === DOWN) row = Math.min(row + 1, nrow - 1);
  else if (a === RIGHT) col = Math.min(col + 1, ncol - 1);
  else if (a === UP) row = Math.max(row - 1, 0);
  return [row, col];
}

function checkMap(id: string, desc: readonly string[]): void {
  const ok = desc.length > 0 && desc.every((line) => line.length === desc[0].length && /^[SFHG]+$/.test(line)) &&
    desc.some((line) => line.includes("S"));
  if (!ok) {
    throw new Error(
      `${id}: desc must be equal-length rows of S, F, H, G with at least one S, got ${JSON.stringify(desc)}`,
    );
  }
}
