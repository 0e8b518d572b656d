import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSyntheticSequence } from '../../../src/trainer/data/syntheticSequence';
import { datasetColumns } from '../../../src/trainer/data/columns';
import { loadExperimentData } from '../../../src/trainer/data/load';
import { knownFeatureShape } from '../../../src/core/dataShape';
import { DataError } from '../../../src/trainer/data/errors';

/** |X_f| of the discrete Fourier transform of one sequence. */
function dftMagnitude(x: Float32Array, f: number): number {
  let re = 0, im = 0;
  x.forEach((v, t) => { re += v * Math.cos((2 * Math.PI * f * t) / x.length); im -= v * Math.sin((2 * Math.PI * f * t) / x.length); });
  return Math.hypot(re, im);
}

test('without noise each sequence is A sin(2 pi f t / T + phi): its spectrum is A T / 2 at f = class + 1 and 0 elsewhere', () => {
  const steps = 16;
  const ds = loadSyntheticSequence({ samples: 40, steps, classes: 5, noise: 0, seed: 4 });
  assert.deepEqual(ds.featureShape, [steps, 1]);
  const seen = new Set<number>();
  for (let i = 0; i < ds.n; i++) {
    const x = ds.features.subarray(i * steps, (i + 1) * steps);
    const k = ds.targets.frequency![i]!, a = ds.targets.amplitude![i]!;
    seen.add(k);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 5);
    assert.ok(a >= 0.5 && a <= 2);
    for (let f = 1; f < steps / 2; f++) {
      const expected = f === k + 1 ? (a * steps) / 2 : 0;
      assert.ok(Math.abs(dftMagnitude(x, f) - expected) < 1e-4 * steps, `example ${i}, bin ${f}: ${dftMagnitude(x, f)} vs ${expected}`);
    }
  }
  assert.equal(seen.size, 5, 'every class occurs in 40 draws');
});

test('the same seed gives the same data, another seed other data; noise has the stated spread', () => {
  const a = loadSyntheticSequence({ samples: 30, seed: 1 });
  assert.deepEqual(loadSyntheticSequence({ samples: 30, seed: 1 }).features, a.features);
  assert.notDeepEqual(loadSyntheticSequence({ samples: 30, seed: 2 }).features, a.features);
  // The noise is what remains after subtracting the clean signal drawn with the same seed.
  const clean = loadSyntheticSequence({ samples: 2000, steps: 20, noise: 0, seed: 9 });
  const noisy = loadSyntheticSequence({ samples: 2000, steps: 20, noise: 0.3, seed: 9 });
  assert.deepEqual(noisy.targets.frequency, clean.targets.frequency);
  let sq = 0;
  noisy.features.forEach((v, i) => { sq += (v - clean.features[i]!) ** 2; });
  const std = Math.sqrt(sq / noisy.features.length);
  assert.ok(Math.abs(std - 0.3) < 0.01, `noise std ${std}`);
});

test('bad settings are refused at their path, with the limit that applies', () => {
  assert.throws(() => loadSyntheticSequence({ steps: 8, classes: 4 }), (e: unknown) => e instanceof DataError && e.path?.join('.') === 'data.source.classes' && /2 to 3 for 8 steps/.test(e.message));
  assert.throws(() => loadSyntheticSequence({ samples: 0 }), (e: unknown) => e instanceof DataError && e.path?.join('.') === 'data.source.samples');
  assert.throws(() => loadSyntheticSequence({ noise: -1 }), (e: unknown) => e instanceof DataError && e.path?.join('.') === 'data.source.noise');
});

test('the validator, the column list and the loader agree on the source: [steps, 1] per example, a stratified split', () => {
  const source = { type: 'synthetic-sequence' as const, samples: 200, steps: 12, seed: 3 };
  assert.deepEqual(knownFeatureShape(source), [12, 1]);
  const columns = datasetColumns({ data: { source, split: { validation: 0.1, test: 0.1, seed: 1 } } }, '/tmp');
  assert.deepEqual(columns.targets, ['frequency', 'amplitude']);
  assert.deepEqual(columns.featureShape, [12, 1]);
  const data = loadExperimentData({
    data: { source, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [{ id: 'freq', kind: 'multiclass', target: 'frequency', classes: 4 }, { id: 'amp', kind: 'regression', target: 'amplitude' }],
  }, { workspaceDir: '/tmp' });
  assert.equal(data.train.n + data.validation.n + data.test.n, 200);
  assert.equal(data.stratifiedBy, 'frequency');
});
