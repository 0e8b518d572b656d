// PCGrad (Yu et al. 2020, "Gradient Surgery for Multi-Task Learning", NeurIPS, Algorithm 1).
// For each task i, starting from g_i^PC = g_i, visit the other tasks j in a random order; if
// <g_i^PC, g_j> < 0, remove from g_i^PC its projection on g_j:
//   g_i^PC <- g_i^PC - <g_i^PC, g_j> / ||g_j||^2 g_j,
// after which <g_i^PC, g_j> = 0. The update is sum_i g_i^PC. Each step adds a multiple of an
// original gradient, so g_i^PC = sum_k C[i][k] g_k and the direction's coefficients are the
// column sums of C, computed from the Gramian alone (gramian.ts). A fresh random order per
// task per step, drawn from ctx.random() (seeded, so runs repeat), as in the paper; a zero
// g_j never conflicts (its inner products are 0), so there is no division by 0.
// LibMTL refuses representation gradients for PCGrad; the projections are the same algebra
// on any set of gradients, so both modes are offered (the representation mode projects the
// gradients with respect to the trunk's output, which is cheaper and coarser).
import { defineMethod } from './method';
import { innerWith, randomOrder, type Gramian } from './gramian';

/** g_i^PC as coefficients over the original gradients, after projecting in `order` (i itself is skipped). */
export function projectConflicting(G: Gramian, i: number, order: readonly number[]): number[] {
  const c: number[] = G.map((_, k) => (k === i ? 1 : 0));
  for (const j of order) {
    if (j === i) continue;
    const dot = innerWith(c, G, j);
    if (dot < 0) c[j]! -= dot / G[j]![j]!;
  }
  return c;
}

/** The direction's coefficients: sum over tasks of their projected gradients' coefficients. */
export function pcgradWeights(G: Gramian, random: () => number): number[] {
  const w = G.map(() => 0);
  G.forEach((_, i) => {
    projectConflicting(G, i, randomOrder(G.length, random)).forEach((c, k) => { w[k]! += c; });
  });
  return w;
}

export const pcgrad = defineMethod({
  description: {
    id: 'pcgrad', title: 'PCGrad', family: 'gradient', engine: 'rule', needs: {}, params: {}, defaults: {},
    summary: 'Projects each task gradient off the other tasks\' gradients it conflicts with (negative inner product), in random order, then sums them.',
    paper: 'Yu, Kumar, Gupta, Levine, Hausman & Finn 2020, "Gradient Surgery for Multi-Task Learning", NeurIPS.',
  },
  create: () => ({ weights: (ctx) => pcgradWeights(ctx.gramian!, ctx.random) }),
});
