"""PyTorch side of `deno task bench`: the same workloads as bench/workloads.ts, timed the same way.

Each workload: the same model, batch and data (the first training digits of MNIST), warm-up steps
excluded, then the median over repeats of the mean milliseconds per step.

usage: python3 bench_torch.py MNIST_DIR [WORKLOAD ...]    prints one JSON object per workload
"""
import json, math, statistics, sys, time
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
    """dqn-cartpole's gradient step as SB3's DQN.train takes it: DQN target, Huber, clip to norm 10, Adam."""
    def mlp():
        return nn.Sequential(nn.Linear(4, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
    online, target = mlp(), mlp()
    opt = torch.optim.Adam(online.parameters(), lr=2.3e-3)
    obs, next_obs = torch.randn(64, 4), torch.randn(64, 4)
    actions, rewards, done = torch.randint(0, 2, (64,)), torch.ones(64), (torch.rand(64) < 0.05).float()

    def step():
        with torch.no_grad():
            y = rewards + (1 - done) * 0.99 * target(next_obs).max(dim=1).values
        q = online(obs).gather(1, actions.unsqueeze(1)).squeeze(1)
        loss = F.smooth_l1_loss(q, y)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(online.parameters(), 10)
        opt.step()
        loss.item()
    return step


def ppo_update():
    """ppo-cartpole's gradient step (lib/rl/ppo_update.ts), as CleanRL's ppo.py takes it: separate 64-64 tanh actor
    and critic (orthogonal init), a minibatch of 256 gathered from the rollout, the clipped objective (clip 0.2),
    advantages normalised, value loss 0.5 * MSE, no entropy bonus, clip to norm 0.5, Adam 1e-3 eps 1e-5; the six
    diagnostics read back each step."""
    def mlp(out, std):
        layers = [nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, out)]
        for layer, gain in zip(layers[::2], [math.sqrt(2), math.sqrt(2), std]):
            nn.init.orthogonal_(layer.weight, gain)
            nn.init.zeros_(layer.bias)
        return nn.Sequential(*layers)
    actor, critic = mlp(2, 0.01), mlp(1, 1.0)
    params = [*actor.parameters(), *critic.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3, eps=1e-5)
    obs, actions = torch.randn(256, 4), torch.randint(0, 2, (256,))
    logprobs, advantages = torch.full((256,), math.log(0.5)), torch.randn(256)
    returns, values = torch.randn(256), torch.randn(256)
    order = torch.randperm(256)

    def step():
        mb_obs = obs[order]
        probs = torch.distributions.Categorical(logits=actor(mb_obs))
        newlogprob, entropy, newvalue = probs.log_prob(actions[order]), probs.entropy(), critic(mb_obs).squeeze(-1)
        logratio = newlogprob - logprobs[order]
        ratio = logratio.exp()
        mb_adv = advantages[order]
        mb_adv = (mb_adv - mb_adv.mean()) / (mb_adv.std(unbiased=False) + 1e-8)
        pg_loss = torch.max(-mb_adv * ratio, -mb_adv * torch.clamp(ratio, 0.8, 1.2)).mean()
        v_loss = 0.5 * ((newvalue - returns[order]) ** 2).mean()
        entropy_loss = entropy.mean()
        loss = pg_loss - 0.0 * entropy_loss + v_loss * 1.0
        opt.zero_grad()
        loss.backward()
        grad_norm = nn.utils.clip_grad_norm_(params, 0.5)
        opt.step()
        with torch.no_grad():
            approx_kl = ((ratio - 1) - logratio).mean()
            clipfrac = ((ratio - 1.0).abs() > 0.2).float().mean()
            torch.stack([pg_loss, v_loss, entropy_loss, approx_kl, clipfrac, grad_norm]).tolist()
    return step


def dcgan():
    """bench/workloads.ts's dcgan: lib/models/dcgan.ts at gan-mnist's defaults (width 32, latent 100,
    --refine 28x28), one discriminator step on real digits and detached fakes, then one generator
    step, Adam 2e-4 beta1 0.5, batch 64."""
    width, latent = 32, 100

    def bn_relu(channels):
        return [nn.BatchNorm2d(channels), nn.ReLU()]
    generator = nn.Sequential(
        nn.Linear(latent, 7 * 7 * 2 * width, bias=False), nn.Unflatten(1, (2 * width, 7, 7)), *bn_relu(2 * width),
        nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), *bn_relu(width),
        nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False), *bn_relu(width // 2),
        nn.ConvTranspose2d(width // 2, 1, 3, 1, 1), nn.Tanh())
    discriminator = nn.Sequential(
        nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(7 * 7 * 2 * width, 1))
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real = images[: 64 * 784].reshape(64, 1, 28, 28) * 2 - 1
    ones, zeros = torch.ones(64, 1), torch.zeros(64, 1)

    def step():
        fake = generator(torch.randn(64, latent))
        d_loss = (F.binary_cross_entropy_with_logits(discriminator(real), ones)
                  + F.binary_cross_entropy_with_logits(discriminator(fake.detach()), zeros))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = F.binary_cross_entropy_with_logits(discriminator(generator(torch.randn(64, latent))), ones)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        d_loss.item(), g_loss.item()
    return step


class ResBlock(nn.Module):
    """lib/models/unet.ts's resBlock: GroupNorm(1), SiLU, conv, + dense(SiLU(temb)), GroupNorm(1), SiLU, conv, + skip."""
    def __init__(self, cin, cout, temb):
        super().__init__()
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()
        self.norm1, self.conv1 = nn.GroupNorm(1, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.time = nn.Linear(temb, cout)
        self.norm2, self.conv2 = nn.GroupNorm(1, cout), nn.Conv2d(cout, cout, 3, padding=1)

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x))) + self.time(F.silu(temb))[:, :, None, None]
        return self.conv2(F.silu(self.norm2(h))) + self.skip(x)


