"""PyTorch side of `deno task bench`'s time to first step: import torch, read MNIST from its IDX
files, build the PyTorch-examples VAE, take one Adam step, print. The caller times the process
from spawn to exit.

usage: python3 first_step_torch.py MNIST_DIR
"""
import sys
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

data_dir = sys.argv[1]
raw = open(f"{data_dir}/train-images-idx3-ubyte", "rb").read()
images = torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=16).astype(np.float32) / 255).reshape(-1, 784)


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


model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = images[torch.randperm(images.shape[0])[:128]]
logits, mu, logvar = model(x)
loss = (F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())) / 128
opt.zero_grad()
loss.backward()
opt.step()
print(f"first step, loss {loss.item():.2f}", flush=True)
