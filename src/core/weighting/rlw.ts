// Random Loss Weighting (Lin, Ye, Zhang & Tsang, TMLR 2022):
// at every step the loss weights are lambda = softmax(z) with z drawn from a standard
// normal distribution, one z per task, so the weights sum to 1. The paper's weights sum
// to 1 and LibMTL (LibMTL/weighting/RLW.py) does the same: no scaling by the number of tasks.
import { defineMethod } from './method';

/** One standard normal sample from two uniforms (Box-Muller, the cosine branch). */
function standardNormal(uniform: () => number): number {
  let u = uniform();
  while (u === 0) u = uniform(); // log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

export const rlw = defineMethod({
  description: {
    id: 'rlw', title: 'RLW', family: 'loss', engine: 'rule', params: {}, defaults: {}, needs: {},
    summary: 'Random Loss Weighting: at each step, weights are the softmax of standard normal samples (they sum to 1).',
    paper: 'Lin, Ye, Zhang & Tsang 2022, "Reasonable Effectiveness of Random Weighting: A Litmus Test for Multi-Task Learning", TMLR.',
  },
  create: () => ({
    weights(ctx) {
      const z = ctx.active.map(() => standardNormal(() => ctx.random()));
      const top = Math.max(...z); // shifted: the softmax is unchanged and exp cannot overflow
      const e = z.map((v) => Math.exp(v - top));
      const sum = e.reduce((a, v) => a + v, 0);
      return e.map((v) => v / sum);
    },
  }),
});
