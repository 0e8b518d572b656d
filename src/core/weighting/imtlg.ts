// IMTL-G (Liu, Li, Kuang, Xue, Chen, Yang, Liao & Zhang 2021, "Towards Impartial Multi-task
// Learning", ICLR; the gradient part of IMTL, without IMTL-L's learned loss scales). The
// direction d = sum_i alpha_i g_i, sum_i alpha_i = 1, has equal projections on every task's
// unit gradient u_i = g_i / ||g_i||: <d, u_1> = <d, u_i>. The paper's closed form (their
// eq. 9) is alpha_{2..T} = g_1 U^T (D U^T)^-1 with rows D_i = g_1 - g_i, U_i = u_1 - u_i, and
// alpha_1 = 1 - sum alpha_{2..T}. On the Gramian the same condition reads
// (G alpha)_i = lambda ||g_i||, so alpha = G^-1 n / (1^T G^-1 n) with n_i = sqrt(G_ii): one
// symmetric solve (the test checks both forms agree). The pseudo-inverse (solvers.ts) extends
// it to parallel gradients (as TorchJD's IMTL-G does, after Quinton & Rey 2024); when the
// normalising sum vanishes no direction has equal projections and the shared part gets 0.
// The paper computes it on the shared representation's gradients for speed: both modes here.
import { defineMethod } from './method';
import { isFiniteGramian } from './psdGramian';
import type { Gramian } from './gramian';
import { pseudoInverseSolve } from './solvers';

/**
 * The normalising sum 1^T G^+ n counts as vanished below this share of |G^+ n|_1: the
 * pseudo-inverse's own cut (rcond 1e-6, solvers.ts), because the Gramian is float32. With
 * 1e-12, nearly opposed gradients (g_3 = -(g_1 + g_2), whose exact sum is 0) got a sum of
 * float32 rounding (~1e-7 of |v|) and coefficients of 1e7 (solverCampaign.test.ts).
 */
export const IMTLG_VANISHED_SUM = 1e-6;

export function imtlgWeights(G: Gramian): number[] {
  if (!isFiniteGramian(G)) return G.map(() => NaN); // a NaN or infinite loss: reported by the trainer
  const norms = G.map((row, i) => Math.sqrt(Math.max(0, row[i]!)));
  const v = pseudoInverseSolve(G, norms);
  const sum = v.reduce((a, b) => a + b, 0);
  const size = v.reduce((a, b) => a + Math.abs(b), 0);
  if (!(Math.abs(sum) > IMTLG_VANISHED_SUM * size)) return G.map(() => 0);
  return v.map((x) => x / sum);
}

export const imtlg = defineMethod({
  description: {
    id: 'imtlg', title: 'IMTL-G', family: 'gradient', engine: 'rule', needs: {}, params: {}, defaults: {},
    summary: 'The combination of the task gradients (weights summing to 1) whose projections on every task\'s unit gradient are equal.',
    paper: 'Liu, Li, Kuang, Xue, Chen, Yang, Liao & Zhang 2021, "Towards Impartial Multi-task Learning", ICLR (IMTL-G).',
  },
  create: () => ({ weights: (ctx) => imtlgWeights(ctx.gramian!) }),
});
