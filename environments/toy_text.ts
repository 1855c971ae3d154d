/**
 * What the grid-world envs (FrozenLake, CliffWalking) share: Gymnasium's transition table `P`,
 * where `P[s][a]` lists the possible outcomes of action `a` in state `s` with their
 * probabilities, and its `categorical_sample` (gymnasium/envs/toy_text/utils.py).
 */
import type { Rng } from "../lib/rng.ts";
import { describeValue } from "./core.ts";

export interface Transition {
  prob: number;
  nextState: number;
  reward: number;
  terminated: boolean;
}

/** `table[s][a]`: the outcomes of action `a` in state `s`. */
export type TransitionTable = Transition[][][];

/**
 * The first index whose cumulative probability exceeds a uniform draw, as
 * `np.argmax(np.cumsum(p) > u)`; like numpy's argmax, 0 when rounding leaves none above it.
 */
export function categoricalSample(probs: readonly number[], rng: Rng): number {
  const u = rng.uniform();
  let cumulative = 0;
  for (let i = 0; i < probs.length; i++) {
    cumulative += probs[i];
    if (cumulative > u) return i;
  }
  return 0;
}

/** Draws one of the outcomes `P[s][a]` of an action. */
export function sampleTransition(outcomes: readonly Transition[], rng: Rng): Transition {
  return outcomes[categoricalSample(outcomes.map((t) => t.prob), rng)];
}

/** Reads `options.state` as a cell index in [0, n). */
export function readCell(state: ArrayLike<number> | number, { id, n }: { id: string; n: number }): number {
  const s = typeof state === "number" ? state : state.length === 1 ? state[0] : NaN;
  if (!Number.isInteger(s) || s < 0 || s >= n) {
    throw new Error(`${id}: options.state must be a cell index in [0, ${n}), got ${describeValue(state)}`);
  }
  return s;
}

/** The direction taken for an intended move on slippery ice: the move and its two perpendiculars. */
export function slipDirections(move: number): number[] {
  return [(move + 3) % 4, move, (move + 1) % 4];
}
