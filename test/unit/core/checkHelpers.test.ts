import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNumber, isObject, isString, problemList } from '../../../src/core/checkHelpers';

describe('checker helpers', () => {
  it('collects problems in the order found, with their path and severity, through detached error/warning', () => {
    const { problems, error, warning } = problemList();
    warning(['tasks', 0, 'weight'], 'ignored');
    error(['model', 'layers', 2, 'units'], 'too big');
    assert.deepEqual(problems, [
      { path: ['tasks', 0, 'weight'], message: 'ignored', severity: 'warning' },
      { path: ['model', 'layers', 2, 'units'], message: 'too big', severity: 'error' },
    ]);
  });

  it('tells JSON objects, strings and finite numbers from the rest', () => {
    assert.deepEqual([{}, [], null, 'x', 1].map(isObject), [true, false, false, false, false]);
    assert.deepEqual(['', 'x', 1, null].map(isString), [true, true, false, false]);
    assert.deepEqual([0, -1.5, Number.NaN, Infinity, '1'].map(isNumber), [true, true, false, false, false]);
  });
});
