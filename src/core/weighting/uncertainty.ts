// Uncertainty weighting: a learned log-variance per task, trained with the model inside the
// gradient tape (src/trainer/weighting/tensor/uncertainty.ts).
import { defineMethod } from './method';

export const uncertainty = defineMethod({
  description: {
    id: 'uncertainty', title: 'Uncertainty', family: 'loss', engine: 'tensor', params: {}, defaults: {}, needs: {},
    summary: 'Learns a log-variance s per task: exp(-s) times the loss (half for regression) plus s/2.',
    paper: 'Kendall, Gal & Cipolla 2018, "Multi-Task Learning Using Uncertainty to Weigh Losses for Scene Geometry and Semantics", CVPR.',
  },
});
