// Optimizers from the spec. The learning rate is changed between steps by the schedule.
import type * as TF from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../core/spec';
import type { Tf } from './backend';

export interface ScheduledOptimizer {
  optimizer: TF.Optimizer;
  setLearningRate(lr: number): void;
}

export function makeOptimizer(tf: Tf, spec: OptimizerSpec): ScheduledOptimizer {
  let optimizer: TF.Optimizer;
  switch (spec.type) {
    case 'sgd':
      // One momentum rule everywhere (the compiled step in native/denseStep.ts too): PyTorch's
      // v = mu*v + g; w -= lr*v, which is also what tfjs's MomentumOptimizer does, so the tape
      // path needs no optimizer of its own. Under a schedule the new rate then scales the whole
      // step at once; Keras 3's v = mu*v - lr*g; w += v lets old gradients keep their old rates.
      // The two agree only while the rate is constant.
      optimizer = spec.momentum
        ? tf.train.momentum(spec.learningRate, spec.momentum, spec.nesterov ?? false)
        : tf.train.sgd(spec.learningRate);
      break;
    case 'adam':
      optimizer = tf.train.adam(spec.learningRate, spec.beta1 ?? 0.9, spec.beta2 ?? 0.999, spec.epsilon ?? 1e-7);
      break;
    case 'rmsprop':
      optimizer = tf.train.rmsprop(spec.learningRate, spec.decay ?? 0.9, spec.momentum ?? 0, spec.epsilon ?? 1e-7);
      break;
    case 'adagrad':
      optimizer = tf.train.adagrad(spec.learningRate, spec.initialAccumulatorValue ?? 0.1);
      break;
  }
  let current = spec.learningRate;
  return {
    optimizer,
    setLearningRate(lr) {
      if (lr === current) return;
      current = lr;
      // SGD (and momentum, its subclass) caches -lr as a tensor; the others read the field per step.
      const o = optimizer as unknown as { setLearningRate?: (v: number) => void; learningRate: number };
      if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
      else o.learningRate = lr;
    },
  };
}
