// Nash-MTL (Navon et al. 2022): the bargaining solution G alpha = 1/alpha on hand-made
// Gramians, the norm limit, the update frequency, and opposed tasks (no solution: bounded).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WeightingContext } from '../../../../src/core/weighting/method';
import { MAX_ALPHA_GAIN, nashMtl, nashMtlWeights } from '../../../../src/core/weighting/nashMtl';

const close = (actual: readonly number[], expected: readonly number[], tol = 1e-5) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `[${i}]: ${actual[i]} vs ${e} (all: ${actual.join(', ')})`));
const ctx = (step: number, gramian: number[][], active = gramian.map((_, i) => i)): WeightingContext =>
  ({ step, epoch: 1, active, gramian, epochLosses: [], random: () => 0 });

// G = [[1.2, -0.4], [-0.4, 4.8]]: alpha = (1, 0.5) (1.2 - 0.2 = 1 = 1/1, -0.4 + 2.4 = 2 = 1/0.5).
// Every task improves by <g_i, d> = 1/alpha_i; |d|^2 = alpha^T G alpha = sum_i alpha_i / alpha_i = n = 2.
const G = [[1.2, -0.4], [-0.4, 4.8]];

test('alpha solves G alpha = 1/alpha; maxNorm scales the direction down to its limit', () => {
  close(nashMtlWeights(G, 0), [1, 0.5]); // no limit
  close(nashMtlWeights(G, 2), [1, 0.5]); // |d| = sqrt 2 < 2: unchanged
  close(nashMtlWeights(G, 1), [1 / Math.SQRT2, 0.5 / Math.SQRT2]); // |d| = sqrt 2 -> 1
  // The default rule: maxNorm 1.
  close(nashMtl.create!(nashMtl.description.defaults, []).weights(ctx(0, G)), [1 / Math.SQRT2, 0.5 / Math.SQRT2]);
});

test('updateEvery k: alpha is recomputed at steps 0, k, 2k and whenever the active tasks change', () => {
  const rule = nashMtl.create!({ maxNorm: 0, updateEvery: 3 }, []);
  // Orthogonal gradients: alpha_i = 1/|g_i|.
  close(rule.weights(ctx(0, [[1, 0], [0, 4]])), [1, 0.5]);
  close(rule.weights(ctx(1, [[4, 0], [0, 1]])), [1, 0.5]); // reused
  close(rule.weights(ctx(2, [[4, 0], [0, 1]], [0, 2])), [0.5, 1]); // other tasks: recomputed
  close(rule.weights(ctx(3, [[16, 0], [0, 1]], [0, 2])), [0.25, 1]); // step 3: recomputed
});

test('exactly opposed gradients have no bargaining solution: alpha_i = 1/|g_i|, not the ridge\'s ~1e6', () => {
  // g1 = (3, 4), g2 = -g1: G = [[25, -25], [-25, 25]]. No d improves both; alpha = (1/5, 1/5),
  // so d = g1/5 + g2/5 = 0 (the disagreement point) and no maxNorm scaling applies.
  const opposed = [[25, -25], [-25, 25]];
  close(nashMtlWeights(opposed, 0), [0.2, 0.2]);
  close(nashMtlWeights(opposed, 1), [0.2, 0.2]);
  close(nashMtl.create!(nashMtl.description.defaults, []).weights(ctx(0, opposed)), [0.2, 0.2]);
  // A third task orthogonal to both, g3 = (0, 0, 2) beside g1 = (1, 0, 0) = -g2: alpha = (1, 1, 1/2),
  // d = g3 / 2 with |d| = 1, halved by maxNorm 0.5.
  const three = [[1, -1, 0], [-1, 1, 0], [0, 0, 4]];
  close(nashMtlWeights(three, 0), [1, 1, 0.5]);
  close(nashMtlWeights(three, 0.5), [0.5, 0.5, 0.25]);
});

test('nearly opposed gradients keep the bargaining solution up to alpha_i |g_i| = MAX_ALPHA_GAIN', () => {
  assert.equal(MAX_ALPHA_GAIN, 100);
  // Unit gradients with cosine c: by symmetry alpha = (x, x) with x (1 + c) = 1/x, x = 1/sqrt(1 + c).
  // c = -0.9996: x = 1/sqrt(0.0004) = 50 <= 100, the solution stands.
  close(nashMtlWeights([[1, -0.9996], [-0.9996, 1]], 0), [50, 50], 1e-4);
  // c = -0.99996: x = 1/sqrt(0.00004) = 158.1 > 100, taken as opposed: alpha = (1, 1).
  close(nashMtlWeights([[1, -0.99996], [-0.99996, 1]], 0), [1, 1]);
});
