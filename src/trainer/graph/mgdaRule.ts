// MGDA with 3 or 4 tasks as graph ops (graphRules.ts), so that its step is one session call like
// IMTL-G's: the least-norm point of the hull of the task gradients (mgda.ts, solvers.ts
// minNormInHull) found by enumerating the candidate supports instead of Wolfe's active-set loop,
// whose branching a graph cannot take. Exact, not an iteration count: the least-norm point lies
// in the relative interior of the hull of some affinely independent subset S of the gradients,
// where it is S's affine minimiser a (min a^T G_S a subject to 1^T a = 1). With M = G_S + 1 1^T,
// the optimality condition G_S a = mu 1 gives M a = (mu + 1) 1, so a = M^-1 1 / (1^T M^-1 1);
// M is positive definite exactly when S is affinely independent (x^T M x = ||sum x_i g_i||^2 +
// (1^T x)^2). Every subset's system at once: 2^k - 1 of them (15 for 4 tasks) as one batch of
// k x k matrices, the identity on the tasks a subset leaves out, solved by one batched LU
// (MatrixSolve). MatrixSolve stops the step on an exactly singular matrix (an affinely dependent
// subset: equal gradients, a zero one), so 1e-12 is added to the diagonal of the Gramian scaled
// to a largest entry of 1: it moves an affinely independent subset's weights by about 1e-12 over
// M's smallest eigenvalue, and a dependent subset's answer is still a point of the hull.
// Why not an eigendecomposition per subset (a pseudo-inverse of the bordered KKT matrix): the
// same answers, twice the CPU (SelfAdjointEigV2 on 15 5x5 matrices: about 150 against 70 us a
// call with the rest of the rule, bench/graphRuleProbe.ts, load 20).
// A subset whose weights are all >= -1e-9 gives a point of the hull (its weights clamped at 0);
// the shortest one is the answer, since no point of the hull is shorter than the least-norm point
// and the least-norm point's own subset gives it. Ties within 1e-9 of the Gramian's scale (equal
// or parallel gradients: several weightings, one direction) go to the smallest subset, then the
// first in index order: where Wolfe's method, started from the shortest gradient (the first on a
// tie), stops on the Gramians tested (test/unit/trainer/mgdaRule.test.ts). Every gradient 0: 1/k
// each, as minNormInHull. The Gramian is divided by its largest diagonal entry first (the weights
// do not change), so that the tolerances are relative; "l2" normalises each gradient first, as
// mgdaWeights.
import type { Attr } from './graphDef';
import type { RuleOps } from './ruleState';

const D: Attr = { type: 'double' };
const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
/** Added to M's diagonal (the Gramian scaled to a largest entry of 1) so that no system is singular (see the header). */
const RIDGE = 1e-12;

/** Whether MGDA's enumerated rule serves `k` tasks (2^k - 1 systems: a few tasks only). */
export const MGDA_ENUMERATED_TASKS: readonly number[] = [3, 4];

/** The non-empty subsets of k tasks as 0/1 masks, smallest first, then in index order. */
export function subsetMasks(k: number): number[][] {
  const masks = Array.from({ length: 2 ** k - 1 }, (_, s) => Array.from({ length: k }, (_, i) => ((s + 1) >> i) & 1));
  const key = (m: number[]) => m.map((b) => 1 - b).join('');
  return masks.sort((a, b) => a.reduce((x, y) => x + y, 0) - b.reduce((x, y) => x + y, 0) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** MGDA's coefficients [k] (float64) from the Gramian [k, k] (float64), for k in MGDA_ENUMERATED_TASKS. */
export function mgdaEnumerated(r: RuleOps, G: string, l2: boolean): string {
  const { g, k } = r;
  const masks = subsetMasks(k);
  const m = masks.length;
  let count = 0;
  const name = (what: string) => `${r.at}/mgda/${what}_${count++}`;
  const op = (type: string, inputs: string[], attrs: Record<string, Attr>) => g.op(type, inputs, attrs, name(type.toLowerCase()));
  const table = (values: number[], shape: number[]) => {
    const f = g.constant(name('table32'), { dtype: 'float', shape, values });
    return op('Cast', [f], { SrcT: F, DstT: D, Truncate: { b: false } });
  };
  const d = r.diag(G);
  const s = l2 ? r.select(r.gt(d, r.c(0)), r.un('Sqrt', d), r.c(1, [k])) : undefined;
  const N = s ? r.bin('RealDiv', G, r.bin('Mul', r.reshape(s, [k, 1]), r.reshape(s, [1, k]))) : G;
  const scale = r.reduce('Max', r.diag(N));
  const positive = r.gt(scale, r.c(0));
  const Gn = r.bin('RealDiv', N, r.select(positive, scale, r.c(1)));
  const within: number[] = [];
  const fixed: number[] = [];
  const ridge: number[] = [];
  for (const mask of masks) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      within.push(mask[i]! * mask[j]!);
      fixed.push(mask[i]! * mask[j]! + (i === j && !mask[i] ? 1 : 0));
      ridge.push(i === j && mask[i] ? 1 : 0);
    }
  }
  const fixedPlusRidge = r.bin('AddV2', table(fixed, [m, k, k]), r.bin('Mul', table(ridge, [m, k, k]), r.c(RIDGE)));
  const M = r.bin('AddV2', r.bin('Mul', Gn, table(within, [m, k, k])), fixedPlusRidge);
  const x = r.reshape(op('MatrixSolve', [M, table(masks.flat(), [m, k, 1])], { T: D, adjoint: { b: false } }), [m, k]);
  const a = r.bin('RealDiv', x, op('Sum', [x, r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: true } }));
  const feasible = r.gt(op('Min', [a, r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: false } }), r.c(-1e-9, [m]));
  const weights = r.bin('Maximum', a, r.c(0, [m, k]));
  const norms = op('Sum', [r.bin('Mul', op('MatMul', [weights, Gn], { T: D, transpose_a: { b: false }, transpose_b: { b: false } }), weights), r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: false } });
  const scored = r.select(feasible, norms, r.c(1e30, [m]));
  const near = r.gt(r.bin('AddV2', r.reduce('Min', scored), r.c(1e-9)), scored);
  const rank = r.select(near, table(masks.map((_, i) => m - i), [m]), r.c(0, [m]));
  const chosen = op('ArgMax', [rank, g.constant(name('axis'), { dtype: 'int32', shape: [], values: [0] })], { T: D, Tidx: I32, output_type: I32 });
  const w = op('GatherV2', [weights, chosen, g.constant(name('gather_axis'), { dtype: 'int32', shape: [], values: [0] })], { Tparams: D, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } });
  const found = r.select(positive, w, r.bin('RealDiv', r.c(1, [k]), r.c(k)));
  return s ? r.bin('RealDiv', found, s) : found;
}
