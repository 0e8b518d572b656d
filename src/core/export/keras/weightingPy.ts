// weighting.py of the Keras export: the task weighting as a custom train_step. Loss-based
// methods (equal, static, uncertainty, DWA) weight the task losses; PCGrad (gradient family)
// projects the task gradients on the shared layers, as src/core/weighting/*.ts do.
export const WEIGHTING_PY = String.raw`"""Task weighting as a custom train_step (TensorFlow backend; the model itself runs on any backend).

  equal        sum_i L_i
  static       sum_i w_i L_i, w_i the task's "weight"
  uncertainty  sum_i exp(-s_i) c_i L_i + s_i / 2, s_i = log sigma_i^2 learned, c_i 1/2 for
               regression, 1 for classification (Kendall, Gal & Cipolla 2018, eqs. 7 and 10)
  dwa          w_i = K softmax_i(r_i / T), r_i = L_i(t-1) / L_i(t-2) from the epochs' mean losses,
               1 for the first two epochs (Liu, Johns & Davison 2019, eq. 1)
  pcgrad       each task's gradient on the shared layers is projected off the others' it conflicts
               with, in random order, then summed (Yu et al. 2020, Algorithm 1); a task's own
               layers get its own gradient. Under tf.distribute each replica projects its own
               gradients before they are summed.
"""
import math

import keras
from keras import ops

from .losses import task_loss

LOSS_METHODS = ("equal", "static", "uncertainty", "dwa")
GRADIENT_METHODS = ("pcgrad",)


class MultiTaskModel(keras.Model):
    """Wraps the functional network: calls it, and trains it with the experiment's weighting."""

    def __init__(self, network, tasks, weighting, shared_layers, **kwargs):
        super().__init__(**kwargs)
        method = weighting.get("method", "equal")
        if method not in LOSS_METHODS + GRADIENT_METHODS:
            raise ValueError(f"training.weighting.method '{method}' is not exported to Keras yet; "
                             f"exported: {', '.join(LOSS_METHODS + GRADIENT_METHODS)}")
        self.network, self.tasks, self.method = network, tasks, method
        self.temperature = float(weighting.get("temperature", 2.0))
        self.shared_layers = shared_layers
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
            out = self(x, training=True)
            losses = [task_loss(t, y[t["id"]], out[t["id"]]) for t in self.tasks]
            extra = sum(self.network.losses) if self.network.losses else 0.0
            total = self.combine(losses) + extra
            # Scaled inside the tape: a product taken after it would not be differentiated.
            scaled_total = total * scale
            scaled_losses = [loss * scale for loss in losses]
        variables = self.trainable_variables
        if self.method in GRADIENT_METHODS:
            grads = self._pcgrad(tape, scaled_losses, scaled_total, variables)
        else:
            grads = tape.gradient(scaled_total, variables)
        del tape
        self.optimizer.apply_gradients([(g, v) for g, v in zip(grads, variables) if g is not None])
        self.trackers[0].update_state(total)
        for tracker, loss in zip(self.trackers[1:], losses):
            tracker.update_state(loss)
        if tf.distribute.has_strategy():
            # Keras averages the logs over workers along axis 0, so under tf.distribute they
            # travel as [1] vectors; every worker then logs (and DWA reads) the same means.
            return {m.name: ops.reshape(m.result(), (1,)) for m in self.trackers}
        return {m.name: m.result() for m in self.trackers}

    def _pcgrad(self, tape, losses, total, variables):
        """Update direction: PCGrad on the shared variables, each task's own gradient elsewhere."""
        import tensorflow as tf

        shared_ids = {id(v) for layer in self.shared_layers for v in layer.trainable_variables}
        shared = [v for v in variables if id(v) in shared_ids]
        # Own layers: the sum of the task losses gives each its own task's gradient.
        grads = tape.gradient(total, variables)
        per_task = [tape.gradient(loss, shared) for loss in losses]
        flat = tf.stack([tf.concat([tf.reshape(g if g is not None else tf.zeros_like(v), [-1]) for g, v in zip(gs, shared)], 0) for gs in per_task])
        gram = tf.matmul(flat, flat, transpose_b=True)
        n = len(losses)
        weights = tf.zeros([n])
        for i in range(n):
            c = tf.one_hot(i, n)
            for j in tf.unstack(tf.random.shuffle(tf.range(n))):
                dot = tf.tensordot(c, gram[:, j], 1)
                conflict = tf.logical_and(dot < 0, tf.not_equal(j, i))
                c = c - tf.where(conflict, dot / gram[j, j], 0.0) * tf.one_hot(j, n)
            weights += c
        direction = tf.tensordot(weights, flat, 1)
        out, offset = [], 0
        for g, v in zip(grads, variables):
            if id(v) in shared_ids:
                size = math.prod(v.shape)
                out.append(tf.reshape(direction[offset:offset + size], v.shape))
                offset += size
            else:
                out.append(g)
        return out


class EpochEnd(keras.callbacks.Callback):
    """Hands each epoch's mean task losses to the weighting (DWA)."""

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.model.end_epoch([float(logs.get(f"{t['id']}_loss", float("nan"))) for t in self.model.tasks])
`;
