// UPGrad (Quinton & Rey 2024, "Jacobian Descent for Multi-Objective Optimization", arXiv
// 2406.16232, Sect. 4 and Prop. 1): each task gradient g_i is projected onto the dual cone
// of the task gradients, C = {x : <x, g_j> >= 0 for all j}, and the direction is the mean of
// the projections, d = (1/n) sum_i pi_C(g_i). So d does not conflict with any task to first
// order (<d, g_j> >= 0), and d = mean g when no two gradients conflict (every g_i is in C).
// On the Gramian: pi_C(J^T e_i) = J^T v_i with v_i = argmin { v^T G v : v >= e_i } (Prop. 1),
// so the coefficients are c = (1/n) sum_i v_i. TorchJD normalises and regularises G (+1e-4 I)
// for its QP solver; the projection is exact here (nonnegativeQp.ts, an active-set method that
// needs no regularisation, exact on dependent gradients too), on G made positive semi-definite
// where float32 rounding left it slightly indefinite (psdGramian.ts: otherwise the QP is unbounded).
import { defineMethod } from './method';
import { minQuadraticAbove } from './nonnegativeQp';
import { normalizedPsd } from './psdGramian';

/** UPGrad's coefficients c (d = sum_i c_i g_i) for the Gramian of n task gradients. */
export function upgradWeights(gramian: readonly (readonly number[])[]): number[] {
  const n = gramian.length;
  const c = new Array<number>(n).fill(0);
  // The QP's minimiser does not change with G's scale: solved on G / max G_ii.
  const psd = normalizedPsd(gramian) ?? gramian; // undefined: every gradient is zero, any v gives d = 0
  for (let i = 0; i < n; i++) {
    const v = minQuadraticAbove(psd, gramian.map((_, j) => (j === i ? 1 : 0)));
    v.forEach((x, j) => { c[j]! += x / n; });
  }
  return c;
}

export const upgrad = defineMethod({
  description: {
    id: 'upgrad', title: 'UPGrad', family: 'gradient', engine: 'rule', params: {}, defaults: {}, needs: {},
    summary: 'Projects each task gradient onto the dual cone of all task gradients and averages: a direction that conflicts with no task.',
    paper: 'Quinton & Rey 2024, "Jacobian Descent for Multi-Objective Optimization", arXiv:2406.16232.',
  },
  create: () => ({ weights: (ctx) => upgradWeights(ctx.gramian!) }),
});
