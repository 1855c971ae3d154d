"""PyTorch side of `deno task bench`: the same workloads as bench/workloads.ts, timed the same way.

Each workload: the same model, batch and data (the first training digits of MNIST), warm-up steps
excluded, then the median over repeats of the mean milliseconds per step.

usage: python3 bench_torch.py MNIST_DIR [WORKLOAD ...]    prints one JSON object per workload
"""
import json, statistics, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
data_dir = sys.argv[1]
wanted = set(sys.argv[2:])
raw = open(f"{data_dir}/train-images-idx3-ubyte", "rb").read()
images = torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=16)[: 128 * 784].astype(np.float32) / 255)
labels = torch.from_numpy(np.frombuffer(open(f"{data_dir}/train-labels-idx1-ubyte", "rb").read(), dtype=np.uint8,
                                        offset=8)[:64].astype(np.int64))


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def vae():
    model, x = VAE(), images.reshape(128, 784)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def loss():
        logits, mu, logvar = model(x)
        bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        return (bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())) / 128
    return model, opt, loss


def mnist_cnn():
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = images[: 64 * 784].reshape(64, 1, 28, 28)
    return model, opt, lambda: F.cross_entropy(model(x), labels)


def dqn_update():
    def mlp():
        return nn.Sequential(nn.Linear(4, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
    online, target = mlp(), mlp()
    opt = torch.optim.Adam(online.parameters(), lr=2.3e-3)
    obs, next_obs = torch.randn(64, 4), torch.randn(64, 4)
    actions, rewards, done = torch.randint(0, 2, (64,)), torch.ones(64), (torch.rand(64) < 0.05).float()

    def loss():
        with torch.no_grad():
            next_actions = online(next_obs).argmax(1, keepdim=True)
            y = rewards + 0.99 * (1 - done) * target(next_obs).gather(1, next_actions).squeeze(1)
        q = online(obs).gather(1, actions.unsqueeze(1)).squeeze(1)
        return F.smooth_l1_loss(q, y)
    return online, opt, loss


def measure(build, warmup=5, repeats=5, target_seconds=0.4):
    model, opt, loss = build()
    model.train()

    def step():
        value = loss()
        opt.zero_grad()
        value.backward()
        opt.step()
        value.item()
    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    step()
    per_repeat = max(1, int(target_seconds / max(time.perf_counter() - t0, 1e-6)))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(per_repeat):
            step()
        samples.append((time.perf_counter() - t0) * 1000 / per_repeat)
    return statistics.median(samples)


for name, build in [("vae", vae), ("mnist_cnn", mnist_cnn), ("dqn_update", dqn_update)]:
    if wanted and name not in wanted:
        continue
    print(json.dumps({"workload": name, "ms_per_step": round(measure(build), 3), "torch": torch.__version__,
                      "threads": torch.get_num_threads()}), flush=True)
