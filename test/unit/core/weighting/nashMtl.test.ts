// Nash-MTL (Navon et al. 2022): the bargaining solution G alpha = 1/alpha on hand-made
// Gramians, the norm limit and the update frequency.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WeightingContext } from '../../../../src/core/weighting/method';
import { nashMtl, nashMtlWeights } from '../../../../src/core/weighting/nashMtl';

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
