"""Does a training step called as a function with Grappler off skip Grappler's first-run cost?

A function call node (StatefulPartitionedCall) carries a `config_proto` attr, the ConfigProto
the function runtime optimises its body with; tfjs-node opens sessions with default options, so
this would be the one way to turn Grappler off for a step. The step here is the dense
reference network's (784-128-64-10, SGD on resource variables, batch 256), built three ways in
a TensorFlow 1 session with default options: `flat` (its ops in the session's graph, as ours
are), `fn off|on [noinline]` (the same ops in a function called once, its config_proto with the
meta optimizer off or on, the body marked `_noinline` or not). Prints the first step's and the
steady step's CPU time and the losses (the same in every mode). Asserts nothing. One process a mode:
`~/.cache/multi-task-studio/keras-venv/bin/python bench/function_config_probe.py flat | fn off noinline | ...`
"""
import resource
import sys

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import attr_value_pb2
from tensorflow.core.protobuf import config_pb2


def cpu_ms():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return (r.ru_utime + r.ru_stime) * 1000


def main(args):
    tf.compat.v1.disable_eager_execution()
    rng = np.random.default_rng(0)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [256, 784])
        y = tf.compat.v1.placeholder(tf.int32, [256])
        shapes = [(784, 128), (128,), (128, 64), (64,), (64, 10), (10,)]
        variables = [tf.Variable(rng.normal(size=s).astype(np.float32) * 0.05, use_resource=True) for s in shapes]

        def step(x, y, *handles):
            w = [tf.raw_ops.ReadVariableOp(resource=h, dtype=tf.float32) for h in handles]
            h1 = tf.nn.relu(tf.matmul(x, w[0]) + w[1])
            h2 = tf.nn.relu(tf.matmul(h1, w[2]) + w[3])
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=tf.matmul(h2, w[4]) + w[5]))
            updates = [tf.raw_ops.ResourceApplyGradientDescent(var=h, alpha=0.01, delta=g) for h, g in zip(handles, tf.gradients(loss, w))]
            with tf.control_dependencies(updates):
                return tf.identity(loss)

        handles = [v.handle for v in variables]
        if args[0] == "flat":
            loss = step(x, y, *handles)
        else:
            attributes = {"_noinline": True} if "noinline" in args else None
            loss = tf.function(step, autograph=False, experimental_attributes=attributes)(x, y, *handles)
            call = next(op for op in graph.get_operations() if op.type.endswith("PartitionedCall"))
            body = config_pb2.ConfigProto()
            body.graph_options.rewrite_options.disable_meta_optimizer = args[1] == "off"
            call._set_attr("config_proto", attr_value_pb2.AttrValue(s=body.SerializeToString()))
        session = tf.compat.v1.Session(config=config_pb2.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1))
        # The process's first matrix product (oneDNN's sgemm compiled) outside the figures.
        session.run(tf.matmul(tf.ones([4, 4]), tf.ones([4, 4])))
        session.run(tf.compat.v1.global_variables_initializer())
        feeds = {x: rng.normal(size=(256, 784)).astype(np.float32), y: rng.integers(0, 10, 256).astype(np.int32)}
        c = cpu_ms()
        first_loss = session.run(loss, feeds)
        first = cpu_ms() - c
        for _ in range(50):
            session.run(loss, feeds)
        c = cpu_ms()
        for _ in range(500):
            last_loss = session.run(loss, feeds)
        steady = (cpu_ms() - c) / 500
    print(f"{' '.join(args):16s} first step {first:6.1f} ms CPU, steady {steady:6.3f} ms CPU; loss {first_loss:.6f} -> {last_loss:.6f}")


if __name__ == "__main__":
    main(sys.argv[1:])
