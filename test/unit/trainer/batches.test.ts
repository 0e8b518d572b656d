// An epoch's batches (batches.ts): the shuffled order a seed always gave, and batches that hold
// exactly the rows of that order, across the blocks they are gathered in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../src/core/random';
import type { TaskSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { EpochBatches, batchSizes, shuffleRows } from '../../../src/trainer/batches';
import { labelTensor, targetsOf } from '../../../src/trainer/deviceData';
import type { TaskHead } from '../../../src/trainer/heads';

test('the epoch order reused in place is the order a fresh shuffle of 0..n-1 gives, epoch after epoch', () => {
  const n = 1000;
  const fresh = new SeededRandom(17);
  const reused = new SeededRandom(17);
  const rows = new Int32Array(n);
  for (let epoch = 0; epoch < 3; epoch++) {
    const expected = fresh.shuffle(Array.from({ length: n }, (_, i) => i));
    assert.deepEqual(Array.from(shuffleRows(rows, reused)), expected, `epoch ${epoch + 1}`);
  }
});

test('batch sizes cover the rows: full batches, the last one what is left', () => {
  assert.deepEqual(batchSizes(10, 4), [4, 4, 2]);
  assert.deepEqual(batchSizes(8, 4), [4, 4]);
  assert.deepEqual(batchSizes(3, 4), [3]);
});

test('each batch holds the rows of the epoch order, its labels and row weights, across several blocks', async () => {
  const { tf } = await loadBackend('tensorflow');
  // 1,000 values a row (and 3 + 1 of labels and weights: 4 KB): a block of 1 MB holds 2 batches of 100.
  const n = 1050;
  const width = 1000;
  const features = Float32Array.from({ length: n * width }, (_, k) => Math.floor(k / width) + (k % width) / width);
  const classes = Float32Array.from({ length: n }, (_, i) => i % 3);
  const weights = Float32Array.from({ length: n }, (_, i) => i / n);
  const head = { task: { id: 'c', kind: 'multiclass', target: 'c', classes: 3 } as TaskSpec, encoding: 'onehot', units: 3 } as TaskHead;
  const x = tf.tensor2d(features, [n, width]);
  const order = shuffleRows(new Int32Array(n), new SeededRandom(3));
  const sizes = batchSizes(n, 100);
  const epoch = new EpochBatches(tf, {
    x: new Map([['x', x]]),
    labels: (rows) => new Map([['c', labelTensor(tf, head, targetsOf(classes, rows))]]),
    labelWidth: 3,
    weights: new Map([['c', weights]]),
  }, order, sizes, 100);
  try {
    let start = 0;
    for (let b = 0; b < sizes.length; b++) {
      const batch = epoch.batch(b);
      const rows = Array.from(order.subarray(start, start + sizes[b]!));
      const firstColumn = Array.from(batch.x.get('x')!.slice([0, 0], [-1, 1]).dataSync());
      assert.deepEqual(firstColumn, rows, `batch ${b}: rows`);
      assert.deepEqual(Array.from(batch.y.get('c')!.argMax(1).dataSync()), rows.map((r) => classes[r]), `batch ${b}: labels`);
      assert.deepEqual(Array.from(batch.weights.get('c')!.dataSync()), Array.from(weights.subarray(start, start + sizes[b]!)), `batch ${b}: weights`);
      tf.dispose([...batch.x.values(), ...batch.y.values(), ...batch.weights.values()]);
      start += sizes[b]!;
    }
    assert.equal(start, n);
  } finally {
    epoch.dispose();
    x.dispose();
  }
});
