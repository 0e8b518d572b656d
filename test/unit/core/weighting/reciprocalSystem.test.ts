// Damped Newton for G alpha = 1/alpha: systems built by hand around a chosen solution.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { solveReciprocalSystem } from '../../../../src/core/weighting/reciprocalSystem';

const close = (actual: readonly number[] | undefined, expected: readonly number[], tol = 1e-5) => {
  assert.ok(actual);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}]: ${actual[i]} vs ${e} (all: ${actual.join(', ')})`));
};

test('orthogonal gradients: alpha_i = 1 / |g_i|', () => {
  close(solveReciprocalSystem([[1, 0], [0, 4]]), [1, 0.5]);
});

test('systems made around alpha = (1, 0.5) and (1, 0.5, 2)', () => {
  // Rows: G11 + 0.5 G12 = 1/1 and G12 + 0.5 G22 = 1/0.5. G12 = 0.4 gives G11 = 0.8, G22 = 3.2;
  // G12 = -0.4 (conflicting gradients) gives G11 = 1.2, G22 = 4.8. Both positive definite.
  close(solveReciprocalSystem([[0.8, 0.4], [0.4, 3.2]]), [1, 0.5]);
  close(solveReciprocalSystem([[1.2, -0.4], [-0.4, 4.8]]), [1, 0.5]);
  // Three tasks, off-diagonals 0.2, -0.1, 0.3: G11 = 1 - 0.1 + 0.2 = 1.1, G22 = (2 - 0.2 - 0.6)/0.5 = 2.4,
  // G33 = (0.5 + 0.1 - 0.15)/2 = 0.225 (determinant 0.45 > 0).
  close(solveReciprocalSystem([[1.1, 0.2, -0.1], [0.2, 2.4, 0.3], [-0.1, 0.3, 0.225]]), [1, 0.5, 2]);
});

test('the equation holds on random Gramians of independent gradients; all-zero gradients have no solution', () => {
  const rng = new SeededRandom(5);
  for (let trial = 0; trial < 50; trial++) {
    const n = 2 + rng.int(4);
    const rows = Array.from({ length: n }, () => Array.from({ length: 6 }, () => rng.normal() * 10 ** (rng.int(5) - 2)));
    const g = rows.map((a) => rows.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)));
    const alpha = solveReciprocalSystem(g)!;
    alpha.forEach((a, i) => {
      assert.ok(a > 0);
      const ga = g[i]!.reduce((s, x, j) => s + x * alpha[j]!, 0);
      assert.ok(Math.abs(a * ga - 1) < 1e-6, `trial ${trial}, task ${i}: alpha_i (G alpha)_i = ${a * ga}`);
    });
  }
  assert.equal(solveReciprocalSystem([[0, 0], [0, 0]]), undefined);
});

test('a zero gradient gets 0 and the others solve their own system; opposed gradients stay finite', () => {
  close(solveReciprocalSystem([[1, 0, 0], [0, 0, 0], [0, 0, 4]]), [1, 0, 0.5]);
  // g1 = -g2: no exact solution (1^T G 1 = 0); the ridge keeps alpha finite and positive.
  const alpha = solveReciprocalSystem([[1, -1], [-1, 1]])!;
  assert.ok(alpha.every((a) => a > 0 && Number.isFinite(a)), `alpha = ${alpha.join(', ')}`);
});
