// Projected gradient on the simplex: the exact projection, and minimisers worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minimizeOnSimplex, projectOntoSimplex } from '../../../../src/core/weighting/simplexMinimize';

const close = (actual: readonly number[], expected: readonly number[], tol = 1e-5) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}]: ${actual[i]} vs ${e} (all: ${actual.join(', ')})`));

test('projection onto the simplex', () => {
  close(projectOntoSimplex([0.2, 0.3, 0.5]), [0.2, 0.3, 0.5]); // already on it
  // (1, 1, 0) - 1/2: (0.5, 0.5, -0.5) -> clip: (0.5, 0.5, 0).
  close(projectOntoSimplex([1, 1, 0]), [0.5, 0.5, 0]);
  // (2, 0, 0): theta = 1 -> (1, 0, 0).
  close(projectOntoSimplex([2, 0, 0]), [1, 0, 0]);
  // (0.5, 0.2, 0.1) sums to 0.8: each + 0.2/3.
  close(projectOntoSimplex([0.5, 0.2, 0.1]), [0.5 + 0.2 / 3, 0.2 + 0.2 / 3, 0.1 + 0.2 / 3]);
});

test('the min-norm point of the convex hull of two and three vectors (a quadratic)', () => {
  // u1 = (1, 0), u2 = (0, 2): |t u1 + (1-t) u2|^2 = t^2 + 4(1-t)^2, least at t = 4/5.
  const q = (G: number[][]) => ({
    f: (w: number[]) => w.reduce((s, x, i) => s + x * G[i]!.reduce((t, g, j) => t + g * w[j]!, 0), 0),
    grad: (w: number[]) => G.map((row) => 2 * row.reduce((t, g, j) => t + g * w[j]!, 0)),
  });
  const two = q([[1, 0], [0, 4]]);
  close(minimizeOnSimplex(two.f, two.grad, [0.5, 0.5]), [0.8, 0.2]);
  // u1 = (1,0), u2 = (0,1), u3 = (1,1): the nearest point to 0 is (1/2, 1/2) = u1/2 + u2/2 (u3 unused).
  const three = q([[1, 0, 1], [0, 1, 1], [1, 1, 2]]);
  close(minimizeOnSimplex(three.f, three.grad, [1 / 3, 1 / 3, 1 / 3]), [0.5, 0.5, 0]);
});
