// Nash-MTL (Navon, Shamsian, Achituve, Maron, Kawaguchi, Chechik & Fetaya 2022, "Multi-Task
// Learning as a Bargaining Game", ICML, Sect. 3 and Alg. 1): the update d = sum_i alpha_i g_i
// is the Nash bargaining solution, alpha > 0 with G alpha = 1/alpha (every task's improvement
// <g_i, d> = 1/alpha_i). Solved exactly by reciprocalSystem.ts (the paper approximates it
// with a sequence of convex programmes).
// Scale: the paper's alpha is used (so |d|^2 = alpha^T G alpha = n, whatever the gradients'
// size). The authors' code and LibMTL solve on G / |G|_F instead, which multiplies alpha by
// sqrt(|G|_F); we follow the paper. Their two cheap settings are kept: max_norm (LibMTL clips
// the shared gradient's norm to 1 by default: here the coefficients are scaled so that
// |d| = sqrt(c^T G c) <= maxNorm) and update_weights_every (alpha is recomputed every k steps
// and reused in between, when the same tasks take part).
// Opposed gradients (g1 = -g2, or any positive combination equal to zero): no direction
// improves every task, so the bargaining problem has no solution (the paper's disagreement
// point, d = 0). The authors' code (and LibMTL's copy) then finds its convex programme
// infeasible and keeps the previous step's alpha (ones at the first step). Our exact solver
// would instead return the ridge's alpha ~ 1e6 / |g_i|, and alpha also multiplies each task's
// loss, so the task heads would take steps a million times too big. So the rule is bounded:
// alpha_i |g_i| is 1 for orthogonal gradients and |g_i| / <g_i, d> in general; when some task
// needs more than MAX_ALPHA_GAIN (two tasks of equal norm: gradients within 0.8 degrees of
// opposed), the tasks are taken as opposed and alpha_i = 1 / |g_i| (the orthogonal solution,
// stateless, unlike the authors' "keep the last"): the shared step is then ~0 as at the
// disagreement point, and each head steps at its own gradient's scale.
import { int, num } from '../docSchema';
import { normSquared } from './gramian';
import { defineMethod } from './method';
import { isFiniteGramian } from './psdGramian';
import { solveReciprocalSystem } from './reciprocalSystem';

/** Largest alpha_i |g_i| taken as a bargaining solution; beyond it the tasks are opposed (see the header). */
export const MAX_ALPHA_GAIN = 100;

/** alpha, or 1 / |g_i| (0 for a zero gradient) when some task's alpha_i |g_i| exceeds MAX_ALPHA_GAIN. */
function boundedAlpha(gramian: readonly (readonly number[])[], alpha: readonly number[]): readonly number[] {
  const norms = gramian.map((row, i) => Math.sqrt(row[i]!));
  if (alpha.every((a, i) => a * norms[i]! <= MAX_ALPHA_GAIN)) return alpha;
  return norms.map((n) => (n > 0 ? 1 / n : 0));
}

/** Nash-MTL's coefficients for a Gramian: alpha (bounded for opposed tasks), scaled down so that |d| <= maxNorm (0: no limit). */
export function nashMtlWeights(gramian: readonly (readonly number[])[], maxNorm: number, solved = solveReciprocalSystem(gramian)): number[] {
  // A zero diagonal is a zero gradient (alpha 0), so a NaN one would pass for it: reported instead.
  if (!isFiniteGramian(gramian)) return gramian.map(() => NaN);
  if (!solved) return gramian.map(() => 1); // every gradient is zero: the direction is zero anyway
  const alpha = boundedAlpha(gramian, solved);
  const norm = Math.sqrt(normSquared(alpha, gramian));
  const scale = maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1;
  return alpha.map((a) => a * scale);
}

export const nashMtl = defineMethod({
  description: {
    id: 'nash-mtl', title: 'Nash-MTL', family: 'gradient', engine: 'rule', needs: {},
    summary: 'The Nash bargaining solution among tasks: coefficients alpha > 0 with G alpha = 1/alpha on the Gramian of the task gradients (alpha_i = 1/|g_i| when the tasks are opposed and no solution exists).',
    paper: 'Navon, Shamsian, Achituve, Maron, Kawaguchi, Chechik & Fetaya 2022, "Multi-Task Learning as a Bargaining Game", ICML.',
    params: {
      maxNorm: num('Largest norm of the update direction (the paper\'s code clips it); 0 for no limit. Default 1.', { min: 0 }),
      updateEvery: int('Recompute the coefficients every this many steps and reuse them in between (the paper\'s update_weights_every). Default 1.', { min: 1 }),
    },
    defaults: { maxNorm: 1, updateEvery: 1 },
  },
  create: (p) => {
    let last: { alpha: number[] | undefined; active: string } | undefined;
    return {
      weights: (ctx) => {
        const active = ctx.active.join(',');
        if (!last || last.active !== active || ctx.step % p.updateEvery === 0) last = { alpha: solveReciprocalSystem(ctx.gramian!), active };
        return nashMtlWeights(ctx.gramian!, p.maxNorm, last.alpha);
      },
    };
  },
});
