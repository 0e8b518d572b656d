// UPGrad with 3 or 4 tasks as graph ops (graphRules.ts), so that its step is one session call like
// MGDA's (mgdaRule.ts): each task's projection v_i = argmin { v^T G v : v >= e_i } (upgrad.ts,
// Quinton & Rey 2024, Prop. 1; c = (1/k) sum_i v_i, TorchJD's UPGrad with its default mean
// preference) found by enumerating the supports instead of the core rule's active-set iterations
// (nonnegativeQp.ts), whose data-dependent loop a graph cannot take. Exact, not an iteration count:
// - v_i's own coordinate stays at 1: if v_i > 1, v / v_i is feasible and v^T G v / v_i^2 is lower
//   (or both are 0), so some minimiser has v_i = 1.
// - The other coordinates: v = e_i + x with x >= 0 on a free set F (i not in F), 0 elsewhere, and
//   stationary on F: G_FF x_F = -G_Fi. J^T v = g_i + J_F^T x_F lies in g_i + cone(g_F), and by
//   Caratheodory's theorem for cones some minimiser's F has linearly independent gradients, so
//   G_FF is invertible there and that system gives it.
// - Every candidate clamped, max(x, 0) + e_i, is feasible, so its objective is at least the
//   minimum, which the minimiser's own F reaches: the least objective among them all is the
//   minimum, with no feasibility test (as cagradRule.ts).
// Every F at once, and one matrix for every task's right-hand side: the 2^k - 1 subsets other than
// all tasks (the empty one first), each M_F = G_FF plus the identity on the tasks it leaves out, with
// the k columns -G_Fi, one batched LU (MatrixSolve) of [2^k - 1, k, k] systems with k right-hand
// sides; a column whose task is in F gives some feasible point or other. 1e-12 is added to M_F's
// diagonal on F so that no system is exactly singular (dependent or zero gradients, mgdaRule.ts):
// it moves an independent support's x by about 1e-12 over G_FF's smallest eigenvalue.
// Ties: where the gradients are dependent, several v give one projection J^T v (the projection onto
// a convex cone is unique); the core rule's active set, started from e_i and adding the first
// coordinate (index order) with (G v)_j < 0, ends on the smallest support, the first in index order,
// on the Gramians tested (test/unit/trainer/upgradRule.test.ts: equal within 1e-5 on hand-picked
// dependent Gramians; on seeded ones in fewer dimensions than tasks a few differ, one direction).
// So each subset's objective gets 1e-13 times its rank (the smallest first, then index order:
// mgdaRule.ts subsetMasks): a support within 1.4e-12 of the least objective wins over a larger or
// later one, which moves J^T v by at most sqrt(1.4e-12) = 1.2e-6 of the longest gradient
// (|J^T v - J^T v*|^2 <= v^T G v - v*^T G v* for a feasible v, v* the minimiser).
// As the core rule: on G scaled to a largest diagonal entry of 1 with its negative eigenvalues set
// to 0 (psdGramian.ts normalizedPsd; SelfAdjointEigV2, as cagradRule.ts), since float32 rounding
// leaves the Gramian of dependent gradients slightly indefinite and a support's objective could
// then come out below the true minimum. Every gradient 0: every objective 0, the empty support:
// v_i = e_i, 1/k each, as the core rule.
// Both rules are exact on dependent gradients too (upgradRule.test.ts checks both against the
// projections' optimality conditions there). Measured 2026-12-01, load 18-30: the rule's call alone
// 105-185 us of CPU against MGDA's 88-161 and CAGrad's 132-214 (bench/graphRuleProbe.ts
// upgrad-4, medians of two runs); the step with 4 tasks on the representation runs 219 nodes in
// one call against 147 + 68 in two with the JavaScript solver between them (bench/stepNodesProbe.ts
// upgrad); its cost relative to equal weighting (weightingCost.js --one 4 upgrad representation,
// builds alternated, 10 rounds of 7 ratios each, 10:48-11:29) 1.35 [1.19-1.53] against the two calls'
// 1.43 [1.21-1.60], median [interquartile range]: inside the noise, not slower.
import type { Attr } from './graphDef';
import { subsetMasks } from './mgdaRule';
import { normalizedPsdOnGraph } from './psdGramianRule';
import type { RuleOps } from './ruleState';

