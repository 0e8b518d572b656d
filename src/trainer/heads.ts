// How each task's output becomes a loss and a prediction. Classification heads that end
// in softmax or sigmoid are trained on logits with the fused, numerically stable losses
// (the same thing Keras does with from_logits); predictions apply the activation again.
import type * as TF from '@tensorflow/tfjs';
import { DEFAULT_LOSS, DEFAULT_METRICS } from '../core/defaults';
import type { ExperimentSpec, LossName, MetricName, TaskSpec } from '../core/spec';
import type { Tf } from './backend';

export type LabelEncoding = 'onehot' | 'binary' | 'value';

export interface TaskHead {
  task: TaskSpec;
  loss: LossName;
  metrics: MetricName[];
  /** Id of the layer producing this task's output. */
  layerId: string;
  units: number;
  /** The output is logits: the head's softmax/sigmoid is applied by the loss, not the forward pass. */
  logits: boolean;
  encoding: LabelEncoding;
  lossFn: (yTrue: TF.Tensor, yPred: TF.Tensor) => TF.Scalar;
  /** Probabilities (classification) or values (regression) from the model output. */
  predict: (out: TF.Tensor) => TF.Tensor;
}


function outputUnits(spec: ExperimentSpec, layerId: string): { units: number; activation: string; dense: boolean } {
  const l = spec.model.layers.find((x) => x.id === layerId);
  if (l?.type === 'dense') return { units: l.units, activation: l.activation ?? 'linear', dense: true };
  return { units: 1, activation: 'linear', dense: false };
}

export function makeHeads(tf: Tf, spec: ExperimentSpec): TaskHead[] {
  return spec.tasks.map((task) => {
    const layerId = spec.model.outputs[task.id]!;
    const loss = task.loss ?? DEFAULT_LOSS[task.kind];
    const { units, activation, dense } = outputUnits(spec, layerId);
    const crossEntropy = loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy' || loss === 'binaryCrossentropy';
    const logits = crossEntropy && dense && ['softmax', 'sigmoid', 'linear'].includes(activation);
    const encoding: LabelEncoding = task.kind === 'regression' ? 'value' : units > 1 ? 'onehot' : 'binary';
    const clip = (p: TF.Tensor) => tf.clipByValue(p, 1e-7, 1 - 1e-7);
    let lossFn: TaskHead['lossFn'];
    if (crossEntropy && encoding === 'onehot') {
      lossFn = logits
        ? (y, o) => tf.losses.softmaxCrossEntropy(y, o) as TF.Scalar
        : (y, o) => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(clip(o))), -1))) as TF.Scalar;
    } else if (crossEntropy) {
      lossFn = logits
        ? (y, o) => tf.losses.sigmoidCrossEntropy(y, o) as TF.Scalar
        : (y, o) => tf.losses.logLoss(y, clip(o)) as TF.Scalar;
    } else if (loss === 'meanAbsoluteError') {
      lossFn = (y, o) => tf.losses.absoluteDifference(y, o) as TF.Scalar;
    } else if (loss === 'huber') {
      lossFn = (y, o) => tf.losses.huberLoss(y, o) as TF.Scalar;
    } else {
      lossFn = (y, o) => tf.losses.meanSquaredError(y, o) as TF.Scalar;
    }
    const predict: TaskHead['predict'] = !logits
      ? (o) => o
      : encoding === 'onehot' ? (o) => tf.softmax(o) : (o) => tf.sigmoid(o);
    return { task, loss, metrics: task.metrics ?? DEFAULT_METRICS[task.kind], layerId, units, logits, encoding, lossFn, predict };
  });
}
