/**
 * Returns and advantages over a rollout, as plain arrays (no tfjs): the maths every policy-
 * gradient agent shares. `dones[t]` is 1 when the episode ended at step t (terminated, not
 * truncated: a truncated episode's value is bootstrapped by the caller through `nextValues`).
 */

/**
 * Reward-to-go G_t = r_t + gamma * G_{t+1}, restarting after each done (REINFORCE).
 *
 * Exercise discounted-return: return G_t for every step t of the rollout, a Float32Array as long
 * as `rewards`.
 * Hints:
 * - Walk backwards from the last step, carrying the return of the step after: one pass, O(T).
 * - r_t itself is not discounted; only what comes after it is, by one more gamma per step.
 * - dones[t] = 1 means the episode ended at step t: nothing after t belongs in G_t.
 * - Check yourself: rewards [1, 2, 3], gamma 0.5, no done give [2.75, 3.5, 3].
 */
export function discountedReturns(rewards: ArrayLike<number>, dones: ArrayLike<number>, gamma: number): Float32Array {
  // @exercise discounted-return 10
  const returns = new Float32Array(rewards.length);
  let running = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    running = rewards[t] + gamma * running * (1 - dones[t]);
    returns[t] = running;
  }
  return returns;
  // @end-exercise
}

export interface GaeInput {
  rewards: ArrayLike<number>;
  /** V(s_t) for each step of the rollout */
  values: ArrayLike<number>;
  /** V(s_{t+1}); 0 where s_{t+1} is terminal */
  nextValues: ArrayLike<number>;
  /** 1 where the episode ended at step t, so advantages do not flow back across episodes */
  dones: ArrayLike<number>;
}

/**
 * Generalised advantage estimation (Schulman et al., 2016): A_t = sum_l (gamma*lambda)^l delta_{t+l}
 * with delta_t = r_t + gamma V(s_{t+1}) - V(s_t). Returns the advantages and the value targets
 * A_t + V(s_t), as CleanRL's ppo.py computes them.
 *
 * Exercise gae: return both as Float32Arrays as long as `rewards`.
 * Hints:
 * - The sum obeys a recursion, A_t = delta_t + gamma * lambda * A_{t+1}: walk backwards once.
 * - delta_t bootstraps from nextValues[t] (already 0 where s_{t+1} is terminal); dones[t] = 1
 *   stops A_{t+1} from flowing back into A_t, since step t + 1 belongs to another episode.
 * - lambda = 0 gives the one-step TD error delta_t; lambda = 1 gives the discounted return
 *   minus V(s_t).
 */
export function gae(
  input: GaeInput,
  { gamma, gaeLambda }: { gamma: number; gaeLambda: number },
): { advantages: Float32Array; returns: Float32Array } {
  // @exercise gae 15
  const { rewards, values, nextValues, dones } = input;
  const n = rewards.length;
  const advantages = new Float32Array(n);
  let running = 0;
  for (let t = n - 1; t >= 0; t--) {
    const delta = rewards[t] + gamma * nextValues[t] - values[t];
    running = delta + gamma * gaeLambda * (1 - dones[t]) * running;
    advantages[t] = running;
  }
  const returns = advantages.map((a, t) => a + values[t]);
  return { advantages, returns };
  // @end-exercise
}
