// weighting.py of the Keras export: the task weighting as a custom train_step. Loss-based
// methods (equal, static, uncertainty, DWA) weight the task losses; the gradient methods (PCGrad,
// MGDA / MGDA-UB) combine the task gradients on the shared layers' weights or on the shared
// representation (training.weighting.mode), as src/core/weighting/*.ts and
// src/trainer/gradientStep.ts do. Gradient clipping (training.clipNorm) as the product clips:
// the global norm of the whole update, here after the sum over replicas.
export const WEIGHTING_PY = String.raw`"""Task weighting as a custom train_step (TensorFlow backend; the model itself runs on any backend).

  equal        sum_i L_i
  static       sum_i w_i L_i, w_i the task's "weight"
  uncertainty  sum_i exp(-s_i) c_i L_i + s_i / 2, s_i = log sigma_i^2 learned, c_i 1/2 for
               regression, 1 for classification (Kendall, Gal & Cipolla 2018, eqs. 7 and 10)
  dwa          w_i = K softmax_i(r_i / T), r_i = L_i(t-1) / L_i(t-2) from the epochs' mean losses,
               1 for the first two epochs (Liu, Johns & Davison 2019, eq. 1)
  pcgrad       each task's gradient on the shared part is projected off the others' it conflicts
               with, in random order, then summed (Yu et al. 2020, Algorithm 1)
  mgda         the least-norm point of the convex hull of the task gradients on the shared part,
               sum_i a_i g_i with a = argmin_{a in simplex} ||sum_i a_i g_i||^2 (Sener & Koltun 2018,
               eq. 3; on the shared representation their MGDA-UB, Section 3.3); normalization "l2"
               first divides each gradient by its norm
The gradient methods' shared part (training.weighting.mode): "parameters", the shared layers'
weights; "representation", the outputs of the shared layers the tasks' own layers read (the
update then flows back through the trunk). A task's own layers get its own gradient. Under
tf.distribute each replica combines its own gradients before they are summed.
clip_norm (training.clipNorm): the update is scaled by clip_norm / max(norm, clip_norm), norm
the global L2 norm of the whole update (summed over replicas first).
"""
import itertools
import math

import numpy as np

import keras
from keras import ops

from .losses import task_loss

LOSS_METHODS = ("equal", "static", "uncertainty", "dwa")
GRADIENT_METHODS = ("pcgrad", "mgda")
GRADIENT_MODES = ("parameters", "representation")
MGDA_NORMALIZATIONS = ("none", "l2")


class MultiTaskModel(keras.Model):
    """Wraps the functional network: calls it, and trains it with the experiment's weighting."""

    def __init__(self, network, tasks, weighting, shared_layers, representation=(), clip_norm=None, **kwargs):
        super().__init__(**kwargs)
        method = weighting.get("method", "equal")
        if method not in LOSS_METHODS + GRADIENT_METHODS:
            raise ValueError(f"training.weighting.method '{method}' is not exported to Keras yet; "
                             f"exported: {', '.join(LOSS_METHODS + GRADIENT_METHODS)}")
        self.mode = weighting.get("mode", "parameters")
        self.normalization = weighting.get("normalization", "none")
        if self.mode not in GRADIENT_MODES or self.normalization not in MGDA_NORMALIZATIONS:
            raise ValueError(f"training.weighting: mode '{self.mode}' or normalization '{self.normalization}' is not exported to Keras")
        self.network, self.tasks, self.method = network, tasks, method
        self.temperature = float(weighting.get("temperature", 2.0))
        self.shared_layers = shared_layers
        self.clip_norm = float(clip_norm) if clip_norm else None
        self.represented = None
        if method in GRADIENT_METHODS and self.mode == "representation":
            # The same layers, also answering the shared representation the task gradients are taken on.
            outputs = [network.output[t["id"]] for t in tasks]
            self.represented = keras.Model(network.input, outputs + [o for layer in representation for o in _outputs_of(layer)])
        n = len(tasks)
        # Loss weights the method sets outside the gradient (static, DWA); uncertainty's s_i are trained.
        start = [float(t.get("weight", 1.0)) if method == "static" else 1.0 for t in tasks]
        self.loss_weights = self.add_weight(name="loss_weights", shape=(n,), trainable=False,
                                            initializer=lambda shape, dtype=None: ops.convert_to_tensor(start, dtype or "float32"))
        self.log_vars = self.add_weight(name="log_vars", shape=(n,), initializer="zeros") if method == "uncertainty" else None
        self.trackers = [keras.metrics.Mean(name="loss")] + [keras.metrics.Mean(name=f"{t['id']}_loss") for t in tasks]
        self.epoch_losses = []  # DWA's history: each epoch's mean training loss per task

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Keras 3.15 builds a model under tf.distribute from a batch it first all-reduces, which
        # fails for dict inputs under MultiWorkerMirroredStrategy. train.py builds the model and
        # its optimizer before fit, so there is nothing left to build here.
        return

    def call(self, inputs, training=False):
        return self.network(inputs, training=training)

    @property
    def metrics(self):
        return self.trackers

    def combine(self, losses):
        """The scalar the loss-based methods descend."""
        if self.method == "uncertainty":
            scale = [0.5 if t["kind"] == "regression" else 1.0 for t in self.tasks]
            return sum(ops.exp(-self.log_vars[i]) * scale[i] * loss + 0.5 * self.log_vars[i] for i, loss in enumerate(losses))
        return sum(self.loss_weights[i] * loss for i, loss in enumerate(losses))

    def end_epoch(self, task_means):
        """DWA's weights for the next epoch from the last two epochs' mean task losses."""
        self.epoch_losses.append(task_means)
        if self.method != "dwa" or len(self.epoch_losses) < 2:
            return
        last, before = self.epoch_losses[-1], self.epoch_losses[-2]
        ratios = [a / b if b and math.isfinite(a / b) else 1.0 for a, b in zip(last, before)]
        top = max(ratios)
        e = [math.exp((r - top) / self.temperature) for r in ratios]
        self.loss_weights.assign([len(e) * v / sum(e) for v in e])

    def train_step(self, data):
        import tensorflow as tf

        x, y = data
        scale = 1.0 / tf.distribute.get_strategy().num_replicas_in_sync  # gradients are summed over replicas
        with tf.GradientTape(persistent=self.method in GRADIENT_METHODS) as tape:
            if self.represented is not None:
                values = self.represented(x, training=True)
                out = {t["id"]: v for t, v in zip(self.tasks, values)}
                represented = values[len(self.tasks):]
            else:
                out = self(x, training=True)
            losses = [task_loss(t, y[t["id"]], out[t["id"]]) for t in self.tasks]
            extra = sum(self.network.losses) if self.network.losses else 0.0
            total = self.combine(losses) + extra
            # Scaled inside the tape: a product taken after it would not be differentiated.
            scaled_total = total * scale
            scaled_losses = [loss * scale for loss in losses]
            scaled_extra = extra * scale
        variables = self.trainable_variables
        if self.method in GRADIENT_METHODS:
            active = tf.stack([tf.reduce_any(tf.logical_not(tf.math.is_nan(tf.cast(y[t["id"]], tf.float32)))) for t in self.tasks])
            grads = self._gradient_method(tape, scaled_losses, scaled_total, scaled_extra, variables,
                                          represented if self.represented is not None else None, active)
        else:
            grads = tape.gradient(scaled_total, variables)
        del tape
        pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if self.clip_norm:
            pairs = self._clipped(pairs)
        self.optimizer.apply_gradients(pairs)
        self.trackers[0].update_state(total)
        for tracker, loss in zip(self.trackers[1:], losses):
            tracker.update_state(loss)
        return self._logs()

    def test_step(self, data):
        """Validation as the product measures it: each task's mean loss, and their sum as "loss" (early stopping's monitor)."""
        x, y = data
        out = self(x, training=False)
        losses = [task_loss(t, y[t["id"]], out[t["id"]]) for t in self.tasks]
        # Weighted by the rows, so a short last batch counts for its rows: the mean over the split.
        rows = ops.cast(ops.shape(y[self.tasks[0]["id"]])[0], "float32")
        self.trackers[0].update_state(sum(losses), sample_weight=rows)
        for tracker, loss in zip(self.trackers[1:], losses):
            tracker.update_state(loss, sample_weight=rows)
        return self._logs()

    def _logs(self):
        import tensorflow as tf

        if tf.distribute.has_strategy():
            # Keras averages the logs over workers along axis 0, so under tf.distribute they
            # travel as [1] vectors; every worker then logs (and DWA reads) the same means.
            return {m.name: ops.reshape(m.result(), (1,)) for m in self.trackers}
        return {m.name: m.result() for m in self.trackers}

    def _clipped(self, pairs):
        """The whole update scaled to global norm clip_norm at most, after the sum over replicas (as the product clips one update)."""
        import tensorflow as tf

        grads = [g for g, _ in pairs]
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        context = tf.distribute.get_replica_context()
        if replicas > 1 and context is not None:
            # Keras would clip each replica's part before the sum; the sum is clipped here and
            # handed back divided by the replicas, which the optimizer's own sum undoes.
            grads = [g / replicas for g in context.all_reduce(tf.distribute.ReduceOp.SUM, grads)]
            norm = tf.linalg.global_norm(grads) * replicas
        else:
            norm = tf.linalg.global_norm(grads)
        factor = self.clip_norm / tf.maximum(norm, self.clip_norm)
        return [(g * factor, v) for g, (_, v) in zip(grads, pairs)]

    def _gradient_method(self, tape, losses, total, extra, variables, represented, active):
        """The update: on the shared layers sum_i w_i g_i with the method's weights w from the Gramian
        of the task gradients on the shared part; elsewhere each task's own gradient."""
        import tensorflow as tf

        shared_ids = {id(v) for layer in self.shared_layers for v in layer.trainable_variables}
        shared = [v for v in variables if id(v) in shared_ids]
        # Own layers: the sum of the task losses gives each its own task's gradient (and the penalties theirs).
        grads = tape.gradient(total, variables)
        part = represented if represented is not None else shared
        per_task = [tape.gradient(loss, part) for loss in losses]
        flat = tf.stack([tf.concat([tf.reshape(g if g is not None else tf.zeros_like(p), [-1]) for g, p in zip(gs, part)], 0) for gs in per_task])
        gram = tf.matmul(flat, flat, transpose_b=True)
        if self.method == "pcgrad":
            weights = _pcgrad_weights(gram)
        else:
            # A small QP on the Gramian, solved in numpy (float64) inside the step.
            # A task without a labelled row in the batch takes no part (its zero gradient would be the hull's least-norm point).
            solved = tf.numpy_function(lambda g, a: mgda_weights(g, self.normalization, a), [gram, active], tf.float64)
            weights = tf.cast(tf.ensure_shape(solved, [len(losses)]), flat.dtype)
        combined = [sum(weights[i] * (g if g is not None else tf.zeros_like(p)) for i, g in enumerate(gs)) for gs, p in
                    zip(zip(*per_task), part)]
        if represented is not None:
            # MGDA-UB: the combined representation gradient goes back through the trunk.
            on_shared = tape.gradient(represented, shared, output_gradients=combined)
        else:
            on_shared = combined
        # Penalties on the shared layers (L2, soft sharing's tie) add their own gradient, as in the product.
        penalty = tape.gradient(extra, shared) if not isinstance(extra, float) else [None] * len(shared)
        by_id = {id(v): (g if p is None else (p if g is None else g + p)) for v, g, p in zip(shared, on_shared, penalty)}
        return [by_id[id(v)] if id(v) in by_id else g for g, v in zip(grads, variables)]


def _outputs_of(layer):
    out = layer.output
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _pcgrad_weights(gram):
    """PCGrad's coefficients of the task gradients from their Gramian, a fresh random order per task."""
    import tensorflow as tf

    n = gram.shape[0]
    weights = tf.zeros([n], gram.dtype)
    for i in range(n):
        c = tf.one_hot(i, n, dtype=gram.dtype)
        for j in tf.unstack(tf.random.shuffle(tf.range(n))):
            dot = tf.tensordot(c, gram[:, j], 1)
            conflict = tf.logical_and(dot < 0, tf.not_equal(j, i))
            c = c - tf.where(conflict, dot / gram[j, j], 0.0) * tf.one_hot(j, n, dtype=gram.dtype)
        weights += c
    return weights


def mgda_weights(gram, normalization="none", active=None):
    """MGDA's coefficients for a Gramian G[i][j] = <g_i, g_j> (numpy, float64) of the active tasks (default
    all; the others get 0): "l2" solves on the unit gradients, a_i / ||g_i|| then weighs the real ones
    (a zero gradient keeps scale 1)."""
    if isinstance(normalization, bytes):
        normalization = normalization.decode()
    g = np.asarray(gram, dtype=np.float64)
    keep = np.flatnonzero(np.ones(len(g), bool) if active is None else np.asarray(active, bool))
    out = np.zeros(len(g))
    if not len(keep):
        return out
    g = g[np.ix_(keep, keep)]
    diag = np.diag(g)
    scale = np.where((normalization == "l2") & (diag > 0), np.sqrt(np.maximum(diag, 0.0)), 1.0)
    out[keep] = min_norm_in_hull(g / np.outer(scale, scale)) / scale
    return out


def min_norm_in_hull(g):
    """argmin over the simplex of a^T G a: the least-norm point of the gradients' convex hull.
    Two tasks in closed form (Sener & Koltun 2018, Algorithm 1); more, exactly: the best of the
    stationary points of every support (the optimum is one; the tasks are few)."""
    n = len(g)
    top = float(np.max(np.diag(g))) if n else 0.0
    if not top > 0:
        return np.full(n, 1.0 / max(n, 1))
    tol = 1e-12 * top
    start = int(np.argmin(np.diag(g)))
    if n == 2:
        distance = g[0, 0] + g[1, 1] - 2 * g[0, 1]
        if not distance > tol:
            return np.array([1.0, 0.0]) if start == 0 else np.array([0.0, 1.0])
        gamma = min(1.0, max(0.0, (g[1, 1] - g[0, 1]) / distance))
        return np.array([gamma, 1.0 - gamma])
    best = np.eye(n)[start]
    best_value = float(g[start, start])
    for size in range(2, n + 1):
        for support in itertools.combinations(range(n), size):
            idx = list(support)
            kkt = np.zeros((size + 1, size + 1))
            kkt[:size, :size] = g[np.ix_(idx, idx)]
            kkt[:size, size] = kkt[size, :size] = 1.0
            rhs = np.zeros(size + 1)
            rhs[size] = 1.0
            a = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:size]
            if np.any(a < -1e-12):
                continue
            alpha = np.zeros(n)
            alpha[idx] = np.maximum(a, 0.0)
            alpha /= alpha.sum()
            value = float(alpha @ g @ alpha)
            if value < best_value - tol:
                best, best_value = alpha, value
    return best


class EpochEnd(keras.callbacks.Callback):
    """Hands each epoch's mean task losses to the weighting (DWA)."""

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.model.end_epoch([float(logs.get(f"{t['id']}_loss", float("nan"))) for t in self.model.tasks])
`;
