// GLS (Chennupati et al. 2019): the geometric mean of the task losses, as loss weights on the
// current losses. That these weights give the gradient of the geometric mean is checked on
// tensors in test/unit/trainer/lossMethodsTraining.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gls } from '../../../../src/core/weighting/gls';
import { assertClose, context, ruleOf } from './lossHelpers';

test('GLS: w_i = (prod L)^(1/T) / (T L_i) on the batch losses (hand-worked)', () => {
  // L = [2, 0.5, 4]: prod 4, T = 3, (prod L)^(1/3) = 4^(1/3) = 1.5874011
  //   w = 1.5874011 / (3 [2, 0.5, 4]) = [0.2645668, 1.0582674, 0.1322834]
  const w = ruleOf(gls, 3).weights(context({ active: [0, 1, 2], losses: [2, 0.5, 4] }));
  assertClose(w, [0.2645668, 1.0582674, 0.1322834]);
  // sum_i w_i L_i = (prod L)^(1/T): the weighted loss equals the geometric mean here.
  assert.ok(Math.abs(w[0]! * 2 + w[1]! * 0.5 + w[2]! * 4 - 1.5874011) < 1e-6);
});

test('GLS: T is the number of tasks in the step; a loss of 0 gives a finite weight', () => {
  // Tasks 0 and 2 only, L = [2, 8]: sqrt(16) = 4, w = 4 / (2 [2, 8]) = [1, 0.25]
  assertClose(ruleOf(gls, 3).weights(context({ active: [0, 2], losses: [2, 8] })), [1, 0.25]);
  const w = ruleOf(gls, 2).weights(context({ active: [0, 1], losses: [0, 1] }));
  assert.ok(w.every(Number.isFinite));
});
