// GradVac (Wang, Tsvetkov, Firat & Cao 2021, "Gradient Vaccine: Investigating and Improving
// Multi-task Optimization in Massively Multilingual Models", ICLR, Algorithm 1). PCGrad only
// acts when two gradients conflict (cosine < 0); GradVac keeps, for every ordered pair of
// tasks (i, j), a target cosine phiHat_ij, an exponential moving average of the cosines seen
// (phiHat <- (1 - beta) phiHat + beta phi, starting at 0), and whenever the cosine phi of
// g_i^PC with g_j falls below the target it adds the multiple of g_j that raises it exactly
// to the target (their eq. 3):
//   g_i^PC <- g_i^PC + ||g_i^PC|| (phiHat sqrt(1 - phi^2) - phi sqrt(1 - phiHat^2))
//                       / (||g_j|| sqrt(1 - phiHat^2)) g_j.
// With phiHat = 0 this is PCGrad's projection. Tasks j in a random order per task per step
// (ctx.random()), the update sum_i g_i^PC; every step adds a multiple of an original
// gradient, so the rule works on the Gramian (gramian.ts).
// Granularity: the paper keeps targets per layer (parameter block) of the shared model;
// here the targets are for the whole shared vector (LibMTL's default group type 0, "whole
// model"): the gradient step hands the rule one Gramian of the whole shared part.
// beta: default 0.01, the 1e-2 of the paper's experiments as we read them (LibMTL's command
// line defaults to 0.5, which makes the targets follow the last few steps only).
// A pair whose cosine is undefined (a zero gradient) is skipped and leaves its target as it
// is; so is an adjustment towards a target of exactly 1 (the formula divides by 0).
import { num } from '../docSchema';
import { defineMethod } from './method';
import { innerWith, normSquared, randomOrder, type Gramian } from './gramian';

/**
 * One GradVac step: the direction's coefficients. `targets[i][j]` are the active tasks'
 * target cosines, updated in place.
 */
export function gradvacWeights(G: Gramian, targets: number[][], beta: number, order: (i: number) => readonly number[]): number[] {
  const w = G.map(() => 0);
  G.forEach((_, i) => {
    const c: number[] = G.map((_, k) => (k === i ? 1 : 0));
    for (const j of order(i)) {
      if (j === i) continue;
      const ni = Math.sqrt(normSquared(c, G));
      const nj = Math.sqrt(Math.max(0, G[j]![j]!));
      if (ni === 0 || nj === 0) continue;
      const phi = Math.max(-1, Math.min(1, innerWith(c, G, j) / (ni * nj)));
      const target = targets[i]![j]!;
      const rest = Math.sqrt(Math.max(0, 1 - target * target));
      if (phi < target && rest > 0) {
        c[j]! += (ni * (target * Math.sqrt(1 - phi * phi) - phi * rest)) / (nj * rest);
      }
      targets[i]![j] = (1 - beta) * target + beta * phi;
    }
    c.forEach((v, k) => { w[k]! += v; });
  });
  return w;
}

export const gradvac = defineMethod({
  description: {
    id: 'gradvac', title: 'GradVac', family: 'gradient', engine: 'rule', needs: {},
    summary: 'Raises each pair of task gradients\' cosine to a moving-average target by adding a multiple of the other gradient, then sums them.',
    paper: 'Wang, Tsvetkov, Firat & Cao 2021, "Gradient Vaccine: Investigating and Improving Multi-task Optimization in Massively Multilingual Models", ICLR.',
    params: {
      beta: num('Decay of the moving average of each pair\'s cosine (the target): phiHat <- (1 - beta) phiHat + beta phi. Default 0.01 (the paper\'s).', { exclusiveMin: 0, max: 1 }),
    },
    defaults: { beta: 0.01 },
  },
  create: (params, tasks) => {
    // Targets per pair of the experiment's tasks: a task missing from a batch keeps its own.
    const targets = tasks.map(() => tasks.map(() => 0));
    const beta = Number(params.beta);
    return {
      weights: (ctx) => {
        const a = ctx.active;
        const local = a.map((i) => a.map((j) => targets[i]![j]!));
        const w = gradvacWeights(ctx.gramian!, local, beta, () => randomOrder(a.length, ctx.random));
        a.forEach((i, p) => a.forEach((j, q) => { targets[i]![j] = local[p]![q]!; }));
        return w;
      },
    };
  },
});
