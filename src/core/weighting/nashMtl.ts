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
import { int, num } from '../docSchema';
import { normSquared } from './gramian';
import { defineMethod } from './method';
import { solveReciprocalSystem } from './reciprocalSystem';

/** Nash-MTL's coefficients for a Gramian: alpha, scaled down so that |d| <= maxNorm (0: no limit). */
export function nashMtlWeights(gramian: readonly (readonly number[])[], maxNorm: number, alpha = solveReciprocalSystem(gramian)): number[] {
  if (!alpha) return gramian.map(() => 1); // every gradient is zero: the direction is zero anyway
  const norm = Math.sqrt(normSquared(alpha, gramian));
  const scale = maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1;
  return alpha.map((a) => a * scale);
}

export const nashMtl = defineMethod({
  description: {
    id: 'nash-mtl', title: 'Nash-MTL', family: 'gradient', engine: 'rule', needs: {},
    summary: 'The Nash bargaining solution among tasks: coefficients alpha > 0 with G alpha = 1/alpha on the Gramian of the task gradients.',
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
