/**
 * When Stable-Baselines3's DQN acts at random, refreshes the target network and trains, in env steps
 * counted as it counts them for one env (OffPolicyAlgorithm.learn and collect_rollouts,
 * DQN._sample_action and DQN._on_step in SB3 2.x), which RL Baselines3 Zoo's tuned settings assume:
 *
 * - the action taken when `t` env steps are done is uniform at random while t < learningStarts
 *   (`_sample_action`), epsilon-greedy with epsilon(t) after;
 * - once env step t (1, 2, ...) is done, first the target update when t % targetUpdateInterval == 0
 *   (`_on_step`, inside the rollout), then, when that step ends a rollout (t % trainFrequency == 0)
 *   and t > learningStarts, `gradientSteps` gradient steps (`learn`'s call of `train`).
 *
 * So a target update never falls inside a training phase, and one due at the step that ends a
 * rollout comes before that rollout's training, not after.
 */
export interface DqnScheduleOptions {
  learningStarts: number;
  trainFrequency: number;
  gradientSteps: number;
  targetUpdateInterval: number;
}

/** Whether the action taken when `stepsDone` env steps are done is uniform at random (SB3's warm-up). */
export function actsAtRandom(stepsDone: number, c: Pick<DqnScheduleOptions, "learningStarts">): boolean {
  return stepsDone < c.learningStarts;
}

/** What follows env step `step` (counted from 1): the target update first, then this many gradient steps. */
export function afterEnvStep(step: number, c: DqnScheduleOptions): { updateTarget: boolean; gradientSteps: number } {
  const trains = step > c.learningStarts && step % c.trainFrequency === 0;
  return { updateTarget: step % c.targetUpdateInterval === 0, gradientSteps: trains ? c.gradientSteps : 0 };
}
