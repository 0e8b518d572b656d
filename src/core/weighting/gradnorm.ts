// GradNorm (Chen, Badrinarayanan, Lee & Rabinovich, ICML 2018, Algorithm 1). Loss weights
// w_i (1 at the start, summing to T, the number of tasks) are learned so that each task's
// weighted gradient norm on the shared weights W, G_i = ||w_i grad_W L_i|| = w_i ||g_i||,
// approaches a common norm scaled by the task's relative inverse training rate:
//   target_i = mean_j(G_j) * r_i^alpha,  r_i = Lt_i / mean_j(Lt_j),  Lt_i = L_i(t) / L_i(0),
//   L_grad = sum_i |G_i - target_i|   (targets held constant),
//   dL_grad/dw_i = sign(G_i - target_i) * ||g_i||,
// then w <- w - lr * dL_grad/dw and renormalised to sum to T. Step t uses w(t); the norms of
// step t give w(t+1), as in Algorithm 1.
// Why a gradient-family rule: ||g_i|| = sqrt(G_ii) is on the Gramian the gradient step
// already gives, and the update on the shared part, sum_i w_i g_i, is a combination of the
// task gradients. W is the shared layers' weights (mode 'parameters'; the paper takes the
// last shared layer to save compute) or their output (mode 'representation', as LibMTL's
// rep_grad). Each task's own layers get its gradient times w_i (`weightsOwnLayers`), as in
// the paper's update of all weights by grad sum_i w_i L_i; LibMTL leaves them unweighted.
// L_i(0) is the task's loss at its first step, as in the paper (LibMTL uses the first
// epoch's mean and starts after it). The paper trains w with the network's optimizer; a
// rule has none, so w takes plain gradient steps of rate `learningRate` (ours, default
// 0.025). A step that would take a weight below a small floor stops there: a negative
// weight would turn a task's loss into one to increase.
import { num } from '../docSchema';
import { defineMethod } from './method';

/** The least a weight steps to (also the fused graph's rule: trainer/graph/gradNormRule.ts). */
export const GRADNORM_FLOOR = 1e-3;

export const gradnorm = defineMethod({
  description: {
    id: 'gradnorm', title: 'GradNorm', family: 'gradient', engine: 'rule', needs: { losses: true }, weightsOwnLayers: true,
    summary: 'GradNorm: learns loss weights that bring every task\'s weighted gradient norm on the shared layers to a common norm, scaled by how slowly the task trains.',
    paper: 'Chen, Badrinarayanan, Lee & Rabinovich 2018, "GradNorm: Gradient Normalization for Adaptive Loss Balancing in Deep Multitask Networks", ICML.',
    params: {
      alpha: num('Strength alpha of the restoring force towards a common training rate; 0 asks for equal gradient norms (default 1.5).', { min: 0, max: 100 }),
      learningRate: num('Step size of the loss weights\' gradient descent on L_grad (default 0.025).', { exclusiveMin: 0, max: 10 }),
    },
    defaults: { alpha: 1.5, learningRate: 0.025 },
  },
  create: (params, tasks) => {
    const w = tasks.map(() => 1);
    const initial: (number | undefined)[] = tasks.map(() => undefined);
    return {
      weights(ctx) {
        const { active } = ctx;
        const losses = ctx.losses!;
        const gramian = ctx.gramian!;
        active.forEach((i, k) => { initial[i] ??= losses[k]!; });
        const now = active.map((i) => w[i]!);
        const n = active.length;
        const norms = active.map((_, k) => Math.sqrt(Math.max(0, gramian[k]![k]!)));
        const weighted = norms.map((g, k) => now[k]! * g);
        const meanNorm = weighted.reduce((a, v) => a + v, 0) / n;
        // A first loss of 0 gives no rate: such a task is taken as training at the mean rate.
        const rates = active.map((i, k) => (initial[i]! > 0 ? losses[k]! / initial[i]! : NaN));
        const known = rates.filter(Number.isFinite);
        const meanRate = known.length ? known.reduce((a, v) => a + v, 0) / known.length : 1;
        const next = now.map((wk, k) => {
          const r = Number.isFinite(rates[k]!) && meanRate > 0 ? rates[k]! / meanRate : 1;
          const target = meanNorm * r ** params.alpha;
          return Math.max(GRADNORM_FLOOR, wk - params.learningRate * Math.sign(weighted[k]! - target) * norms[k]!);
        });
        const sum = next.reduce((a, v) => a + v, 0);
        active.forEach((i, k) => { w[i] = (n * next[k]!) / sum; });
        return now;
      },
    };
  },
});
