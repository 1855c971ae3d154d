import assert from "node:assert/strict";
import { actsAtRandom, afterEnvStep, type DqnScheduleOptions } from "../../../lib/rl/dqn_schedule.ts";

/**
 * Stable-Baselines3's DQN loop for one env, reduced to its counters (OffPolicyAlgorithm.learn and
 * collect_rollouts, DQN._sample_action and DQN._on_step, SB3 2.x): the events it produces in order.
 */
function sb3Events(c: DqnScheduleOptions, totalTimesteps: number): string[] {
  const events: string[] = [];
  let numTimesteps = 0, nCalls = 0;
  while (numTimesteps < totalTimesteps) {
    // collect_rollouts: train_freq steps, each followed by _on_step
    for (let collected = 0; collected < c.trainFrequency && numTimesteps < totalTimesteps; collected++) {
      events.push(`${numTimesteps}: act ${numTimesteps < c.learningStarts ? "random" : "epsilon-greedy"}`);
      numTimesteps += 1;
      nCalls += 1;
      if (nCalls % Math.max(c.targetUpdateInterval, 1) === 0) events.push(`${numTimesteps}: target`);
    }
    // learn: train after the rollout once past learning_starts
    if (numTimesteps > 0 && numTimesteps > c.learningStarts) events.push(`${numTimesteps}: train ${c.gradientSteps}`);
  }
  return events;
}

/** The same events from the project's schedule, in the order trainers/dqn_trainer.ts runs them. */
function projectEvents(c: DqnScheduleOptions, totalTimesteps: number): string[] {
  const events: string[] = [];
  for (let step = 0; step < totalTimesteps;) {
    events.push(`${step}: act ${actsAtRandom(step, c) ? "random" : "epsilon-greedy"}`);
    step++;
    const due = afterEnvStep(step, c);
    if (due.updateTarget) events.push(`${step}: target`);
    if (due.gradientSteps) events.push(`${step}: train ${due.gradientSteps}`);
  }
  return events;
}

const CARTPOLE = { learningStarts: 1000, trainFrequency: 256, gradientSteps: 128, targetUpdateInterval: 10 };
const ACROBOT = { learningStarts: 0, trainFrequency: 4, gradientSteps: 4, targetUpdateInterval: 250 };

for (const [name, c] of [["CartPole", CARTPOLE], ["Acrobot", ACROBOT]] as const) {
  Deno.test(`dqn_schedule - ${name}'s settings: warm-up, target updates and training phases as SB3 orders them`, () => {
    // a whole number of rollouts, so SB3's last rollout ends where the budget does
    const total = 20 * c.trainFrequency * c.targetUpdateInterval;
    assert.deepEqual(projectEvents(c, total), sb3Events(c, total));
  });
}

Deno.test("dqn_schedule - a target update due at the end of a rollout comes before its training, not after", () => {
  assert.deepEqual(projectEvents(ACROBOT, 500).slice(-3), ["499: act epsilon-greedy", "500: target", "500: train 4"]);
  assert.deepEqual(afterEnvStep(1024, CARTPOLE), { updateTarget: false, gradientSteps: 128 });
  assert.deepEqual(afterEnvStep(768, CARTPOLE), { updateTarget: false, gradientSteps: 0 }); // not past learningStarts
  assert.equal(actsAtRandom(999, CARTPOLE), true);
  assert.equal(actsAtRandom(1000, CARTPOLE), false);
});
