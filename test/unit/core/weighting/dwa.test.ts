// DWA (Liu, Johns & Davison 2019, eq. 1) on a fixed history of epoch mean losses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dwa } from '../../../../src/core/weighting/dwa';
import { assertClose, context, ruleOf } from './lossHelpers';

// Three tasks; epoch means: epoch 1 [2.0, 1.0, 0.5], epoch 2 [1.0, 0.9, 0.5], so
// r = L(t-1) / L(t-2) = [0.5, 0.9, 1.0]. With T = 2:
//   exp(r / T) = [exp(0.25), exp(0.45), exp(0.5)] = [1.2840254, 1.5683122, 1.6487213], sum 4.5010589
//   w = 3 exp(r / T) / sum = [0.8558156, 1.0452955, 1.0988889]  (sum 3)
const history = [[2.0, 1.0, 0.5], [1.0, 0.9, 0.5]];

test('DWA: weight 1 for every task in the first two epochs (no ratio yet)', () => {
  const rule = ruleOf(dwa, 3);
  assertClose(rule.weights(context({ active: [0, 1, 2], epoch: 1, epochLosses: [] })), [1, 1, 1]);
  assertClose(rule.weights(context({ active: [0, 1, 2], epoch: 2, epochLosses: history.slice(0, 1) })), [1, 1, 1]);
});

test('DWA: K exp(r_k / T) / sum_i exp(r_i / T) from the last two epochs (T = 2, hand-worked)', () => {
  const rule = ruleOf(dwa, 3);
  const w = rule.weights(context({ active: [0, 1, 2], epoch: 3, epochLosses: history }));
  assertClose(w, [0.8558156, 1.0452955, 1.0988889]);
  // The task whose loss fell fastest (task 0 halved) gets the smallest weight.
  assert.ok(w[0]! < w[1]! && w[1]! < w[2]!);
  // Only the last two epochs count: an older epoch before them changes nothing.
  assertClose(rule.weights(context({ active: [0, 1, 2], epoch: 4, epochLosses: [[9, 9, 9], ...history] })), w);
});

test('DWA: the temperature flattens the weights (T = 1000: all close to 1; T = 0.5 sharper)', () => {
  // T = 0.5: exp(2r) = [e^1, e^1.8, e^2] = [2.7182818, 6.0496475, 7.3890561], sum 16.1569854
  //   w = 3 * [...] / sum = [0.5047257, 1.1232877, 1.3719867]
  assertClose(ruleOf(dwa, 3, { temperature: 0.5 }).weights(context({ active: [0, 1, 2], epochLosses: history })), [0.5047257, 1.1232877, 1.3719867]);
  const flat = ruleOf(dwa, 3, { temperature: 1000 }).weights(context({ active: [0, 1, 2], epochLosses: history }));
  flat.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-3));
});

test('DWA: a step with only some tasks spreads K = the tasks in the step over them', () => {
  // Tasks 0 and 2: r = [0.5, 1.0]; exp(r / 2) = [1.2840254, 1.6487213], sum 2.9327467;
  //   w = 2 [...] / sum = [0.8756470, 1.1243530].
  assertClose(ruleOf(dwa, 3).weights(context({ active: [0, 2], epochLosses: history })), [0.8756470, 1.1243530]);
  // A task with no mean loss in an epoch (no labelled rows: NaN) takes the neutral ratio 1.
  const gap = [[2.0, NaN, 0.5], [1.0, 0.9, 0.5]];
  // r = [0.5, 1, 1]: exp = [1.2840254, 1.6487213, 1.6487213], sum 4.5814680, w = [0.8407952, 1.0796024, 1.0796024]
  assertClose(ruleOf(dwa, 3).weights(context({ active: [0, 1, 2], epochLosses: gap })), [0.8407952, 1.0796024, 1.0796024]);
});
