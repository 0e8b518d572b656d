// Static weighting: each task loss times the task's own "weight" (fixed for the run).
import { defineMethod } from './method';

export const staticWeights = defineMethod({
  description: {
    id: 'static', title: 'Static', family: 'loss', engine: 'rule', params: {}, defaults: {}, needs: {},
    summary: 'Each task loss is multiplied by its task\'s "weight" (default 1), fixed for the run.',
    paper: 'Hand-tuned loss weights, the common practice before adaptive methods (Ruder 2017, "An Overview of Multi-Task Learning in Deep Neural Networks").',
  },
  create: (_params, tasks) => ({ weights: (ctx) => ctx.active.map((i) => tasks[i]!.weight) }),
});
