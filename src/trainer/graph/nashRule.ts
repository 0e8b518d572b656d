// Nash-MTL with 3 or 4 tasks as graph ops: the bargaining equation G alpha = 1/alpha (nashMtl.ts,
// reciprocalSystem.ts) solved by Newton steps, PREFIX_STEPS of them as plain ops, then a TensorFlow
// While loop (graphFunction.ts whileLoop) that goes on while the residual max |x_i (C x)_i - 1| is
// over CONVERGED, up to NEWTON_STEPS steps in all, as the core solver loops until its tolerance.
// Scaled: x_i = alpha_i |g_i| and C = D^-1 G D^-1 (D = diag |g_i|, unit diagonal) turn it into
// x_i (C x)_i = 1 whatever the gradients' scales, the stationarity condition of the strictly
// convex f(x) = x^T C x / 2 - sum log x_i. Each step first scales x along its ray to the
// minimiser of f there, s^2 = k / x^T C x (a solution has x^T C x = k), which takes the scale of
// the answer in one move (nearly opposed tasks have x up to MAX_ALPHA_GAIN, which Newton alone
// reaches by doubling x a step), then takes Newton's step Delta = -H^-1 grad f with H = C + X^-2
// (X = diag x), which is Delta = -X y with (X C X + I) y = X C x - 1 = x o Cx - 1 (one 4 x 4 LU,
// MatrixSolve): x <- x o (1 - y), the factor 1 - y kept in [1e-6, 2] so that x stays positive.
// Why the full step and not Nesterov's damped one (t = 1 / (1 + lambda), with which f provably
// decreases, this rule's until 2026-12-01): after the ray's scaling the full step converged in
// fewer steps on every set of Gramians tried, and the damping cost 8 ops a step. In float64 in
// JavaScript, to max |x_i (C x)_i - 1| <= 1e-9, each to the core solver's x within 1e-7
// (bench/nashNewtonSteps.ts, 2026-12-01): 6,000 hard 4-task Gramians (the test's kind), of them
// the 3,195 solvable within the bound, took 4.15 steps on average and 9 at most (damped: 5.16 and
// 13); 3,000 random ones 3.80 and 5 (4.17 and 8); 3,000 of mostly agreeing tasks, as a training
// run's representation gradients, 3.18 and 4 (the same).
// Why PREFIX_STEPS plain steps before the loop: a run's Gramians take about 3 steps (572 of 600 of
// a 4-task run took at most 3); a plain step is its ~19 ops, a round of the loop adds the residual
// and step count (8 more ops) and the calls of its functions; and at the solution a step keeps x
// where it is (y = 0), so the prefix needs no test. (Damped steps as plain ops, each kept by a
// select only while the loop would go on, had cost more than all in the loop: 408-432 us a call
// against 313-398.) The rule alone (bench/graphRuleProbe.ts, 5 rounds of 500 calls, variants
// interleaved, 2026-12-01 17:53-17:56, load 17-19): 221 us a call, against 292 for the damped steps
// all in the loop, 134 for IMTL-G's rule, 28 for the call alone, 113 for this rule's set-up and
// ending with no step. Its constants made once for the prefix, one op each, and ClipByValue for
// the factor's bounds: 181 us against 245 (IMTL-G 104 and 132; 19:15, load 1.3; the whole step,
// weightingCost --one 4 nash-mtl representation, 3 rounds alternated: 1.31-1.39 against
// 1.28-1.29 times equal weighting, inside the noise). Earlier measurements of the loop: unrolled to NEWTON_STEPS steps it cost
// 400-460 us; the While op cost the same as lowered to Switch and Merge; the loop's constants
// passed in as loop variables cost more; XLA (graphFunction.ts) added about 120 us a call. The
// whole rule as one XLA-compiled call (2026-12-01, load 32-47): alone 390 us against 483, but in
// the step (weightingCost --one 4 nash-mtl representation, alternated) 1.71 times equal weighting
// against 1.38 and 1.41: the call in the step costs more than the ops it replaces.
// NEWTON_STEPS: the test (test/unit/trainer/nashRule.test.ts) runs the rule capped at NEWTON_STEPS - 2
// steps on 6,000 seeded Gramians built to be hard (tasks nearly opposed, x up to the bound and
// past it, degenerate, scales 1e-3 to 1e3) and finds the core rule's coefficients within 1e-6 on
// every one (capped at NEWTON_STEPS - 4 it misses some, 2026-12-01). The error in x is bounded by
// the residual: x o Cx - 1 = (X C X + I) (dx / x) to first order, so |dx / x|_2 <= |residual|_2:
// alpha's relative error is the residual's size.
// Not converged after the steps (residual over CONVERGED): the solution lies past the bound, or
// there is none (opposed tasks: the core rule's ridge solution ~1e6), so the rule's bounded
// answer, x = 1 (alpha_i = 1 / |g_i|), as the core rule's past MAX_ALPHA_GAIN. A zero gradient
// has a zero row and column in G, so C keeps only its diagonal 1 (x_i = 1, decoupled), and it gets
// alpha_i = 0, as the core rule leaves it out; every gradient zero: 1 each. The core rule's ridge
// (the diagonal times 1 + 1e-12) is C's diagonal plus 1e-12. Then scaled down to |d| <= maxNorm
// (nashMtlWeights).
// A float32 Gramian may be slightly indefinite (nearly opposed tasks): x^T C x <= 0 skips the
// ray's scaling, and the factor's bounds keep x positive and finite, so MatrixSolve never meets a
// NaN; such a Gramian does not converge or goes past the bound.
// Only with updateEvery = 1: reusing alpha across steps is state.
// As one native op (MtsNashMtl, scripts/native/ruleKernels.cc) when the session's binding
// registered it (ruleKernels.ts): the same steps, constants and answers in a C++ loop, ~130 fewer
// graph nodes a step. In the step (weightingCost --one 4 nash-mtl representation, alternated with
// these ops, a prototype of the same kernel, 2026-12-02 00:40-00:48, load 17-22): 1.03, 1.09, 1.24
// times equal weighting against 1.47, 1.36, 1.19.
import { MAX_ALPHA_GAIN } from '../../core/weighting/nashMtl';
import type { Attr } from './graphDef';
import { whileLoop } from './graphFunction';
import { NASH_KERNEL } from './ruleKernels';
import type { RuleIo, RuleOps } from './ruleState';
import { float64, identity } from './taskOrders';

