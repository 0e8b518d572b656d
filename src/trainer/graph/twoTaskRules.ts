// UPGrad, CAGrad and Nash-MTL with two tasks as closed forms of the 2 x 2 Gramian (graph ops,
// float64, registered in graphRules.ts), so that their fused step is one session call: with
// two tasks each one's small optimisation has an exact solution, where the core rules
// (src/core/weighting/) run an iterative solver for any number of tasks. Each equals its core
// rule within the core solver's tolerance (test/unit/trainer/graphRules.test.ts). With
// a = G11, b = G12, d = G22:
// - UPGrad (upgrad.ts, nonnegativeQp.ts): the projection of e_1 is v = argmin v^T G v over
//   v >= e_1, a 2-variable QP with lower bounds. Its active sets: v = e_1 when b >= 0 (G e_1 =
//   (a, b) >= 0 are the KKT multipliers); v = (1, -b/d) when b < 0 (v_2's own minimiser, and
//   (G v)_1 = (a d - b^2) / d >= 0); v_1 never rises above its bound ((G v)_1 = 0 would need
//   v_1 = 0 with v_2 = 0, unless a = 0, where v_1 does not change v^T G v and the solver leaves
//   it at 1). A zero d: v_2 does not matter, the solver leaves it at 0. Likewise for e_2, and
//   c = (v + v') / 2 = ((1 + max(0, -b/a)) / 2, (1 + max(0, -b/d)) / 2).
// - CAGrad (cagrad.ts): the dual over the simplex is one-dimensional: w in [0, 1], g_w =
//   w g1 + (1 - w) g2, F(w) = <g_w, g0> + k sqrt(|g_w|^2 + s) with k = c |g0| (on G scaled
//   to a unit largest diagonal, s the core rule's smoothing). F is convex: w = 0 when
//   F'(0) >= 0, 1 when F'(1) <= 0 (both: F is constant, and the solver stays at its start,
//   1/2), else F'(w) = 0. With q(w) = |g_w|^2 = A w^2 + B w + d, A = a + d - 2b, B = 2(b - d),
//   delta = (a - d)/2 (F's linear slope), F'(w) = 0 squared gives q + s = k^2 (det + A s) /
//   (A k^2 - delta^2), det = a d - b^2, and its root on the side where 2 A w + B has delta's
//   opposite sign is w = (d - b - delta sqrt((det + A s) / (A k^2 - delta^2))) / A.
// - Nash-MTL (nashMtl.ts, reciprocalSystem.ts): G alpha = 1/alpha with x_i = alpha_i |g_i| and
//   rho = b / (|g1| |g2|) reads x1^2 + rho x1 x2 = 1 = x2^2 + rho x1 x2, so x1 = x2 =
//   1 / sqrt(1 + rho): alpha_i = 1 / (|g_i| sqrt(1 + rho)). Past MAX_ALPHA_GAIN (x > gain,
//   nearly opposed tasks) or with a zero gradient (left out: one task's system, x = 1) alpha_i
//   = 1 / |g_i| (0 for a zero gradient); every gradient zero: 1 each; then scaled down to
//   |d| <= maxNorm. Only with updateEvery = 1: reusing alpha across steps is state.
import { MAX_ALPHA_GAIN } from '../../core/weighting/nashMtl';
import type { RuleOps } from './ruleState';

/** The core CAGrad rule's smoothing inside its square root (cagrad.ts SMOOTHING). */
const CAGRAD_SMOOTHING = 1e-14;

/** G11, G12 and G22 of a [2, 2] Gramian (float64), as scalars. */
function entries(r: RuleOps, G: string): [string, string, string] {
  const e = r.g.op('Unpack', [r.reshape(G, [4])], { T: { type: 'double' }, num: { i: 4 }, axis: { i: 0 } }, `${r.at}/pair_entries`);
  return [e, `${e}:1`, `${e}:3`];
}

const pack = (r: RuleOps, first: string, second: string) =>
  r.g.op('Pack', [first, second], { T: { type: 'double' }, N: { i: 2 }, axis: { i: 0 } }, `${r.at}/pair_weights`);

/** x / y where y > 0, else `otherwise`. */
const ratioWhere = (r: RuleOps, x: string, y: string, otherwise: string) => {
  const positive = r.gt(y, r.c(0));
  return r.select(positive, r.bin('RealDiv', x, r.select(positive, y, r.c(1))), otherwise);
};

/** UPGrad, two tasks: c = ((1 + max(0, -b/a)) / 2, (1 + max(0, -b/d)) / 2) (header). */
export function upgradPair(r: RuleOps, G: string): string {
  const [a, b, d] = entries(r, G);
  const minusB = r.un('Neg', b);
  const half = (other: string) => r.bin('Mul', r.c(0.5), r.bin('AddV2', r.c(1), r.bin('Maximum', r.c(0), ratioWhere(r, minusB, other, r.c(0)))));
  return pack(r, half(a), half(d));
}

