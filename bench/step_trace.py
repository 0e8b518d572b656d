"""Where a training step's time goes, per node, by TensorFlow's own step stats.

`node out/bench/weightingCost.js --dump TASKS METHOD MODE DIR` (or firstEpochProbe.ts --dump) writes
a run's saved_model.pb and fetch sets; this loads them in a session (one thread, as the trainer),
sets the weights, feeds random data (labels 0 and 1, valid for every head; `batch` random rows),
runs the step's fetch set (the one fetching step_done) `runs` times untraced for its CPU time, then
`runs` times with FULL_TRACE, and prints each node's median time summed by op type and by name
(the first two parts: task_gradients/rule, trunk1/...). Medians, since on a shared machine a node's
wall time now and then holds another process's turn. A node's traced time includes the tracer's own
work (a few µs a node), so the small ops' share is overstated; counts and relative shares are what
it tells. Ops inside a function (a While loop's body) are not traced: the While node stands for
them. Prints figures; asserts nothing.
`~/.cache/multi-task-studio/keras-venv/bin/python bench/step_trace.py DIR [runs=300] [batch=32]`
"""
import collections
import os
import sys

import numpy as np
import tensorflow as tf

from replay_session import cpu_ms, feeds_of, open_replay


def main(folder, runs, batch):
    rng = np.random.default_rng(1)
    session, placeholders, calls = open_replay(folder)
    rows = 64 * batch

    def value(name):
        out = placeholders[name].outputs[0]
        if name == "rows":
            return rng.integers(0, rows, batch).astype(np.int32)
        dims = [rows if d is None else d for d in out.shape.as_list()]
        dtype = out.dtype.as_numpy_dtype
        if out.dtype.is_integer:
            return rng.integers(0, 2, dims).astype(dtype)
        if name == "lr":
            return np.asarray(0.01, dtype)
        if name.startswith("set/") or name.startswith("data_"):
            return (rng.standard_normal(dims) * 0.1).astype(dtype)
        return np.ones(dims, dtype)

    for call in calls:
        session.run(call["fetches"].split(","), feeds_of(call, value))
    step = next(c for c in calls if c["fetches"].startswith("step_done"))
    feeds, fetches = feeds_of(step, value), step["fetches"].split(",")
    for _ in range(50):
        session.run(fetches, feeds)
    start = cpu_ms()
    for _ in range(runs):
        session.run(fetches, feeds)
    untraced = (cpu_ms() - start) * 1000 / runs
    times = collections.defaultdict(list)
    options = tf.compat.v1.RunOptions(trace_level=tf.compat.v1.RunOptions.FULL_TRACE)
    for _ in range(runs):
        metadata = tf.compat.v1.RunMetadata()
        session.run(fetches, feeds, options=options, run_metadata=metadata)
        for device in metadata.step_stats.dev_stats:
            for node in device.node_stats:
                op = node.timeline_label.split("(")[0].split("=")[-1].strip() if node.timeline_label else "?"
                times[(node.node_name, op)].append(node.all_end_rel_micros)
    by_op, nodes_of, by_name = collections.Counter(), collections.Counter(), collections.Counter()
    for (name, op), us in times.items():
        median = float(np.median(us))
        by_op[op] += median
        nodes_of[op] += 1
        by_name["/".join(name.split("/")[:2])] += median
    total = sum(by_op.values())
    print(f"{folder}: {len(times)} nodes a step, traced medians {total:.0f} us, untraced CPU {untraced:.0f} us a step (load {os.getloadavg()[0]:.1f})")
    print("by op type:")
    for op, us in by_op.most_common(20):
        print(f"  {op:40s} {us:7.0f} us {nodes_of[op]:4d} nodes")
    print("by name:")
    for name, us in by_name.most_common(20):
        print(f"  {name:60s} {us:7.0f} us")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300, int(sys.argv[3]) if len(sys.argv) > 3 else 32)
