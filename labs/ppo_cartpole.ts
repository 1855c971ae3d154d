/**
 * ppo-cartpole: Proximal Policy Optimization (Schulman et al., 2017) on CartPole-v1, as CleanRL's
 * ppo.py reads: vectorised envs, generalised advantage estimation (Schulman et al., 2016), the
 * clipped surrogate objective, an entropy bonus, separate 64-64 tanh actor and critic with
 * orthogonal init, Adam (eps 1e-5), global gradient-norm clipping, advantages normalised per
 * minibatch. The defaults are RL Baselines3 Zoo's tuned CartPole-v1 PPO (hyperparams/ppo.yml: 8
 * envs x 32 steps, 20 epochs on the whole batch of 256, gamma 0.98, lambda 0.8, learning rate
 * 1e-3 and clip range 0.2 both annealed linearly to 0, no entropy bonus, no value clipping), which
 * reaches 500 within 100,000 env steps. Unlike CleanRL's ppo.py, an episode cut by the time limit
 * is bootstrapped from the value of its last observation, as Stable-Baselines3 does.
 * Solved: mean return >= 475 over 100 greedy (argmax) evaluation episodes.
 *
 *   deno task lab ppo-cartpole [--total-timesteps 100000] [--seed 1] [--max-steps N] ...
 */
import { spec as envSpec } from "../environments/mod.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { type Lab, startLab } from "../runner/lab.ts";
import { categoricalPpoAgent } from "../lib/rl/ppo_agent.ts";
import { ppoSpec } from "../lib/rl/ppo_spec.ts";
import { trainPpo } from "../trainers/ppo_trainer.ts";

const ENV_ID = "CartPole-v1";
const OBS_SIZE = 4; // cart position and velocity, pole angle and angular velocity
const ACTIONS = 2; // push left, push right

export const lab: Lab<typeof spec> = {
  id: "ppo-cartpole",
  title: "PPO on CartPole-v1",
  description:
    "Schulman et al. (2017) as CleanRL's ppo.py, with RL Baselines3 Zoo's tuned CartPole-v1 hyperparameters.\n" +
    "Solved: mean return >= 475 over 100 greedy evaluation episodes. Here --max-steps caps env steps\n" +
    "(rounded down to whole updates of num-envs x num-steps, at least one); the schedules still run\n" +
    "over --total-timesteps.",
  get spec() {
    return spec;
  },
  headline: "eval/mean_return",
  better: "higher",
};

const spec = ppoSpec({
  numEnvs: 8,
  numSteps: 32,
  annealLr: true,
  gamma: 0.98,
  gaeLambda: 0.8,
  numMinibatches: 1,
  updateEpochs: 20,
  annealClip: true,
  evalEvery: 10,
  checkpointEvery: 10,
});

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  await trainPpo(lab, start, {
    envId: ENV_ID,
    threshold: envSpec(ENV_ID).rewardThreshold!,
    agent: (rng) => categoricalPpoAgent({ obsSize: OBS_SIZE, actions: ACTIONS, hidden: start.config.hidden, rng }),
    reference: {
      sb3: "RL Baselines3 Zoo tuned PPO: mean return 500 within 100,000 env steps",
      cleanrl: "CleanRL ppo.py (its own defaults, 500,000 steps): 490.04 +- 6.12 training episodic return",
    },
  });
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
