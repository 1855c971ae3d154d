"""PyTorch reference for the DQN labs (dqn-cartpole, dqn-acrobot), for side-by-side comparison.

DQN as Stable-Baselines3 runs it for one env, with the RL Baselines3 Zoo's tuned settings of each
env (the labs' defaults, lib/rl/dqn_spec.ts): uniform random actions until learning_starts, then
epsilon-greedy with epsilon falling linearly over exploration_fraction of the run; after env step t,
first the target copy when t % target_update_interval == 0, then, when t % train_freq == 0 and
t > learning_starts, gradient_steps Adam steps on the Huber loss of the TD error (minibatches drawn
uniformly from the replay buffer, global gradient norm clipped to 10). Time-limit truncations
bootstrap; terminations do not. MLP 256-256 with PyTorch's default init. The envs' dynamics are
written inline with Gymnasium's constants and order of operations.

usage: python3 dqn_torch.py {cartpole,acrobot} [SEED] [TOTAL_STEPS] [--lr X] [--lr-schedule constant|linear] ...
prints JSON lines: every 5000 env steps a greedy evaluation (20 episodes), and a final line with the
mean and std over 100 greedy episodes, env steps, wall seconds, and the first env step and wall
second at which the 20-episode evaluation mean reached the env's threshold.
"""
import argparse, json, math, random, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# RL Baselines3 Zoo, hyperparams/dqn.yml (the labs' defaults)
ZOO = {
    "cartpole": dict(total=50_000, lr=2.3e-3, batch=64, buffer=100_000, learning_starts=1000, train_freq=256,
                     gradient_steps=128, target_update_interval=10, exploration_fraction=0.16, final_eps=0.04,
                     threshold=475),
    "acrobot": dict(total=100_000, lr=6.3e-4, batch=128, buffer=50_000, learning_starts=0, train_freq=4,
                    gradient_steps=4, target_update_interval=250, exploration_fraction=0.12, final_eps=0.1,
                    threshold=-100),
}


class CartPole:
    """Gymnasium's CartPole-v1: Euler steps of 0.02 s, 500-step limit, +1 per step."""
    obs_size, actions = 4, 2

    def __init__(self, rng):
        self.rng = rng

    def reset(self):
        self.s = [self.rng.uniform(-0.05, 0.05) for _ in range(4)]
        self.t = 0
        return list(self.s)

    def step(self, a):
        x, xd, th, thd = self.s
        f = 10.0 if a == 1 else -10.0
        ct, st = math.cos(th), math.sin(th)
        temp = (f + 0.05 * thd * thd * st) / 1.1
        tha = (9.8 * st - ct * temp) / (0.5 * (4.0 / 3.0 - 0.1 * ct * ct / 1.1))
        xa = temp - 0.05 * tha * ct / 1.1
        self.s = [x + 0.02 * xd, xd + 0.02 * xa, th + 0.02 * thd, thd + 0.02 * tha]
        self.t += 1
        term = abs(self.s[0]) > 2.4 or abs(self.s[2]) > 12 * 2 * math.pi / 360
        return list(self.s), 1.0, term, (not term) and self.t >= 500


class Acrobot:
    """Gymnasium's Acrobot-v1: one RK4 step of 0.2 s of the book's equations, 500-step limit, -1 per step."""
    obs_size, actions = 6, 3
    MAX_VEL_1, MAX_VEL_2 = 4 * math.pi, 9 * math.pi

    def __init__(self, rng):
        self.rng = rng

    def reset(self):
        self.s = [float(np.float32(self.rng.uniform(-0.1, 0.1))) for _ in range(4)]
        self.t = 0
        return self.obs()

    def obs(self):
        t1, t2, d1, d2 = self.s
        return [float(np.float32(v)) for v in (math.cos(t1), math.sin(t1), math.cos(t2), math.sin(t2), d1, d2)]

    @staticmethod
    def dsdt(s):
        m1 = m2 = l1 = 1.0
        lc1 = lc2 = 0.5
        i1 = i2 = 1.0
        g = 9.8
        t1, t2, dt1, dt2, a = s
        d1 = m1 * lc1**2 + m2 * (l1**2 + lc2**2 + 2 * l1 * lc2 * math.cos(t2)) + i1 + i2
        d2 = m2 * (lc2**2 + l1 * lc2 * math.cos(t2)) + i2
        phi2 = m2 * lc2 * g * math.cos(t1 + t2 - math.pi / 2.0)
        phi1 = (-m2 * l1 * lc2 * dt2**2 * math.sin(t2) - 2 * m2 * l1 * lc2 * dt2 * dt1 * math.sin(t2)
                + (m1 * lc1 + m2 * l1) * g * math.cos(t1 - math.pi / 2) + phi2)
        ddt2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dt1**2 * math.sin(t2) - phi2) / (m2 * lc2**2 + i2 - d2**2 / d1)
        ddt1 = -(d2 * ddt2 + phi1) / d1
        return [dt1, dt2, ddt1, ddt2, 0.0]

    def step(self, a):
        y0, h = self.s + [float(a - 1)], 0.2
        k1 = self.dsdt(y0)
        k2 = self.dsdt([y + h / 2 * k for y, k in zip(y0, k1)])
        k3 = self.dsdt([y + h / 2 * k for y, k in zip(y0, k2)])
        k4 = self.dsdt([y + h * k for y, k in zip(y0, k3)])
        ns = [y + h / 6.0 * (p + 2 * q + 2 * r + s) for y, p, q, r, s in zip(y0, k1, k2, k3, k4)][:4]

        def wrap(x, m, big):
            while x > big:
                x -= big - m
            while x < m:
                x += big - m
            return x

        self.s = [wrap(ns[0], -math.pi, math.pi), wrap(ns[1], -math.pi, math.pi),
                  min(max(ns[2], -self.MAX_VEL_1), self.MAX_VEL_1), min(max(ns[3], -self.MAX_VEL_2), self.MAX_VEL_2)]
        self.t += 1
        term = -math.cos(self.s[0]) - math.cos(self.s[1] + self.s[0]) > 1.0
        return self.obs(), (0.0 if term else -1.0), term, (not term) and self.t >= 500


