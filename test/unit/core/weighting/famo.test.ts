// FAMO (Liu et al. 2023) on a fixed sequence of losses before and after each update.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { famo } from '../../../../src/core/weighting/famo';
import { assertClose, context, ruleOf } from './lossHelpers';

test('FAMO: weights z_i / (c L_i), logits learn from the log-loss decrease (hand-worked, defaults)', () => {
  const rule = ruleOf(famo, 2);
  const ctx = (losses: number[]) => context({ active: [0, 1], losses });
  // Step 1: xi = [0, 0], z = [0.5, 0.5], L = [2, 0.5]; c = 0.5/2 + 0.5/0.5 = 1.25
  //   w = [0.5 / (1.25 * 2), 0.5 / (1.25 * 0.5)] = [0.2, 0.8]
  assertClose(rule.weights(ctx([2, 0.5])), [0.2, 0.8]);
  // After: L' = [1, 0.4]. delta = [ln 2 - ln 1, ln 0.5 - ln 0.4] = [0.6931472, 0.2231436]
  //   z . delta = 0.4581454; gradient z_j (delta_j - z . delta) + gamma xi_j = [0.1175009, -0.1175009]
  //   Adam's first step moves each logit by lr * sign: xi = [-0.025, 0.025]
  rule.afterStep!(ctx([2, 0.5]), [1, 0.4]);
  // Step 2: L = [1, 0.4]; z = softmax([-0.025, 0.025]) = [0.4875026, 0.5124974]
  //   c = 0.4875026 / 1 + 0.5124974 / 0.4 = 1.7687461; w = [0.2756205, 0.7243795]
  // Task 0 improved more (its log loss fell by 0.69 against 0.22): its share z_0 went down.
  assertClose(rule.weights(ctx([1, 0.4])), [0.2756205, 0.7243795]);
  // After: L' = [0.9, 0.38]: delta = [0.1053605, 0.0512933], z . delta = 0.0776512
  //   gradient = [0.4875026 (0.1053605 - 0.0776512) + 0.001 (-0.025), ...] = [0.0134834, -0.0134834]
  //   Adam: m = 0.9 (0.1 g1) + 0.1 g2, v = 0.999 (0.001 g1^2) + 0.001 g2^2, bias-corrected:
  //   xi_0 = -0.025 - 0.025 mHat / sqrt(vHat) = -0.0437640
  rule.afterStep!(ctx([1, 0.4]), [0.9, 0.38]);
  // Step 3: L = [0.9, 0.38]: z = softmax([-0.0437640, 0.0437640]) = [0.4781319, 0.5218681]
  //   c = 0.4781319 / 0.9 + 0.5218681 / 0.38 = 1.9045947; w = [0.2789348, 0.7210652]
  assertClose(rule.weights(ctx([0.9, 0.38])), [0.2789348, 0.7210652]);
});

test('FAMO: the weights sum to 1 (c normalises them) and a task left out of a step keeps its logit', () => {
  const rule = ruleOf(famo, 3);
  const w = rule.weights(context({ active: [0, 1, 2], losses: [3, 1, 0.2] }));
  assert.ok(Math.abs(w[0]! + w[1]! + w[2]! - 1) < 1e-9);
  rule.afterStep!(context({ active: [0, 1, 2] }), [1, 1, 0.2]); // task 0 improved, task 1 and 2 not
  // Tasks 1 and 2 had the same delta (0) in that update: their logits moved alike (task 0's
  // went down), so on equal losses they weigh alike.
  const pair = rule.weights(context({ active: [1, 2], losses: [1, 1] }));
  assertClose(pair, [0.5, 0.5]);
  rule.afterStep!(context({ active: [1, 2] }), [0.5, 1]);
  // Back with all three: task 0's logit did not move while it was away (it is the lowest, from
  // the first update), and task 2, which did not improve, now weighs more than task 1.
  const all = rule.weights(context({ active: [0, 1, 2], losses: [1, 1, 1] }));
  assert.ok(all[0]! < all[1]! && all[1]! < all[2]!, `weights ${all.join(', ')}`);
});