const D: Attr = { type: 'double' };

/** The task counts this rule serves (two tasks: the closed form, twoTaskRules.ts). */
export const NASH_NEWTON_TASKS: readonly number[] = [3, 4];
/** The cap on Newton steps, the prefix's included (the header: two more than the test's worst case needs). */
export const NEWTON_STEPS = 11;
/** The Newton steps always taken, as plain ops before the loop (header). */
export const PREFIX_STEPS = 3;
/** Largest max |x_i (C x)_i - 1| taken as solved (the steps bring a solvable Gramian to rounding). */
export const CONVERGED = 1e-9;
/** The core rule's ridge (reciprocalSystem.ts), relative to the diagonal. */
const RIDGE = 1e-12;

/**
 * Nash-MTL's coefficients [k] (float64) from the Gramian [k, k] (float64), k in NASH_NEWTON_TASKS,
 * with at most `steps` Newton steps (header); as one native op when `io.kernels` lists it (header).
 */
export function nashMtlNewton(r: RuleOps, G: string, maxNorm: number, steps = NEWTON_STEPS, io?: RuleIo): string {
  const { k } = r;
  if (steps <= PREFIX_STEPS) throw new Error(`Nash-MTL's Newton rule takes more than ${PREFIX_STEPS} steps, not ${steps}`);
  if (io?.kernels?.includes(NASH_KERNEL)) {
    io.kernel = NASH_KERNEL;
    return r.g.op(NASH_KERNEL, [G, float64(r, [maxNorm, CONVERGED, MAX_ALPHA_GAIN, steps, PREFIX_STEPS], [5])], {}, `${r.at}/nash`);
  }
  // float64 constants are one op each (RuleOps.c's, a cast float32 one, is two ops wherever
  // Grappler does not fold the cast).
  const ones = (shape: number[], v = 1) => float64(r, new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(v), shape);
  const zero = float64(r, 0);
  const d = r.diag(G);
  const live = r.gt(d, zero);
  const l = r.reshape(r.select(live, ones([k]), ones([k], 0)), [k, 1]);
  const n = r.reshape(r.select(live, r.un('Sqrt', d), ones([k])), [k, 1]);
  const x = solvedX(r, G, live, n, steps);
  const alpha = r.bin('Mul', r.bin('RealDiv', x, n), l);
  const norm = r.un('Sqrt', r.bin('Maximum', r.reduce('Sum', r.bin('Mul', alpha, matmul(r, G, alpha)), [0, 1]), zero));
  const scaled = maxNorm > 0 ? r.bin('Mul', alpha, r.bin('RealDiv', float64(r, maxNorm), r.bin('Maximum', norm, float64(r, maxNorm)))) : alpha;
  // Every gradient zero: 1 each (nashMtlWeights).
  return r.select(r.gt(r.reduce('Max', d), zero), r.reshape(scaled, [k]), ones([k]));
}

/** a b (a b^T when `transposeB`), float64. */
const matmul = (r: RuleOps, a: string, b: string, transposeB = false) =>
  r.g.op('MatMul', [a, b], { T: D, transpose_a: { b: false }, transpose_b: { b: transposeB } }, `${r.at}/nash/matmul`);

/**
 * x [k, 1] after Newton steps on the scaled equation until converged or `steps` of them (more than
 * PREFIX_STEPS), or 1 each when not converged or past the bound (header); `live` [k]: whether a
 * gradient is not zero; `n` [k, 1]: |g_i| (1 for a zero one).
 */
