// GradNorm (Chen et al. 2018, Algorithm 1) on a fixed sequence of losses and Gramians.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradnorm } from '../../../../src/core/weighting/gradnorm';
import { assertClose, context, ruleOf } from './lossHelpers';

test('GradNorm: weights follow the gradient of sum_i |w_i ||g_i|| - mean(G) r_i^alpha| (hand-worked, alpha 1.5, lr 0.1)', () => {
  const rule = ruleOf(gradnorm, 2, { learningRate: 0.1 });
  const ctx = (losses: number[], gramian: number[][]) => context({ active: [0, 1], losses, gramian });
  // Step 0: w = [1, 1] is used. L(0) = [2, 1]; ||g|| = sqrt(diag [[4, 1], [1, 1]]) = [2, 1]
  //   G = w ||g|| = [2, 1], mean 1.5; Lt = L / L(0) = [1, 1] -> r = [1, 1]; targets [1.5, 1.5]
  //   dL_grad/dw = sign(G - target) ||g|| = [+2, -1]; w = [1 - 0.2, 1 + 0.1] = [0.8, 1.1]
  //   renormalised to sum 2: [0.8421053, 1.1578947]
  assertClose(rule.weights(ctx([2, 1], [[4, 1], [1, 1]])), [1, 1]);
  // Step 1: w = [0.8421053, 1.1578947] is used. L = [1, 0.8]: Lt = [0.5, 0.8], mean 0.65,
  //   r = [0.7692308, 1.2307692]; ||g|| = [1, 2]: G = [0.8421053, 2.3157895], mean 1.5789474
  //   targets = 1.5789474 r^1.5 = [1.0652527, 2.1559198]
  //   signs [-1, +1]: w = [0.8421053 + 0.1, 1.1578947 - 0.2] = [0.9421053, 0.9578947] (sum 1.9)
  //   renormalised: [0.9916898, 1.0083102]
  assertClose(rule.weights(ctx([1, 0.8], [[1, 0], [0, 4]])), [0.8421053, 1.1578947]);
  // Step 2 uses the weights worked out at step 1.
  const w2 = rule.weights(ctx([0.9, 0.5], [[1, 0], [0, 1]]));
  assertClose(w2, [0.9916898, 1.0083102]);
  // Step 2's own update: r = [0.9473684, 1.0526316], G = w2, mean 1: targets [0.9221007, 1.0799772]
  //   signs [+1, -1]: w = [0.8916898, 1.1083102] (sum 2 already)
  assertClose(rule.weights(ctx([0.9, 0.5], [[1, 0], [0, 1]])), [0.8916898, 1.1083102]);
});

test('GradNorm: with equal training rates, weights move to equalise the weighted gradient norms', () => {
  const rule = ruleOf(gradnorm, 3);
  // Task 2's gradient is 4 times as large as the others'; losses stay at their start.
  const gramian = [[1, 0, 0], [0, 1, 0], [0, 0, 16]];
  let w: number[] = [];
  for (let step = 0; step < 400; step++) w = rule.weights(context({ active: [0, 1, 2], step, losses: [1, 2, 3], gramian }));
  assert.ok(Math.abs(w.reduce((a, v) => a + v, 0) - 3) < 1e-9, 'the weights sum to the number of tasks');
  // Equal norms: w_0 * 1 = w_1 * 1 = w_2 * 4 with sum 3 -> [4/3, 4/3, 1/3], up to the steps' chatter.
  assert.ok(Math.abs(w[0]! - 4 / 3) < 0.1 && Math.abs(w[1]! - 4 / 3) < 0.1 && Math.abs(w[2]! - 1 / 3) < 0.1, `weights ${w.join(', ')}`);
});
