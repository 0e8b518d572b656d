// The native backend trains on a CSV's feature matrix in place: a second copy of a large data
// set during training would double what a run holds (npm run bench:data measures it). Labels
// are made a block of batches at a time, never held for a whole split on the device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeGraph } from '../../../src/core/graph';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { disposeSplit, toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { parseCsv } from '../../../src/trainer/data/csv';
import { tableToDataset } from '../../../src/trainer/data/table';

test('a CSV feature matrix is shared with its native tensor, not copied', async () => {
  const { tf, name } = await loadBackend('tensorflow');
  assert.equal(name, 'tensorflow');
  // Several sizes: a matrix that happens to be aligned where it was allocated is shared by luck.
  for (let k = 0; k < 8; k++) {
    const rows = Array.from({ length: 5000 + 7 * k }, (_, r) => `${r},${r % 3},${r % 2}`);
    const ds = tableToDataset(parseCsv(['a,b,y', ...rows].join('\n'), 'm.csv'), { targets: [{ column: 'y', kind: 'class', usedBy: 'test', role: 'task' }] });
    const x = tf.tensor2d(ds.features, [ds.n, 2]);
    try {
      // TensorFlow takes the values at the first op that reads the tensor: in place, or a copy.
      tf.dispose(tf.reshape(x, [-1]));
      ds.features[0] = 42;
      assert.equal((await x.slice([0, 0], [1, 1]).data())[0], 42, `matrix of ${ds.n} rows copied`);
    } finally {
      x.dispose();
    }
  }
});

test('training holds on the device the inputs, the model and a block of batches, never a whole split\'s labels', async () => {
  const { tf } = await loadBackend('tensorflow');
  // Two features and ten classes: the split's one-hot labels (8 MB) outweigh its inputs (1.6 MB).
  const n = 200_000;
  const spec: ExperimentSpec = {
    name: 'labels-per-block',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [{ id: 'digit', kind: 'multiclass', target: 'y', classes: 10 }],
    model: {
      inputs: [{ id: 'x', shape: [2] }],
      layers: [{ id: 'h', type: 'dense', units: 8, activation: 'relu', from: ['x'] }, { id: 'out', type: 'dense', units: 10, activation: 'softmax', from: ['h'] }],
      outputs: { digit: 'out' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 4096, seed: 1 },
  };
  const rng = new SeededRandom(2);
  const data = (rows: number): Dataset => ({
    n: rows, featureNames: ['a', 'b'], featureShape: [2], report: [],
    features: Float32Array.from({ length: rows * 2 }, () => rng.normal()), targets: { y: Float32Array.from({ length: rows }, () => rng.int(10)) },
  });
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 1);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const before = tf.memory().numBytes;
  const train = toDevice(tf, spec, heads, data(n));
  const validation = toDevice(tf, spec, heads, data(1000));
  const inputs = (n + 1000) * 2 * 4;
  let peak = tf.memory().numBytes;
  await trainLoop({ tf, backend: 'tensorflow', spec, built, forward, heads, topo, train, validation, epochs: 1, phase: { kind: 'shared' },
    events: { progress: () => { peak = Math.max(peak, tf.memory().numBytes); }, epochEnd: () => undefined, cancelled: () => false } });
  [train, validation].forEach(disposeSplit);
  built.model.dispose();
  const splitLabels = n * 10 * 4;
  assert.ok(peak - before - inputs < splitLabels / 2, `device held ${((peak - before - inputs) / 1e6).toFixed(1)} MB beyond the inputs (the split's labels: ${splitLabels / 1e6} MB)`);
});
