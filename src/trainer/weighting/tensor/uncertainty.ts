// Uncertainty weighting (Kendall, Gal & Cipolla, CVPR 2018). Each task learns
// s = log(sigma^2); regression: 0.5 * exp(-s) * L + 0.5 * s, classification:
// exp(-s) * L + 0.5 * s (their equations 7 and 10 with the log-variance parametrisation).
import type * as TF from '@tensorflow/tfjs';
import type { TaskInfo } from '../../../core/weighting/method';
import type { Tf } from '../../backend';
import type { TensorWeighting } from './types';

export function uncertaintyWeighting(tf: Tf, tasks: readonly TaskInfo[]): TensorWeighting {
  const logVars = tasks.map(() => tf.variable(tf.scalar(0), true, undefined, 'float32'));
  const scale = tasks.map((t) => (t.kind === 'regression' ? 0.5 : 1));
  return {
    variables: logVars,
    // A task without labelled rows in the batch is not in `active`: its 0.5 * s term alone
    // would push s down (its weight up) on batches that say nothing about the task.
    combine: (losses, active) => {
      const terms = active.map((i) =>
        tf.add(tf.mul(tf.mul(tf.exp(tf.neg(logVars[i]!)), scale[i]!), losses[i]!), tf.mul(logVars[i]!, 0.5)));
      return (terms.length ? tf.addN(terms) : tf.scalar(0)) as TF.Scalar;
    },
    current: () => Object.fromEntries(tasks.map((t, i) => [t.id, scale[i]! * Math.exp(-(logVars[i]!.dataSync()[0] ?? 0))])),
    dispose: () => logVars.forEach((v) => v.dispose()),
  };
}
