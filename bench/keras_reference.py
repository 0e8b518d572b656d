"""The reference workload in Keras 3 / TensorFlow (Python), for `npm run bench`.

784-128-64 trunk, softmax heads of 10 and 2 classes, SGD 0.01, categorical
cross-entropy on both heads, 20,000 random samples, 3 epochs. Prints one JSON
line per batch size: {"batch": 32, "seconds": ..., "samples_per_second": ...}.
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402

N, EPOCHS = 20000, 3


def model():
    x = keras.Input(shape=(784,), name="image")
    h = keras.layers.Dense(128, activation="relu")(x)
    h = keras.layers.Dense(64, activation="relu")(h)
    digit = keras.layers.Dense(10, activation="softmax", name="digit")(h)
    parity = keras.layers.Dense(2, activation="softmax", name="parity")(h)
    m = keras.Model(x, [digit, parity])
    m.compile(optimizer=keras.optimizers.SGD(0.01),
              loss={"digit": "categorical_crossentropy", "parity": "categorical_crossentropy"})
    return m


def main(batches):
    rng = np.random.default_rng(3)
    x = rng.random((N, 784), dtype=np.float32)
    label = rng.integers(0, 10, N)
    y = {"digit": np.eye(10, dtype=np.float32)[label], "parity": np.eye(2, dtype=np.float32)[label % 2]}
    for batch in batches:
        m = model()
        start = time.perf_counter()
        m.fit(x, y, batch_size=batch, epochs=EPOCHS, verbose=0, shuffle=True)
        seconds = time.perf_counter() - start
        print(json.dumps({"batch": batch, "seconds": seconds, "samples_per_second": N * EPOCHS / seconds}), flush=True)


if __name__ == "__main__":
    main([int(b) for b in sys.argv[1:]] or [32, 256])
