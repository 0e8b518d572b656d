// Nash-MTL with 3 or 4 tasks as graph ops: the bargaining equation G alpha = 1/alpha (nashMtl.ts,
// reciprocalSystem.ts) solved by damped Newton steps in a TensorFlow While loop (graphFunction.ts
// whileLoop) that stops once the residual max |x_i (C x)_i - 1| is at most CONVERGED, or after
// NEWTON_STEPS steps, as the core solver loops until its tolerance. Why a loop: the same steps
// unrolled (16 of ~28 small ops, about 0.8 us of CPU each, whatever the Gramian) cost 400-460 us a
// call and made the step slower than the two calls with the solver in JavaScript
// (graphGradientStep.ts twoCalls); the loop runs the 4 to 6 steps most Gramians take: 240-300 us
// (bench/graphRuleProbe.ts nash-newton-4, builds alternated, 2026-12-01 11:07-11:11, load 20-23).
// The While op calling its functions each round cost the same as lowered to Switch and Merge
// (`_lower_using_switch_merge`: 260-280 us), so it stays an op. Nor is a round's call what costs:
// the first 3 steps (the number 572 of 600 representation Gramians of a 4-task training run took) as
// plain ops before the loop, each kept only while the loop would go on, cost more, 408-432 us a
// call against 313-398 for all in the loop (graphRuleProbe, random Gramians, 4.2 steps on average;
// 5 rounds alternated, 2026-12-01 14:44-14:46, load 18-20): the cost is the ~33 ops a step. In graphRules.ts's table: the step
// with it against the two calls, 4 tasks, builds alternated (weightingCost --one 4 nash-mtl, 3 rounds
// of 7 ratios, 2026-12-01 11:06-11:45, load 8-26): parameters 4.33 [4.13-4.54] against 4.45
// [3.88-4.73], representation 1.50 [1.29-1.74] against 1.55 [1.32-1.81]: inside the noise. Passing
// the body's constants in as loop variables instead cost more (260-500 us against 240-390). XLA (graphFunction.ts) does not
// help: about 120 us a call of fixed cost, and its MatrixSolve about 14 us a step. The loop's
// variables: x, p = x o Cx (the residual's product and the next step's, computed once a round),
// C (a function sees only its arguments), the step count and whether to go on; the body's
// constants are float64 ones (one op each, run every round).
// Scaled: x_i = alpha_i |g_i| and C = D^-1 G D^-1 (D = diag |g_i|, unit diagonal) turn it into
// x_i (C x)_i = 1 whatever the gradients' scales, the stationarity condition of the strictly
// convex f(x) = x^T C x / 2 - sum log x_i. Newton's step Delta = -H^-1 grad f with H = C + X^-2
// (X = diag x) is Delta = -X y, where (X C X + I) y = X C x - 1 = x o Cx - 1 (one 4 x 4 LU,
// MatrixSolve). f is self-concordant, so with the Newton decrement lambda = sqrt((x o Cx - 1)^T y):
// the step t = 1 / (1 + lambda) keeps x > 0 (|y|_2 <= lambda since X C X + I >= I) and lowers f
// by at least lambda - log(1 + lambda) (Nesterov's damped Newton); the full step once lambda <
// FULL_STEP_DECREMENT (still inside: |y_i| < 1), where convergence is quadratic. Before each step,
// x is scaled along its ray to the minimiser of f there, s^2 = k / x^T C x (a solution has x^T C x
// = k), which takes the scale of the answer in one move: nearly opposed tasks have x up to
// MAX_ALPHA_GAIN, which Newton alone reaches by doubling x a step.
// NEWTON_STEPS: the test (test/unit/trainer/nashRule.test.ts) runs the rule capped at NEWTON_STEPS - 2
// steps on 6,000 seeded Gramians built to be hard (tasks nearly opposed, x up to the bound and
// past it, degenerate, scales 1e-3 to 1e3) and finds the core rule's coefficients within 1e-6 on
// every one; in float64 in JavaScript the same iteration reached max |x_i (C x)_i - 1| <= 1e-10
// within 14 steps on 40,000 such Gramians with x <= MAX_ALPHA_GAIN (4 to 6 for most). The error
// in x is bounded by the residual: x o Cx - 1 = (X C X + I) (dx / x) to first order, so
// |dx / x|_2 <= |residual|_2: alpha's relative error is the residual's size.
// Not converged after the steps (residual over CONVERGED): the solution lies past the bound, or
// there is none (opposed tasks: the core rule's ridge solution ~1e6), so the rule's bounded
// answer, x = 1 (alpha_i = 1 / |g_i|), as the core rule's past MAX_ALPHA_GAIN. A zero gradient
// keeps its row and column of the identity (x_i = 1, decoupled) and gets alpha_i = 0, as the core
// rule leaves it out; every gradient zero: 1 each. The core rule's ridge (the diagonal times 1 +
// 1e-12) is C's diagonal plus 1e-12. Then scaled down to |d| <= maxNorm (nashMtlWeights).
// A float32 Gramian may be slightly indefinite (nearly opposed tasks): x^T C x <= 0 skips the
// ray's scaling and the step's factor 1 - t y is kept in [1e-6, 2] (never binding when C is
// positive semi-definite: 1 - t y lies in (1 / (1 + lambda), 2) there), so x stays positive and
// finite and MatrixSolve never meets a NaN; such a Gramian does not converge or goes past the bound.
// Only with updateEvery = 1: reusing alpha across steps is state.
import { MAX_ALPHA_GAIN } from '../../core/weighting/nashMtl';
import type { Attr } from './graphDef';
import { whileLoop } from './graphFunction';
import type { RuleOps } from './ruleState';
import { float64, identity } from './taskOrders';

