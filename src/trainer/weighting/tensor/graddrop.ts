// GradDrop on tensors (the formula and the choice of modes: src/core/weighting/graddrop.ts).
// One uniform number per coordinate each step, seeded from the run's weighting stream
// (ctx.random()), so runs repeat.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import type { TensorWeighting } from './types';

/**
 * The GradDrop direction for a Jacobian [tasks, P] and the uniform draws u [P]; also each
 * task's kept share <kept_i, g_i> / ||g_i||^2 (1 when nothing of it was dropped), its
 * coefficient in the direction as far as one number can say.
 */
export function gradDropDirection(tf: Tf, jacobian: TF.Tensor2D, u: TF.Tensor1D, leak: number): { direction: TF.Tensor1D; kept: TF.Tensor1D } {
  return tf.tidy(() => {
    // 0/0 where every task's gradient is 0: P = 0.5 there, and nothing is kept or dropped.
    const purity = tf.mul(tf.add(1, tf.divNoNan(tf.sum(jacobian, 0), tf.sum(tf.abs(jacobian), 0))), 0.5);
    const positive = tf.expandDims(tf.greater(purity, u), 0);
    const negative = tf.expandDims(tf.less(purity, u), 0);
    const mask = tf.cast(tf.logicalOr(tf.logicalAnd(positive, tf.greater(jacobian, 0)), tf.logicalAnd(negative, tf.less(jacobian, 0))), 'float32');
    const kept = tf.mul(tf.add(leak, tf.mul(1 - leak, mask)), jacobian);
    const share = tf.divNoNan(tf.sum(tf.mul(kept, jacobian), 1), tf.sum(tf.square(jacobian), 1));
    // A task whose gradient is 0 keeps all of nothing: report 1, not 0.
    const zero = tf.equal(tf.sum(tf.square(jacobian), 1), 0);
    return { direction: tf.sum(kept, 0) as TF.Tensor1D, kept: tf.where(zero, tf.onesLike(share), share) as TF.Tensor1D };
  });
}

export function graddropWeighting(tf: Tf, params: Record<string, number | string>): TensorWeighting {
  const leak = Number(params.leak ?? 0);
  let last: number[] = [];
  return {
    variables: [],
    aggregate: (jacobian, _active, ctx) => {
      const seed = Math.floor(ctx.random() * 2 ** 31);
      const u = tf.randomUniform([jacobian.shape[1]], 0, 1, 'float32', seed) as TF.Tensor1D;
      const { direction, kept } = gradDropDirection(tf, jacobian, u, leak);
      last = Array.from(kept.dataSync());
      tf.dispose([u, kept]);
      return direction;
    },
    lastWeights: () => last,
    current: () => ({}),
    dispose: () => undefined,
  };
}
