// Equal weighting: every task loss counts once (the baseline every method is measured against).
import { defineMethod } from './method';

export const equal = defineMethod({
  description: {
    id: 'equal', title: 'Equal', family: 'loss', engine: 'rule', params: {}, defaults: {}, needs: {},
    summary: 'Every task loss counts once: the sum of the task losses.',
    paper: 'The uniform baseline of every multi-task study (e.g. Kurin et al. 2022, "In Defense of the Unitary Scalarization", NeurIPS).',
  },
  create: () => ({ weights: (ctx) => ctx.active.map(() => 1) }),
});
