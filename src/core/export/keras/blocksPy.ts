// blocks.py of the Keras export: the sharing blocks of core/blockLayers.ts as Keras 3 layers
// written with keras.ops only, so they run on every Keras backend. Each keeps the weight names
// of trainer/model/blockLayers.ts, so a run's weights load by name (weightsPy.ts).
export const BLOCKS_PY = String.raw`"""Sharing blocks of Multi-Task Studio as Keras 3 layers (keras.ops only: any backend).

Columns travel stacked: [batch, columns, features]. Weight names match the TensorFlow.js
layers of the product, so a run's model/weights.bin loads by name (weights.py).
  ParallelDense  y_c = act(x_c W_c + b_c); tie_l2 adds tie_l2 * sum_{i<j} ||W_i - W_j||^2
                 (soft parameter sharing, Duong et al. 2015).
  CrossStitch    y_i = sum_j alpha_ij x_j (Misra et al. 2016, eq. 1).
  Mmoe           f_k(x) = sum_i softmax(W_gk x + b_gk)_i f_i(x) (Ma et al. 2018, eqs. 4-5).
  Ple            progressive layered extraction (Tang et al. 2020, eqs. 4-6); one level is CGC.
  Select         column 'index' of a block's output.
"""
import math

import keras
from keras import ops


def tfjs_hard_sigmoid(x):
    """The recurrent gates' activation of TensorFlow.js' LSTM and GRU (its default, from Keras 2.0):
    clip(0.2 x + 0.5, 0, 1). Keras 3's hard_sigmoid has slope 1/6, and its default is sigmoid."""
    return ops.clip(0.2 * x + 0.5, 0.0, 1.0)


def stacked_glorot(fan_in, fan_out, seed):
    """Glorot uniform over each [fan_in, fan_out] matrix of a stack (a dense layer's range)."""
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return keras.initializers.RandomUniform(minval=-limit, maxval=limit, seed=seed)


def _experts(h, kernel, bias, act):
    """h [b, d] through each expert kernel [e, d, u]: [b, e, u]."""
    return act(ops.einsum("bd,edu->beu", h, kernel) + bias)


def _mix(gates, experts):
    """Gate-weighted sum: gates [b, m], experts [b, m, u] -> [b, u]."""
    return ops.einsum("bm,bmu->bu", gates, experts)


@keras.saving.register_keras_serializable(package="mts")
class ParallelDense(keras.layers.Layer):
    def __init__(self, columns, units, activation="linear", use_bias=True, tie_l2=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.columns, self.units, self.use_bias, self.tie_l2, self.seed = columns, units, use_bias, tie_l2, seed
        self.activation_name = activation
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        d = input_shape[-1]
        self.kernel = self.add_weight(name="kernel", shape=(self.columns, d, self.units), initializer=stacked_glorot(d, self.units, self.seed))
        self.bias = self.add_weight(name="bias", shape=(self.columns, self.units), initializer="zeros") if self.use_bias else None

    def call(self, x):
        # [batch, d] is read by every column; [batch, columns, d] column by column.
        y = ops.einsum("bd,cdu->bcu", x, self.kernel) if len(x.shape) == 2 else ops.einsum("bcd,cdu->bcu", x, self.kernel)
        if self.bias is not None:
            y = y + self.bias
        if self.tie_l2 > 0:
            # sum_{i<j} ||W_i - W_j||^2 = n sum_i ||W_i||^2 - ||sum_i W_i||^2
            n = self.columns
            self.add_loss(self.tie_l2 * (n * ops.sum(ops.square(self.kernel)) - ops.sum(ops.square(ops.sum(self.kernel, axis=0)))))
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.columns, self.units)

    def get_config(self):
        return {**super().get_config(), "columns": self.columns, "units": self.units, "activation": self.activation_name,
                "use_bias": self.use_bias, "tie_l2": self.tie_l2, "seed": self.seed}


@keras.saving.register_keras_serializable(package="mts")
class CrossStitch(keras.layers.Layer):
    def __init__(self, self_weight=0.9, **kwargs):
        super().__init__(**kwargs)
        self.self_weight = self_weight

    def build(self, input_shape):
        n = input_shape[1]
        other = (1 - self.self_weight) / (n - 1) if n > 1 else 0.0
        start = [[self.self_weight if i == j else other for j in range(n)] for i in range(n)]
        self.alpha = self.add_weight(name="alpha", shape=(n, n), initializer=lambda shape, dtype=None: ops.convert_to_tensor(start, dtype or "float32"))

    def call(self, x):
        b, n = ops.shape(x)[0], x.shape[1]
        cols = ops.reshape(x, (b, n, -1))
        mixed = ops.einsum("ij,bjf->bif", self.alpha, cols)
        return ops.reshape(mixed, ops.shape(x))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "self_weight": self.self_weight}


@keras.saving.register_keras_serializable(package="mts")
class Mmoe(keras.layers.Layer):
    def __init__(self, experts, units, tasks, activation="relu", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.n_experts, self.units, self.tasks, self.seed = experts, units, tasks, seed
        self.activation_name = activation
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        d, e, u, n = input_shape[-1], self.n_experts, self.units, self.tasks
        self.experts = self.add_weight(name="experts", shape=(e, d, u), initializer=stacked_glorot(d, u, self.seed))
        self.expert_bias = self.add_weight(name="expert_bias", shape=(e, u), initializer="zeros")
        self.gates = self.add_weight(name="gates", shape=(n, d, e), initializer=stacked_glorot(d, e, None if self.seed is None else self.seed + 1))
        self.gate_bias = self.add_weight(name="gate_bias", shape=(n, e), initializer="zeros")

    def gate_weights(self, x):
        """Each task's softmax gate over the experts: [batch, tasks, experts]."""
        return ops.softmax(ops.einsum("bd,nde->bne", x, self.gates) + self.gate_bias, axis=-1)

    def call(self, x):
        experts = _experts(x, self.experts, self.expert_bias, self.activation)
        return ops.einsum("bne,beu->bnu", self.gate_weights(x), experts)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.tasks, self.units)

    def get_config(self):
        return {**super().get_config(), "experts": self.n_experts, "units": self.units, "tasks": self.tasks,
                "activation": self.activation_name, "seed": self.seed}


@keras.saving.register_keras_serializable(package="mts")
class Ple(keras.layers.Layer):
    """Task k's experts read its previous output, the shared experts the shared output (below the
    top level a shared gate mixes every expert); at level 1 all read x. As the paper, not LibMTL."""

    def __init__(self, shared_experts, task_experts, units, tasks, levels=1, activation="relu", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.shared_experts, self.task_experts, self.units, self.tasks, self.levels = shared_experts, task_experts, units, tasks, levels
        self.seed = seed
        self.activation_name = activation
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        s, t, u, n = self.shared_experts, self.task_experts, self.units, self.tasks
        seed = self.seed if self.seed is not None else 0
        self.level_weights = []
        for j in range(self.levels):
            w = input_shape[-1] if j == 0 else u
            own = []
            for k in range(n):
                own.append(self.add_weight(name=f"l{j}_task{k}_experts", shape=(t, w, u), initializer=stacked_glorot(w, u, seed)))
                seed += 1
            level = {"own": own}
            level["shared"] = self.add_weight(name=f"l{j}_shared_experts", shape=(s, w, u), initializer=stacked_glorot(w, u, seed))
            seed += 1
            level["shared_bias"] = self.add_weight(name=f"l{j}_shared_bias", shape=(s, u), initializer="zeros")
            level["own_bias"] = [self.add_weight(name=f"l{j}_task{k}_bias", shape=(t, u), initializer="zeros") for k in range(n)]
            level["gates"] = self.add_weight(name=f"l{j}_gates", shape=(n, w, t + s), initializer=stacked_glorot(w, t + s, seed))
            seed += 1
            level["gate_bias"] = self.add_weight(name=f"l{j}_gate_bias", shape=(n, t + s), initializer="zeros")
            if j < self.levels - 1:
                level["shared_gate"] = self.add_weight(name=f"l{j}_shared_gate", shape=(1, w, n * t + s), initializer=stacked_glorot(w, n * t + s, seed))
                seed += 1
                level["shared_gate_bias"] = self.add_weight(name=f"l{j}_shared_gate_bias", shape=(1, n * t + s), initializer="zeros")
            self.level_weights.append(level)

    def _run(self, x):
        n = self.tasks
        tasks, shared, gates = [x] * n, x, []
        for level in self.level_weights:
            own = [_experts(h, level["own"][k], level["own_bias"][k], self.activation) for k, h in enumerate(tasks)]
            common = _experts(shared, level["shared"], level["shared_bias"], self.activation)
            gates = [ops.softmax(ops.matmul(h, level["gates"][k]) + level["gate_bias"][k], axis=-1) for k, h in enumerate(tasks)]
            following = [_mix(gates[k], ops.concatenate([own[k], common], axis=1)) for k in range(n)]
            if "shared_gate" in level:
                g = ops.softmax(ops.matmul(shared, level["shared_gate"][0]) + level["shared_gate_bias"][0], axis=-1)
                shared = _mix(g, ops.concatenate(own + [common], axis=1))
            tasks = following
        return ops.stack(tasks, axis=1), ops.stack(gates, axis=1)

    def gate_weights(self, x):
        return self._run(x)[1]

    def call(self, x):
        return self._run(x)[0]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.tasks, self.units)

    def get_config(self):
        return {**super().get_config(), "shared_experts": self.shared_experts, "task_experts": self.task_experts, "units": self.units,
                "tasks": self.tasks, "levels": self.levels, "activation": self.activation_name, "seed": self.seed}


@keras.saving.register_keras_serializable(package="mts")
class Select(keras.layers.Layer):
    def __init__(self, index, **kwargs):
        super().__init__(**kwargs)
        self.index = index

    def call(self, x):
        return x[:, self.index]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *input_shape[2:])

    def get_config(self):
        return {**super().get_config(), "index": self.index}
`;
