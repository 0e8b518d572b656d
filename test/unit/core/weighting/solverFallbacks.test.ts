// The singular and degenerate fallbacks of the gradient methods' small solvers, one hand-worked
// Gramian each that reaches the branch: every gradient zero, a non-finite Gramian (reported
// as NaN for the trainer), gradients equal or opposed, and systems singular to rounding.
// (The regular cases are in each solver's own test file.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignedMtlWeights } from '../../../../src/core/weighting/alignedMtl';
import { cagradWeights } from '../../../../src/core/weighting/cagrad';
import { mgdaWeights } from '../../../../src/core/weighting/mgda';
import { nashMtlWeights } from '../../../../src/core/weighting/nashMtl';
import { minQuadraticAbove } from '../../../../src/core/weighting/nonnegativeQp';
import { solveReciprocalSystem } from '../../../../src/core/weighting/reciprocalSystem';
import { minNormInHull, solveLinear } from '../../../../src/core/weighting/solvers';
import { upgradWeights } from '../../../../src/core/weighting/upgrad';

const close = (actual: readonly number[], expected: readonly number[], tol = 1e-5) => {
  assert.equal(actual.length, expected.length, `length (all: ${actual.join(', ')})`);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}]: ${actual[i]} vs ${e} (all: ${actual.join(', ')})`));
};
const gram = (rows: number[][]) => rows.map((a) => rows.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)));
const zeros = (n: number) => Array.from({ length: n }, () => new Array<number>(n).fill(0));
const allNaN = (w: readonly number[], n: number) => { assert.equal(w.length, n); assert.ok(w.every(Number.isNaN), `all NaN: ${w.join(', ')}`); };

test('every gradient zero: any weights give the zero direction; each method says which it returns', () => {
  close(minQuadraticAbove(zeros(2), [0.5, 1]), [0.5, 1]); // v = the lower bound itself
  close(upgradWeights(zeros(2)), [0.5, 0.5]); // each task's QP keeps e_i; their mean is 1/n each
  close(minNormInHull(zeros(3)), [1 / 3, 1 / 3, 1 / 3]);
  close(mgdaWeights(zeros(3), 'l2'), [1 / 3, 1 / 3, 1 / 3]); // a zero gradient keeps scale 1
  close(cagradWeights(zeros(2), 0.4), [0.5, 0.5]); // the mean gradient
  assert.equal(solveReciprocalSystem(zeros(2)), undefined);
  close(nashMtlWeights(zeros(2), 1), [1, 1]);
  close(alignedMtlWeights(zeros(2)), [1, 1]); // no eigenvalue above the rank tolerance
  assert.deepEqual(minNormInHull([]), []);
});

test('a non-finite Gramian gives NaN weights (the trainer reports the step), never a direction', () => {
  const bad = [[1, NaN], [NaN, 1]];
  allNaN(minQuadraticAbove(bad, [1, 0]), 2);
  allNaN(minNormInHull(bad), 2);
  allNaN(cagradWeights([[1, 0], [0, Infinity]], 0.4), 2);
  allNaN(nashMtlWeights(bad, 1), 2);
  allNaN(alignedMtlWeights(bad), 2);
});

test('solveLinear reports a system without a unique solution', () => {
  assert.equal(solveLinear(zeros(2), [1, 1]), undefined); // A = 0
  // Row 2 = 2 x row 1: the second pivot is 4 - 2 * 2 = 0.
  assert.equal(solveLinear([[1, 2], [2, 4]], [1, 2]), undefined);
});

test('two gradients equal within the tolerance: MGDA takes the shorter', () => {
  // g1 = (1, 1e-7), g2 = (1, 0): G = [[1 + 1e-14, 1], [1, 1]], |g1 - g2|^2 = 1e-14 <= 1e-12,
  // so the segment is a point; the shorter gradient (G_11 = 1 < 1 + 1e-14) is it: weights (0, 1).
  close(minNormInHull([[1 + 1e-14, 1], [1, 1]]), [0, 1], 0);
  // Exactly equal: the first of the two (the shortest, first in order).
  close(minNormInHull([[1, 1], [1, 1]]), [1, 0], 0);
});

test('MGDA: a corral affinely dependent to rounding keeps the point reached', () => {
  // g1 = (1, 1), g2 = (-1, 1), g3 = (3, 1 - 1e-10): nearly on one line (y = 1); G is solved
  // divided by its largest diagonal, |g3|^2 = 10. Wolfe's method starts at g1 (|g1|^2 = |g2|^2 = 2,
  // the first), adds g2 (<g1, g2> = 0 is least), and the segment's least point is x = (0, 1) at
  // weights (1/2, 1/2). Then |x|^2 - <x, g3> = 1e-10 (1e-11 divided: above the 1e-12 tolerance),
  // so g3 enters; but the three are affinely dependent to 1e-10 (the KKT system's last pivot
  // falls below solveLinear's cut): the search stops at (1/2, 1/2, 0). The exact minimiser, on
  // the segment g2-g3 at weights (0, 3/4, 1/4), is shorter by 2.5e-11 only, far inside the
  // float32 rounding of a Gramian the trainer computes.
  close(minNormInHull(gram([[1, 1], [-1, 1], [3, 1 - 1e-10]])), [0.5, 0.5, 0], 0);
});

test('CAGrad: opposed gradients of equal norm leave the mean gradient, which is zero', () => {
  // g1 = (1, 0), g2 = (-1, 0): g0 = 0, so the ball has radius 0 and the objective w^T G 1/n = 0
  // everywhere: w stays at (1/2, 1/2), where g_w = 0 and lambda is 0 (no division by |g_w|).
  // d = g0: coefficients 1/n, divided by 1 + c = 2 with rescale onePlusC.
  const G = gram([[1, 0], [-1, 0]]);
  close(cagradWeights(G, 0.4), [0.5, 0.5]);
  close(cagradWeights(G, 1, 'onePlusC'), [0.25, 0.25]);
});

test('Nash-MTL: opposed tasks with a zero gradient take alpha_i = 1 / |g_i| and 0 for the zero one', () => {
  // g1 = (2, 0), g2 = (-1, 0), g3 = 0: g1 + 2 g2 = 0, so no direction improves both (the
  // ridge's alpha is ~1e6 / |g_i|, past MAX_ALPHA_GAIN): alpha = (1/2, 1/1, 0). Its direction
  // d = (1/2)(2, 0) + (-1, 0) = 0 has norm 0 <= maxNorm: not scaled.
  close(nashMtlWeights(gram([[2, 0], [-1, 0], [0, 0]]), 1), [0.5, 1, 0]);
});

test('the non-negative QP: a coordinate singular to rounding, or leaving at once, is barred', () => {
  // g1 = (1, 0, 0), g2 = (1, e, 0), g3 = (0, -1, 0) with e = 1e-8, v >= u = (-1, 0, 1).
  // G u = (-1, -1 - e, 1): coordinate 0 enters first, G_00 x_0 = 1 gives x_0 = 1, v = (0, 0, 1)
  // and J^T v = g3, so (G v) = (0, -e, 1): coordinate 1 enters ((G v)_1 = -1e-8 < -1e-12).
  // Singular: G_11 = 1 + e^2 rounds to 1, so G_PP = [[1, 1], [1, 1]]: the solve fails and
  // coordinate 1 is barred; v stays (0, 0, 1).
  const e = 1e-8;
  const singular = [[1, 1, 0], [1, 1 + e * e, -e], [0, -e, 1]];
  assert.equal(singular[1]![1], 1);
  close(minQuadraticAbove(singular, [-1, 0, 1]), [0, 0, 1], 0);
  // Leaving at once: G_11 = 1 - 1e-10 (indefinite by rounding; the pivot 1e-10 is above the cut).
  // The solve on P = {0, 1}: z_0 + z_1 = 1, z_0 + (1 - 1e-10) z_1 = 1 + e, so z_1 = -e / 1e-10 =
  // -100 <= 0: the walk towards z stops at once (x_1 = 0: alpha = 0) and coordinate 1 leaves P,
  // barred; v stays (0, 0, 1).
  const indefinite = [[1, 1, 0], [1, 1 - 1e-10, -e], [0, -e, 1]];
  close(minQuadraticAbove(indefinite, [-1, 0, 1]), [0, 0, 1], 0);
});
