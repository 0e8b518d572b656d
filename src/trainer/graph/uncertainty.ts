// Uncertainty weighting (Kendall, Gal & Cipolla, CVPR 2018, eqs. 7 and 10; the tape's
// weighting/tensor/uncertainty.ts, the eager step's native/uncertainty.ts) in the fused graph
// step. The total loss is sum_i c_i * exp(-s_i) * L_i + 0.5 * s_i (c_i 0.5 for regression, 1
// otherwise), so each task's loss gradient is scaled by w_i = c_i * exp(-s_i) and the log-variance
// s_i, a variable of the graph updated by the same optimizer as the weights, gets
// d/ds_i = 0.5 - w_i * L_i, with L_i the batch's mean loss of the task. Every task has labelled
// rows in every batch here (partial labels stay on the eager step).
import type { TaskHead } from '../heads';
import type { Attr, GraphBuilder } from './graphDef';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

/** The weight key of task i's log-variance (the graph's variable; loop weighting.variables[i]). */
export const logVarianceKey = (i: number) => `uncertainty/${i}`;

export interface GraphUncertainty {
  /**
   * Task i's loss gradient `grad` times w_i; `loss` its per-example losses of rank `rank`,
   * whose mean makes the log-variance's gradient.
   */
  weigh(i: number, grad: string, loss: string, rank: number): string;
  /** The log-variances' gradients by weight key, once every task is weighed. */
  grads: Map<string, string>;
}

/** `logVariance(i)`: the read of task i's log-variance variable. */
export function graphUncertainty(g: GraphBuilder, heads: TaskHead[], logVariance: (i: number) => string): GraphUncertainty {
  const half = g.constant('uncertainty/half', { dtype: 'float', shape: [], values: [0.5] });
  const grads = new Map<string, string>();
  return {
    weigh(i, grad, loss, rank) {
      const name = `uncertainty/${i}`;
      const c = g.constant(`${name}/scale`, { dtype: 'float', shape: [], values: [heads[i]!.task.kind === 'regression' ? 0.5 : 1] });
      const w = g.op('Mul', [g.op('Exp', [g.op('Neg', [logVariance(i)], { T: F }, `${name}/neg`)], { T: F }, `${name}/exp`), c], { T: F }, `${name}/weight`);
      const axes = g.constant(`${name}/axes`, { dtype: 'int32', shape: [rank], values: Array.from({ length: rank }, (_, k) => k) });
      const mean = g.op('Mean', [loss, axes], { T: F, Tidx: I32, keep_dims: { b: false } }, `${name}/mean_loss`);
      grads.set(logVarianceKey(i), g.op('Sub', [half, g.op('Mul', [w, mean], { T: F }, `${name}/weighted_loss`)], { T: F }, `${name}/grad`));
      return g.op('Mul', [grad, w], { T: F }, `${name}/weighted_grad`);
    },
    grads,
  };
}