ENVS = {"cartpole": CartPole, "acrobot": Acrobot}


def main(env_name=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    if env_name is None:
        p.add_argument("env", choices=sorted(ENVS))
    p.add_argument("seed", type=int, nargs="?", default=0)
    p.add_argument("total", type=int, nargs="?", default=None)
    p.add_argument("--lr", type=float)
    p.add_argument("--lr-schedule", choices=["constant", "linear"], default="constant",
                   help="linear: SB3's lin_ schedule, lr * (1 - env steps / total), set before each training phase")
    p.add_argument("--double", action="store_true", help="double-DQN targets")
    p.add_argument("--target-update-interval", type=int)
    p.add_argument("--gradient-steps", type=int)
    a = p.parse_args()
    name = env_name or a.env
    c = dict(ZOO[name])
    for key in ("total", "lr", "target_update_interval", "gradient_steps"):
        if getattr(a, key) is not None:
            c[key] = getattr(a, key)
    run(name, a.seed, c, a.lr_schedule, a.double)


def run(name, seed, c, lr_schedule, double):
    random.seed(seed)
    torch.manual_seed(seed)
    Env, total, gamma = ENVS[name], c["total"], 0.99

    def mlp():
        return nn.Sequential(nn.Linear(Env.obs_size, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                             nn.Linear(256, Env.actions))

    q, q_target = mlp(), mlp()
    q_target.load_state_dict(q.state_dict())
    opt = torch.optim.Adam(q.parameters(), lr=c["lr"])
    cap, batch = c["buffer"], c["batch"]
    obs_buf, next_buf = torch.zeros(cap, Env.obs_size), torch.zeros(cap, Env.obs_size)
    act_buf, rew_buf, done_buf = torch.zeros(cap, dtype=torch.long), torch.zeros(cap), torch.zeros(cap)
    n_stored = 0

    def greedy_eval(episodes, rng):
        env, rets = Env(rng), []
        for _ in range(episodes):
            o, ret, done = env.reset(), 0.0, False
            while not done:
                with torch.no_grad():
                    act = int(q(torch.tensor(o)).argmax())
                o, r, term, trunc = env.step(act)
                ret += r
                done = term or trunc
            rets.append(ret)
        mean = sum(rets) / len(rets)
        return mean, math.sqrt(sum((r - mean) ** 2 for r in rets) / len(rets))

    env = Env(random.Random(seed))
    o = env.reset()
    t0, solved, curve = time.perf_counter(), None, []
    final_eps, fraction = c["final_eps"], c["exploration_fraction"]
    for step in range(1, total + 1):
        eps = max(final_eps, 1 - (1 - final_eps) * step / (fraction * total))
        if step <= c["learning_starts"] or random.random() < eps:  # SB3's warm-up: uniform until learning_starts
            act = random.randrange(Env.actions)
        else:
            with torch.no_grad():
                act = int(q(torch.tensor(o)).argmax())
        o2, r, term, trunc = env.step(act)
        i = n_stored % cap
        obs_buf[i] = torch.tensor(o); next_buf[i] = torch.tensor(o2); act_buf[i] = act; rew_buf[i] = r
        done_buf[i] = float(term)
        n_stored += 1
        o = env.reset() if (term or trunc) else o2
        if step % c["target_update_interval"] == 0:  # SB3's order: _on_step's target update, then training
            q_target.load_state_dict(q.state_dict())
        if step > c["learning_starts"] and step % c["train_freq"] == 0:
            if lr_schedule == "linear":
                for group in opt.param_groups:
                    group["lr"] = c["lr"] * (1 - step / total)
            for _ in range(c["gradient_steps"]):
                idx = torch.randint(0, min(n_stored, cap), (batch,))
                with torch.no_grad():
                    next_q = q_target(next_buf[idx])
                    if double:
                        best = next_q.gather(1, q(next_buf[idx]).argmax(1, keepdim=True)).squeeze(1)
                    else:
                        best = next_q.max(1).values
                    target = rew_buf[idx] + gamma * (1 - done_buf[idx]) * best
                pred = q(obs_buf[idx]).gather(1, act_buf[idx].unsqueeze(1)).squeeze(1)
                loss = F.smooth_l1_loss(pred, target)
                opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(q.parameters(), 10); opt.step()
        if step % 5000 == 0:
            mean, std = greedy_eval(20, random.Random(10_000 + step))
            wall = time.perf_counter() - t0
            curve.append(mean)
            if solved is None and mean >= c["threshold"]:
                solved = {"env_steps": step, "wall_s": round(wall, 1)}
            print(json.dumps({"step": step, "eval_mean_20": mean, "eval_std_20": round(std, 1),
                              "wall_s": round(wall, 1)}), flush=True)
    mean, std = greedy_eval(100, random.Random(99_999))
    print(json.dumps({"final": True, "env": name, "seed": seed, "eval_mean_100": mean, "eval_std_100": round(std, 1),
                      "env_steps": total, "wall_s": round(time.perf_counter() - t0, 1),
                      f"first_reached_{c['threshold']}": solved, "curve_20": curve, "lr_schedule": lr_schedule,
                      "double": double, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
