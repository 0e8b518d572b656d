// losses.py of the Keras export: each task's loss as trainer/heads.ts takes it, on the model's
// outputs (probabilities for classification heads), as the mean over the rows labelled for
// that task (trainer/labelMask.ts: a row without a label, NaN, counts for no task loss).
export const LOSSES_PY = String.raw`"""Task losses and metrics: each loss is the mean over the rows that have the task's label (NaN: no label)."""
import numpy as np
from keras import ops

EPSILON = 1e-7


def _per_row(task, y, p):
    if task["encoding"] == "onehot":
        # Class index -> the probability given to it; the product's categorical and sparse losses agree on this.
        picked = ops.take_along_axis(p, ops.expand_dims(ops.cast(y, "int32"), -1), axis=-1)[:, 0]
        return -ops.log(ops.clip(picked, EPSILON, 1 - EPSILON))
    p = ops.reshape(p, (-1,))
    if task["loss"] in ("binaryCrossentropy", "categoricalCrossentropy", "sparseCategoricalCrossentropy"):
        q = ops.clip(p, EPSILON, 1 - EPSILON)
        return -(y * ops.log(q) + (1 - y) * ops.log(1 - q))
    error = p - y
    if task["loss"] == "meanAbsoluteError":
        return ops.abs(error)
    if task["loss"] == "huber":
        a = ops.abs(error)
        return ops.where(a <= 1.0, 0.5 * ops.square(error), a - 0.5)
    return ops.square(error)


def task_loss(task, y_true, y_pred):
    """Mean loss over the labelled rows of the batch; 0 when none is labelled."""
    y_true = ops.cast(ops.reshape(y_true, (-1,)), "float32")
    labelled = ops.logical_not(ops.isnan(y_true))
    y = ops.where(labelled, y_true, ops.zeros_like(y_true))
    weight = ops.cast(labelled, "float32")
    return ops.sum(_per_row(task, y, y_pred) * weight) / ops.maximum(ops.sum(weight), 1.0)


def task_metrics(task, y_true, y_pred):
    """Test metrics of one task (numpy): accuracy for classification, mae and rmse for regression."""
    y_pred = np.asarray(y_pred)
    keep = ~np.isnan(y_true)
    y_true, y_pred = y_true[keep], y_pred[keep]
    if task["encoding"] == "onehot":
        return {"accuracy": float(np.mean(np.argmax(y_pred, axis=-1) == y_true))}
    if task["kind"] == "binary":
        return {"accuracy": float(np.mean((y_pred.reshape(-1) >= 0.5) == (y_true == 1)))}
    error = y_pred.reshape(-1) - y_true
    return {"mae": float(np.mean(np.abs(error))), "rmse": float(np.sqrt(np.mean(error ** 2)))}
`;