const D: Attr = { type: 'double' };
const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
/** Added to M_F's diagonal on F (G scaled to a largest entry of 1) so that no system is singular (header). */
const RIDGE = 1e-12;
/** Each subset's objective gets this times its rank: the tie-break towards small supports (header). */
const RANK_STEP = 1e-13;

/** Whether UPGrad's enumerated rule serves `k` tasks (2^k - 1 systems: a few tasks only). */
export const UPGRAD_ENUMERATED_TASKS: readonly number[] = [3, 4];

/** The supports UPGrad enumerates for k tasks as 0/1 masks: the empty one, then every non-empty one but all tasks, smallest first, then in index order. */
export function upgradSupports(k: number): number[][] {
  return [new Array<number>(k).fill(0), ...subsetMasks(k).filter((mask) => mask.some((b) => b === 0))];
}

/** UPGrad's coefficients [k] (float64) from the Gramian [k, k] (float64), k in UPGRAD_ENUMERATED_TASKS. */
export function upgradEnumerated(r: RuleOps, G: string): string {
  const { g, k } = r;
  const masks = upgradSupports(k);
  const m = masks.length;
  let count = 0;
  const name = (what: string) => `${r.at}/upgrad/${what}_${count++}`;
  const op = (type: string, inputs: string[], attrs: Record<string, Attr> = { T: D }) => g.op(type, inputs, attrs, name(type.toLowerCase()));
  const table = (values: number[], shape: number[]) => op('Cast', [g.constant(name('table32'), { dtype: 'float', shape, values })], { SrcT: F, DstT: D, Truncate: { b: false } });
  const ints = (values: number[], shape = [values.length]) => g.constant(name('ints'), { dtype: 'int32', shape, values });
  const reduce = (type: string, x: string, axis: number, keep = false) => op(type, [x, ints([axis], [])], { T: D, Tidx: I32, keep_dims: { b: keep } });
  const matMul = (x: string, y: string) => op('MatMul', [x, y], { T: D, transpose_a: { b: false }, transpose_b: { b: false } });
  const zero = table([0], []);

  const Gn = normalizedPsdOnGraph(r, G).psd;

  const within: number[] = [];
  const fixed: number[] = [];
  for (const mask of masks) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      within.push(mask[i]! * mask[j]!);
      // The identity on the tasks F leaves out, the ridge on F's diagonal.
      fixed.push(i === j ? (mask[i] ? RIDGE : 1) : 0);
    }
  }
  const M = op('AddV2', [op('Mul', [Gn, table(within, [m, k, k])]), table(fixed, [m, k, k])]);
  // Column i: -G_Fi on F, 0 elsewhere.
  const rhs = op('Mul', [Gn, table(masks.flatMap((mask) => mask.map((b) => -b)), [m, k, 1])]);
  const x = op('MatrixSolve', [M, rhs], { T: D, adjoint: { b: false } });
  // [task i, support, coordinate j]: task i's candidate v = max(x, 0) + e_i for each support.
  const identity = Array.from({ length: k * k }, (_, n) => (Math.floor(n / k) === n % k ? 1 : 0));
  const v = op('AddV2', [op('Maximum', [op('Transpose', [x, ints([2, 0, 1])], { T: D, Tperm: I32 }), zero]), table(identity, [k, 1, k])]);
  const rows = op('Reshape', [v, ints([k * m, k])], { T: D, Tshape: I32 });
  const objective = op('Reshape', [reduce('Sum', op('Mul', [matMul(rows, Gn), rows]), 1), ints([k, m])], { T: D, Tshape: I32 });
  const ranked = op('AddV2', [objective, table(masks.map((_, s) => s * RANK_STEP), [m])]);
  // The least per task (the first on an exact tie).
  const chosen = op('ArgMin', [ranked, ints([1], [])], { T: D, Tidx: I32, output_type: I32 });
  const projections = op('GatherV2', [v, chosen, ints([1], [])], { Tparams: D, Tindices: I32, Taxis: I32, batch_dims: { i: 1 } });
  return op('Mul', [reduce('Sum', projections, 0), table([1 / k], [])]);
}
