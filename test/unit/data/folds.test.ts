// Cross-validation folds: stratified (each fold holds each class within one row of its share),
// a partition of the rows, the same for every seed of the run; fixed and nested test splits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadedData } from '../../../src/trainer/data/load';
import { crossValidationPlans, foldParts } from '../../../src/trainer/data/folds';
import { splitIndices } from '../../../src/trainer/data/split';

/** 103 rows of three classes in proportions 50 / 33 / 20, in an order that is not by class. */
function labels(): Float32Array {
  const sizes = [50, 33, 20];
  const out: number[] = [];
  sizes.forEach((n, c) => { for (let i = 0; i < n; i++) out.push(c); });
  // A fixed interleaving so that row order says nothing about the class.
  return Float32Array.from(out.map((c, i) => [c, (i * 37) % out.length] as const).sort((x, y) => x[1] - y[1]).map(([c]) => c));
}

function classCounts(rows: ArrayLike<number>, strata: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < rows.length; i++) counts[strata[rows[i]!]!]!++;
  return counts;
}

test("each fold holds each class's rows within one row of its share, and the folds partition the rows", () => {
  const strata = labels();
  const all = Int32Array.from({ length: strata.length }, (_, i) => i);
  const whole = classCounts(all, strata, 3);
  assert.deepEqual(whole, [50, 33, 20]);
  for (const k of [2, 3, 5, 7]) {
    const folds = foldParts(all, k, 7, strata);
    assert.equal(folds.length, k);
    for (const fold of folds) {
      const counts = classCounts(fold, strata, 3);
      counts.forEach((c, cls) => assert.ok(Math.abs(c - whole[cls]! / k) < 1, `k=${k}: class ${cls} has ${c} rows in a fold, its share is ${whole[cls]! / k}`));
      assert.ok(Math.abs(fold.length - strata.length / k) < 1, `k=${k}: a fold of ${fold.length} rows`);
    }
    const seen = [...folds.flatMap((f) => [...f])].sort((a, b) => a - b);
    assert.deepEqual(seen, [...all], `k=${k}: every row in exactly one fold`);
  }
  // The folds depend on the split seed only: the same seed gives the same folds, another seed others.
  assert.deepEqual(foldParts(all, 3, 7, strata), foldParts(all, 3, 7, strata));
  assert.notDeepEqual(foldParts(all, 3, 7, strata), foldParts(all, 3, 8, strata));
});

test('fixed: the test split stays and each fold is the validation split once; nested: each fold is the test split once', () => {
  const strata = labels();
  const n = strata.length;
  const loaded: LoadedData = { all: { n, features: new Float32Array(n), featureShape: [1], featureNames: ['x'], targets: { label: strata }, report: [] }, report: [], strata, stratifiedBy: 'label' };
  const split = { validation: 0.1, test: 0.2, seed: 7 };
  const hold = splitIndices(n, split, strata);
  const fixed = crossValidationPlans(split, { folds: 4, test: 'fixed' }, loaded, hold);
  assert.equal(fixed.length, 4);
  const validated: number[] = [];
  for (const plan of fixed) {
    assert.deepEqual([...plan.parts.test], [...hold.test]);
    assert.equal(plan.parts.train.length + plan.parts.validation.length, n - hold.test.length);
    assert.ok(plan.parts.validation.every((r) => !plan.parts.train.includes(r)));
    validated.push(...plan.parts.validation);
  }
  assert.deepEqual(validated.sort((a, b) => a - b), [...hold.train, ...hold.validation].sort((a, b) => a - b));

  const nested = crossValidationPlans(split, { folds: 4, test: 'nested' }, loaded);
  const tested: number[] = [];
  for (const plan of nested) {
    const parts = [plan.parts.train, plan.parts.validation, plan.parts.test].map((p) => new Set(p));
    assert.equal(parts[0]!.size + parts[1]!.size + parts[2]!.size, n, 'train, validation and test cover every row once');
    // The validation part is data.split.validation of the rows outside the fold.
    assert.equal(plan.parts.validation.length, Math.round((n - plan.parts.test.length) * split.validation));
    tested.push(...plan.parts.test);
  }
  assert.deepEqual(tested.sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
});
