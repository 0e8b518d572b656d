// CAGrad with 3 or 4 tasks as graph ops (graphRules.ts), so that its step is one session call
// like MGDA's (mgdaRule.ts): the dual over the simplex (Liu et al. 2021, Sect. 3.1, eq. 4;
// cagrad.ts) min_w F(w) = w^T b + k sqrt(w^T G w + s), with b = G 1/n, k = c |g0| and s the core
// rule's smoothing, solved exactly by enumerating the supports instead of projected gradient
// descent (simplexMinimize.ts), whose loop a graph cannot take. Derivation: F is convex; its
// minimum over the hull of the gradients is attained in the relative interior of the face of
// some affinely independent subset S (Caratheodory), where F restricted to S is stationary:
// with r = sqrt(w^T G w + s) and t = r / k, b_S + k G_S w / r = mu 1, i.e.
// G_S w = t mu 1 - t b_S. Adding 1 1^T w = 1 to both sides, with M = G_S + 1 1^T (positive
// definite exactly when S is affinely independent, as in mgdaRule.ts):
//   w = (1 + t mu) M^-1 1 - t M^-1 b_S.
// With u = M^-1 1, v = M^-1 b_S, alpha = 1^T u, beta = 1^T v, 1^T w = 1 fixes 1 + t mu =
// (1 + t beta) / alpha, so w = a - t z with a = u / alpha (S's affine least-norm point, MGDA's)
// and z = v - (beta / alpha) u (1^T z = 0). G_S a = (1 / alpha - 1) 1, so a^T G z = 0 and
// r^2 = k^2 t^2 = a^T G a + t^2 z^T G z + s: a quadratic in t with the one positive root
//   t = sqrt((a^T G a + s) / (k^2 - z^T G z)),
// which exists only when k^2 > z^T G z (else S holds no stationary point with r > 0).
// Every subset at once, as mgdaRule.ts: 2^k - 1 systems [k, k] with two right-hand sides, the
// identity on the tasks a subset leaves out, one batched LU (MatrixSolve), 1e-12 added to the
// diagonal so that no system is exactly singular (an affinely dependent subset then gives
// some point of the simplex, or none: it is scored like any other). A single task is its vertex
// e_i. A subset's w with every weight >= -1e-9 (clamped at 0, divided by its sum: a point of the
// simplex) is scored by F; the least F is the minimum, since no point of the simplex is lower
// and the optimum's own subset gives it; on a tie (within rounding) the smallest subset, then
// the first in index order. Then as cagradWeights: lambda = k / |g_w| (0 when |g_w| <= 1e-7,
// the ball's centre already optimal), coefficients (1/n + lambda w) times the rescale; every
// gradient 0: 1/n each. On G scaled to a largest diagonal entry of 1 with its negative
// eigenvalues set to 0 (SelfAdjointEigV2), as the core rule's normalizedPsd (psdGramian.ts).
// Equal to the core rule within 1e-5 (or 1e-5 of the coefficient's size) on the Gramians of
// test/unit/trainer/cagradRule.test.ts; where the minimiser's gradients are affinely dependent
// the direction d is the same, the weights may differ; where 0 is within about 1e-3 of the hull
// with c > 1 (lambda over 1000) the core solver stops short and the closed form is the nearer.
import type { Attr } from './graphDef';
import { subsetMasks } from './mgdaRule';
import type { RuleOps } from './ruleState';

const D: Attr = { type: 'double' };
const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
/** The core CAGrad rule's smoothing inside its square root (cagrad.ts SMOOTHING). */
const SMOOTHING = 1e-14;
/** Added to M's diagonal (G scaled to a largest entry of 1) so that no system is singular (mgdaRule.ts). */
const RIDGE = 1e-12;

/** Whether CAGrad's enumerated rule serves `k` tasks (2^k - 1 systems: a few tasks only). */
export const CAGRAD_ENUMERATED_TASKS: readonly number[] = [3, 4];

