"""PyTorch reference for ppo-cartpole, for side-by-side comparison (`deno task bench --only labs`).

PPO as CleanRL's ppo.py reads, with the lab's defaults (lib/rl/ppo_spec.ts, labs/ppo_cartpole.ts: RL Baselines3
Zoo's tuned CartPole-v1 PPO): separate 64-64 tanh actor and critic with orthogonal init (gain sqrt(2) on the hidden
layers, 0.01 on the policy head, 1 on the value head), Adam (eps 1e-5); 8 envs x 32 steps per update, GAE (gamma 0.98,
lambda 0.8), 20 epochs over the whole batch of 256 as one minibatch, advantages normalised per minibatch, the clipped
surrogate objective, value loss 0.5 * MSE unclipped, no entropy bonus, global gradient norm clipped to 0.5; learning
rate 1e-3 and clip range 0.2 both annealed linearly to 0 over the planned updates. As in Stable-Baselines3 (and the
lab), an episode cut by the time limit is bootstrapped from V(last observation); a terminated one is not. CartPole is
dqn_torch.py's, written inline with Gymnasium's constants; env copy i is seeded seed + i.

Evaluation as the lab does it: every 10 updates and after the last, 100 greedy (argmax) episodes on the same 100 seeds
each time, stepped side by side (one forward pass per time step over the episodes still running).

usage: python3 ppo_cartpole_torch.py [SEED] [TOTAL_STEPS]
prints JSON lines: each evaluation, and a final line with the last evaluation's mean and std over 100 episodes, env
steps, wall seconds, and the first env step and wall second at which an evaluation's mean reached 475.
"""
import argparse, json, math, random, time
import numpy as np
import torch
import torch.nn as nn
from torch.distributions.categorical import Categorical

from dqn_torch import CartPole

# the lab's defaults (lib/rl/ppo_spec.ts with labs/ppo_cartpole.ts's)
NUM_ENVS, NUM_STEPS, UPDATE_EPOCHS, NUM_MINIBATCHES = 8, 32, 20, 1
LR, GAMMA, GAE_LAMBDA, CLIP_COEF, VF_COEF, ENT_COEF, MAX_GRAD_NORM = 1e-3, 0.98, 0.8, 0.2, 1.0, 0.0, 0.5
EVAL_EVERY, EVAL_EPISODES, EVAL_SEED, THRESHOLD = 10, 100, 123_456, 475


