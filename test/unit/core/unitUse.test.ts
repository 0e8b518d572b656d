// Which tasks use each shared unit (core/explain.ts), worked by hand: a unit is used by a task
// when its reliance is at least 10 % of the task's largest in the layer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareUsers, describeUnitUse, unitUse, unitUsers, unitUsersLabel } from '../../../src/core/explain';

test('units by their users, their counts and the sentence the diagram and the report print', () => {
  // a's largest 1 (threshold 0.1), b's largest 1 (threshold 0.1), c never relied on (no unit is c's).
  const r = { layer: 'trunk1', tasks: { a: [1, 0.05, 0.5, 0, 0.1], b: [0.2, 1, 0.01, 0, 0.099], c: [0, 0, 0, 0, 0] } };
  assert.deepEqual(unitUsers(r), [['a', 'b'], ['b'], ['a'], [], ['a']]);
  assert.deepEqual(unitUse(r), { 'a+b': 1, b: 1, a: 2, none: 1 });
  assert.equal(describeUnitUse(r), 'trunk1: 5 units; 2 units used by a only, 1 by b only, 1 by a and b, 1 by none');
  const two = { layer: 't', tasks: { digit: [1, 1], parity: [0, 1] } };
  assert.equal(describeUnitUse(two), 't: 2 units; 1 unit used by digit only, 1 by both');
  assert.equal(unitUsersLabel(['a', 'b', 'c'], 3), 'all');
  assert.deepEqual(['none', 'b+c', 'a+b', 'c', 'a', 'a+b+c'].sort((x, y) => compareUsers(x, y, ['a', 'b', 'c'])), ['a', 'c', 'a+b', 'b+c', 'a+b+c', 'none']);
});
