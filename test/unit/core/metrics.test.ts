import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracy, argmaxRows, macroF1, mae, r2, rmse, rocAuc } from '../../../src/core/metrics';

test('classification metrics', () => {
  assert.deepEqual([...argmaxRows([0.1, 0.7, 0.2, 0.5, 0.4, 0.1], 3)], [1, 0]);
  assert.equal(accuracy([1, 0, 2, 2], [1, 1, 2, 0]), 0.5);
  // class 0: tp0 fp1 fn2 -> f1 0; class 1: tp1 fp0 fn1 -> 2/3; class 2: tp1 fp1 fn0 -> 2/3
  assert.ok(Math.abs(macroF1([1, 0, 2, 2], [1, 1, 2, 0], 3) - (0 + 2 / 3 + 2 / 3) / 3) < 1e-12);
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
  assert.equal(rocAuc([0.5, 0.5], [0, 1]), 0.5, 'ties count half');
  assert.ok(Number.isNaN(rocAuc([0.2, 0.3], [1, 1])), 'undefined with one class only');
});

test('regression metrics', () => {
  assert.equal(mae([1, 2, 3], [2, 2, 5]), 1);
  assert.ok(Math.abs(rmse([1, 2, 3], [2, 2, 5]) - Math.sqrt(5 / 3)) < 1e-12);
  assert.equal(r2([1, 2, 3], [1, 2, 3]), 1);
  assert.ok(Math.abs(r2([2, 2, 2], [1, 2, 3])) < 1e-12, 'predicting the mean gives 0');
});
