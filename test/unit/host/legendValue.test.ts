// Legend values of the training panel's charts: a curve moving in its third decimal keeps
// that motion in the legend (PCGrad's weights between 1.00 and 1.03 read "1" before).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legendValue } from '../../../webview/training/legendValue';

test('a value on a narrow axis keeps two digits beyond the span\'s first', () => {
  assert.equal(legendValue(1.00274, 0.03), '1.0027'); // span 0.03: its first digit is the 2nd decimal, two more
  assert.equal(legendValue(1.0213, 0.03), '1.0213');
  assert.equal(legendValue(1.5, 0.03), '1.5'); // trailing zeros dropped
});

test('a value on an axis of its own size reads as before (three significant digits)', () => {
  assert.equal(legendValue(0.0521, 1.5), '0.0521');
  assert.equal(legendValue(0.903, 0.3), '0.903');
  assert.equal(legendValue(0.003, 0.006), '0.003');
  assert.equal(legendValue(1.00274, undefined), '1');
});
