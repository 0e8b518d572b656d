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
// some point or other). Each subset's w, clamped at 0 and divided by its sum, is a point of the
// simplex, scored by F; the least F is the minimum, since no point of the simplex is lower and
// the optimum's own subset gives it (a subset with no stationary point, k^2 <= z^T G z, gives
// a point with t = sqrt(a^T G a + s), scored like the rest); on an exact tie the first subset,
// the smallest first, then in index order (mgdaRule.ts subsetMasks).
// Then as cagradWeights: lambda = k / |g_w| (0 when |g_w| <= 1e-7,
// the ball's centre already optimal), coefficients (1/n + lambda w) times the rescale; every
// gradient 0: 1/n each. On G scaled to a largest diagonal entry of 1 with its negative
// eigenvalues set to 0 (SelfAdjointEigV2), as the core rule's normalizedPsd (psdGramian.ts).
// Equal to the core rule within 1e-5 (or 1e-5 of the coefficient's size) on the Gramians of
// test/unit/trainer/cagradRule.test.ts; where the minimiser's gradients are affinely dependent
// the direction d is the same, the weights may differ; where 0 is within about 1e-3 of the hull
// with c > 1 (lambda over 1000) the core solver stops short and the closed form is the nearer.
import type { Attr } from './graphDef';
import { subsetMasks } from './mgdaRule';
import { normalizedPsdOnGraph } from './psdGramianRule';
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
  const op = (type: string, inputs: string[], attrs: Record<string, Attr> = { T: D }) => g.op(type, inputs, attrs, name(type.toLowerCase()));
  // Each constant made once and broadcast (the rule's cost is mostly its node count: bench/graphRuleProbe.ts).
  const made = new Map<string, string>();
  const once = (key: string, build: () => string) => made.get(key) ?? (made.set(key, build()), made.get(key)!);
  const table = (values: number[], shape: number[]) => op('Cast', [g.constant(name('table32'), { dtype: 'float', shape, values })], { SrcT: F, DstT: D, Truncate: { b: false } });
  /** A float64 scalar to about 1e-15: two float32 constants' sum (the writer's constants are float32). */
  const scalar = (x: number) => once(`s${x}`, () => {
    const hi = Math.fround(x);
    return hi === x ? table([x], []) : op('AddV2', [table([hi], []), table([x - hi], [])]);
  });
  const axis = (i: number) => once(`a${i}`, () => g.constant(name('axis'), { dtype: 'int32', shape: [], values: [i] }));
  const rowSums = (x: string, keep: boolean) => op('Sum', [x, axis(1)], { T: D, Tidx: I32, keep_dims: { b: keep } });
  const matMul = (x: string, y: string) => op('MatMul', [x, y], { T: D, transpose_a: { b: false }, transpose_b: { b: false } });
  const mul = (x: string, y: string) => op('Mul', [x, y]);
  const add = (x: string, y: string) => op('AddV2', [x, y]);
  const sub = (x: string, y: string) => op('Sub', [x, y]);
  const div = (x: string, y: string) => op('RealDiv', [x, y]);
  const max = (x: string, y: string) => op('Maximum', [x, y]);
  const sqrt = (x: string) => op('Sqrt', [x]);
  const gt = (x: string, y: string) => op('Greater', [x, y]);
  const select = (cond: string, x: string, y: string) => op('SelectV2', [cond, x, y]);
  const reshape = (x: string, shape: number[]) => op('Reshape', [x, g.constant(name('shape'), { dtype: 'int32', shape: [shape.length], values: shape })], { T: D, Tshape: I32 });
  const zero = scalar(0);

  // Normalised and PSD (psdGramianRule.ts): |g_w| near 0 makes the coefficients (k / |g_w|) w
  // sensitive to the slightly indefinite Gramian float32 rounding leaves.
  const { psd: Gn, live } = normalizedPsdOnGraph(r, G);
  const b = mul(rowSums(Gn, false), scalar(1 / n));
  const k = mul(scalar(c), sqrt(max(zero, mul(op('Sum', [b, axis(0)], { T: D, Tidx: I32, keep_dims: { b: false } }), scalar(1 / n)))));

  const within: number[] = [];
  const fixed: number[] = [];
  const ridge: number[] = [];
  for (const mask of masks) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      within.push(mask[i]! * mask[j]!);
      // 1 1^T on the subset, the identity on the tasks it leaves out.
      fixed.push(mask[i]! * mask[j]! + (i === j && !mask[i] ? 1 : 0));
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ridge.push(i === j ? RIDGE : 0);
  const M = add(mul(add(Gn, table(ridge, [n, n])), table(within, [m, n, n])), table(fixed, [m, n, n]));
  const maskTable = table(masks.flat(), [m, n]);
  const solved = op('MatrixSolve', [M, op('Pack', [maskTable, mul(maskTable, b)], { T: D, N: { i: 2 }, axis: { i: 2 } })], { T: D, adjoint: { b: false } });
  const parts = op('Unpack', [solved], { T: D, num: { i: 2 }, axis: { i: 2 } });
  const [u, v] = [parts, `${parts}:1`];
  const alpha = rowSums(u, true);
  const a = div(u, alpha);
  const z = sub(v, mul(u, div(rowSums(v, true), alpha)));
  // G_S z = b_S - (beta / alpha) 1 (M u = 1, M v = b_S) and 1^T z = 0: z^T G z = z^T b. (a^T G a is
  // 1 / alpha - 1 likewise, but where 0 is nearly in S's affine hull that difference loses the
  // digits t needs next to the smoothing: computed as a^T G a.)
  const aGa = max(rowSums(mul(matMul(a, Gn), a), false), zero);
  const spread = sub(mul(k, k), rowSums(mul(z, b), false));
  const stationary = gt(spread, zero);
  const t = sqrt(div(add(aGa, scalar(SMOOTHING)), select(stationary, spread, scalar(1))));
  // Every subset's w, clamped at 0 and divided by its sum (1^T w = 1, so the sum is at least 1), is a
  // point of the simplex, so its F is at least the minimum, which the optimum's own subset reaches:
  // the least F among them all is the minimum, with no feasibility test (a single task's system
  // gives its vertex: a = e_i, z = 0 to rounding).
  const clamped = max(sub(a, mul(z, reshape(t, [m, 1]))), zero);
  const weights = div(clamped, rowSums(clamped, true));
  const wGw = rowSums(mul(matMul(weights, Gn), weights), true);
  const objective = add(rowSums(mul(weights, b), true), mul(k, sqrt(add(max(wGw, zero), scalar(SMOOTHING)))));
  // The least objective (the first on an exact tie; TensorFlow's ArgMin passes over a NaN, as a degenerate subset's solve might give).
  const chosen = op('ArgMin', [reshape(objective, [m]), axis(0)], { T: D, Tidx: I32, output_type: I32 });
  const w = op('GatherV2', [weights, chosen, axis(0)], { Tparams: D, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } });
  const gw = sqrt(max(zero, op('GatherV2', [reshape(wGw, [m]), chosen, axis(0)], { Tparams: D, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } })));
  // |g_w| = 0: the ball's centre is already optimal (cagrad.ts: lambda = 0 at |g_w| <= 1e-7).
  const small = scalar(1e-7);
  const lambda = select(gt(gw, small), div(k, max(gw, small)), zero);
  const factor = rescale === 'onePlusCSquared' ? 1 / (1 + c * c) : rescale === 'onePlusC' ? 1 / (1 + c) : 1;
  // (1/n + lambda w) f; every gradient 0: 1/n each, not rescaled (cagradWeights).
  return select(live, add(scalar(factor / n), mul(mul(scalar(factor), lambda), w)), scalar(1 / n));
}
