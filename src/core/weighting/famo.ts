// FAMO, Fast Adaptive Multitask Optimization (Liu, Feng, Stone & Liu, NeurIPS 2023).
// Task logits xi (0 at the start) give z = softmax(xi). The update follows the gradient of
// sum_i (z_i / c) log L_i with c = sum_j z_j / L_j, i.e. loss weights w_i = z_i / (c L_i)
// on the current batch losses (so the weights sum to 1). After the update the same batch's
// losses L_i' are measured and the logits learn from each task's log-loss decrease
//   delta_i = log L_i - log L_i',   gradient on xi:  J_softmax(xi)^T delta + gamma xi,
// a task that improved less gains weight. The authors' code (famo.py), with which the
// paper's results were obtained, and LibMTL apply that gradient (decay included, as an L2
// term) through Adam (beta1 0.9, beta2 0.999, eps 1e-8) with learning rate beta, and so do
// we: with a plain step of 0.025 the logits would barely move (delta is a per-step change).
// Losses are offset by 1e-8 before the log, as in the code (its minimum losses are 0).
// Defaults: beta = 0.025 and gamma = 0.001 (the authors' scripts for NYUv2, CelebA and QM9;
// LibMTL's defaults).
import { num } from '../docSchema';
import { defineMethod } from './method';

const EPS = 1e-8;
const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export const famo = defineMethod({
  description: {
    id: 'famo', title: 'FAMO', family: 'loss', engine: 'rule', needs: { losses: true, lossesAfter: true },
    summary: 'Fast Adaptive Multitask Optimization: learned task logits weight the log losses so that every task\'s loss falls at a similar rate (one extra forward pass per step).',
    paper: 'Liu, Feng, Stone & Liu 2023, "FAMO: Fast Adaptive Multitask Optimization", NeurIPS.',
    params: {
      learningRate: num('Learning rate beta of the task logits (Adam; default 0.025).', { exclusiveMin: 0, max: 10 }),
      decay: num('Decay gamma of the task logits, pulling them back to equal weights (default 0.001).', { min: 0, max: 10 }),
    },
    defaults: { learningRate: 0.025, decay: 0.001 },
  },
  create: (params, tasks) => {
    const xi = tasks.map(() => 0);
    // Adam's moments and step count per logit: a task left out of a step (no labelled rows)
    // keeps its logit and state until it is back.
    const m = tasks.map(() => 0);
    const v = tasks.map(() => 0);
    const steps = tasks.map(() => 0);
    let before: { active: readonly number[]; z: number[]; losses: number[] } | undefined;
    const softmax = (active: readonly number[]) => {
      const top = Math.max(...active.map((i) => xi[i]!));
      const e = active.map((i) => Math.exp(xi[i]! - top));
      const sum = e.reduce((a, x) => a + x, 0);
      return e.map((x) => x / sum);
    };
    return {
      weights(ctx) {
        const losses = ctx.losses!.map((l) => l + EPS);
        const z = softmax(ctx.active);
        before = { active: [...ctx.active], z, losses };
        const c = z.reduce((a, zi, k) => a + zi / losses[k]!, 0);
        return z.map((zi, k) => zi / (c * losses[k]!));
      },
      afterStep(_ctx, lossesAfter) {
        if (!before) return;
        const { active, z, losses } = before;
        before = undefined;
        const delta = losses.map((l, k) => Math.log(l) - Math.log(lossesAfter[k]! + EPS));
        // Softmax Jacobian: dz_k/dxi_j = z_k (1[k=j] - z_j), so (J^T delta)_j = z_j (delta_j - z . delta).
        const mean = z.reduce((a, zk, k) => a + zk * delta[k]!, 0);
        active.forEach((i, j) => {
          const g = z[j]! * (delta[j]! - mean) + params.decay * xi[i]!;
          steps[i]!++;
          m[i] = ADAM.beta1 * m[i]! + (1 - ADAM.beta1) * g;
          v[i] = ADAM.beta2 * v[i]! + (1 - ADAM.beta2) * g * g;
          const mHat = m[i]! / (1 - ADAM.beta1 ** steps[i]!);
          const vHat = v[i]! / (1 - ADAM.beta2 ** steps[i]!);
          xi[i] = xi[i]! - (params.learningRate * mHat) / (Math.sqrt(vHat) + ADAM.eps);
        });
      },
    };
  },
});
