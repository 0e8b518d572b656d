// optimizers.py of the Keras export: the experiment's optimizer and learning-rate schedule, as
// the product steps them. The schedule is src/core/schedule.ts's formula as a Keras
// LearningRateSchedule of the optimizer's step (the product sets the rate of batch b of epoch e
// from the fractional epoch e - 1 + b / steps per epoch, src/trainer/loop.ts). SGD with momentum
// is the product's rule (src/trainer/optimizer.ts: v = mu v + g; w -= lr v), not Keras' (which
// keeps old gradients at their old rates): the two agree only while the rate is constant.
export const OPTIMIZERS_PY = String.raw`"""The optimizer and learning-rate schedule of the experiment, stepped as Multi-Task Studio steps them.

  ExperimentSchedule  the rate at optimizer step s is the schedule at fractional epoch t = s / steps_per_epoch:
                      warm-up  lr * max(t, 1e-3 w) / w  for t < w = warmupEpochs, then with u = t - w:
                      constant lr;  step lr * gamma^floor(u / stepEpochs);  exponential lr * gamma^u;
                      cosine  min + (lr - min) (1 + cos(pi clip(u / (epochs - w), 0, 1))) / 2;
                      sgdr    the cosine over periods t0, t0 tMult, t0 tMult^2, ... (Loshchilov & Hutter 2017)
  MomentumSGD         v = momentum v + g;  w -= lr v  (Nesterov: w -= lr (g + momentum v)), the rate outside
                      the velocity, so a schedule changes the whole step at once
"""
import math

import keras
from keras import ops

# A step at exactly a restart belongs to the new SGDR period (as in the product's sgdrPosition).
RESTART_EPSILON = 1e-12


class ExperimentSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """training.schedule as a function of the optimizer's step (computed in float64)."""

    def __init__(self, schedule, learning_rate, epochs, steps_per_epoch):
        self.schedule = dict(schedule or {"type": "constant"})
        self.learning_rate = float(learning_rate)
        self.epochs = float(epochs)
        self.steps_per_epoch = float(steps_per_epoch)

    def __call__(self, step):
        t = ops.divide(ops.cast(step, "float64"), self.steps_per_epoch)
        return ops.cast(self.rate_at(t), "float32")

    def rate_at(self, t):
        """The rate at fractional epoch t (a float64 tensor)."""
        s, lr = self.schedule, self.learning_rate
        warmup = float(s.get("warmupEpochs", 0) or 0)
        u = ops.subtract(t, warmup)
        kind = s["type"]
        if kind == "constant":
            after = ops.full_like(t, lr)
        elif kind == "step":
            after = lr * ops.power(float(s["gamma"]), ops.floor(ops.divide(u, float(s["stepEpochs"]))))
        elif kind == "exponential":
            after = lr * ops.power(float(s["gamma"]), u)
        elif kind == "cosine":
            after = _cosine(lr, float(s.get("minLearningRate", 0.0)), ops.divide(u, max(self.epochs - warmup, 1e-9)))
        elif kind == "sgdr":
            start, period = _sgdr_period(u, float(s["t0"]), float(s.get("tMult", 1.0)))
            after = _cosine(lr, float(s.get("minLearningRate", 0.0)), ops.divide(ops.subtract(u, start), period))
        else:
            raise ValueError(f"training.schedule.type '{kind}' is not exported to Keras")
        if warmup <= 0:
            return after
        ramp = lr * ops.maximum(t, 1e-3 * warmup) / warmup
        return ops.where(ops.less(t, warmup), ramp, after)

    def get_config(self):
        return {"schedule": self.schedule, "learning_rate": self.learning_rate, "epochs": self.epochs, "steps_per_epoch": self.steps_per_epoch}


def _cosine(high, low, fraction):
    return low + (high - low) * (1.0 + ops.cos(math.pi * ops.clip(fraction, 0.0, 1.0))) / 2.0


def _sgdr_period(u, t0, t_mult):
    """(start, length) of the SGDR period holding epoch u: periods t0, t0 t_mult, t0 t_mult^2, ..."""
    if t_mult == 1.0:
        cycle = ops.floor(ops.divide(ops.add(u, RESTART_EPSILON), t0))
    else:
        cycle = ops.floor(ops.log(1.0 + ops.add(u, RESTART_EPSILON) * (t_mult - 1.0) / t0) / math.log(t_mult))
    cycle = ops.maximum(cycle, 0.0)

    def bounds(c):
        if t_mult == 1.0:
            return c * t0, ops.full_like(c, t0)
        return t0 * (ops.power(t_mult, c) - 1.0) / (t_mult - 1.0), t0 * ops.power(t_mult, c)

    # The closed form's rounding can land one period off right at a restart: step back or on.
    start, period = bounds(cycle)
    cycle = ops.where(ops.greater_equal(u, start + period - RESTART_EPSILON), cycle + 1.0, cycle)
    start, period = bounds(cycle)
    cycle = ops.where(ops.logical_and(ops.less(u, start - RESTART_EPSILON), ops.greater(cycle, 0.0)), cycle - 1.0, cycle)
    return bounds(cycle)


class MomentumSGD(keras.optimizers.Optimizer):
    """SGD with momentum as the product steps it: the rate multiplies the velocity, not each gradient."""

    def __init__(self, learning_rate, momentum, nesterov=False, name="momentum_sgd", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.velocities = self.add_optimizer_variables(variables, "velocity")

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = ops.cast(gradient, variable.dtype)
        mu = ops.cast(self.momentum, variable.dtype)
        v = self.velocities[self._get_variable_index(variable)]
        self.assign(v, ops.add(ops.multiply(v, mu), g))
        step = ops.add(g, ops.multiply(v, mu)) if self.nesterov else v
        self.assign_sub(variable, ops.multiply(step, lr))

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config


def optimizer_of(spec, steps_per_epoch, epochs=None):
    """training.optimizer with training.schedule over the epochs trained (default training.epochs)."""
    training = spec["training"]
    o = training["optimizer"]
    lr = ExperimentSchedule(training.get("schedule"), o["learningRate"], epochs or training["epochs"], steps_per_epoch)
    if o["type"] == "sgd":
        if float(o.get("momentum", 0.0)) > 0:
            return MomentumSGD(lr, momentum=o["momentum"], nesterov=o.get("nesterov", False))
        return keras.optimizers.SGD(lr)
    if o["type"] == "adam":
        return keras.optimizers.Adam(lr, beta_1=o.get("beta1", 0.9), beta_2=o.get("beta2", 0.999), epsilon=o.get("epsilon", 1e-7))
    if o["type"] == "rmsprop":
        return keras.optimizers.RMSprop(lr, rho=float(o.get("decay", 0.9)), momentum=float(o.get("momentum", 0.0)), epsilon=o.get("epsilon", 1e-7))
    return keras.optimizers.Adagrad(lr, initial_accumulator_value=o.get("initialAccumulatorValue", 0.1))
`;
