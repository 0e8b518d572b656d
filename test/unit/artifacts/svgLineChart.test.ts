import assert from 'node:assert/strict';
import { test } from 'node:test';
import { niceTicks } from '../../../src/core/chartTicks';

test('ticks are round values and zero is exactly 0 (a running sum of steps gave 6.939e-18)', () => {
  const ticks = niceTicks(-0.055, 0.012);
  assert.deepEqual(ticks, [-0.06, -0.04, -0.02, 0, 0.02]);
  assert.ok(Object.is(ticks[3], 0), 'not -0');
  assert.deepEqual(niceTicks(0, 1), [0, 0.5, 1]);
  assert.deepEqual(niceTicks(0.3, 0.3), [0.26, 0.28, 0.3, 0.32, 0.34]);
});
