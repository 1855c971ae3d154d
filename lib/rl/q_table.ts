/**
 * Tabular action values for discrete environments (FrozenLake, CliffWalking), with the
 * Q-learning (Watkins, 1989) and SARSA (Rummery and Niranjan, 1994) updates of Sutton and Barto,
 * chapter 6:
 *
 *   Q-learning  Q(s,a) += alpha * (r + gamma * max_a' Q(s',a') - Q(s,a))
 *   SARSA       Q(s,a) += alpha * (r + gamma * Q(s',a')        - Q(s,a))   with a' the action taken next
 *
 * The bootstrap term is dropped when s' is terminal (not when the episode was truncated).
 */
import type { Rng } from "../rng.ts";

export class QTable {
  readonly values: Float64Array;

  constructor(readonly states: number, readonly actions: number) {
    if (!(Number.isInteger(states) && states > 0 && Number.isInteger(actions) && actions > 0)) {
      throw new Error(`QTable: states and actions must be positive integers, got ${states}, ${actions}`);
    }
    this.values = new Float64Array(states * actions);
  }

  get(state: number, action: number): number {
    return this.values[state * this.actions + action];
  }

  /** The greedy action, ties broken uniformly at random (an all-zero row must not always pick 0). */
  greedy(state: number, rng: Rng): number {
    const row = this.values.subarray(state * this.actions, (state + 1) * this.actions);
    const best = Math.max(...row);
    const ties = [...row.keys()].filter((a) => row[a] === best);
    return ties.length === 1 ? ties[0] : ties[rng.int(ties.length)];
  }

  epsilonGreedy(state: number, epsilon: number, rng: Rng): number {
    return rng.uniform() < epsilon ? rng.int(this.actions) : this.greedy(state, rng);
  }

  maxValue(state: number): number {
    return Math.max(...this.values.subarray(state * this.actions, (state + 1) * this.actions));
  }

  /**
   * One temporal-difference update; returns the TD error. `nextAction` selects SARSA's target;
   * without it the target is Q-learning's max.
   *
   * Exercise q-learning: move Q(s, a) a step alpha towards the target r + gamma * bootstrap and
   * return the TD error (target - Q(s, a), taken before the update).
   * Hints:
   * - The bootstrap is max_a' Q(s', a') (this.maxValue) for Q-learning, Q(s', a') for SARSA
   *   when `nextAction` is given, and 0 when s' is terminal (t.terminated).
   * - Q(s, a) lives at this.values[state * this.actions + action]; change no other entry.
   * - Check yourself: Q(s, a) = 0.5, max_a' Q(s', a') = 4, r = 1, alpha 0.1, gamma 0.9 give a TD
   *   error of 4.1 and Q(s, a) = 0.91.
   */
  update(
    t: { state: number; action: number; reward: number; nextState: number; terminated: boolean; nextAction?: number },
    { alpha, gamma }: { alpha: number; gamma: number },
  ): number {
    // @exercise q-learning 10
    const bootstrap = t.terminated
      ? 0
      : t.nextAction === undefined
      ? this.maxValue(t.nextState)
      : this.get(t.nextState, t.nextAction);
    const i = t.state * this.actions + t.action;
    const tdError = t.reward + gamma * bootstrap - this.values[i];
    this.values[i] += alpha * tdError;
    return tdError;
    // @end-exercise
  }
}
