// GradDrop on tensors (the formula and the choice of modes: src/core/weighting/graddrop.ts).
// One uniform number per coordinate each step, seeded from the run's weighting stream
// (ctx.random()), so runs repeat.
// Two implementations of the one formula: on native TensorFlow in raw ops (gradDropNative:
// the draws in TensorFlow's counter-based generator, the mask in about fifteen ops, one read-back),
// elsewhere in tfjs-core ops. On the shared parameters the Jacobian has a column per weight
// (about 10^5 on the reference network): tfjs-core drew each uniform number in JavaScript
// and spent about 45 kernels a step on the mask, the cost that kept GradDrop off its goal.
// Both are checked on the same hand-worked Jacobian (test/unit/trainer/weighting/graddrop.test.ts).
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { nativeOps, type NativeOps } from '../../native/ops';
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

/** Scalars used by gradDropNative, made once per weighting; `ones`: a row of ones per task count. */
export interface NativeConstants { one: TF.Tensor; half: TF.Tensor; zero: TF.Tensor; leak: TF.Tensor; rest: TF.Tensor; ones: Map<number, TF.Tensor> }

export function gradDropConstants(tf: Tf, leak: number): NativeConstants {
  return { one: tf.keep(tf.scalar(1)), half: tf.keep(tf.scalar(0.5)), zero: tf.keep(tf.scalar(0)), leak: tf.keep(tf.scalar(leak)), rest: tf.keep(tf.scalar(1 - leak)), ones: new Map() };
}

export function disposeGradDropConstants(tf: Tf, c: NativeConstants): void {
  tf.dispose([c.one, c.half, c.zero, c.leak, c.rest, ...c.ones.values()]);
}

/**
 * gradDropDirection in raw TensorFlow ops, the same formula written for fewer passes over the
 * [tasks, P] Jacobian: with s = sign(P - U) (+1 keeps the positive parts, -1 the negative
 * ones, 0 where P = U neither), the mask is [s g > 0], and with no leak the kept part of g is
 * s relu(s g) exactly (s is +-1 or 0), so d = s sum_i relu(s g_i) and <kept_i, g_i> =
 * sum relu(s g_i)^2. Sums over the tasks are a row of ones times the Jacobian (one MatMul,
 * cheaper than TensorFlow's reduction over the first axis). The shares come back as numbers
 * in one read-back: <kept_i, g_i> = ||relu(s g_i)||^2 with no leak.
 */
export function gradDropNative(tf: Tf, ops: NativeOps, c: NativeConstants, jacobian: TF.Tensor, u: TF.Tensor, leak: number): { direction: TF.Tensor; shares: number[] } {
  const t = jacobian.shape[0]!;
  let ones = c.ones.get(t);
  if (!ones) c.ones.set(t, ones = tf.keep(tf.ones([1, t])));
  const overTasks = (x: TF.Tensor) => ops.matMul(ones, x);
  // 0/0 where every task's gradient is 0: P = 0.5 there, and nothing is kept or dropped.
  const purity = ops.mul(ops.add(ops.divNoNan(overTasks(jacobian), overTasks(ops.abs(jacobian))), c.one), c.half);
  const s = ops.sign(ops.sub(purity, u));
  const signed = ops.mul(s, jacobian);
  let direction: TF.Tensor;
  let products: TF.Tensor; // [tasks, tasks], <kept_i, g_j> or <s kept_i, s kept_j>: the diagonal is <kept_i, g_i>
  if (leak === 0) {
    const kept = ops.relu(signed); // s times the kept part
    direction = ops.mul(s, overTasks(kept));
    products = ops.matMul(kept, kept, false, true);
  } else {
    const kept = ops.mul(ops.add(ops.mul(ops.greaterAsFloat(signed, c.zero), c.rest), c.leak), jacobian);
    direction = overTasks(kept);
    products = ops.matMul(kept, jacobian, false, true);
  }
  // With the Gramian's diagonal ||g_i||^2, in one read-back; two small MatMuls cost less than
  // squaring and summing the [tasks, P] products.
  const sums = ops.concat([products, ops.matMul(jacobian, jacobian, false, true)], 0).dataSync();
  // A task whose gradient is 0 keeps all of nothing: report 1, not 0.
  const shares = Array.from({ length: t }, (_, i) => {
    const norm = sums[(t + i) * t + i]!;
    return norm === 0 ? 1 : Math.fround(sums[i * t + i]! / norm);
  });
  return { direction: ops.reshape(direction, [jacobian.shape[1]!]), shares };
}

export function graddropWeighting(tf: Tf, params: Record<string, number | string>): TensorWeighting {
  const leak = Number(params.leak ?? 0);
  const native = tf.getBackend() === 'tensorflow' ? nativeOps(tf) : undefined;
  const constants = native ? gradDropConstants(tf, leak) : undefined;
  let last: number[] = [];
  return {
    variables: [],
    aggregate: (jacobian, _active, ctx) => {
      const seed = Math.floor(ctx.random() * 2 ** 31);
      const p = jacobian.shape[1];
      if (native) {
        return tf.tidy(() => {
          const out = gradDropNative(tf, native, constants!, jacobian, native.statelessUniform(p, [seed, 0]), leak);
          last = out.shares;
          return out.direction as TF.Tensor1D;
        });
      }
      const u = tf.randomUniform([p], 0, 1, 'float32', seed) as TF.Tensor1D;
      const { direction, kept } = gradDropDirection(tf, jacobian, u, leak);
      last = Array.from(kept.dataSync());
      tf.dispose([u, kept]);
      return direction;
    },
    lastWeights: () => last,
    current: () => ({}),
    dispose: () => {
      native?.dispose();
      if (constants) disposeGradDropConstants(tf, constants);
    },
  };
}