def layer_init(layer, std=math.sqrt(2), bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


def mlp(out, std):
    return nn.Sequential(layer_init(nn.Linear(CartPole.obs_size, 64)), nn.Tanh(), layer_init(nn.Linear(64, 64)),
                         nn.Tanh(), layer_init(nn.Linear(64, out), std=std))


class Agent(nn.Module):
    def __init__(self):
        super().__init__()
        self.critic = mlp(1, 1.0)
        self.actor = mlp(CartPole.actions, 0.01)

    def get_value(self, x):
        return self.critic(x).squeeze(-1)

    def get_action_and_value(self, x, action=None):
        probs = Categorical(logits=self.actor(x))
        if action is None:
            action = probs.sample()
        return action, probs.log_prob(action), probs.entropy(), self.get_value(x)


def greedy_eval(agent):
    """Mean and std of the return of EVAL_EPISODES greedy episodes, stepped side by side."""
    envs = [CartPole(random.Random(EVAL_SEED + e)) for e in range(EVAL_EPISODES)]
    obs = [env.reset() for env in envs]
    returns = [0.0] * EVAL_EPISODES
    running = list(range(EVAL_EPISODES))
    while running:
        with torch.no_grad():
            actions = agent.actor(torch.tensor([obs[e] for e in running])).argmax(1).tolist()
        still = []
        for e, a in zip(running, actions):
            obs[e], r, term, trunc = envs[e].step(a)
            returns[e] += r
            if not (term or trunc):
                still.append(e)
        running = still
    mean = sum(returns) / len(returns)
    return mean, math.sqrt(sum((r - mean) ** 2 for r in returns) / len(returns))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("seed", type=int, nargs="?", default=1)
    p.add_argument("total", type=int, nargs="?", default=100_000)
    a = p.parse_args()
    random.seed(a.seed)
    np.random.seed(a.seed)
    torch.manual_seed(a.seed)

    batch_size = NUM_ENVS * NUM_STEPS
    minibatch_size = batch_size // NUM_MINIBATCHES
    num_updates = math.ceil(a.total / batch_size)
    agent = Agent()
    optimizer = torch.optim.Adam(agent.parameters(), lr=LR, eps=1e-5)

    # storage: [NUM_STEPS, NUM_ENVS, ...]
    obs = torch.zeros((NUM_STEPS, NUM_ENVS, CartPole.obs_size))
    actions = torch.zeros((NUM_STEPS, NUM_ENVS), dtype=torch.long)
    logprobs, rewards, dones, values = (torch.zeros((NUM_STEPS, NUM_ENVS)) for _ in range(4))

    envs = [CartPole(random.Random(a.seed + i)) for i in range(NUM_ENVS)]
    next_obs = torch.tensor([env.reset() for env in envs])
    next_done = torch.zeros(NUM_ENVS)
    t0, global_step, episodes, solved = time.perf_counter(), 0, 0, None
    mean = std = float("nan")
    for update in range(1, num_updates + 1):
        frac = 1.0 - (update - 1.0) / num_updates
        optimizer.param_groups[0]["lr"] = frac * LR
        clip_coef = frac * CLIP_COEF

        # ---- rollout
        for step in range(NUM_STEPS):
            global_step += NUM_ENVS
            obs[step], dones[step] = next_obs, next_done
            with torch.no_grad():
                action, logprob, _, value = agent.get_action_and_value(next_obs)
            actions[step], logprobs[step], values[step] = action, logprob, value
            rows, reward, done, cut = [], [0.0] * NUM_ENVS, [0.0] * NUM_ENVS, []
            for i, (env, act) in enumerate(zip(envs, action.tolist())):
                o, r, term, trunc = env.step(act)
                reward[i] = r
                if term or trunc:
                    episodes += 1
                    done[i] = 1.0
                    if trunc and not term:
                        cut.append((i, o))
                    o = env.reset()
                rows.append(o)
            if cut:  # SB3's bootstrap of a time-limit cut: r + gamma * V(last obs), and the episode ends
                with torch.no_grad():
                    final = agent.get_value(torch.tensor([last for _, last in cut])).tolist()
                for (i, _), v in zip(cut, final):
                    reward[i] += GAMMA * v
            rewards[step] = torch.tensor(reward)
            next_obs, next_done = torch.tensor(rows), torch.tensor(done)

        # ---- GAE
        with torch.no_grad():
            next_value = agent.get_value(next_obs)
            advantages = torch.zeros_like(rewards)
            lastgaelam = 0
            for t in reversed(range(NUM_STEPS)):
                if t == NUM_STEPS - 1:
                    nextnonterminal, nextvalues = 1.0 - next_done, next_value
                else:
                    nextnonterminal, nextvalues = 1.0 - dones[t + 1], values[t + 1]
                delta = rewards[t] + GAMMA * nextvalues * nextnonterminal - values[t]
                advantages[t] = lastgaelam = delta + GAMMA * GAE_LAMBDA * nextnonterminal * lastgaelam
            returns = advantages + values

        # ---- optimisation
        b_obs, b_actions = obs.reshape(-1, CartPole.obs_size), actions.reshape(-1)
        b_logprobs, b_advantages = logprobs.reshape(-1), advantages.reshape(-1)
        b_returns, b_values = returns.reshape(-1), values.reshape(-1)
        metrics = []
        for epoch in range(UPDATE_EPOCHS):
            b_inds = torch.randperm(batch_size)
            for start in range(0, batch_size, minibatch_size):
                mb = b_inds[start:start + minibatch_size]
                _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb], b_actions[mb])
                logratio = newlogprob - b_logprobs[mb]
                ratio = logratio.exp()
                mb_adv = b_advantages[mb]
                # biased std, as the lab's tf.moments (CleanRL's .std() is unbiased: 1/255 apart here)
                mb_adv = (mb_adv - mb_adv.mean()) / (mb_adv.std(unbiased=False) + 1e-8)
                pg_loss = torch.max(-mb_adv * ratio, -mb_adv * torch.clamp(ratio, 1 - clip_coef, 1 + clip_coef)).mean()
                v_loss = 0.5 * ((newvalue - b_returns[mb]) ** 2).mean()
                entropy_loss = entropy.mean()
                loss = pg_loss - ENT_COEF * entropy_loss + v_loss * VF_COEF
                optimizer.zero_grad()
                loss.backward()
                grad_norm = nn.utils.clip_grad_norm_(agent.parameters(), MAX_GRAD_NORM)
                optimizer.step()
                with torch.no_grad():  # the lab's per-update diagnostics, read once per update as there
                    approx_kl = ((ratio - 1) - logratio).mean()
                    clipfrac = ((ratio - 1.0).abs() > clip_coef).float().mean()
                    metrics.append(torch.stack([pg_loss, v_loss, entropy_loss, approx_kl, clipfrac, grad_norm]))
        torch.stack(metrics).mean(0).tolist()  # read back once per update, as the lab does for its charts

        # ---- evaluation
        if update % EVAL_EVERY == 0 or update == num_updates:
            mean, std = greedy_eval(agent)
            wall = time.perf_counter() - t0
            if solved is None and mean >= THRESHOLD:
                solved = {"env_steps": global_step, "wall_s": round(wall, 1)}
            print(json.dumps({"update": update, "step": global_step, "eval_mean_100": mean,
                              "eval_std_100": round(std, 1), "wall_s": round(wall, 1)}), flush=True)
    print(json.dumps({"final": True, "env": "cartpole", "seed": a.seed, "eval_mean_100": mean,
                      "eval_std_100": round(std, 1), "env_steps": global_step, "episodes": episodes,
                      "wall_s": round(time.perf_counter() - t0, 1), f"first_reached_{THRESHOLD}": solved,
                      "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
