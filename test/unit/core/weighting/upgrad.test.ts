// UPGrad (Quinton & Rey 2024): coefficients worked out by hand from the projections onto
// the dual cone, and the paper's property: the direction lies in the dual cone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { upgrad, upgradWeights } from '../../../../src/core/weighting/upgrad';

const close = (actual: readonly number[], expected: readonly number[], tol = 1e-5) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}]: ${actual[i]} vs ${e} (all: ${actual.join(', ')})`));
const gram = (rows: number[][]) => rows.map((a) => rows.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)));

test('two conflicting gradients: g1 = (1, 0), g2 = (-1, 1)', () => {
  // Dual cone C = {x : x1 >= 0, x2 >= x1}. <g1, g2> = -1 < 0: each gradient leaves C.
  // pi(g1): onto <x, g2> = 0: g1 - (<g1,g2>/|g2|^2) g2 = (1,0) + (1/2)(-1,1) = (0.5, 0.5) = g1 + 0.5 g2.
  // pi(g2): onto <x, g1> = 0: g2 - (<g2,g1>/|g1|^2) g1 = (-1,1) + (1,0) = (0, 1) = g1 + g2.
  // Mean: c = ((1 + 1)/2, (0.5 + 1)/2) = (1, 0.75); d = (0.25, 0.75).
  close(upgradWeights(gram([[1, 0], [-1, 1]])), [1, 0.75]);
});

test('three gradients, projections on an edge of the cone', () => {
  // g1 = (1,0,0), g2 = (0,1,0), g3 = (-1,-1,0.5).
  // pi(g3) = (0, 0, 0.5) (clip the two negative coordinates; <(0,0,0.5), g3> = 0.25 >= 0) = g3 + g1 + g2.
  // pi(g1): x = g1 + a g2 + b g3 = (1-b, a-b, b/2) with <x,g2> = 0 and <x,g3> = 0: a = b = 0.8,
  // x = (0.2, 0, 0.4), multipliers >= 0. pi(g2) likewise: g2 + 0.8 g1 + 0.8 g3 = (0, 0.2, 0.4).
  // c = ((1 + 0.8 + 1)/3, (0.8 + 1 + 1)/3, (0.8 + 0.8 + 1)/3) = (2.8/3, 2.8/3, 2.6/3).
  close(upgradWeights(gram([[1, 0, 0], [0, 1, 0], [-1, -1, 0.5]])), [2.8 / 3, 2.8 / 3, 2.6 / 3]);
});

test('gradients that agree pairwise: the mean gradient', () => {
  // Every <g_i, g_j> >= 0: each g_i is in the dual cone already, pi(g_i) = g_i, c = 1/n.
  close(upgradWeights([[4, 1, 0], [1, 2, 0.5], [0, 0.5, 1]]), [1 / 3, 1 / 3, 1 / 3]);
});

test('the direction lies in the dual cone: <d, g_j> = (G c)_j >= 0 (random Jacobians)', () => {
  const rng = new SeededRandom(11);
  for (let trial = 0; trial < 100; trial++) {
    const n = 2 + rng.int(4);
    const g = gram(Array.from({ length: n }, () => Array.from({ length: 5 }, () => rng.normal())));
    const c = upgradWeights(g);
    const scale = Math.max(...g.map((row, i) => row[i]!));
    g.forEach((row, j) => {
      const inner = row.reduce((s, x, i) => s + x * c[i]!, 0);
      assert.ok(inner >= -1e-9 * scale, `trial ${trial}: <d, g_${j}> = ${inner}`);
    });
  }
});

test('the rule reads the Gramian of the active tasks', () => {
  const rule = upgrad.create!({}, []);
  close(rule.weights({ step: 0, epoch: 1, active: [0, 2], gramian: [[1, -1], [-1, 2]], epochLosses: [], random: () => 0 }), [1, 0.75]);
});
