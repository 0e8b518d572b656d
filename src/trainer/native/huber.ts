// The Huber loss of a regression head in the compiled native step, as tfjs-core's
// tf.losses.huberLoss computes it (delta 1): q = min(|d|, 1), loss = 0.5*q^2 + (|d| - q)
// per element, d = prediction - label; its gradient is d clipped to [-1, 1] (no factor 2,
// unlike the squared error).
import type * as TF from '@tensorflow/tfjs';
import type { NativeOps } from './ops';

export function huberLossAndGrad(ops: NativeOps, d: TF.Tensor, half: TF.Tensor, one: TF.Tensor, minusOne: TF.Tensor): { loss: TF.Tensor; grad: TF.Tensor } {
  const abs = ops.abs(d);
  const q = ops.minimum(abs, one);
  return { loss: ops.add(ops.mul(ops.square(q), half), ops.sub(abs, q)), grad: ops.minimum(ops.maximum(d, minusOne), one) };
}
