"""What the Python replay tools share: a run's dumped graph opened in a TensorFlow 1 session.

`--dump=DIR` (bench/firstEpochProbe.ts, bench/weightingCost.ts) writes DIR/saved_model.pb and the
run's fetch sets in DIR/calls.json; `open_replay` loads them with one thread, like the trainer's
single-thread choice, and `feeds_of` turns a fetch set's feed names into the values a tool chooses.
"""
import json
import os
import resource

import tensorflow as tf


def cpu_ms():
    """This process's CPU time (user + system) in milliseconds."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return (r.ru_utime + r.ru_stime) * 1000


def open_replay(folder, grappler=True):
    """The dumped graph in a session, its placeholders by name, and its fetch sets in the run's order.

    grappler=False sets rewrite_options.disable_meta_optimizer, a switch tfjs-node does not let through.
    The session is opened inside the returned graph; build anything more with `graph.as_default()`.
    """
    config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    if not grappler:
        config.graph_options.rewrite_options.disable_meta_optimizer = True
    with open(os.path.join(folder, "calls.json")) as f:
        calls = json.load(f)
    graph = tf.Graph()
    with graph.as_default():
        session = tf.compat.v1.Session(config=config)
        tf.compat.v1.saved_model.loader.load(session, ["serve"], folder)
    placeholders = {op.name: op for op in graph.get_operations() if op.type in ("Placeholder", "PlaceholderWithDefault")}
    return session, placeholders, calls


def feeds_of(call, value):
    """A fetch set's feeds: each feed tensor (`name:0`) with value(name); a set may feed nothing."""
    return {f: value(f.split(":")[0]) for f in call["feeds"].split(",") if f}
