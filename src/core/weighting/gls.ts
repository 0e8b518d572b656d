// Geometric Loss Strategy (Chennupati, Sistu, Yogamani & Rawashdeh, CVPR Workshops 2019,
// "MultiNet++"): the loss is the geometric mean of the T task losses,
//   L = (prod_i L_i)^(1/T).
// Its gradient is sum_i (1/T) (prod_j L_j)^(1/T) / L_i * grad L_i, so as loss weights on the
// current batch losses, w_i = (prod_j L_j)^(1/T) / (T L_i) gives exactly the same update
// (test/unit/trainer/lossMethodsTraining.test.ts checks it against the tensor gradient). T is the
// number of tasks in the step. LibMTL reports L_i / (T prod_j L_j) as the weights while
// training on the geometric mean; that report is not the weight its gradient applies.
import { defineMethod } from './method';

/** Losses are floored here: a loss of exactly 0 would make its weight infinite. */
const FLOOR = 1e-12;

export const gls = defineMethod({
  description: {
    id: 'gls', title: 'GLS', family: 'loss', engine: 'rule', params: {}, defaults: {}, needs: { losses: true },
    summary: 'Geometric Loss Strategy: minimises the geometric mean of the task losses (weights (prod L)^(1/T) / (T L_i) on the current losses).',
    paper: 'Chennupati, Sistu, Yogamani & Rawashdeh 2019, "MultiNet++: Multi-Stream Feature Aggregation and Geometric Loss Strategy for Multi-Task Learning", CVPR Workshops.',
  },
  create: () => ({
    weights(ctx) {
      const losses = ctx.losses!.map((l) => Math.max(l, FLOOR));
      const t = losses.length;
      // The geometric mean through logs: a product of many small losses would underflow.
      const geometricMean = Math.exp(losses.reduce((a, l) => a + Math.log(l), 0) / t);
      return losses.map((l) => geometricMean / (t * l));
    },
  }),
});
