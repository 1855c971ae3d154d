/**
 * Returns and advantages over a rollout, as plain arrays (no tfjs): the maths every policy-
 * gradient agent shares. `dones[t]` is 1 when the episode ended at step t (terminated, not
 * truncated: a truncated episode's value is bootstrapped by the caller through `nextValues`).
 */

/** Reward-to-go G_t = r_t + gamma * G_{t+1}, restarting after each done (REINFORCE). */
export function discountedReturns(rewards: ArrayLike<number>, dones: ArrayLike<number>, gamma: number): Float32Array {
  const returns = new Float32Array(rewards.length);
  let running = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    running = rewards[t] + gamma * running * (1 - dones[t]);
    returns[t] = running;
  }
  return returns;
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
 */
export function gae(input: GaeInput, { gamma, gaeLambda }: { gamma: number; gaeLambda: number }) {
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
}
