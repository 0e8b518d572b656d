// Uncertainty weighting (Kendall, Gal & Cipolla, CVPR 2018; weighting/tensor/uncertainty.ts)
// in the compiled native step. The total loss is sum_i c_i * exp(-s_i) * L_i + 0.5 * s_i over
// the tasks with labelled rows (c_i 0.5 for regression, 1 otherwise): each task's loss
// gradient is scaled by its weight c_i * exp(-s_i), read on the device (no read-back), and
// the optimizer gets d/ds_i = 0.5 - c_i * exp(-s_i) * L_i for each learned log-variance.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { TaskHead } from '../heads';
import type { NativeOps } from './ops';

export interface NativeUncertainty {
  /**
   * Each active task's loss gradient `seed[i]` times its weight; `means[i]` is its loss L_i.
   * The log-variances' gradients go to `add` (the optimizer).
   */
  weigh(seed: TF.Tensor[], means: () => TF.Tensor[], active: (i: number) => boolean,
    add: (key: string, variable: TF.Variable, grad: TF.Tensor) => void): TF.Tensor[];
  dispose(): void;
}

export function nativeUncertainty(tf: Tf, ops: NativeOps, heads: TaskHead[], logVars: readonly TF.Variable[]): NativeUncertainty {
  const scale = heads.map((h) => tf.keep(tf.scalar(h.task.kind === 'regression' ? 0.5 : 1)));
  const half = tf.keep(tf.scalar(0.5));
  return {
    weigh(seed, means, active, add) {
      const m = means();
      return seed.map((g, i) => {
        if (!active(i)) return g;
        const w = ops.mul(ops.exp(ops.neg(logVars[i]!)), scale[i]!);
        add(`uncertainty/${i}`, logVars[i]!, ops.sub(half, ops.mul(w, m[i]!)));
        return ops.mul(g, w);
      });
    },
    dispose: () => tf.dispose([...scale, half]),
  };
}
