// A run's host copy of its features is let go once they are on native TensorFlow: the device
// tensor no longer holds the host array (TensorFlow copies it at upload), the run releases the
// data sets it will not read again and collects them, and a study's cached data is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { loadStratified, type LoadedData } from '../../../src/trainer/data/load';
import { collectGarbage, releaseFeatures } from '../../../src/trainer/data/release';
import type { DataCache } from '../../../src/trainer/dataCache';
import { disposeSplit, toDevice } from '../../../src/trainer/deviceData';
import { makeHeads } from '../../../src/trainer/heads';
import { runExperiment } from '../../../src/trainer/run';
import { tempDir } from './helpers';

const nextJob = () => new Promise((resolve) => setImmediate(resolve));

function spec(): ExperimentSpec {
  return {
    name: 'release',
    data: { source: { type: 'mnist', limit: 300 }, preprocess: [{ op: 'scale', factor: 1 / 255 }], split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }, { id: 'parity', kind: 'binary', target: 'parity' }],
    model: {
      inputs: [{ id: 'image', shape: [784] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['image'] },
        { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['trunk'] },
        { id: 'parityHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
      ],
      outputs: { digit: 'digitHead', parity: 'parityHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 32, seed: 42 },
  } as ExperimentSpec;
}

test('an upload to native TensorFlow keeps no reference to the host array (before: held until the tensor\'s first use)', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec();
  const ds: Dataset = { n: 50, featureNames: Array.from({ length: 784 }, (_, i) => `p${i}`), features: new Float32Array(50 * 784).fill(0.5), featureShape: [784], targets: { label: new Float32Array(50), parity: new Float32Array(50) }, report: [] };
  const split = toDevice(tf, s, makeHeads(tf, s), ds);
  // tfjs-node keeps a tensor's host values in its tensor map until TensorFlow has its own copy
  // (it makes it at the tensor's first use, then drops the values): after the upload, none.
  // (Checked here rather than by a WeakRef and a collection, which a full-suite run found flaky.)
  const backend = tf.backend() as unknown as { tensorMap: { get(id: object): { values: unknown } | undefined } };
  assert.equal(backend.tensorMap.get(split.x.get('image')!.dataId)?.values ?? null, null, 'the host array is still held');
  // The device tensor has its own copy of the values.
  assert.equal((split.x.get('image')!.sum() as unknown as { dataSync(): Float32Array }).dataSync()[0]!, 50 * 784 * 0.5);
  disposeSplit(split);
});

test('a run releases and collects its host features after the upload; reading them again is an error, not an empty array', async () => {
  const runsDir = tempDir('release');
  let loaded: LoadedData | undefined;
  let host: WeakRef<ArrayBufferLike> | undefined;
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({
    doc: spec(), workspaceDir: runsDir, runsDir, backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false,
    loadData: (sp, options) => { loaded = loadStratified(sp, options); host = new WeakRef(loaded.all.features.buffer); return loaded; },
  });
  assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'problems'), []);
  assert.equal(outcome, 'completed');
  assert.throws(() => loaded!.all.features, /released after their upload/);
  // Nothing holds the released array any more (the collection is repeated here: the run's own may
  // fall in the job that made the WeakRef, which keeps its target until that job ends).
  await nextJob();
  collectGarbage();
  assert.equal(host!.deref(), undefined, 'the features\' memory is still held');
});

test('a study\'s cached data keeps its features for the next run', async () => {
  const runsDir = tempDir('release-cache');
  const dataCache: DataCache = new Map();
  const outcome = await runExperiment({ doc: spec(), workspaceDir: runsDir, runsDir, backend: 'tensorflow', dataCache, emit: () => undefined, cancelled: () => false });
  assert.equal(outcome, 'completed');
  const [cached] = [...dataCache.values()];
  assert.equal(cached!.all.features.length, 300 * 784);
  // And the release itself: every named data set, none other.
  const a = { ...cached!.all, features: new Float32Array(3) };
  const b = { ...cached!.all, features: new Float32Array(3) };
  releaseFeatures(a);
  assert.throws(() => a.features, /released/);
  assert.equal(b.features.length, 3);
});
