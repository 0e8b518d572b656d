// CAGrad (Liu et al. 2021, eq. 4 and Alg. 1): coefficients worked out by hand on two
// conflicting gradients, the rescale conventions, and the paper's property: d is the best
// worst-case direction in the ball |d - g0| <= c |g0|.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { validate } from '../../../../src/core/validate';
import { cagrad, cagradWeights } from '../../../../src/core/weighting/cagrad';
import { digitsParity } from '../fixtures';

const close = (actual: readonly number[], expected: readonly number[], tol = 1e-5) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}]: ${actual[i]} vs ${e} (all: ${actual.join(', ')})`));
const gram = (rows: number[][]) => rows.map((a) => rows.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)));

// g1 = (1, 0), g2 = (-1, 1): G = [[1, -1], [-1, 2]], g0 = (0, 0.5), |g0|^2 = mean(G) = 1/4.
// With w = (t, 1 - t): g_w^T g0 = w^T G 1/2 = (1 - t)/2, |g_w|^2 = 5t^2 - 6t + 2, so
// F(t) = (1 - t)/2 + c |g0| sqrt(5t^2 - 6t + 2),  F'(t) = -1/2 + c |g0| (5t - 3) / sqrt(5t^2 - 6t + 2).
const G = [[1, -1], [-1, 2]];

test('c = 0.4 (default): the minimiser is a vertex of the simplex', () => {
  // c |g0| = 0.2: F'(t) = 0 would need (5t - 3)^2 = 6.25 (5t^2 - 6t + 2), i.e. 6.25t^2 - 7.5t + 3.5 = 0,
  // which has no real root; F'(1) = -0.5 + 0.2 * 2 / 1 = -0.1 < 0, so w* = (1, 0), g_w = g1, |g_w| = 1.
  // d = g0 + (0.2 / 1) g1 = (0.2, 0.5): coefficients (1/2 + 0.2, 1/2) = (0.7, 0.5).
  close(cagradWeights(G, 0.4), [0.7, 0.5]);
  close(cagrad.create!(cagrad.description.defaults, []).weights({ step: 0, epoch: 1, active: [0, 1], gramian: G, epochLosses: [], random: () => 0 }), [0.7, 0.5]);
});

test('c = 0.8: an interior minimiser', () => {
  // c |g0| = 0.4: F'(t) = 0 gives 5t - 3 = 1.25 sqrt(5t^2 - 6t + 2) (so t > 0.6); squared:
  // 17.1875 t^2 - 20.625 t + 5.875 = 0, t = 0.6 + 1/sqrt(55) = 0.734840 (the other root is < 0.6).
  // Then |g_w|^2 = 5t^2 - 6t + 2 = 16/55, lambda = 0.4 / sqrt(16/55) = 0.1 sqrt(55) = 0.741620, and
  // coefficients 1/2 + lambda t = 0.6 + 0.06 sqrt(55) = 1.044972, 1/2 + lambda (1 - t) = 0.4 + 0.04 sqrt(55) = 0.696648.
  const r = Math.sqrt(55);
  close(cagradWeights(G, 0.8), [0.6 + 0.06 * r, 0.4 + 0.04 * r]);
});

test('c = 0 is the mean gradient; the rescale conventions divide by 1 + c^2 or 1 + c', () => {
  close(cagradWeights(G, 0), [0.5, 0.5]);
  close(cagradWeights(G, 0.4, 'onePlusCSquared'), [0.7 / 1.16, 0.5 / 1.16]);
  close(cagradWeights(G, 0.4, 'onePlusC'), [0.7 / 1.4, 0.5 / 1.4]);
  // The Gramian's scale does not move the coefficients (the problem scales with it).
  close(cagradWeights(G.map((row) => row.map((x) => x * 1e-6)), 0.8), cagradWeights(G, 0.8));
});

test('d maximises the worst task improvement min_i <g_i, d> over the ball |d - g0| <= c |g0| (random Jacobians)', () => {
  const rng = new SeededRandom(17);
  for (let trial = 0; trial < 30; trial++) {
    const n = 2 + rng.int(3);
    const dim = 4;
    const rows = Array.from({ length: n }, () => Array.from({ length: dim }, () => rng.normal()));
    const c = 0.5;
    const w = cagradWeights(gram(rows), c);
    const combine = (coef: readonly number[]) => Array.from({ length: dim }, (_, k) => rows.reduce((s, r, i) => s + coef[i]! * r[k]!, 0));
    const d = combine(w);
    const g0 = combine(rows.map(() => 1 / n));
    const radius = c * Math.hypot(...g0);
    const worst = (x: readonly number[]) => Math.min(...rows.map((r) => r.reduce((s, v, k) => s + v * x[k]!, 0)));
    assert.ok(Math.hypot(...d.map((v, k) => v - g0[k]!)) <= radius * (1 + 1e-6), `trial ${trial}: d leaves the ball`);
    for (let s = 0; s < 300; s++) {
      const u = Array.from({ length: dim }, () => rng.normal());
      const len = Math.hypot(...u);
      const x = g0.map((v, k) => v + (radius * Math.sqrt(rng.next()) * u[k]!) / len);
      assert.ok(worst(x) <= worst(d) + 1e-6, `trial ${trial}: a point of the ball does better (${worst(x)} > ${worst(d)})`);
    }
  }
});

test('c is at most 1e6: beyond it the graph rule\'s float32 constants break (1/(1 + c^2) is 0 from c = 1e20, c itself infinite from 3.4e38) and the core rule\'s solver loses its precision', () => {
  const ok = { ...digitsParity(), training: { ...digitsParity().training, weighting: { method: 'cagrad', c: 1e6, rescale: 'onePlusCSquared' } } };
  assert.deepEqual(validate(ok).problems.filter((p) => p.severity === 'error'), []);
  for (const c of [1e6 + 1, 1e20, 1e39]) {
    const doc = { ...digitsParity(), training: { ...digitsParity().training, weighting: { method: 'cagrad', c, rescale: 'onePlusCSquared' } } };
    const errors = validate(doc).problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.deepEqual(errors[0]!.path, ['training', 'weighting', 'c']);
    assert.match(errors[0]!.message, /"c" must be a number ≥ 0 and ≤ 1000000, got /);
  }
});
