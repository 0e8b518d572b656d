import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { applyPreprocessing, fitPreprocessing } from '../../../src/trainer/data/preprocess';
import { DataError } from '../../../src/trainer/data/errors';

function table(featureNames: string[], rows: number[][], oneHot?: Record<string, string[]>): Dataset {
  return {
    n: rows.length, featureNames, featureShape: [featureNames.length], features: Float32Array.from(rows.flat()),
    targets: {}, report: [], ...(oneHot ? { oneHot } : {}),
  };
}

function column(ds: Dataset, j: number): number[] {
  const d = ds.featureNames.length;
  return Array.from({ length: ds.n }, (_, i) => ds.features[i * d + j]!);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

const train = table(['a', 'b'], [[1, 10], [2, 20], [3, 30], [4, 40]]);
const validation = table(['a', 'b'], [[100, -5], [200, -5]]);

test('z-score uses the training split statistics for every split', () => {
  const fitted = fitPreprocessing(train, [{ op: 'zscore' }]);
  const t = applyPreprocessing(train, fitted);
  const v = applyPreprocessing(validation, fitted);
  for (const j of [0, 1]) { close(mean(column(t, j)), 0); close(std(column(t, j)), 1); }
  // Validation is transformed with the training mean (2.5) and std (1.118...), not its own.
  close(column(v, 0)[0]!, (100 - 2.5) / Math.sqrt(1.25), 1e-3);
  close(column(v, 1)[1]!, (-5 - 25) / Math.sqrt(125), 1e-4);
});

test('fitting does not look at any other split: same training data, same transform', () => {
  const a = fitPreprocessing(train, [{ op: 'zscore' }, { op: 'minmax' }]);
  const b = fitPreprocessing(table(['a', 'b'], [[1, 10], [2, 20], [3, 30], [4, 40]]), [{ op: 'zscore' }, { op: 'minmax' }]);
  assert.deepEqual(a, b);
});

test('min-max maps the training range to 0..1', () => {
  const fitted = fitPreprocessing(train, [{ op: 'minmax' }]);
  assert.deepEqual(Array.from(applyPreprocessing(train, fitted).features), [0, 0, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 1, 1].map(Math.fround));
  // Held-out values outside the training range fall outside 0..1: (100 - 1) / 3, (200 - 1) / 3.
  const held = column(applyPreprocessing(validation, fitted), 0);
  close(held[0]!, 33, 1e-4);
  close(held[1]!, 199 / 3, 1e-4);
});

test('a constant feature is centred, never divided by zero', () => {
  const constant = table(['c', 'x'], [[5, 1], [5, 2], [5, 3]]);
  for (const op of ['zscore', 'minmax'] as const) {
    const out = applyPreprocessing(constant, fitPreprocessing(constant, [{ op }]));
    assert.ok(out.features.every(Number.isFinite), op);
    assert.deepEqual(column(out, 0), [0, 0, 0]);
  }
  assert.match(fitPreprocessing(constant, [{ op: 'zscore' }]).steps[0]!, /1 constant feature was only shifted/);
});

test('the step says a scale factor as a reader would: 1/255, not 0.00392156862745098', () => {
  const pixels = table(['p0', 'p1'], [[0, 255], [51, 102]]);
  assert.equal(fitPreprocessing(pixels, [{ op: 'scale', factor: 0.00392156862745098 }]).steps[0], 'scale by 1/255 on 2 features.');
});

test('scale multiplies; ops compose in order (scale then z-score equals z-score)', () => {
  const scaled = applyPreprocessing(train, fitPreprocessing(train, [{ op: 'scale', factor: 0.5 }]));
  assert.deepEqual(column(scaled, 1), [5, 10, 15, 20]);
  const chained = fitPreprocessing(train, [{ op: 'scale', factor: 1 / 255 }, { op: 'zscore' }]);
  const direct = fitPreprocessing(train, [{ op: 'zscore' }]);
  const x = applyPreprocessing(validation, chained).features;
  const y = applyPreprocessing(validation, direct).features;
  x.forEach((v, k) => close(v, y[k]!, 1e-3));
});

test('columns restrict an op; one-hot indicators are left alone unless named', () => {
  const ds = table(['age', 'color=blue', 'color=red'], [[20, 1, 0], [40, 0, 1], [60, 0, 1]], { color: ['blue', 'red'] });
  const all = applyPreprocessing(ds, fitPreprocessing(ds, [{ op: 'minmax' }]));
  assert.deepEqual(Array.from(all.features), [0, 1, 0, 0.5, 0, 1, 1, 0, 1]);
  const onlyColor = applyPreprocessing(ds, fitPreprocessing(ds, [{ op: 'scale', factor: 2, columns: ['color'] }]));
  assert.deepEqual(Array.from(onlyColor.features), [20, 2, 0, 40, 0, 2, 60, 0, 2]);
  assert.throws(() => fitPreprocessing(ds, [{ op: 'zscore', columns: ['weight'] }]), (e: unknown) =>
    e instanceof DataError && /data\.preprocess\[0\]\.columns names 'weight', which is not a feature\. Features are: age, color\./.test(e.message));
  // An object's inherited names are no columns ("categories is not iterable" before, from Object.prototype).
  for (const name of ['__proto__', 'constructor', 'toString']) {
    assert.throws(() => fitPreprocessing(ds, [{ op: 'zscore', columns: [name] }]), (e: unknown) =>
      e instanceof DataError && e.message.startsWith(`data.preprocess[0].columns names '${name}', which is not a feature.`), name);
  }
});

test('a constant scale is fitted without reading the training values (no statistics pass before the first step)', () => {
  const values = Float32Array.from([1, 10, 2, 20, 3, 30]);
  let reads = 0;
  // Counts reads of the values by index; the fit of a constant factor needs none.
  const counted = new Proxy(values, {
    get(target, key) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const ds: Dataset = { ...table(['a', 'b'], [[1, 10], [2, 20], [3, 30]]), features: counted };
  const fitted = fitPreprocessing(ds, [{ op: 'scale', factor: 0.5 }, { op: 'scale', factor: 4, columns: ['b'] }]);
  assert.equal(reads, 0);
  assert.deepEqual(fitted.multiply, [0.5, 2]);
  assert.deepEqual(fitted.add, [0, 0]);
  // A statistics op after a scale still sees the scaled training values.
  const z = fitPreprocessing(table(['a'], [[2], [4]]), [{ op: 'scale', factor: 0.5 }, { op: 'zscore' }]);
  close(z.multiply[0]!, 1); // scaled values 1, 2: std 0.5, so 0.5 / 0.5
  close(z.add[0]!, -3); // (0 - 1.5) / 0.5
});
