"""Writes tests/fixtures/dqn_torch_step.json: three DQN updates in PyTorch, step by step, for
tests/lib/rl/dqn_torch_parity_test.ts to repeat with the project's functions (lib/rl/dqn.ts).

The update is Stable-Baselines3's DQN.train (and bench/reference/dqn_cartpole_torch.py's): TD targets
r + gamma * (1 - terminated) * max_a' Q_target(s', a'), F.smooth_l1_loss (Huber, delta 1, mean over
the batch), clip_grad_norm_ on all the online weights, torch.optim.Adam (eps 1e-8). A small network
(4 -> 16 -> 16 -> 2, ReLU) keeps the file small. Weights and minibatches come from a seeded
torch.Generator and are stored, so the test needs none of this script's randomness. Sequence:
update 1, update 2, a hard target copy (tau 1), update 3 against the new target, then a soft target
update (tau 0.3). max_grad_norm is set so that some updates are clipped and some not (checked).

usage: python3 bench/reference/dqn_step_fixture.py && deno fmt tests/fixtures/dqn_torch_step.json
(Debian's python3-torch 1.13)
"""
import json, os
import torch
import torch.nn as nn
import torch.nn.functional as F

OBS, HIDDEN, ACTIONS, BATCH = 4, 16, 2, 8
GAMMA, LR, MAX_GRAD_NORM, TAU = 0.99, 1e-2, 0.4, 0.3
gen = torch.Generator().manual_seed(17)


def uniform(shape, bound):
    return (torch.rand(shape, generator=gen) * 2 - 1) * bound


def mlp():
    return nn.Sequential(nn.Linear(OBS, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, ACTIONS))


q, q_target = mlp(), mlp()
with torch.no_grad():  # PyTorch's default init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), from our generator
    for layer in (m for m in q if isinstance(m, nn.Linear)):
        bound = 1 / layer.in_features ** 0.5
        layer.weight.copy_(uniform(layer.weight.shape, bound))
        layer.bias.copy_(uniform(layer.bias.shape, bound))
    for layer in (m for m in q_target if isinstance(m, nn.Linear)):  # a different target, so its values matter
        bound = 1 / layer.in_features ** 0.5
        layer.weight.copy_(uniform(layer.weight.shape, bound))
        layer.bias.copy_(uniform(layer.bias.shape, bound))
opt = torch.optim.Adam(q.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8)


def weights(net):
    """The project's order and layout: per layer the kernel [in, out] (torch's weight transposed), then the bias."""
    out = []
    for layer in (m for m in net if isinstance(m, nn.Linear)):
        out.append({"shape": [layer.in_features, layer.out_features], "data": layer.weight.detach().t().reshape(-1).tolist()})
        out.append({"shape": [layer.out_features], "data": layer.bias.detach().reshape(-1).tolist()})
    return out


def grads_of(tensors, net):
    out, params = [], [p for p in net.parameters()]
    for p, g in zip(params, tensors):
        out.append((g.t() if p.dim() == 2 else g).reshape(-1).tolist())
    return out


def batch():
    # rewards spread so that some TD errors exceed the Huber delta; a quarter of transitions terminal
    return {
        "obs": (torch.randn(BATCH, OBS, generator=gen)).tolist(),
        "actions": torch.randint(0, ACTIONS, (BATCH,), generator=gen).tolist(),
        "rewards": (torch.randn(BATCH, generator=gen) * 2).tolist(),
        "nextObs": (torch.randn(BATCH, OBS, generator=gen)).tolist(),
        "terminated": [1.0 if i % 4 == 3 else 0.0 for i in range(BATCH)],
    }


def update(b):
    obs, next_obs = torch.tensor(b["obs"]), torch.tensor(b["nextObs"])
    actions, rewards, term = torch.tensor(b["actions"]), torch.tensor(b["rewards"]), torch.tensor(b["terminated"])
    with torch.no_grad():
        y = rewards + (1 - term) * GAMMA * q_target(next_obs).max(1).values
    pred = q(obs).gather(1, actions.unsqueeze(1)).squeeze(1)
    loss = F.smooth_l1_loss(pred, y)
    opt.zero_grad()
    loss.backward()
    raw = [p.grad.detach().clone() for p in q.parameters()]
    norm = nn.utils.clip_grad_norm_(q.parameters(), MAX_GRAD_NORM)
    clipped = [p.grad.detach().clone() for p in q.parameters()]
    opt.step()
    return {
        "batch": {k: sum(v, []) if k in ("obs", "nextObs") else v for k, v in b.items()},
        "targets": y.tolist(),
        "tdErrors": (pred - y).tolist(),
        "loss": loss.item(),
        "gradNorm": norm.item(),
        "grads": grads_of(raw, q),
        "clippedGrads": grads_of(clipped, q),
        "onlineAfter": weights(q),
    }


fixture = {
    "about": "bench/reference/dqn_step_fixture.py, torch " + torch.__version__,
    "sizes": {"obs": OBS, "hidden": HIDDEN, "actions": ACTIONS, "batch": BATCH},
    "settings": {"gamma": GAMMA, "lr": LR, "maxGradNorm": MAX_GRAD_NORM, "tau": TAU, "adam": "beta1 0.9, beta2 0.999, eps 1e-8"},
    "online": weights(q),
    "target": weights(q_target),
    "updates": [],
}
fixture["updates"].append(update(batch()))
fixture["updates"].append(update(batch()))
q_target.load_state_dict(q.state_dict())  # hard copy (tau 1), as the target update every N env steps
fixture["targetAfterCopy"] = weights(q_target)
fixture["updates"].append(update(batch()))
with torch.no_grad():  # SB3's polyak_update: target <- tau * online + (1 - tau) * target
    for p, t in zip(q.parameters(), q_target.parameters()):
        t.mul_(1 - TAU).add_(p, alpha=TAU)
fixture["targetAfterSoft"] = weights(q_target)
clipped = [u["gradNorm"] > MAX_GRAD_NORM for u in fixture["updates"]]
assert any(clipped) and not all(clipped), f"gradient norms {[u['gradNorm'] for u in fixture['updates']]}: want both cases"

path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "dqn_torch_step.json")
with open(path, "w") as f:
    json.dump(fixture, f)
print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")
