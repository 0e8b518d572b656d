// Defaults made explicit: withDefaults() returns the spec with every optional setting that
// changes training filled in, so a run's experiment.json says exactly what ran. The values
// are the ones the trainer and tfjs-layers use when a setting is absent.
import type {
  ExperimentSpec, InputSpec, LayerSpec, LossName, MetricName, OptimizerSpec, ScheduleSpec, TaskKind, TaskSpec,
} from './spec';
import { DEFAULT_DELTA_M } from './deltaM';
import { DEFAULT_TRAIN_METRICS } from './spec';

export const DEFAULT_LOSS: Record<TaskKind, LossName> = {
  multiclass: 'categoricalCrossentropy', binary: 'binaryCrossentropy', regression: 'meanSquaredError',
};
export const DEFAULT_METRICS: Record<TaskKind, MetricName[]> = {
  multiclass: ['accuracy', 'macroF1'], binary: ['accuracy', 'rocAuc'], regression: ['mae', 'rmse', 'r2'],
};

export function taskWithDefaults(task: TaskSpec): TaskSpec {
  return {
    ...task,
    ...(task.kind === 'binary' ? { classes: 2 } : {}),
    loss: task.loss ?? DEFAULT_LOSS[task.kind],
    weight: task.weight ?? 1,
    metrics: task.metrics ?? [...DEFAULT_METRICS[task.kind]],
  };
}

export function layerWithDefaults(layer: LayerSpec): LayerSpec {
  switch (layer.type) {
    case 'dense':
      return { ...layer, activation: layer.activation ?? 'linear', useBias: layer.useBias ?? true };
    case 'conv2d':
      return { ...layer, strides: layer.strides ?? 1, padding: layer.padding ?? 'valid', activation: layer.activation ?? 'linear', useBias: layer.useBias ?? true };
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const poolSize = layer.poolSize ?? 2;
      return { ...layer, poolSize, strides: layer.strides ?? poolSize, padding: layer.padding ?? 'valid' };
    }
    case 'batchNormalization':
      return { ...layer, momentum: layer.momentum ?? 0.99, epsilon: layer.epsilon ?? 1e-3 };
    case 'lstm':
    case 'gru':
      return { ...layer, returnSequences: layer.returnSequences ?? false, activation: layer.activation ?? 'tanh' };
    case 'concatenate':
      return { ...layer, axis: layer.axis ?? -1 };
    default:
      return { ...layer };
  }
}

function inputWithDefaults(input: InputSpec): InputSpec {
  return { ...input, dtype: input.dtype ?? 'float32' };
}

export function optimizerWithDefaults(o: OptimizerSpec): OptimizerSpec {
  switch (o.type) {
    case 'sgd': return { ...o, momentum: o.momentum ?? 0, nesterov: o.nesterov ?? false };
    case 'adam': return { ...o, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.epsilon ?? 1e-7 };
    case 'rmsprop': return { ...o, decay: o.decay ?? 0.9, momentum: o.momentum ?? 0, epsilon: o.epsilon ?? 1e-7 };
    case 'adagrad': return { ...o, initialAccumulatorValue: o.initialAccumulatorValue ?? 0.1 };
  }
}

export function scheduleWithDefaults(s: ScheduleSpec | undefined): ScheduleSpec {
  const schedule: ScheduleSpec = { warmupEpochs: 0, ...(s ?? { type: 'constant' }) };
  switch (schedule.type) {
    case 'cosine': return { ...schedule, minLearningRate: schedule.minLearningRate ?? 0 };
    case 'sgdr': return { ...schedule, tMult: schedule.tMult ?? 1, minLearningRate: schedule.minLearningRate ?? 0 };
    default: return schedule;
  }
}

/** A new spec with the defaults filled in; the argument is not modified. Layout is kept as it is. */
export function withDefaults(spec: ExperimentSpec): ExperimentSpec {
  const { training } = spec;
  return {
    ...spec,
    data: { ...spec.data, preprocess: spec.data.preprocess ?? [], split: { ...spec.data.split } },
    tasks: spec.tasks.map(taskWithDefaults),
    model: {
      inputs: spec.model.inputs.map(inputWithDefaults),
      layers: spec.model.layers.map(layerWithDefaults),
      outputs: { ...spec.model.outputs },
    },
    training: {
      ...training,
      optimizer: optimizerWithDefaults(training.optimizer),
      schedule: scheduleWithDefaults(training.schedule),
      weighting: training.weighting ?? { method: 'equal' },
    },
    evaluation: {
      ...spec.evaluation, baselines: spec.evaluation?.baselines ?? 'single-task', deltaM: spec.evaluation?.deltaM ?? DEFAULT_DELTA_M,
      trainMetrics: spec.evaluation?.trainMetrics ?? DEFAULT_TRAIN_METRICS,
      // repeats stays absent for one training (its experiment.json reads as before); 1 is its default.
      ...(spec.evaluation?.crossValidation ? { crossValidation: { test: 'fixed' as const, ...spec.evaluation.crossValidation } } : {}),
    },
  };
}