const D: Attr = { type: 'double' };

/** The task counts this rule serves (two tasks: the closed form, twoTaskRules.ts). */
export const NASH_NEWTON_TASKS: readonly number[] = [3, 4];
/** The loop's cap on Newton steps (the header: two more than the test's worst case needs). */
export const NEWTON_STEPS = 16;
/** Below this Newton decrement the full step is taken (quadratic convergence). */
const FULL_STEP_DECREMENT = 0.5;
/** Largest max |x_i (C x)_i - 1| taken as solved (the steps bring a solvable Gramian to rounding). */
export const CONVERGED = 1e-9;
/** The core rule's ridge (reciprocalSystem.ts), relative to the diagonal. */
const RIDGE = 1e-12;

/** Nash-MTL's coefficients [k] (float64) from the Gramian [k, k] (float64), k in NASH_NEWTON_TASKS, with at most `steps` Newton steps (header). */
export function nashMtlNewton(r: RuleOps, G: string, maxNorm: number, steps = NEWTON_STEPS): string {
  const { k } = r;
  const d = r.diag(G);
  const live = r.gt(d, r.c(0));
  const l = r.reshape(r.select(live, r.c(1, [k]), r.c(0, [k])), [k, 1]);
  const n = r.reshape(r.select(live, r.un('Sqrt', d), r.c(1, [k])), [k, 1]);
  const x = solvedX(r, G, l, n, steps);
  const alpha = r.bin('Mul', r.bin('RealDiv', x, n), l);
  const norm = r.un('Sqrt', r.bin('Maximum', r.reduce('Sum', r.bin('Mul', alpha, matmul(r, G, alpha)), [0, 1]), r.c(0)));
  const scaled = maxNorm > 0 ? r.bin('Mul', alpha, r.bin('RealDiv', r.c(maxNorm), r.bin('Maximum', norm, r.c(maxNorm)))) : alpha;
  // Every gradient zero: 1 each (nashMtlWeights).
  return r.select(r.gt(r.reduce('Max', d), r.c(0)), r.reshape(scaled, [k]), r.c(1, [k]));
}

/** a b (a b^T when `transposeB`), float64. */
const matmul = (r: RuleOps, a: string, b: string, transposeB = false) =>
  r.g.op('MatMul', [a, b], { T: D, transpose_a: { b: false }, transpose_b: { b: transposeB } }, `${r.at}/nash/matmul`);

/**
 * x [k, 1] after Newton steps on the scaled equation until converged or `steps` of them, or 1 each
 * when not converged or past the bound (header); `l` [k, 1]: 1 for a live gradient, 0 for a zero
 * one; `n` [k, 1]: |g_i| (1 for a zero one).
 */
