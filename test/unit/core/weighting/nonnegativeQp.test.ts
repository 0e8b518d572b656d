// minQuadraticAbove (Lawson-Hanson's active set): hand-worked small problems, singular Gramians
// (a narrow valley among them), and the KKT conditions on random ill-conditioned ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { minQuadraticAbove } from '../../../../src/core/weighting/nonnegativeQp';
import { normalizedPsd } from '../../../../src/core/weighting/psdGramian';

const close = (actual: readonly number[], expected: readonly number[], tol = 1e-5) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}]: ${actual[i]} vs ${e} (all: ${actual.join(', ')})`));
const gram = (rows: number[][]) => rows.map((a) => rows.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)));

test('a bound that binds and one that does not: G = [[1,-1],[-1,2]]', () => {
  // v >= (1, 0): v^T G v = v1^2 - 2 v1 v2 + 2 v2^2; with v1 = 1 it is 1 - 2 t + 2 t^2, least at t = 1/2.
  // (Then d/dv1 = 2 (v1 - v2) = 1 > 0: v1 stays at its bound.)
  close(minQuadraticAbove([[1, -1], [-1, 2]], [1, 0]), [1, 0.5]);
  // v >= (0, 1): v1^2 - 2 v1 + 2, least at v1 = 1; d/dv2 = -2 v1 + 4 v2 = 2 > 0: v2 stays at 1.
  close(minQuadraticAbove([[1, -1], [-1, 2]], [0, 1]), [1, 1]);
  // No conflict (G's off-diagonal >= 0): the lower bound itself is optimal.
  close(minQuadraticAbove([[1, 0.5], [0.5, 2]], [1, 0]), [1, 0]);
});

test('two active bounds in three dimensions', () => {
  // g1 = (1,0,0), g2 = (0,1,0), g3 = (-1,-1,0.5); v >= e1. With v = (1, a, b):
  // x = g1 + a g2 + b g3 = (1 - b, a - b, b/2); KKT with both free: <x, g2> = a - b = 0 and
  // <x, g3> = -(1 - b) - (a - b) + b/4 = 0, so a = b = 0.8 (x = (0.2, 0, 0.4)).
  close(minQuadraticAbove(gram([[1, 0, 0], [0, 1, 0], [-1, -1, 0.5]]), [1, 0, 0]), [1, 0.8, 0.8]);
});

test('singular Gramians: a zero gradient and two equal gradients', () => {
  // g2 = 0: its coordinate does not matter and stays at its bound.
  close(minQuadraticAbove([[1, 0], [0, 0]], [1, 0]), [1, 0]);
  // g1 = g2 = (1, 0), g3 = (-1, 1): from e3, x = g3 + a g1 + b g2 needs a + b = 1 (<x, g1> = 0);
  // the direction x = (0, 1) is unique even though (a, b) is not.
  const g = gram([[1, 0], [1, 0], [-1, 1]]);
  const v = minQuadraticAbove(g, [0, 0, 1]);
  assert.ok(v[0]! >= 0 && v[1]! >= 0);
  close([v[0]! + v[1]!, v[2]!], [1, 1]);
});

test('dependent gradients in a narrow valley: exact, where sweeps crawled (3 gradients in 2 dimensions)', () => {
  // g1 = (-1, 0), g2 = (1, d), g3 = (1, -d), d = 1e-3: the dual cone {x : <x, g_j> >= 0} is {0}
  // (x1 >= d |x2| and x1 <= 0), so g1's projection is 0: v1 g1 + v2 g2 + v3 g3 = 0 needs
  // -v1 + v2 + v3 = 0 (first coordinate) and d (v2 - v3) = 0 (second): v2 = v3 = v1 / 2, and with
  // v1 at its bound 1, v = (1, 1/2, 1/2), v^T G v = 0.
  // G = [[1, -1, -1], [-1, 1 + d^2, 1 - d^2], [-1, 1 - d^2, 1 + d^2]]: its small eigenvalue ~d^2
  // along g2 - g3 made the former projected Gauss-Seidel stop at its sweep limit at
  // v = (1.02, 0.98, 0.04), |d|^2 = 8.9e-7.
  const d = 1e-3;
  const G = [[1, -1, -1], [-1, 1 + d * d, 1 - d * d], [-1, 1 - d * d, 1 + d * d]];
  const v = minQuadraticAbove(G, [1, 0, 0]);
  close(v, [1, 0.5, 0.5]);
  const objective = v.reduce((s, a, i) => s + v.reduce((t, b, j) => t + a * b * G[i]![j]!, 0), 0);
  assert.ok(Math.abs(objective) <= 1e-12, `v^T G v = ${objective}`);
});

test('a Gramian with a NaN entry gives NaN, never a quiet answer', () => {
  assert.ok(minQuadraticAbove([[1, NaN], [NaN, 1]], [1, 0]).every(Number.isNaN));
});

test('KKT conditions hold on random, nearly collinear gradients', () => {
  const rng = new SeededRandom(3);
  for (let trial = 0; trial < 50; trial++) {
    const n = 2 + rng.int(5);
    const base = Array.from({ length: 8 }, () => rng.normal());
    // Gradients sharing a large common part (condition numbers up to ~1e6) with some conflicts.
    const rows = Array.from({ length: n }, () => base.map((b) => (trial % 2 ? b : 0) + rng.normal() * (trial % 2 ? 1e-3 : 1)));
    const g = gram(rows);
    const lower = Array.from({ length: n }, (_, i) => (i === trial % n ? 1 : 0));
    const v = minQuadraticAbove(g, lower);
    const gv = g.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
    const scale = Math.max(...g.map((row, i) => row[i]!)) * Math.max(...v.map(Math.abs));
    v.forEach((x, i) => {
      assert.ok(x >= lower[i]!, `v[${i}] = ${x} below its bound`);
      assert.ok(gv[i]! >= -1e-9 * scale, `trial ${trial}: (Gv)[${i}] = ${gv[i]} < 0`);
      if (x > lower[i]! + 1e-9) assert.ok(Math.abs(gv[i]!) <= 1e-6 * scale, `trial ${trial}: free coordinate ${i} has (Gv) = ${gv[i]}`);
    });
  }
});

test('KKT conditions hold on dependent gradients: n in fewer than n dimensions, float32-rounded and made PSD as upgrad.ts does', () => {
  // The Gramian's null eigenvalues come out ~1e-8 after rounding: long narrow valleys, where the
  // former Gauss-Seidel sweeps stopped at their limit with free coordinates' (G v)_j far from 0.
  const rng = new SeededRandom(23);
  for (let trial = 0; trial < 200; trial++) {
    const n = 3 + (trial % 6);
    const dims = 1 + rng.int(n - 1);
    const rows = Array.from({ length: n }, () => Array.from({ length: dims }, () => rng.normal()));
    const g = normalizedPsd(gram(rows).map((row) => row.map(Math.fround)))!;
    const lower = Array.from({ length: n }, (_, i) => (i === trial % n ? 1 : 0));
    const v = minQuadraticAbove(g, lower);
    const gv = g.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
    const scale = Math.max(1, ...v.map(Math.abs)); // max G_ii = 1
    v.forEach((x, i) => {
      assert.ok(x >= lower[i]!, `trial ${trial}: v[${i}] = ${x} below its bound`);
      assert.ok(gv[i]! >= -1e-10 * scale, `trial ${trial}: (Gv)[${i}] = ${gv[i]} < 0`);
      if (x > lower[i]!) assert.ok(Math.abs(gv[i]!) <= 1e-10 * scale, `trial ${trial}: free coordinate ${i} has (Gv) = ${gv[i]}`);
    });
  }
});
