// MGDA with 3 or 4 tasks as graph ops (graphRules.ts), so that its step is one session call like
// IMTL-G's: the least-norm point of the hull of the task gradients (mgda.ts, solvers.ts
// minNormInHull) found by enumerating the candidate supports instead of Wolfe's active-set loop,
// whose branching a graph cannot take. Exact, not an iteration count: the least-norm point lies
// in the relative interior of the hull of some affinely independent subset S of the gradients,
// where it is S's affine minimiser, the solution of the KKT system [G_S 1; 1^T 0] [a; -mu] = [0; 1].
// Every subset's system is solved at once (2^k - 1 of them: 15 for 4 tasks, as one batch of
// (k+1) x (k+1) matrices, each padded to the full size with the identity on the tasks left out),
// by eigendecomposition (SelfAdjointEigV2: a singular system, an affinely dependent subset, must
// not stop the step as MatrixSolve would), eigenvalues at most 1e-10 of the largest left out.
// A subset whose weights are all >= -1e-9 and sum to 1 gives a point of the hull (its weights
// clamped at 0 and renormalised); the shortest one is the answer, since no point of the hull is
// shorter than the least-norm point and the least-norm point's own subset gives it. Ties within
// 1e-9 of the Gramian's scale (equal or parallel gradients: several weightings, one direction)
// go to the smallest subset, then the first in index order: where Wolfe's method, started from
// the shortest gradient (the first on a tie), stops on the Gramians tested
// (test/unit/trainer/graphRules.test.ts). Every gradient 0: 1/k each, as minNormInHull.
// The Gramian is divided by its largest diagonal entry first (the weights do not change), so
// that the tolerances are relative; "l2" normalises each gradient first, as mgdaWeights.
import type { Attr, GraphBuilder } from './graphDef';

const D: Attr = { type: 'double' };
const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

/** The part of graphRules.ts's float64 ops (RuleOps) this rule uses: a type of its own, since graphRules.ts imports this file. */
export interface RuleOps {
  readonly g: GraphBuilder;
  readonly at: string;
  readonly k: number;
  c(value: number, shape?: number[]): string;
  ints(values: number[]): string;
  bin(op: string, a: string, b: string): string;
  un(op: string, a: string): string;
  gt(a: string, b: string): string;
  select(cond: string, a: string, b: string): string;
  reduce(op: 'Sum' | 'Max' | 'Min', a: string, axes?: number[]): string;
  reshape(a: string, shape: number[]): string;
  diag(A: string): string;
}

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
  const n = k + 1;
  let count = 0;
  const name = (what: string) => `${r.at}/mgda/${what}_${count++}`;
  const op = (type: string, inputs: string[], attrs: Record<string, Attr>) => g.op(type, inputs, attrs, name(type.toLowerCase()));
  /** A float64 constant of `shape` (0/1 entries: exact through float32). */
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
  // The KKT matrices [m, n, n]: G_S where both tasks are in S, the identity on a task left out,
  // the subset's mask in the last row and column.
  const within: number[] = [];
  const fixed: number[] = [];
  for (const mask of masks) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      within.push(i < k && j < k ? mask[i]! * mask[j]! : 0);
      fixed.push(i < k && j < k ? (i === j && !mask[i] ? 1 : 0) : i === k && j === k ? 0 : i === k ? mask[j]! : mask[i]!);
    }
  }
  const padded = op('Pad', [Gn, g.constant(name('padding'), { dtype: 'int32', shape: [2, 2], values: [0, 1, 0, 1] })], { T: D, Tpaddings: I32 });
  const kkt = r.bin('AddV2', r.bin('Mul', padded, table(within, [m, n, n])), table(fixed, [m, n, n]));
  const e = op('SelfAdjointEigV2', [kkt], { T: D, compute_v: { b: true } });
  const [values, vectors] = [e, `${e}:1`];
  const size = r.un('Abs', values);
  const top = op('Max', [size, r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: true } });
  const kept = r.gt(size, r.bin('Mul', top, r.c(1e-10)));
  const inverse = r.select(kept, r.un('Reciprocal', r.select(kept, values, r.c(1, [m, n]))), r.c(0, [m, n]));
  // x = V diag(1/lambda) V^T e_last: the last row of V, scaled, against every row of V.
  const last = op('StridedSlice', [vectors, r.ints([0, k, 0]), r.ints([0, n, 0]), r.ints([1, 1, 1])],
    { T: D, Index: I32, begin_mask: { i: 5 }, end_mask: { i: 5 }, ellipsis_mask: { i: 0 }, new_axis_mask: { i: 0 }, shrink_axis_mask: { i: 0 } });
  const x = op('Sum', [r.bin('Mul', vectors, r.bin('Mul', last, r.reshape(inverse, [m, 1, n]))), r.ints([2])], { T: D, Tidx: I32, keep_dims: { b: false } });
  const a = op('Slice', [x, r.ints([0, 0]), r.ints([m, k])], { T: D, Index: I32 });
  // A point of the hull: weights >= 0 (within rounding) summing to 1 (an inconsistent system's least-squares answer does not).
  const sum = op('Sum', [a, r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: false } });
  const feasible = op('LogicalAnd', [
    r.gt(op('Min', [a, r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: false } }), r.c(-1e-9, [m])),
    r.gt(r.c(1e-6, [m]), r.un('Abs', r.bin('Sub', sum, r.c(1, [m])))),
  ], {});
  const clamped = r.bin('Maximum', a, r.c(0, [m, k]));
  const weights = r.bin('RealDiv', clamped, op('Sum', [clamped, r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: true } }));
  const norms = op('Sum', [r.bin('Mul', op('MatMul', [weights, Gn], { T: D, transpose_a: { b: false }, transpose_b: { b: false } }), weights), r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: false } });
  const scored = r.select(feasible, norms, r.c(1e30, [m]));
  // The first subset within the tie tolerance of the least norm: the largest of m - index among them.
  const near = r.gt(r.bin('AddV2', r.reduce('Min', scored), r.c(1e-9)), scored);
  const rank = r.select(near, table(masks.map((_, i) => m - i), [m]), r.c(0, [m]));
  const chosen = op('ArgMax', [rank, g.constant(name('axis'), { dtype: 'int32', shape: [], values: [0] })], { T: D, Tidx: I32, output_type: I32 });
  const w = op('GatherV2', [weights, chosen, g.constant(name('gather_axis'), { dtype: 'int32', shape: [], values: [0] })], { Tparams: D, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } });
  const uniform = r.bin('RealDiv', r.c(1, [k]), r.c(k));
  const found = r.select(positive, w, uniform);
  return s ? r.bin('RealDiv', found, s) : found;
}
