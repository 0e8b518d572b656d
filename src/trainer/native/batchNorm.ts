// Batch normalisation in the compiled step, in training mode as tfjs-layers trains it
// (layers/normalization.js): normalised by the batch's mean and biased variance over every
// axis but the last, then each moving statistic m moves as m - (m - batch value) * (1 -
// momentum), the biased variance included. TensorFlow's FusedBatchNormV3 computes the
// forward pass and the batch statistics in one op and FusedBatchNormGradV3 the gradients at
// x, gamma and beta in one; both want [n, h, w, c], so any other rank is viewed as
// [n, (middle axes), 1, c] (a reshape, no copy).
import type * as TF from '@tensorflow/tfjs';
import type { BatchNormLayer } from '../../core/spec';
import type { Tf } from '../backend';
import type { NativeLayer } from './layer';
import type { NativeOps } from './ops';
import type { SpatialOps } from './spatialOps';

interface BatchNormVars {
  gamma: { read(): TF.Variable }; beta: { read(): TF.Variable };
  movingMean: { read(): TF.Variable }; movingVariance: { read(): TF.Variable };
}

export function nativeBatchNorm(tf: Tf, ops: NativeOps, sp: SpatialOps, l: BatchNormLayer, layer: TF.layers.Layer): NativeLayer {
  const v = layer as unknown as BatchNormVars;
  const epsilon = l.epsilon ?? 1e-3;
  // One minus the momentum, a float32 scalar as tfjs-layers' mul by a number makes it.
  let decay: TF.Tensor | undefined;
  const as4d = (x: TF.Tensor) => (x.rank === 4 ? x : ops.reshape(x, [x.shape[0]!, x.shape.slice(1, -1).reduce((a, b) => a * b, 1), 1, x.shape[x.rank - 1]!]));
  /** The forward's statistics for its backward pass (the step's tidy owns them). */
  let reserve: readonly TF.Tensor[] = [];
  const moveTowards = (variable: TF.Variable, value: TF.Tensor) => {
    decay ??= tf.keep(tf.scalar(1 - (l.momentum ?? 0.99)));
    variable.assign(ops.sub(variable, ops.mul(ops.sub(variable, value), decay)));
  };
  return {
    forward(x) {
      const out = sp.batchNorm(as4d(x), v.gamma.read(), v.beta.read(), epsilon);
      reserve = out.reserve;
      moveTowards(v.movingMean.read(), out.mean);
      moveTowards(v.movingVariance.read(), out.variance);
      return x.rank === 4 ? out.y : ops.reshape(out.y, x.shape);
    },
    backward(gy, x, _y, wantInput) {
      const gamma = v.gamma.read();
      const g = sp.batchNormGrad(as4d(gy), as4d(x), gamma, reserve, epsilon);
      return {
        ...(wantInput ? { input: x.rank === 4 ? g.dx : ops.reshape(g.dx, x.shape) } : {}),
        params: [['gamma', gamma, g.dGamma], ['beta', v.beta.read(), g.dBeta]],
      };
    },
    params: () => [['gamma', v.gamma.read()], ['beta', v.beta.read()]],
    dispose: () => { decay?.dispose(); decay = undefined; },
  };
}
