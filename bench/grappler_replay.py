"""Grappler's share of each fetch set's first run: a run's graph replayed in Python's TensorFlow.

`node --max-semi-space-size=4 out/bench/firstEpochProbe.js 256 --dump=DIR` writes the run's
saved_model.pb and its fetch sets (DIR/calls.json); this loads that SavedModel in a session with
Grappler on (`on`: TensorFlow's defaults, as tfjs-node opens it) or off (`off`:
rewrite_options.disable_meta_optimizer, a switch tfjs-node does not let through), runs each fetch
set once in the run's order and then the step's fetch set 1,000 times, and prints the CPU and
wall time of each. One thread, like the trainer's single-thread choice. Fed values: the rows
0..batch-1 and zeros (unknown dimensions: `batch` rows of data, 64 otherwise). Prints figures;
asserts nothing. Run the two modes alternately, each in a fresh process:
`~/.cache/multi-task-studio/keras-venv/bin/python bench/grappler_replay.py DIR on|off [batch=256]`
"""
import sys
import time

import numpy as np

from replay_session import cpu_ms, feeds_of, open_replay


def main(folder, mode, batch):
    session, placeholders, calls = open_replay(folder, grappler=mode != "off")

    def value(name):
        out = placeholders[name].outputs[0]
        if name == "rows":
            return np.arange(batch, dtype=np.int32)
        dims = [(batch if name.startswith("data_") else 64) if d is None else d for d in out.shape.as_list()]
        return np.zeros(dims, dtype=out.dtype.as_numpy_dtype)

    rows = []
    for call in calls:
        feeds, fetches = feeds_of(call, value), call["fetches"].split(",")
        c, w = cpu_ms(), time.perf_counter()
        session.run(fetches, feeds)
        rows.append((f"first {fetches[0]}", cpu_ms() - c, (time.perf_counter() - w) * 1000))
    step = max(calls, key=lambda call: call["n"])
    feeds, fetches = feeds_of(step, value), step["fetches"].split(",")
    for _ in range(20):
        session.run(fetches, feeds)
    c, w = cpu_ms(), time.perf_counter()
    for _ in range(1000):
        session.run(fetches, feeds)
    rows.append((f"steady {fetches[0]}, a run", (cpu_ms() - c) / 1000, (time.perf_counter() - w)))
    for what, c, w in rows:
        print(f"{mode:4s} {what:44s} {c:8.2f} ms CPU {w:8.2f} ms wall")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 256)
