// Aligned-MTL (Senushkin et al. 2023, Alg. 1): alpha = sqrt(lambda_min) V Lambda^{-1/2} V^T 1
// worked out by hand, the rank cut, and the property the method is built for: the aligned
// components have equal size (the aligned Gramian has condition number 1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { alignedMtl, alignedMtlWeights } from '../../../../src/core/weighting/alignedMtl';
import { symmetricEigen } from '../../../../src/core/weighting/symmetricEigen';

const close = (actual: readonly number[], expected: readonly number[], tol = 1e-5) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}]: ${actual[i]} vs ${e} (all: ${actual.join(', ')})`));

test('orthogonal gradients g1 = (2, 0), g2 = (0, 1): each scaled to the smaller norm', () => {
  // G = diag(4, 1): V = I, B = sqrt(1) diag(1/2, 1), alpha = B 1 = (0.5, 1); d = (1, 1).
  close(alignedMtlWeights([[4, 0], [0, 1]]), [0.5, 1]);
  close(alignedMtl.create!({}, []).weights({ step: 0, epoch: 1, active: [0, 1], gramian: [[4, 0], [0, 1]], epochLosses: [], random: () => 0 }), [0.5, 1]);
});

test('a 3x3 Gramian with eigenvalues 9, 4, 1', () => {
  // G = Q diag(9, 4, 1) Q^T, Q's columns q1 = (1,1,0)/sqrt2, q2 = (1,-1,0)/sqrt2, q3 = (0,0,1):
  // G = [[6.5, 2.5, 0], [2.5, 6.5, 0], [0, 0, 1]]. Q^T 1 = (sqrt2, 0, 1); times Lambda^{-1/2}:
  // (sqrt2/3, 0, 1); times Q: (1/3, 1/3, 1); times sqrt(lambda_min) = 1: alpha = (1/3, 1/3, 1).
  close(alignedMtlWeights([[6.5, 2.5, 0], [2.5, 6.5, 0], [0, 0, 1]]), [1 / 3, 1 / 3, 1]);
  // Symmetric 2x2 [[5, 3], [3, 5]] (eigenvalues 8 along (1,1), 2 along (1,-1)): 1 = sqrt2 q1, so
  // alpha = sqrt(2) q1 sqrt2 / sqrt8 = (1, 1) sqrt(2/8) = (0.5, 0.5).
  close(alignedMtlWeights([[5, 3], [3, 5]]), [0.5, 0.5]);
});

test('a rank-deficient Gramian keeps only its non-zero eigenvalues', () => {
  // g1 = g2, |g| = 1: G = [[1, 1], [1, 1]], eigenvalues 2 (along (1,1)/sqrt2) and 0 (cut).
  // lambda_min = 2: alpha = sqrt2 q1 (q1 . 1) / sqrt2 = q1 sqrt2 = (1, 1).
  close(alignedMtlWeights([[1, 1], [1, 1]]), [1, 1]);
  // A zero gradient: its eigenvalue is cut, the other task keeps coefficient 1.
  close(alignedMtlWeights([[4, 0], [0, 0]]), [1, 0]);
});

test('the aligned Gramian B G B has all its non-zero eigenvalues equal to lambda_min (random Jacobians)', () => {
  const rng = new SeededRandom(8);
  for (let trial = 0; trial < 20; trial++) {
    const n = 2 + rng.int(4);
    const rows = Array.from({ length: n }, () => Array.from({ length: 7 }, () => rng.normal() * (1 + rng.int(10))));
    const g = rows.map((a) => rows.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)));
    const { values, vectors } = symmetricEigen(g);
    const lmin = values[n - 1]!;
    // B = sqrt(lmin) V Lambda^{-1/2} V^T; aligned Gramian B G B = lmin V V^T: eigenvalues all lmin.
    const b = g.map((_, i) => g.map((__, j) => values.reduce((s, v, k) => s + Math.sqrt(lmin / v) * vectors[k]![i]! * vectors[k]![j]!, 0)));
    const bgb = b.map((row) => b.map((_, j) => row.reduce((s, x, k) => s + x * g[k]!.reduce((t, y, l) => t + y * b[l]![j]!, 0), 0)));
    symmetricEigen(bgb).values.forEach((v) => assert.ok(Math.abs(v - lmin) <= 1e-8 * values[0]!, `trial ${trial}: ${v} vs ${lmin}`));
    // And alpha = B 1.
    close(alignedMtlWeights(g), b.map((row) => row.reduce((s, x) => s + x, 0)), 1e-6);
  }
});
