// GradDrop (Chen, Ngiam, Huang, Luong, Kretzschmar, Chai & Anguelov 2020, "Just Pick a Sign:
// Optimizing Deep Multitask Models with Gradient Sign Dropout", NeurIPS, Algorithm 1). Per
// coordinate, the positive sign purity P = 0.5 (1 + sum_i g_i / sum_i |g_i|); one uniform U per
// coordinate keeps the positive parts of the task gradients where P > U and the negative
// parts where P < U; a task's dropped part still passes with its leak l:
//   d = sum_i (l + (1 - l) M_i) g_i,  M_i = [P > U][g_i > 0] + [P < U][g_i < 0].
// A mask per coordinate is not a combination of whole task gradients, so this method needs
// the gradient vectors: engine 'tensor', src/trainer/weighting/tensor/graddrop.ts.
// Modes: the paper puts GradDrop on a layer of activations A and uses sign(A) * dA L_i,
// summed over the batch; LibMTL therefore allows it only on representation gradients. Here
// it runs in both modes on the coordinates the step hands over (as TorchJD's GradDrop, an
// aggregator of any Jacobian): on the shared parameters one mask per weight (the default
// mode, where the step is exact for every method); on the representation one mask per
// example and unit, without the paper's sum over the batch (the rule sees the Jacobian as
// flat rows). Per coordinate, the paper's factor sign(A) changes nothing: flipping every
// task's sign at a coordinate turns P into 1 - P and keeps the other sign, which with a
// uniform U is the same chance of keeping the same parts; sign(A) matters only through the
// sum over the batch, which this variant does not take.
import { num } from '../docSchema';
import { defineMethod } from './method';

export const graddrop = defineMethod({
  description: {
    id: 'graddrop', title: 'GradDrop', family: 'gradient', engine: 'tensor', needs: {},
    summary: 'Per coordinate, keeps only the positive or only the negative parts of the task gradients, chosen at random by how consistent their signs are.',
    paper: 'Chen, Ngiam, Huang, Luong, Kretzschmar, Chai & Anguelov 2020, "Just Pick a Sign: Optimizing Deep Multitask Models with Gradient Sign Dropout", NeurIPS.',
    params: {
      leak: num('Share of a dropped gradient part that still passes (the paper\'s leak l, the same for every task). Default 0.', { min: 0, max: 1 }),
    },
    defaults: { leak: 0 },
  },
});
