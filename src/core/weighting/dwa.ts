// Dynamic Weight Average (Liu, Johns & Davison, CVPR 2019, section 3.3, eq. 1):
//   w_k(t) = K exp(r_k(t-1) / T) / sum_i exp(r_i(t-1) / T),   r_k(t-1) = L_k(t-1) / L_k(t-2),
// where L_k is task k's mean training loss over an epoch and K the number of tasks (here:
// the tasks in the step), so the weights sum to K. A task whose loss falls more slowly gets
// more weight. The first two epochs have no such ratio: every weight is 1 (the paper's
// w_k(1) = w_k(2) = 1; LibMTL does the same).
import { num } from '../docSchema';
import { defineMethod } from './method';

export const dwa = defineMethod({
  description: {
    id: 'dwa', title: 'DWA', family: 'loss', engine: 'rule', needs: {},
    summary: 'Dynamic Weight Average: weights from each task\'s rate of loss decrease over the last two epochs (softmax with temperature, summing to the number of tasks).',
    paper: 'Liu, Johns & Davison 2019, "End-to-End Multi-Task Learning with Attention", CVPR.',
    params: {
      temperature: num('Softmax temperature T: larger gives weights closer to 1 (default 2, as in the paper).', { exclusiveMin: 0, max: 1000 }),
    },
    defaults: { temperature: 2 },
  },
  create: (params) => ({
    weights(ctx) {
      const history = ctx.epochLosses;
      if (history.length < 2) return ctx.active.map(() => 1);
      const last = history[history.length - 1]!;
      const before = history[history.length - 2]!;
      // A task with no labelled row in one of those epochs has no mean loss (NaN): it is
      // given the neutral ratio 1 rather than poisoning every weight.
      const ratios = ctx.active.map((k) => {
        const r = last[k]! / before[k]!;
        return Number.isFinite(r) ? r : 1;
      });
      // Shifted by the largest ratio so exp cannot overflow; the softmax is unchanged.
      const top = Math.max(...ratios);
      const e = ratios.map((r) => Math.exp((r - top) / params.temperature));
      const sum = e.reduce((a, v) => a + v, 0);
      return e.map((v) => (ctx.active.length * v) / sum);
    },
  }),
});
