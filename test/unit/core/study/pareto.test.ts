import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paretoFront } from '../../../../src/core/study/pareto';

const points = [
  { x: 1, y: 5 }, { x: 2, y: 4 }, { x: 3, y: 3 }, { x: 2, y: 2 }, { x: 1, y: 4 }, { x: 3, y: 1 },
];

test('the Pareto front of a hand-made set, both metrics higher-is-better', () => {
  // (1,4) is beaten by (1,5); (2,2) by (2,4); (3,1) by (3,3). The rest: no point beats them on both.
  assert.deepEqual(paretoFront(points, true, true), [0, 1, 2]);
});

test('the direction of each axis counts: y lower-is-better leaves (3,1) alone on the front', () => {
  // (3,1) has the largest x and the smallest y: it beats every other point.
  assert.deepEqual(paretoFront(points, true, false), [5]);
  // Both lower-is-better: (1,4) beats (1,5); (2,2) beats (2,4); (3,1) beats (3,3); (1,4) vs (2,2) vs (3,1): none beats another.
  assert.deepEqual(paretoFront(points, false, false), [4, 3, 5]);
});

test('equal points are both on the front; points without a value are left out', () => {
  assert.deepEqual(paretoFront([{ x: 1, y: 1 }, { x: 1, y: 1 }, { x: Number.NaN, y: 9 }], true, true), [0, 1]);
});
