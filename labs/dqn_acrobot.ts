/**
 * dqn-acrobot: the deep Q-network of labs/dqn_cartpole.ts (same loop, trainers/dqn_trainer.ts) on Acrobot-v1,
 * with the RL Baselines3 Zoo's tuned Acrobot-v1 DQN settings (hyperparams/dqn.yml): MLP 256-256,
 * Adam 6.3e-4, batch 128, buffer 50,000, learning from the first step, 4 gradient steps every 4 env
 * steps (the zoo's train_freq 4 with gradient_steps -1, one env), target copied every 250 env steps,
 * epsilon 1 -> 0.1 over the first 12% of 100,000 env steps, gradients clipped to norm 10.
 * Solved: mean return >= -100 over 100 greedy episodes (Gymnasium's threshold).
 *
 *   deno task lab dqn-acrobot [--seed 1] [--total-timesteps 100000] [--double] [--max-steps N] ...
 */
import { spec as envSpec } from "../environments/mod.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { type Lab, startLab } from "../runner/lab.ts";
import { type DqnSpec, dqnSpec } from "../lib/rl/dqn_spec.ts";
import { DQN_MAX_STEPS_NOTE, trainDqn } from "../trainers/dqn_trainer.ts";

const ENV_ID = "Acrobot-v1";

export const lab: Lab<DqnSpec> = {
  id: "dqn-acrobot",
  title: "Deep Q-network on Acrobot-v1",
  description: "Mnih et al. (2015), as CleanRL's dqn.py, with the RL Baselines3 Zoo's tuned Acrobot-v1 settings.\n" +
    "Logs episodic returns, TD loss, Q-values and epsilon; evaluates the greedy policy every --eval-every\n" +
    "env steps and records an episode for replay.\n" + DQN_MAX_STEPS_NOTE,
  get spec() {
    return spec;
  },
  headline: "eval/mean_return",
  better: "higher",
};

const spec = dqnSpec({
  totalTimesteps: 100_000,
  lr: 6.3e-4,
  bufferSize: 50_000,
  batchSize: 128,
  hiddenSize: 256,
  learningStarts: 0,
  trainFrequency: 4,
  gradientSteps: 4,
  targetUpdateInterval: 250,
  explorationFraction: 0.12,
  endEpsilon: 0.1,
  evalEvery: 5000,
  checkpointEvery: 10_000,
});

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  await trainDqn(lab, start, {
    envId: ENV_ID,
    threshold: envSpec(ENV_ID).rewardThreshold!,
    reference: {
      "rl-baselines3-zoo DQN": "mean return -76.6 +- 11.8 after 100,000 env steps with these settings (benchmark.md)",
      gymnasium: "reward threshold -100",
    },
  });
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
