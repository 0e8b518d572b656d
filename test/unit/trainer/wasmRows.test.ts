// On WebAssembly the rows of a batch are copied on the host from a view of the wasm heap
// (wasm/hostRows.ts): the batches and evaluation slices must hold exactly the rows the
// backend's own gather, split and slice give, across blocks and after the heap has grown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../src/core/random';
import { describeBackend, loadBackend } from '../../../src/trainer/backend';
import { EpochBatches, batchSizes, shuffleRows } from '../../../src/trainer/batches';
import { hostRowBatches, hostRowRange } from '../../../src/trainer/wasm/hostRows';

test('on wasm, each batch holds whole rows of the epoch order, as gather and split give them, across blocks', async () => {
  const b = await loadBackend('wasm');
  const tf = b.tf;
  // 1,000 values a row: a block of 1 MB holds 2 batches of 100, so several blocks are cut.
  const n = 1050;
  const width = 1000;
  const features = Float32Array.from({ length: n * width }, (_, k) => Math.floor(k / width) + (k % width) / width);
  const x = tf.tensor2d(features, [n, width]);
  const order = shuffleRows(new Int32Array(n), new SeededRandom(3));
  const sizes = batchSizes(n, 100);
  const epoch = new EpochBatches(tf, { x: new Map([['x', x]]), labels: () => new Map(), labelWidth: 0, weights: new Map() }, order, sizes, 100);
  try {
    let start = 0;
    for (let k = 0; k < sizes.length; k++) {
      const batch = epoch.batch(k).x.get('x')!;
      const expected = tf.gather(x, tf.tensor1d(order.subarray(start, start + sizes[k]!), 'int32'));
      assert.deepEqual(batch.shape, [sizes[k], width]);
      assert.deepEqual(batch.dataSync(), expected.dataSync(), `batch ${k}`);
      tf.dispose([batch, expected]);
      start += sizes[k]!;
    }
    assert.equal(start, n);
  } finally {
    epoch.dispose();
    x.dispose();
  }
});

test('on wasm, host-cut rows of a rank-3 input equal the backend slice and gather', async () => {
  const { tf } = await loadBackend('wasm');
  const x = tf.tensor3d(Float32Array.from({ length: 40 * 6 }, (_, k) => k * 0.5), [40, 3, 2]);
  const range = hostRowRange(tf, x, 7, 5)!;
  assert.deepEqual(range.shape, [5, 3, 2]);
  assert.deepEqual(range.dataSync(), x.slice(7, 5).dataSync());
  const [first, second] = hostRowBatches(tf, x, Int32Array.from([39, 0, 17, 17, 3]), [2, 3])!;
  assert.deepEqual(first!.dataSync(), tf.gather(x, [39, 0]).dataSync());
  assert.deepEqual(second!.dataSync(), tf.gather(x, [17, 17, 3]).dataSync());
  tf.dispose([x, range, first!, second!]);
});

test('on wasm, batches are right when making them grows the heap (a view of the old heap is detached)', async () => {
  const { tf } = await loadBackend('wasm');
  const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
  const n = 4000;
  const x = tf.tensor2d(Float32Array.from({ length: n * 1000 }, (_, k) => k % 7919), [n, 1000]);
  const order = shuffleRows(new Int32Array(n), new SeededRandom(5));
  const before = heapBytes();
  const batches = hostRowBatches(tf, x, order, batchSizes(n, 500))!;
  assert.ok(heapBytes() > before, 'the test needs the batches to grow the heap');
  const expected = tf.gather(x, tf.tensor1d(order, 'int32'));
  assert.deepEqual(tf.concat(batches).dataSync(), expected.dataSync());
  tf.dispose([x, expected, ...batches]);
});

test('"Show environment" on wasm says whether the SIMD and threaded builds loaded', async () => {
  const b = await loadBackend('wasm');
  const lines = describeBackend(b);
  // Node 20 validates WebAssembly SIMD; tfjs-backend-wasm never starts threads under Node.
  assert.ok(lines.includes('wasm SIMD: loaded'), lines.join('\n'));
  assert.ok(lines.some((l) => /^wasm threads: not loaded/.test(l)), lines.join('\n'));
  assert.ok(lines.includes('threads: 1'));
});
