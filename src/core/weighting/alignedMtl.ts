// Aligned-MTL (Senushkin, Patakin, Kuznetsov & Konushin 2023, "Independent Component
// Alignment for Multi-Task Learning", CVPR, Sect. 4 and Alg. 1): the task gradients are
// replaced by an aligned set whose Gramian has condition number 1 (the linear system's
// principal components all get the same size), scaled to the smallest one:
//     G = V Lambda V^T (eigen-decomposition, eigenvalues above a rank tolerance only),
//     B = sqrt(lambda_min) V Lambda^{-1/2} V^T,   d = sum_i alpha_i g_i with alpha = B w,
// w the pre-set task weights, all 1 here (as LibMTL). The rank tolerance is LibMTL's
// (lambda_max * n * float32 epsilon): the Gramian comes from float32 gradients.
import { defineMethod } from './method';
import { isFiniteGramian } from './psdGramian';
import { symmetricEigen } from './symmetricEigen';

const FLOAT32_EPSILON = 2 ** -23;

/** Aligned-MTL's coefficients alpha = B 1 for a Gramian. */
export function alignedMtlWeights(gramian: readonly (readonly number[])[]): number[] {
  const n = gramian.length;
  // NaN eigenvalues pass no rank test, which would read as "every gradient is zero": reported instead.
  if (!isFiniteGramian(gramian)) return gramian.map(() => NaN);
  const { values, vectors } = symmetricEigen(gramian);
  const tolerance = Math.max(0, values[0]!) * n * FLOAT32_EPSILON;
  const kept = values.map((v, k) => k).filter((k) => values[k]! > tolerance);
  if (!kept.length) return gramian.map(() => 1); // every gradient is zero
  const smallest = values[kept[kept.length - 1]!]!;
  // alpha = sqrt(lambda_min) sum_k v_k (v_k . 1) / sqrt(lambda_k)
  const alpha = new Array<number>(n).fill(0);
  for (const k of kept) {
    const v = vectors[k]!;
    const along = v.reduce((s, x) => s + x, 0) * Math.sqrt(smallest / values[k]!);
    v.forEach((x, i) => { alpha[i]! += x * along; });
  }
  return alpha;
}

export const alignedMtl = defineMethod({
  description: {
    id: 'aligned-mtl', title: 'Aligned-MTL', family: 'gradient', engine: 'rule', params: {}, defaults: {}, needs: {},
    summary: 'Aligns the principal components of the task gradients to equal size (condition number 1) before summing them.',
    paper: 'Senushkin, Patakin, Kuznetsov & Konushin 2023, "Independent Component Alignment for Multi-Task Learning", CVPR.',
  },
  create: () => ({ weights: (ctx) => alignedMtlWeights(ctx.gramian!) }),
});
