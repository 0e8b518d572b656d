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
  /**
   * The batch's mean loss. With `rowWeights` ([n, 1]; labelMask.ts: 1/labelled rows for a
   * labelled row, 0 otherwise) the mean over the labelled rows only, 0 when there are none.
   */
  lossFn: (yTrue: TF.Tensor, yPred: TF.Tensor, rowWeights?: TF.Tensor) => TF.Scalar;
  /** Probabilities (classification) or values (regression) from the model output. */
  predict: (out: TF.Tensor) => TF.Tensor;
}

/** The layers whose output is logits (the loss applies their softmax or sigmoid): makeForward's `logitLayers`. */
export function logitLayerIds(heads: readonly TaskHead[]): Set<string> {
  return new Set(heads.filter((h) => h.logits).map((h) => h.layerId));
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
    // Each loss with a reduction: the batch mean (default), or none (one value per element).
    type Loss = (y: TF.Tensor, o: TF.Tensor, reduction?: TF.Reduction) => TF.Tensor;
    let elementLoss: Loss;
    if (crossEntropy && encoding === 'onehot') {
      elementLoss = logits
        ? (y, o, r) => tf.losses.softmaxCrossEntropy(y, o, undefined, undefined, r)
        : (y, o, r) => {
          const perRow = tf.neg(tf.sum(tf.mul(y, tf.log(clip(o))), -1));
          return r === tf.Reduction.NONE ? perRow : tf.mean(perRow);
        };
    } else if (crossEntropy) {
      elementLoss = logits
        ? (y, o, r) => tf.losses.sigmoidCrossEntropy(y, o, undefined, undefined, r)
        : (y, o, r) => tf.losses.logLoss(y, clip(o), undefined, undefined, r);
    } else if (loss === 'meanAbsoluteError') {
      elementLoss = (y, o, r) => tf.losses.absoluteDifference(y, o, undefined, r);
    } else if (loss === 'huber') {
      elementLoss = (y, o, r) => tf.losses.huberLoss(y, o, undefined, undefined, r);
    } else {
      elementLoss = (y, o, r) => tf.losses.meanSquaredError(y, o, undefined, r);
    }
    const lossFn: TaskHead['lossFn'] = (y, o, rowWeights) => {
      if (!rowWeights) return elementLoss(y, o) as TF.Scalar;
      // Per row (the mean over a row's elements), then the weighted sum is the labelled rows' mean.
      const elements = elementLoss(y, o, tf.Reduction.NONE);
      const perRow = elements.rank > 1 ? tf.mean(tf.reshape(elements, [elements.shape[0]!, -1]), 1) : elements;
      return tf.sum(tf.mul(perRow, tf.reshape(rowWeights, [-1]))) as TF.Scalar;
    };
    const predict: TaskHead['predict'] = !logits
      ? (o) => o
      : encoding === 'onehot' ? (o) => tf.softmax(o) : (o) => tf.sigmoid(o);
    return { task, loss, metrics: task.metrics ?? DEFAULT_METRICS[task.kind], layerId, units, logits, encoding, lossFn, predict };
  });
}
