/**
 * dqn-cartpole: deep Q-learning (Mnih et al., "Human-level control through deep reinforcement
 * learning", 2015) on CartPole-v1, as CleanRL's dqn.py reads. An epsilon-greedy agent fills a
 * replay buffer; every `trainFrequency` env steps it takes `gradientSteps` Adam steps on the Huber
 * loss of the TD error, against a target network that follows the online one every
 * `targetUpdateInterval` env steps (with --double, the double-DQN target of van Hasselt et al.,
 * 2016). The defaults are the RL Baselines3 Zoo's tuned CartPole-v1 DQN (hyperparams/dqn.yml),
 * which bench/reference/dqn_cartpole_torch.py runs in PyTorch. Solved: mean return >= 475 over 100
 * greedy episodes; the zoo's DQN reaches 500 at 50,000 env steps.
 *
 *   deno task lab dqn-cartpole [--seed 1] [--total-timesteps 50000] [--double] [--max-steps N] ...
 *
 * The loop (trainers/dqn_trainer.ts) is shared with labs/dqn_acrobot.ts.
 */
import { spec as envSpec } from "../environments/mod.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { type Lab, startLab } from "../runner/lab.ts";
import { type DqnSpec, dqnSpec } from "../lib/rl/dqn_spec.ts";
import { DQN_MAX_STEPS_NOTE, trainDqn } from "../trainers/dqn_trainer.ts";

const ENV_ID = "CartPole-v1";

export const lab: Lab<DqnSpec> = {
  id: "dqn-cartpole",
  title: "Deep Q-network on CartPole-v1",
  description: "Mnih et al. (2015), as CleanRL's dqn.py, with the RL Baselines3 Zoo's tuned CartPole-v1 settings\n" +
    "(its DQN reaches 500 at 50,000 env steps). Logs episodic returns, TD loss, Q-values and epsilon;\n" +
    "evaluates the greedy policy every --eval-every env steps and records an episode for replay.\n" +
    DQN_MAX_STEPS_NOTE,
  get spec() {
    return spec;
  },
  headline: "eval/mean_return",
  better: "higher",
};

const spec = dqnSpec({
  totalTimesteps: 50_000,
  lr: 2.3e-3,
  bufferSize: 100_000,
  batchSize: 64,
  hiddenSize: 256,
  learningStarts: 1000,
  trainFrequency: 256,
  gradientSteps: 128,
  targetUpdateInterval: 10,
  explorationFraction: 0.16,
  endEpsilon: 0.04,
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
      "rl-baselines3-zoo DQN": "mean return 500 +- 0 after 50,000 env steps with these settings (benchmark.md)",
      "CleanRL dqn.py": "about 490 at about 300,000 env steps, about 145 s on a CPU",
      pytorch: "bench/reference/dqn_cartpole_torch.py, the same settings in PyTorch",
    },
  });
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