/** CAGrad's coefficients [k] (float64) from the Gramian [k, k] (float64), radius factor `c`, the core rule's rescale; k in CAGRAD_ENUMERATED_TASKS. */
export function cagradEnumerated(r: RuleOps, G: string, c: number, rescale: string): string {
  const { g, k: n } = r;
  const masks = subsetMasks(n);
  const m = masks.length;
  let count = 0;
  const name = (what: string) => `${r.at}/cagrad/${what}_${count++}`;
  const op = (type: string, inputs: string[], attrs: Record<string, Attr>) => g.op(type, inputs, attrs, name(type.toLowerCase()));
  const table = (values: number[], shape: number[]) => op('Cast', [g.constant(name('table32'), { dtype: 'float', shape, values })], { SrcT: F, DstT: D, Truncate: { b: false } });
  const rowSums = (x: string, keep: boolean) => op('Sum', [x, r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: keep } });
  // A float64 constant to about 1e-15: the sum of two float32 ones (RuleOps' constants are float32 cast).
  const exact = (x: number, shape?: number[]) => r.bin('AddV2', r.c(Math.fround(x), shape), r.c(x - Math.fround(x), shape));
  /** Each row x of X [m, n]: x^T Gn x, [m]. */
  const quadratic = (X: string) => rowSums(r.bin('Mul', op('MatMul', [X, Gn], { T: D, transpose_a: { b: false }, transpose_b: { b: false } }), X), false);

  const scale = r.reduce('Max', r.diag(G));
  const live = r.gt(scale, r.c(0));
  const scaled = r.bin('RealDiv', G, r.select(live, scale, r.c(1)));
  // Its negative eigenvalues set to 0, as the core rule's normalizedPsd (psdGramian.ts; a PSD G
  // comes back within rounding): float32 rounding leaves a Gramian of dependent gradients
  // slightly indefinite, and |g_w| near 0 makes the coefficients (k / |g_w|) w sensitive to it.
  const eigen = op('SelfAdjointEigV2', [scaled], { T: D, compute_v: { b: true } });
  const vectors = `${eigen}:1`;
  const kept = r.bin('Mul', vectors, r.reshape(r.bin('Maximum', eigen, r.c(0, [n])), [1, n]));
  const Gn = op('MatMul', [kept, vectors], { T: D, transpose_a: { b: false }, transpose_b: { b: true } });
  const b = r.bin('Mul', r.reduce('Sum', Gn, [1]), exact(1 / n));
  const k = r.bin('Mul', exact(c), r.un('Sqrt', r.bin('Maximum', r.c(0), r.bin('Mul', r.reduce('Sum', b), exact(1 / n)))));

  const within: number[] = [];
  const fixed: number[] = [];
  const ridge: number[] = [];
  for (const mask of masks) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      within.push(mask[i]! * mask[j]!);
      // 1 1^T on the subset, the identity on the tasks it leaves out; the ridge on the subset's diagonal.
      fixed.push(mask[i]! * mask[j]! + (i === j && !mask[i] ? 1 : 0));
      ridge.push(i === j && mask[i] ? 1 : 0);
    }
  }
  const fixedPlusRidge = r.bin('AddV2', table(fixed, [m, n, n]), r.bin('Mul', table(ridge, [m, n, n]), r.c(RIDGE)));
  const M = r.bin('AddV2', r.bin('Mul', Gn, table(within, [m, n, n])), fixedPlusRidge);
  const maskTable = table(masks.flat(), [m, n]);
  const rhs = op('Pack', [maskTable, r.bin('Mul', maskTable, b)], { T: D, N: { i: 2 }, axis: { i: 2 } });
  const solved = op('MatrixSolve', [M, rhs], { T: D, adjoint: { b: false } });
  const parts = op('Unpack', [solved], { T: D, num: { i: 2 }, axis: { i: 2 } });
  const [u, v] = [parts, `${parts}:1`];
  const alpha = rowSums(u, true);
  const a = r.bin('RealDiv', u, alpha);
  const z = r.bin('Sub', v, r.bin('Mul', u, r.bin('RealDiv', rowSums(v, true), alpha)));
  const spread = r.bin('Sub', r.bin('Mul', k, k), quadratic(z));
  const stationary = r.gt(spread, r.c(0, [m]));
  const t = r.un('Sqrt', r.bin('RealDiv', r.bin('AddV2', r.bin('Maximum', quadratic(a), r.c(0, [m])), exact(SMOOTHING)), r.select(stationary, spread, r.c(1, [m]))));
  const single = masks.map((mask) => (mask.reduce((s, x) => s + x, 0) === 1 ? 1 : 0));
  const isSingle = r.gt(table(single, [m]), r.c(0.5, [m]));
  const candidate = r.select(r.gt(table(single, [m, 1]), r.c(0.5, [m, 1])), maskTable, r.bin('Sub', a, r.bin('Mul', z, r.reshape(t, [m, 1]))));
  const inside = r.gt(op('Min', [candidate, r.ints([1])], { T: D, Tidx: I32, keep_dims: { b: false } }), r.c(-1e-9, [m]));
  const feasible = g.op('LogicalOr', [isSingle, g.op('LogicalAnd', [stationary, inside], {}, name('and'))], {}, name('or'));
  const clamped = r.bin('Maximum', candidate, r.c(0, [m, n]));
  const sum = rowSums(clamped, true);
  const weights = r.bin('RealDiv', clamped, r.select(r.gt(sum, r.c(0, [m, 1])), sum, r.c(1, [m, 1])));
  const objective = r.bin('AddV2', op('MatMul', [weights, r.reshape(b, [n, 1])], { T: D, transpose_a: { b: false }, transpose_b: { b: false } }),
    r.reshape(r.bin('Mul', k, r.un('Sqrt', r.bin('AddV2', r.bin('Maximum', quadratic(weights), r.c(0, [m])), exact(SMOOTHING)))), [m, 1]));
  const scored = r.select(feasible, r.reshape(objective, [m]), r.c(1e30, [m]));
  // Within rounding of the least: the first such subset (the smallest, then in index order).
  const near = r.gt(r.bin('AddV2', r.reduce('Min', scored), r.c(1e-13)), scored);
  const rank = r.select(near, table(masks.map((_, i) => m - i), [m]), r.c(0, [m]));
  const axis0 = () => g.constant(name('axis'), { dtype: 'int32', shape: [], values: [0] });
  const chosen = op('ArgMax', [rank, axis0()], { T: D, Tidx: I32, output_type: I32 });
  const w = op('GatherV2', [weights, chosen, axis0()], { Tparams: D, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } });
  const gw = r.un('Sqrt', r.bin('Maximum', r.c(0), r.reshape(quadratic(r.reshape(w, [1, n])), [])));
  // |g_w| = 0: the ball's centre is already optimal (cagrad.ts: lambda = 0 at |g_w| <= 1e-7).
  const lambda = r.select(r.gt(gw, r.c(1e-7)), r.bin('RealDiv', k, r.bin('Maximum', gw, r.c(1e-7))), r.c(0));
  const factor = rescale === 'onePlusCSquared' ? 1 / (1 + c * c) : rescale === 'onePlusC' ? 1 / (1 + c) : 1;
  const coefficients = r.bin('Mul', exact(factor), r.bin('AddV2', exact(1 / n), r.bin('Mul', lambda, w)));
  return r.select(live, coefficients, exact(1 / n, [n]));
}
