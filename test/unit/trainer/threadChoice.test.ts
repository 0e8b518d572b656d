// The trainer's automatic intra-op thread count (src/trainer/threads.ts): one thread for a
// model whose products are small, TensorFlow's pool for large ones; a recurrent layer's
// products are one time step's each, however many steps it runs; convolutions split over their
// output positions, so a convolutional model keeps the pool at a smaller batch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intraOpThreadsFor, macsPerExample } from '../../../src/trainer/threads';
import { SEQUENCE, workload } from '../../../bench/workloads';

const lstm = (units: number, batch: number) => {
  const spec = workload('lstm').spec(batch, 1);
  return { ...spec, model: { ...spec.model, layers: spec.model.layers.map((l) => (l.type === 'lstm' ? { ...l, units } : l)) } };
};

test('an LSTM of 64 units over 20 steps trains on one thread at batch 32 and 256', () => {
  assert.equal(intraOpThreadsFor(lstm(64, 32)), 1);
  assert.equal(intraOpThreadsFor(lstm(64, 256)), 1);
});

test('an LSTM of 512 units keeps the pool at batch 256: one step is a large product', () => {
  assert.equal(intraOpThreadsFor(lstm(512, 256)), undefined);
});

test("a forward pass's multiply-adds count a recurrent layer's every step, unless one step is asked for", () => {
  const spec = lstm(64, 32);
  // The LSTM's (8 + 64 + 1) x 256 weights, the heads' 65 x 10 and 65 x 2.
  const heads = 65 * 10 + 65 * 2;
  assert.equal(macsPerExample(spec), (8 + 64 + 1) * 256 * SEQUENCE.steps + heads);
  assert.equal(macsPerExample(spec, { oneTimeStep: true }), (8 + 64 + 1) * 256 + heads);
});

test("the bench's CNN keeps the pool at batch 32 (its convolutions split over positions) and trains on one thread at batch 8", () => {
  const cnn = (batch: number) => workload('cnn').spec(batch, 1);
  assert.equal(intraOpThreadsFor(cnn(32)), undefined);
  assert.equal(intraOpThreadsFor(cnn(8)), 1);
});

test("a forward pass's multiply-adds of one layer type: a convolution's kernel at every output position", () => {
  // conv1: (5 x 5 x 1 + 1) x 16 weights at 32 x 32 positions; conv2: (3 x 3 x 16 + 1) x 32 at 14 x 14.
  assert.equal(macsPerExample(workload('cnn').spec(32, 1), { only: 'conv2d' }), 26 * 16 * 32 * 32 + 145 * 32 * 14 * 14);
});