function solvedX(r: RuleOps, G: string, live: string, n: string, steps: number): string {
  const { g, k } = r;
  // Zero gradients: 1 on the diagonal (their rows and columns of G are zero); the ridge on the others.
  const diagonal = g.op('MatrixDiag', [r.select(live, float64(r, new Array<number>(k).fill(RIDGE), [k]), float64(r, new Array<number>(k).fill(1), [k]))], { T: D }, `${r.at}/nash/diagonal`);
  const C = r.bin('AddV2', r.bin('RealDiv', G, matmul(r, n, n, true)), diagonal);
  // From x = 1 (p = C 1), PREFIX_STEPS steps, then the loop while not converged.
  const prefix = stepConstants(r);
  let x = float64(r, new Array<number>(k).fill(1), [k, 1]);
  let p = matmul(r, C, x);
  for (let u = 0; u < PREFIX_STEPS; u++) [x, p] = newtonStep(r.within(g, `${r.at}/step${u}`), x, p, C, prefix);
  const converged = float64(r, CONVERGED);
  const go0 = r.gt(residual(r, p, prefix.one), converged);
  const step0 = r.g.constant(`${r.at}/nash/step0`, { dtype: 'int32', shape: [], values: [PREFIX_STEPS] });
  const vars = [{ name: 'x', type: 'double' as const, init: x }, { name: 'p', type: 'double' as const, init: p }, { name: 'C', type: 'double' as const, init: C },
    { name: 'step', type: 'int32' as const, init: step0 }, { name: 'go', type: 'bool' as const, init: go0 }];
  const fn = `${r.at}/nash`.replace(/[^A-Za-z0-9_]/g, '_');
  [x, p] = whileLoop(g, fn, vars, () => 'go', (b) => loopRound(r.within(b, 'newton'), steps)) as [string, string];
  // Converged as the loop's test has it (not over CONVERGED); a zero gradient's x_i is 1.
  const solved = g.op('LogicalAnd', [g.op('LessEqual', [residual(r, p, prefix.one), converged], { T: D }, `${r.at}/nash/converged`), r.gt(float64(r, MAX_ALPHA_GAIN), r.reduce('Max', x, [0, 1]))], {}, `${r.at}/nash/solved`);
  return r.select(solved, x, float64(r, new Array<number>(k).fill(1), [k, 1]));
}

/** max |p_i - 1|: with p = x o Cx, the equation's residual. */
const residual = (r: RuleOps, p: string, one: string) => r.reduce('Max', r.un('Abs', r.bin('Sub', p, one)), [0, 1]);

/** The constants of a Newton step (float64), made once for the prefix's steps and once in the loop's body. */
function stepConstants(r: RuleOps) {
  const [zero, one, tiny, two, floor, kk] = [0, 1, 1e-6, 2, 1e-6 * r.k, r.k].map((v) => float64(r, v)) as [string, string, string, string, string, string];
  return { zero, one, tiny, two, floor, kk, I: identity(r) };
}

/** One Newton step after the ray's scaling (header): x, p = x o Cx (both [k, 1]) to the next x and its p. */
function newtonStep(r: RuleOps, x: string, p: string, C: string, c: ReturnType<typeof stepConstants>): [string, string] {
  const q = r.reduce('Sum', p, [0, 1]);
  // The ray's minimiser: s^2 = k / x^T C x (1 when C is not positive there).
  const s2 = r.select(r.gt(q, c.zero), r.bin('RealDiv', c.kk, r.bin('Maximum', q, c.floor)), c.one);
  const xs = r.bin('Mul', x, r.un('Sqrt', s2));
  const rhs = r.bin('Sub', r.bin('Mul', p, s2), c.one);
  const A = r.bin('AddV2', r.bin('Mul', matmul(r, xs, xs, true), C), c.I);
  const y = r.g.op('MatrixSolve', [A, rhs], { T: D, adjoint: { b: false } }, `${r.at}/solve`);
  const factor = r.g.op('ClipByValue', [r.bin('Sub', c.one, y), c.tiny, c.two], { T: D }, `${r.at}/factor`);
  const next = r.bin('Mul', xs, factor);
  return [next, r.bin('Mul', next, matmul(r, C, next))];
}

/**
 * A round of the loop, its body on the arguments x, p = x o Cx, C, step, go (header): x, p, C,
 * step + 1 after a Newton step, and go: not converged and under `steps` steps.
 */
function loopRound(r: RuleOps, steps: number): string[] {
  const { g } = r;
  const c = stepConstants(r);
  const [next, p] = newtonStep(r, 'x', 'p', 'C', c);
  const int = (v: number) => g.constant(`${r.at}/int`, { dtype: 'int32', shape: [], values: [v] });
  const step = g.op('AddV2', ['step', int(1)], { T: { type: 'int32' } }, `${r.at}/step`);
  const go = g.op('LogicalAnd', [r.gt(residual(r, p, c.one), float64(r, CONVERGED)), g.op('Less', [step, int(steps)], { T: { type: 'int32' } }, `${r.at}/under`)], {}, `${r.at}/go`);
  return [next, p, 'C', step, go];
}
