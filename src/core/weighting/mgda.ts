// MGDA / MGDA-UB (Sener & Koltun 2018, "Multi-Task Learning as Multi-Objective Optimization",
// NeurIPS). The update is the least-norm element of the convex hull of the task gradients,
// d = sum_i alpha_i g_i with alpha = argmin_{alpha in simplex} ||sum_i alpha_i g_i||^2 (their
// eq. 3): either d = 0 (a Pareto-stationary point) or -d decreases every task loss, since the
// optimality conditions give <d, g_i> >= ||d||^2 for every task. On the shared
// representation (mode "representation") the same problem on the gradients with respect to
// the trunk's output is their MGDA-UB (Section 3.3), an upper bound that needs one backward
// pass through the trunk. The problem is solved exactly on the Gramian (solvers.ts,
// minNormInHull) instead of the paper's Frank-Wolfe iterations (their Algorithm 2).
//
// Normalisation ("normalization", as LibMTL's mgda_gn; the authors' code offers it too):
// "l2" divides each gradient by its norm before solving, so the direction is the min-norm
// element of the unit gradients' hull, d = sum_i alpha_i g_i / ||g_i||, and the guarantee
// above still holds for the real gradients. LibMTL's "loss" and "loss+" divide by the batch
// losses, which this rule is not given in the gradient step: not offered.
import { oneOf } from '../docSchema';
import { defineMethod } from './method';
import { minNormInHull } from './solvers';

export const MGDA_NORMALIZATIONS = ['none', 'l2'] as const;

/** Coefficients of the task gradients in MGDA's direction for a Gramian; `warm`: a guess of the tasks with weight > 0 (minNormInHull). */
export function mgdaWeights(G: readonly (readonly number[])[], normalization: string, warm?: readonly number[]): number[] {
  // A zero gradient keeps scale 1: it adds nothing to the hull's geometry either way.
  const scale = G.map((row, i) => (normalization === 'l2' && row[i]! > 0 ? Math.sqrt(row[i]!) : 1));
  const normalised = G.map((row, i) => row.map((g, j) => g / (scale[i]! * scale[j]!)));
  return minNormInHull(normalised, undefined, warm).map((a, i) => a / scale[i]!);
}

export const mgda = defineMethod({
  description: {
    id: 'mgda', title: 'MGDA', family: 'gradient', engine: 'rule', needs: {},
    summary: 'The least-norm point of the convex hull of the task gradients: no task loss increases to first order.',
    paper: 'Sener & Koltun 2018, "Multi-Task Learning as Multi-Objective Optimization", NeurIPS (MGDA-UB on the shared representation).',
    params: {
      normalization: oneOf(MGDA_NORMALIZATIONS, '"none": the gradients as they are; "l2": each divided by its norm before the min-norm point is found. Default "none".'),
    },
    defaults: { normalization: 'none' },
  },
  create: (params) => {
    // Consecutive steps' Gramians are close: the last step's support starts the search (exact either way).
    let support: number[] | undefined;
    return {
      weights: (ctx) => {
        const w = mgdaWeights(ctx.gramian!, String(params.normalization), support);
        support = w.flatMap((a, i) => (a > 0 ? [i] : []));
        return w;
      },
    };
  },
});