class UNet(nn.Module):
    """lib/models/unet.ts's network at diffusion-mnist's default width 16."""
    def __init__(self, w=16):
        super().__init__()
        self.w = w
        self.time1, self.time2 = nn.Linear(w, 4 * w), nn.Linear(4 * w, 4 * w)
        self.input = nn.Conv2d(1, w, 3, padding=1)
        self.down1 = ResBlock(w, w, 4 * w)
        self.pool1, self.down2 = nn.Conv2d(w, w, 3, 2, 1), ResBlock(w, 2 * w, 4 * w)
        self.pool2, self.down3 = nn.Conv2d(2 * w, 2 * w, 3, 2, 1), ResBlock(2 * w, 2 * w, 4 * w)
        self.middle, self.up3 = ResBlock(2 * w, 2 * w, 4 * w), ResBlock(4 * w, 2 * w, 4 * w)
        self.upsample2, self.up2 = nn.ConvTranspose2d(2 * w, 2 * w, 2, 2), ResBlock(4 * w, 2 * w, 4 * w)
        self.upsample1, self.up1 = nn.ConvTranspose2d(2 * w, w, 2, 2), ResBlock(2 * w, w, 4 * w)
        self.out_norm, self.output = nn.GroupNorm(1, w), nn.Conv2d(w, 1, 3, padding=1)

    def forward(self, x, t):
        half = self.w // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half) / (half - 1))
        angles = t.float()[:, None] * freqs[None]
        temb = self.time2(F.silu(self.time1(torch.cat([angles.sin(), angles.cos()], 1))))
        h1 = self.down1(self.input(x), temb)
        h2 = self.down2(self.pool1(h1), temb)
        h3 = self.down3(self.pool2(h2), temb)
        u3 = self.up3(torch.cat([self.middle(h3, temb), h3], 1), temb)
        u2 = self.up2(torch.cat([self.upsample2(u3), h2], 1), temb)
        u1 = self.up1(torch.cat([self.upsample1(u2), h1], 1), temb)
        return self.output(F.silu(self.out_norm(u1)))


def ddpm():
    """bench/workloads.ts's ddpm: one DDPM training step (T = 1000, linear betas 1e-4..0.02,
    epsilon MSE) of diffusion-mnist's default U-Net, Adam 1e-3, batch 64."""
    model = UNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    alpha_bars = torch.cumprod(1 - torch.linspace(1e-4, 0.02, 1000), 0)
    x0 = images[: 64 * 784].reshape(64, 1, 28, 28) * 2 - 1

    def loss():
        t = torch.randint(0, 1000, (64,))
        eps = torch.randn_like(x0)
        ab = alpha_bars[t][:, None, None, None]
        return F.mse_loss(model(ab.sqrt() * x0 + (1 - ab).sqrt() * eps, t), eps)
    return model, opt, loss


def trainer(build):
    """The step of a (model, optimizer, loss) workload."""
    def make():
        model, opt, loss = build()
        model.train()

        def step():
            value = loss()
            opt.zero_grad()
            value.backward()
            opt.step()
            value.item()
        return step
    return make


def measure(build, warmup=5, repeats=5, target_seconds=0.4):
    step = build()
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


for name, build in [("vae", trainer(vae)), ("mnist_cnn", trainer(mnist_cnn)), ("dcgan", dcgan),
                    ("ddpm", trainer(ddpm)), ("dqn_update", dqn_update),
                    ("ppo_update", ppo_update)]:
    if wanted and name not in wanted:
        continue
    print(json.dumps({"workload": name, "ms_per_step": round(measure(build), 3), "torch": torch.__version__,
                      "threads": torch.get_num_threads()}), flush=True)
