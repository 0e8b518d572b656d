import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, arrangeBySplit, splitIndices } from '../../../src/trainer/data/split';
import { takeRows, type Dataset } from '../../../src/trainer/data/dataset';
import { DataError } from '../../../src/trainer/data/errors';

test('parts have the requested sizes, do not overlap and cover every row', () => {
  const s = splitIndices(1000, { validation: 0.15, test: 0.1, seed: 1 });
  assert.deepEqual([s.train.length, s.validation.length, s.test.length], [750, 150, 100]);
  const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 1000 }, (_, i) => i));
});

test('the same seed gives the same split; another seed a different one', () => {
  const strata = Array.from({ length: 500 }, (_, i) => i % 3);
  const a = splitIndices(500, { validation: 0.2, test: 0.2, seed: 9 }, strata);
  const b = splitIndices(500, { validation: 0.2, test: 0.2, seed: 9 }, strata);
  const c = splitIndices(500, { validation: 0.2, test: 0.2, seed: 10 }, strata);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.test, c.test);
});

test('a stratified split keeps each class share in every part, rare classes included', () => {
  // 10% class 0, 30% class 1, 60% class 2, shuffled.
  const n = 1000;
  const strata = Array.from({ length: n }, (_, i) => (i * 7919) % n < 100 ? 0 : (i * 7919) % n < 400 ? 1 : 2);
  const s = splitIndices(n, { validation: 0.1, test: 0.2, seed: 3 }, strata);
  const count = (rows: Int32Array, k: number) => rows.filter((r) => strata[r] === k).length;
  assert.deepEqual([0, 1, 2].map((k) => count(s.test, k)), [20, 60, 120]);
  assert.deepEqual([0, 1, 2].map((k) => count(s.validation, k)), [10, 30, 60]);
  assert.deepEqual([0, 1, 2].map((k) => count(s.train, k)), [70, 210, 420]);
  // The parts are shuffled, not grouped by class.
  const firstTen = Array.from(s.train.subarray(0, 10), (r) => strata[r]);
  assert.ok(new Set(firstTen).size > 1);
});

test('uneven class sizes still give the exact overall sizes, each class within one of its share', () => {
  const strata = [...new Array(7).fill(0), ...new Array(13).fill(1), ...new Array(31).fill(2)];
  const s = splitIndices(strata.length, { validation: 0.2, test: 0.2, seed: 4 }, strata);
  assert.equal(s.test.length, Math.round(51 * 0.2));
  assert.equal(s.validation.length, Math.round(51 * 0.2));
  for (const k of [0, 1, 2]) {
    const size = strata.filter((x) => x === k).length;
    const inTest = s.test.filter((r) => strata[r] === k).length;
    assert.ok(Math.abs(inTest - size * 0.2) < 1, `class ${k}: ${inTest} of ${size}`);
  }
});

test('allocate splits a total in proportion, exactly, never more than a group has', () => {
  assert.deepEqual(allocate([1, 1, 10], 3), [0, 0, 3]);
  const cases: [number[], number][] = [[[2, 3, 5], 5], [[1, 1, 1], 3], [[4, 0, 9], 7], [[3, 3, 3], 1]];
  for (const [sizes, total] of cases) {
    const counts = allocate(sizes, total);
    assert.equal(counts.reduce((a, b) => a + b, 0), total);
    const sum = sizes.reduce((a, b) => a + b, 0);
    counts.forEach((c, i) => assert.ok(c <= sizes[i]! && Math.abs(c - (sizes[i]! * total) / sum) < 1));
  }
});

test('impossible fractions are errors', () => {
  assert.throws(() => splitIndices(100, { validation: 0.6, test: 0.5, seed: 1 }), DataError);
  assert.throws(() => splitIndices(100, { validation: -0.1, test: 0.1, seed: 1 }), DataError);
});

test('arranging a data set by its split in place gives the same parts as copying the rows', () => {
  const n = 1000;
  const d = 3;
  const ds: Dataset = {
    n, featureNames: ['a', 'b', 'c'], featureShape: [d], report: [],
    features: Float32Array.from({ length: n * d }, (_, k) => k),
    targets: { y: Float32Array.from({ length: n }, (_, i) => i % 7) },
  };
  const parts = splitIndices(n, { validation: 0.2, test: 0.1, seed: 5 }, ds.targets.y);
  const copies = [parts.train, parts.validation, parts.test].map((rows) => takeRows(ds, rows));
  const views = arrangeBySplit(ds, parts);
  [views.train, views.validation, views.test].forEach((view, k) => {
    assert.equal(view.n, copies[k]!.n);
    assert.deepEqual(Array.from(view.features), Array.from(copies[k]!.features));
    assert.deepEqual(Array.from(view.targets.y!), Array.from(copies[k]!.targets.y!));
  });
});