/** CAGrad, two tasks, radius factor `c` and the core rule's rescale (header; cagrad.ts cagradWeights). */
export function cagradPair(r: RuleOps, G: string, c: number, rescale: string): string {
  const [a0, b0, d0] = entries(r, G);
  const top = r.bin('Maximum', a0, d0);
  const live = r.gt(top, r.c(0));
  const m = r.select(live, top, r.c(1));
  const [a, b, d] = [a0, b0, d0].map((x) => r.bin('RealDiv', x, m)) as [string, string, string];
  const s = r.c(CAGRAD_SMOOTHING);
  const delta = r.bin('Mul', r.c(0.5), r.bin('Sub', a, d));
  const g0 = r.un('Sqrt', r.bin('Maximum', r.c(0), r.bin('Mul', r.c(0.25), r.bin('AddV2', r.bin('AddV2', a, d), r.bin('Mul', r.c(2), b)))));
  const k = r.bin('Mul', r.c(c), g0);
  const A = r.bin('Sub', r.bin('AddV2', a, d), r.bin('Mul', r.c(2), b));
  const dMinusB = r.bin('Sub', d, b);
  // F'(0) = delta - k (d - b) / sqrt(d + s); F'(1) = delta + k (a - b) / sqrt(a + s).
  const at0 = r.bin('Sub', delta, r.bin('RealDiv', r.bin('Mul', k, dMinusB), r.un('Sqrt', r.bin('AddV2', d, s))));
  const at1 = r.bin('AddV2', delta, r.bin('RealDiv', r.bin('Mul', k, r.bin('Sub', a, b)), r.un('Sqrt', r.bin('AddV2', a, s))));
  const det = r.bin('Maximum', r.c(0), r.bin('Sub', r.bin('Mul', a, d), r.bin('Mul', b, b)));
  // Between the ends F' changes sign, so A > 0 and A k^2 > delta^2 there (guarded off it).
  const spread = r.bin('Sub', r.bin('Mul', A, r.bin('Mul', k, k)), r.bin('Mul', delta, delta));
  const root = ratioWhere(r, r.bin('Sub', dMinusB, r.bin('Mul', delta, r.un('Sqrt', r.bin('Maximum', r.c(0), ratioWhere(r, r.bin('AddV2', det, r.bin('Mul', A, s)), spread, r.c(0)))))), A, r.c(0.5));
  const inside = r.bin('Minimum', r.c(1), r.bin('Maximum', r.c(0), root));
  // F'(0) < 0 and F'(1) > 0: the root; F'(0) < 0 <= -F'(1): 1; F'(0) >= 0: 0, or 1/2 when F'(1) <= 0 too.
  const falls0 = r.gt(r.c(0), at0);
  const rises1 = r.gt(at1, r.c(0));
  const w = r.select(falls0, r.select(rises1, inside, r.c(1)), r.select(rises1, r.c(0), r.c(0.5)));
  const v = r.bin('Sub', r.c(1), w);
  const gw2 = r.bin('AddV2', r.bin('AddV2', r.bin('Mul', r.bin('Mul', w, w), a), r.bin('Mul', r.bin('Mul', r.c(2), r.bin('Mul', w, v)), b)), r.bin('Mul', r.bin('Mul', v, v), d));
  const gw = r.un('Sqrt', r.bin('Maximum', r.c(0), gw2));
  // |g_w| = 0: the ball's centre is already optimal (cagrad.ts: lambda = 0 at |g_w| <= 1e-7).
  const lambda = r.select(r.gt(gw, r.c(1e-7)), r.bin('RealDiv', k, r.bin('Maximum', gw, r.c(1e-7))), r.c(0));
  const scale = rescale === 'onePlusCSquared' ? 1 / (1 + c * c) : rescale === 'onePlusC' ? 1 / (1 + c) : 1;
  const coefficient = (x: string) => r.bin('Mul', r.c(scale), r.bin('AddV2', r.c(0.5), r.bin('Mul', lambda, x)));
  return r.select(live, pack(r, coefficient(w), coefficient(v)), r.c(0.5, [2]));
}

/** Nash-MTL, two tasks, with updateEvery = 1: alpha_i = 1 / (|g_i| sqrt(1 + rho)), bounded, scaled to |d| <= maxNorm (header). */
export function nashMtlPair(r: RuleOps, G: string, maxNorm: number): string {
  const [a, b, d] = entries(r, G);
  const n1 = r.un('Sqrt', r.bin('Maximum', r.c(0), a));
  const n2 = r.un('Sqrt', r.bin('Maximum', r.c(0), d));
  const both = r.bin('Mul', n1, n2);
  const onePlusRho = r.bin('AddV2', r.c(1), ratioWhere(r, b, both, r.c(0)));
  // x = 1 / sqrt(1 + rho) <= MAX_ALPHA_GAIN, and both gradients live (else x = 1: one task's system).
  const solved = r.g.op('LogicalAnd', [r.gt(both, r.c(0)), r.gt(onePlusRho, r.c(MAX_ALPHA_GAIN ** -2))], {}, `${r.at}/pair_solved`);
  const x = r.select(solved, r.un('Rsqrt', r.select(solved, onePlusRho, r.c(1))), r.c(1));
  const alpha1 = ratioWhere(r, x, n1, r.c(0));
  const alpha2 = ratioWhere(r, x, n2, r.c(0));
  const alpha = pack(r, alpha1, alpha2);
  const norm2 = r.bin('AddV2', r.bin('AddV2', r.bin('Mul', r.bin('Mul', alpha1, alpha1), a), r.bin('Mul', r.bin('Mul', r.c(2), r.bin('Mul', alpha1, alpha2)), b)), r.bin('Mul', r.bin('Mul', alpha2, alpha2), d));
  const norm = r.un('Sqrt', r.bin('Maximum', r.c(0), norm2));
  const scaled = maxNorm > 0 ? r.select(r.gt(norm, r.c(maxNorm)), r.bin('Mul', alpha, r.bin('RealDiv', r.c(maxNorm), r.bin('Maximum', norm, r.c(maxNorm)))), alpha) : alpha;
  // Every gradient zero: 1 each (nashMtlWeights).
  return r.select(r.gt(r.bin('Maximum', a, d), r.c(0)), scaled, r.c(1, [2]));
}
