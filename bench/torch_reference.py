"""The bench's workloads in PyTorch (CPU, eager), for `npm run bench`.

An idiomatic PyTorch loop, as a researcher would write it for data held in memory: an
nn.Module, the optimizer of the workload, nn.CrossEntropyLoss on each head's logits, the
sum of the two task losses, a fresh random permutation each epoch and batches taken by
indexing it (a DataLoader over a TensorDataset collates sample by sample: slower, and not
what one writes for tensors already in memory). The networks mirror bench/workloads.ts.

What the timed loop does, as our trainer's loop does it in its clock (bench/trainSpeed.ts): every
batch of every epoch, the last partial one too; each task's running loss and accuracy counted
on the tensors as the steps run and read back REPORTS_PER_EPOCH times an epoch (ours reads its
running losses as often and its accuracy counts at the epoch's end); at each epoch's end the
model evaluated in eval mode on a 64-row validation split (each task's loss and accuracy, read
back). Before the clock, as for ours: the model built, the data made (PyTorch's tensors are the
data: there is nothing to upload, and torch.from_numpy would share a NumPy array's memory).
Neither side measures gradient conflict in its clock (bench/workloads.ts withoutConflict: an
idiomatic loop does not; ours prints its cost on its own). What ours does and this loop does not: ours builds its TensorFlow graph and runs each of its graph calls a first time
inside the clock (no warm-up on the dense workload: PyTorch's eager ops have no such cost) and
reads the weights back into its model at each epoch's end.

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
# How often an epoch reads the running losses back (src/trainer/loop.ts REPORTS_PER_EPOCH).
REPORTS_PER_EPOCH = 20
# The validation split ours evaluates at each epoch's end (bench/trainSpeed.ts).
VALIDATION_ROWS = 64


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


def evaluate(model, loss_fn, x, ys):
    """Each task's loss and accuracy on a split, in eval mode, read back."""
    model.eval()
    with torch.no_grad():
        outs = model(x)
        values = [[loss_fn(o, y).item(), (o.argmax(1) == y).float().mean().item()] for o, y in zip(outs, ys)]
    model.train()
    return values


def train(model, optimizer, x, ys, batch, epochs, validation):
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    n = x.shape[0]
    steps = -(-n // batch)
    report_every = max(1, steps // REPORTS_PER_EPOCH)
    for _ in range(epochs):
        order = torch.randperm(n)
        loss_sums = torch.zeros(len(ys))
        correct = torch.zeros(len(ys), dtype=torch.long)
        for k, start in enumerate(range(0, n, batch)):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            outs = model(x[idx])
            targets = [y[idx] for y in ys]
            losses = [loss_fn(o, t) for o, t in zip(outs, targets)]
            sum(losses).backward()
            optimizer.step()
            with torch.no_grad():
                loss_sums += torch.stack(losses).detach() * len(idx)
                correct += torch.stack([(o.argmax(1) == t).sum() for o, t in zip(outs, targets)])
            if (k + 1) % report_every == 0 or k == steps - 1:
                loss_sums.tolist()
        correct.tolist()
        evaluate(model, loss_fn, *validation)


def main(config):
    if config.get("threads"):
        torch.set_num_threads(int(config["threads"]))
    torch.manual_seed(3)
    n = config["samples"]
    for batch in config["batches"]:
        model, make_optimizer, shape, second = workload(config["workload"])
        optimizer = make_optimizer(model.parameters())
        def split(rows):
            x = torch.rand((rows, *shape))
            ya = torch.randint(0, 10, (rows,))
            return x, [ya, ya % 2 if second == "parity" else torch.randint(0, 10, (rows,))]
        x, ys = split(n)
        validation = split(VALIDATION_ROWS)
        warm = config.get("warmup_batches", 0) * batch
        if warm:
            train(model, optimizer, x[:warm], [y[:warm] for y in ys], batch, 1, validation)
        start, cpu = time.perf_counter(), time.process_time()
        train(model, optimizer, x, ys, batch, config["epochs"], validation)
        seconds = time.perf_counter() - start
        print(json.dumps({"batch": batch, "seconds": seconds, "samples_per_second": n * config["epochs"] / seconds,
                          "cpu_seconds": time.process_time() - cpu, "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
