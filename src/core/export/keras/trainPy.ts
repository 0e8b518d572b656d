// train.py of the Keras export: the experiment's training settings (optimizer and schedule from
// optimizers.py, weighting and gradient clipping in weighting.py, early stopping), and scale-out on
// TensorFlow's own engine (tf.distribute): MirroredStrategy for several GPUs of one machine,
// MultiWorkerMirroredStrategy across machines, configured by TF_CONFIG as clusters do.
export const TRAIN_PY = String.raw`"""Train the exported experiment with Keras 3 (TensorFlow backend).

  python -m <package>.train [--epochs N] [--batch-size B] [--from-run-weights] [--out DIR]
  python -m <package>.train --strategy mirrored          all GPUs of this machine
  python -m <package>.train --workers N                  one process per worker; each gets TF_CONFIG
                                                         (cluster + its task index), as a cluster sets it
--batch-size is the global batch: with N workers each replica takes its share of every batch,
so the result equals one worker's with the same batch (up to float rounding).
Writes DIR/history.json (per-epoch losses), DIR/test_metrics.json, DIR/weights.npz (chief: DIR,
other workers: DIR/worker-<index>).
"""
import argparse
import json
import math
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = json.loads((HERE / "experiment.json").read_text(encoding="utf-8"))


def make_strategy(name, workers):
    """tf.distribute strategy for the options; TF_CONFIG (set by the cluster or by hand) means multi-worker."""
    import tensorflow as tf

    config = json.loads(os.environ.get("TF_CONFIG", "{}") or "{}")
    if workers > 1 or name == "multiworker" or config.get("cluster"):
        found = len(config.get("cluster", {}).get("worker", []))
        if found != max(workers, 1) and workers > 1:
            raise SystemExit(f"--workers {workers} but TF_CONFIG lists {found} workers: set TF_CONFIG on every worker "
                             '(e.g. {"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}})')
        return tf.distribute.MultiWorkerMirroredStrategy(), int(config.get("task", {}).get("index", 0))
    if name == "mirrored":
        return tf.distribute.MirroredStrategy(), 0
    return tf.distribute.get_strategy(), 0


def dataset(inputs, targets, batch_size, shuffle, seed):
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices((inputs, targets))
    if shuffle:
        data = data.shuffle(len(next(iter(targets.values()))), seed=seed, reshuffle_each_iteration=True)
    options = tf.data.Options()
    # In-memory rows: each worker takes its part of every global batch.
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return data.batch(batch_size).with_options(options)


def fit_experiment(epochs=None, batch_size=None, strategy="auto", workers=1, from_run_weights=False, shuffle=True, steps=None, verbose=2):
    """Builds, trains and evaluates the model; returns (model, history dict, test metrics, worker index)."""
    import keras
    import numpy as np

    from .data import load_splits
    from .losses import task_metrics
    from .model import REPRESENTATION_LAYERS, SHARED_LAYERS, TASKS, build_model
    from .optimizers import optimizer_of
    from .weighting import EpochEnd, MultiTaskModel

    training = SPEC["training"]
    seed = training["seed"]
    epochs = epochs or training["epochs"]
    batch = batch_size or training["batchSize"]
    strategy_obj, index = make_strategy(strategy, workers)
    keras.utils.set_random_seed(seed)
    splits = load_splits()
    train_x, train_y = splits["train"]
    # The schedule runs over the steps the product takes: every batch, the last one partial.
    steps_per_epoch = steps or math.ceil(len(next(iter(train_y.values()))) / batch)
    with strategy_obj.scope():
        network = build_model()
        if from_run_weights:
            from .weights import load_run_weights
            load_run_weights(network, HERE / "weights")
        model = MultiTaskModel(network, TASKS, training.get("weighting", {"method": "equal"}),
                               [network.get_layer(name) for name in SHARED_LAYERS],
                               representation=[network.get_layer(name) for name in REPRESENTATION_LAYERS],
                               clip_norm=training.get("clipNorm"))
        model.compile(optimizer=optimizer_of(SPEC, steps_per_epoch, epochs))
        # Built on one row here: fit would build it from a distributed batch, which it cannot.
        model({k: v[:1] for k, v in train_x.items()})
        model.optimizer.build(model.trainable_variables)
    callbacks = [EpochEnd()]
    validation = None
    stopping = training.get("earlyStopping")
    if stopping:
        # As the product: after each epoch the validation loss (the sum of the task losses) is
        # compared with the best so far (better by more than 1e-6); after patience epochs without
        # one training stops, and the best epoch's weights are restored at the end in any case.
        val_x, val_y = splits["validation"]
        validation = dataset(val_x, val_y, batch, False, seed)
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", min_delta=1e-6,
                                                       patience=stopping["patience"], restore_best_weights=True))
    history = model.fit(dataset(train_x, train_y, batch, shuffle, seed), epochs=epochs, validation_data=validation,
                        steps_per_epoch=steps, callbacks=callbacks, verbose=verbose)
    test_x, test_y = splits["test"]
    predictions = network.predict(test_x, batch_size=1024, verbose=0)
    metrics = {t["id"]: task_metrics(t, test_y[t["id"]], predictions[t["id"]]) for t in TASKS}
    return model, {k: [float(np.ravel(v)[0]) for v in vs] for k, vs in history.history.items()}, metrics, index


def main(argv=None):
    training = SPEC["training"]
    p = argparse.ArgumentParser(description=f"Train {SPEC['name']} (exported from Multi-Task Studio).")
    p.add_argument("--epochs", type=int, default=training["epochs"])
    p.add_argument("--batch-size", type=int, default=training["batchSize"], help="global batch size")
    p.add_argument("--strategy", choices=["auto", "mirrored", "multiworker"], default="auto")
    p.add_argument("--workers", type=int, default=1, help="number of workers in TF_CONFIG (multi-worker training)")
    p.add_argument("--from-run-weights", action="store_true", help="start from the run's trained weights (weights/)")
    p.add_argument("--no-shuffle", action="store_true")
    p.add_argument("--steps", type=int, default=None, help="steps per epoch (default: the whole training split)")
    p.add_argument("--out", default="trained")
    args = p.parse_args(argv)
    model, history, metrics, index = fit_experiment(args.epochs, args.batch_size, args.strategy, args.workers,
                                                    args.from_run_weights, not args.no_shuffle, args.steps)
    out = Path(args.out) if index == 0 else Path(args.out) / f"worker-{index}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "history.json").write_text(json.dumps(history, indent=1))
    (out / "test_metrics.json").write_text(json.dumps(metrics, indent=1))
    import keras
    import numpy as np
    np.savez(out / "weights.npz", **{f"{layer.name}/{v.name}": keras.ops.convert_to_numpy(v) for layer in model.network.layers for v in layer.weights})
    print(json.dumps({"test": metrics}))


if __name__ == "__main__":
    main()
`;
