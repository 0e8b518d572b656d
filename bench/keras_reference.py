"""The bench's workloads in Keras 3 / TensorFlow (Python) `model.fit`, for `npm run bench`.

The networks mirror bench/workloads.ts: softmax heads trained with categorical
cross-entropy on both, the sum of the two losses, shuffled batches.

Argument: one JSON object {"workload", "batches", "samples", "epochs", "warmup_batches",
"threads"} (threads: null keeps TensorFlow's default pool). Prints one JSON line per batch
size: {"batch", "seconds", "samples_per_second", "cpu_seconds", "threads", "jit_compile"}.

What the timed `fit` includes, as our trainer's loop does in its clock (bench/trainSpeed.ts):
every batch of every epoch shuffled anew, the last partial one too; the running loss mean and
each head's accuracy, counted as the steps run; at each epoch's end a 64-row validation split
evaluated (`validation_data`: each head's loss and accuracy); the arrays uploaded into a new
tf.data pipeline (ours uploads its split in its clock too); the train and test functions traced
in the clock where the workload has no warm-up (the dense one: ours builds its graph and runs
each graph call a first time in its clock too), else by the warm-up `fit`, which Keras keeps
between calls. What ours does and `fit` does not: ours reads the weights back into its model
at each epoch's end. Neither measures gradient conflict in its clock (bench/workloads.ts
withoutConflict; ours prints its cost on its own). Not XLA: Keras 3 resolves `jit_compile="auto"` to False on a machine without GPU
(Trainer._resolve_auto_jit_compile), so the step is a tf.function graph under Grappler and
oneDNN, the kernels our fused graph step runs; `jit_compile` in the output says which ran.
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
CONFIG = json.loads(sys.argv[1])
if CONFIG.get("threads"):
    os.environ["TF_NUM_INTRAOP_THREADS"] = str(CONFIG["threads"])
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

if CONFIG.get("threads"):
    tf.config.threading.set_intra_op_parallelism_threads(int(CONFIG["threads"]))

SEQUENCE_STEPS, SEQUENCE_FEATURES = 20, 8
# The validation split ours evaluates at each epoch's end (bench/trainSpeed.ts).
VALIDATION_ROWS = 64


def heads(h, names, classes, hidden=0):
    outs = {}
    for name, k in zip(names, classes):
        g = layers.Dense(hidden, activation="relu")(h) if hidden else h
        outs[name] = layers.Dense(k, activation="softmax", name=name)(g)
    return outs


def workload(name):
    """(model, example shape, second target from the label)."""
    sgd = lambda: keras.optimizers.SGD(0.01)  # noqa: E731
    adam = lambda: keras.optimizers.Adam(0.001, epsilon=1e-7)  # noqa: E731
    if name in ("dense", "dense-adam", "dense-dropout"):
        x = keras.Input(shape=(784,), name="image")
        h = layers.Dense(128, activation="relu")(x)
        if name == "dense-dropout":
            h = layers.Dropout(0.2)(h)
        h = layers.Dense(64, activation="relu")(h)
        if name == "dense-dropout":
            h = layers.Dropout(0.2)(h)
        outs, shape, second, opt = heads(h, ["a", "b"], [10, 2]), (784,), "parity", adam() if name == "dense-adam" else sgd()
    elif name == "cnn":
        x = keras.Input(shape=(36, 36, 1), name="image")
        h = layers.Conv2D(16, 5, activation="relu")(x)
        h = layers.MaxPooling2D(2)(h)
        h = layers.Conv2D(32, 3, activation="relu")(h)
        h = layers.MaxPooling2D(2)(h)
        h = layers.Dense(128, activation="relu")(layers.Flatten()(h))
        outs, shape, second, opt = heads(h, ["a", "b"], [10, 10], hidden=64), (36, 36, 1), "random", adam()
    elif name == "lstm":
        x = keras.Input(shape=(SEQUENCE_STEPS, SEQUENCE_FEATURES), name="sequence")
        h = layers.LSTM(64)(x)
        outs, shape, second, opt = heads(h, ["a", "b"], [10, 2]), (SEQUENCE_STEPS, SEQUENCE_FEATURES), "parity", sgd()
    else:
        raise SystemExit(f"unknown workload {name}")
    m = keras.Model(x, outs)
    # Each head's accuracy, as ours counts the workloads' `metrics: ['accuracy']`.
    m.compile(optimizer=opt, loss={"a": "categorical_crossentropy", "b": "categorical_crossentropy"},
              metrics={"a": ["accuracy"], "b": ["accuracy"]})
    return m, shape, second


def main(config):
    rng = np.random.default_rng(3)
    n = config["samples"]
    for batch in config["batches"]:
        m, shape, second = workload(config["workload"])
        def split(rows):
            x = rng.random((rows, *shape), dtype=np.float32)
            label = rng.integers(0, 10, rows)
            other = label % 2 if second == "parity" else rng.integers(0, 10, rows)
            return x, {"a": np.eye(10, dtype=np.float32)[label], "b": np.eye(m.get_layer("b").units, dtype=np.float32)[other]}
        x, y = split(n)
        validation = split(VALIDATION_ROWS)
        warm = config.get("warmup_batches", 0) * batch
        if warm:
            m.fit(x[:warm], {k: v[:warm] for k, v in y.items()}, batch_size=batch, epochs=1, verbose=0, shuffle=True, validation_data=validation)
        start, cpu = time.perf_counter(), time.process_time()
        m.fit(x, y, batch_size=batch, epochs=config["epochs"], verbose=0, shuffle=True, validation_data=validation)
        seconds = time.perf_counter() - start
        threads = tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count()
        print(json.dumps({"batch": batch, "seconds": seconds, "samples_per_second": n * config["epochs"] / seconds,
                          "cpu_seconds": time.process_time() - cpu, "threads": threads,
                          "jit_compile": bool(m.jit_compile)}), flush=True)


if __name__ == "__main__":
    main(CONFIG)
