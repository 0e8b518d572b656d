"""The bench's workloads in PyTorch (CPU, eager), for `npm run bench`.

An idiomatic PyTorch loop, as a researcher would write it for data held in memory: an
nn.Module, the optimizer of the workload, nn.CrossEntropyLoss on each head's logits, the
sum of the two task losses, a fresh random permutation each epoch and batches taken by
indexing it (a DataLoader over a TensorDataset collates sample by sample: slower, and not
what one writes for tensors already in memory). The networks mirror bench/workloads.ts.

Argument: one JSON object {"workload", "batches", "samples", "epochs", "warmup_batches",
"threads"} (threads: null keeps PyTorch's default). Prints one JSON line per batch size:
{"batch", "seconds", "samples_per_second", "cpu_seconds", "threads"}.
"""
import json
import sys
import time

import torch
from torch import nn

SEQUENCE_STEPS, SEQUENCE_FEATURES = 20, 8


class Dense(nn.Module):
    """784-128-64 trunk (dropout after each trunk layer when asked), heads of 10 and 2 classes."""

    def __init__(self, dropout=0.0):
        super().__init__()
        extra = [nn.Dropout(dropout)] if dropout else []
        self.trunk = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), *extra, nn.Linear(128, 64), nn.ReLU(), *extra)
        self.digit = nn.Linear(64, 10)
        self.parity = nn.Linear(64, 2)

    def forward(self, x):
        h = self.trunk(x)
        return self.digit(h), self.parity(h)


class Cnn(nn.Module):
    """The multimnist-cnn example: conv 5x5x16, pool, conv 3x3x32, pool, dense 128, heads 64-10."""

    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(
            nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU())
        self.left = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
        self.right = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        h = self.trunk(x)
        return self.left(h), self.right(h)


class Lstm(nn.Module):
    """One LSTM of 64 units shared by both tasks (its last output), heads of 10 and 2 classes."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(SEQUENCE_FEATURES, 64, batch_first=True)
        self.digit = nn.Linear(64, 10)
        self.parity = nn.Linear(64, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        h = out[:, -1]
        return self.digit(h), self.parity(h)


def workload(name):
    """(model, optimizer factory, example shape, second target from the label)."""
    sgd = lambda params: torch.optim.SGD(params, lr=0.01)  # noqa: E731
    adam = lambda params: torch.optim.Adam(params, lr=0.001, eps=1e-7)  # noqa: E731
    if name == "dense":
        return Dense(), sgd, (784,), "parity"
    if name == "dense-adam":
        return Dense(), adam, (784,), "parity"
    if name == "dense-dropout":
        return Dense(dropout=0.2), sgd, (784,), "parity"
    if name == "cnn":
        return Cnn(), adam, (1, 36, 36), "random"
    if name == "lstm":
        return Lstm(), sgd, (SEQUENCE_STEPS, SEQUENCE_FEATURES), "parity"
    raise SystemExit(f"unknown workload {name}")


def train(model, optimizer, x, ya, yb, batch, epochs):
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    n = x.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            a, b = model(x[idx])
            loss = loss_fn(a, ya[idx]) + loss_fn(b, yb[idx])
            loss.backward()
            optimizer.step()


def main(config):
    if config.get("threads"):
        torch.set_num_threads(int(config["threads"]))
    torch.manual_seed(3)
    n = config["samples"]
    for batch in config["batches"]:
        model, make_optimizer, shape, second = workload(config["workload"])
        optimizer = make_optimizer(model.parameters())
        x = torch.rand((n, *shape))
        ya = torch.randint(0, 10, (n,))
        yb = ya % 2 if second == "parity" else torch.randint(0, 10, (n,))
        warm = config.get("warmup_batches", 0) * batch
        if warm:
            train(model, optimizer, x[:warm], ya[:warm], yb[:warm], batch, 1)
        start, cpu = time.perf_counter(), time.process_time()
        train(model, optimizer, x, ya, yb, batch, config["epochs"])
        seconds = time.perf_counter() - start
        print(json.dumps({"batch": batch, "seconds": seconds, "samples_per_second": n * config["epochs"] / seconds,
                          "cpu_seconds": time.process_time() - cpu, "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