function solvedX(r: RuleOps, G: string, l: string, n: string, steps: number): string {
  const { g, k } = r;
  const live = r.gt(r.reshape(l, [k]), r.c(0));
  // Zero gradients: their rows and columns of the identity; the ridge on the others.
  const diagonal = g.op('MatrixDiag', [r.select(live, r.c(RIDGE, [k]), r.c(1, [k]))], { T: D }, `${r.at}/nash/diagonal`);
  const C = r.bin('AddV2', r.bin('Mul', r.bin('RealDiv', G, matmul(r, n, n, true)), matmul(r, l, l, true)), diagonal);
  const x0 = r.c(1, [k, 1]);
  const p0 = r.bin('Mul', x0, matmul(r, C, x0));
  const converged = float64(r, CONVERGED);
  const go0 = r.gt(residual(r, p0), converged);
  const step0 = r.g.constant(`${r.at}/nash/step0`, { dtype: 'int32', shape: [], values: [0] });
  const vars = [{ name: 'x', type: 'double' as const, init: x0 }, { name: 'p', type: 'double' as const, init: p0 }, { name: 'C', type: 'double' as const, init: C },
    { name: 'step', type: 'int32' as const, init: step0 }, { name: 'go', type: 'bool' as const, init: go0 }];
  const fn = `${r.at}/nash`.replace(/[^A-Za-z0-9_]/g, '_');
  const [x, p] = whileLoop(g, fn, vars, () => 'go', (b) => newtonStep(r.within(b, 'newton'), steps)) as [string, string];
  // Converged as the loop's test has it (not over CONVERGED).
  const solved = g.op('LogicalAnd', [g.op('LessEqual', [residual(r, p), converged], { T: D }, `${r.at}/nash/converged`), r.gt(r.c(MAX_ALPHA_GAIN), r.reduce('Max', r.bin('Mul', x, l), [0, 1]))], {}, `${r.at}/nash/solved`);
  return r.select(solved, x, r.c(1, [k, 1]));
}

/** max |p_i - 1|: with p = x o Cx, the equation's residual. */
const residual = (r: RuleOps, p: string, one = r.c(1)) => r.reduce('Max', r.un('Abs', r.bin('Sub', p, one)), [0, 1]);

/**
 * One damped Newton step, a loop's body on the arguments x, p = x o Cx, C, step, go (header):
 * x, p, C, step + 1 after it, and go: not converged and under `steps` steps.
 */
function newtonStep(r: RuleOps, steps: number): string[] {
  const { g, k } = r;
  const [x, p0, C] = ['x', 'p', 'C'];
  // float64 constants: one op each (a cast float32 one is two), run every round.
  const [zero, one, two, tiny, full, floor, kk, converged] = [0, 1, 2, 1e-6, FULL_STEP_DECREMENT, 1e-6 * k, k, CONVERGED].map((v) => float64(r, v)) as
    [string, string, string, string, string, string, string, string];
  const q = r.reduce('Sum', p0, [0, 1]);
  // The ray's minimiser: s^2 = k / x^T C x (1 when C is not positive there).
  const s2 = r.select(r.gt(q, zero), r.bin('RealDiv', kk, r.bin('Maximum', q, floor)), one);
  const xs = r.bin('Mul', x, r.un('Sqrt', s2));
  const rhs = r.bin('Sub', r.bin('Mul', p0, s2), one);
  const A = r.bin('AddV2', r.bin('Mul', matmul(r, xs, xs, true), C), identity(r));
  const y = g.op('MatrixSolve', [A, rhs], { T: D, adjoint: { b: false } }, `${r.at}/solve`);
  const lambda = r.un('Sqrt', r.bin('Maximum', r.reduce('Sum', r.bin('Mul', rhs, y), [0, 1]), zero));
  const t = r.select(r.gt(full, lambda), one, r.un('Reciprocal', r.bin('AddV2', one, lambda)));
  const factor = r.bin('Minimum', r.bin('Maximum', r.bin('Sub', one, r.bin('Mul', t, y)), tiny), two);
  const next = r.bin('Mul', xs, factor);
  const p = r.bin('Mul', next, matmul(r, C, next));
  const int = (v: number) => g.constant(`${r.at}/int`, { dtype: 'int32', shape: [], values: [v] });
  const step = g.op('AddV2', ['step', int(1)], { T: { type: 'int32' } }, `${r.at}/step`);
  const go = g.op('LogicalAnd', [r.gt(residual(r, p, one), converged), g.op('Less', [step, int(steps)], { T: { type: 'int32' } }, `${r.at}/under`)], {}, `${r.at}/go`);
  return [next, p, C, step, go];
}
