// The trainer's automatic intra-op thread count (src/trainer/threads.ts): one thread for a
// model whose products are small, TensorFlow's pool for large ones; a recurrent layer's
// products are one time step's each, however many steps it runs; convolutions split over their
// output positions, so a convolutional model keeps the pool at a smaller batch. A plain dense step
// large enough runs in halves on two inter-op threads (stepHalvesFor).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interOpThreadsFor, intraOpThreadsFor, macsPerExample, stepHalvesFor } from '../../../src/trainer/threads';
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

test("the dense reference splits its step in halves from 183 rows a batch on two cores: 3 x 109,516 x 183 >= 6e7", () => {
  const dense = (batch: number) => workload('dense').spec(batch, 1);
  // 784 x 128 + 128 (trunk1), 128 x 64 + 64 (trunk2), 64 x 10 + 10 and 64 x 2 + 2 (the heads).
  const perExample = 100_352 + 128 + 8_192 + 64 + 640 + 10 + 128 + 2;
  assert.equal(perExample, 109_516);
  assert.equal(macsPerExample(dense(256)), perExample);
  // 3 x 109,516 x 182 = 59,795,736 < 6e7; 3 x 109,516 x 183 = 60,124,284 >= 6e7.
  assert.equal(stepHalvesFor(dense(182), 2), false);
  assert.equal(stepHalvesFor(dense(183), 2), true);
  assert.equal(stepHalvesFor(dense(256), 2), true);
});

test('the step stays whole at batch 32 and 128, on one core, and where the pool serves (batch 1024)', () => {
  const dense = (batch: number) => workload('dense').spec(batch, 1);
  assert.equal(stepHalvesFor(dense(32), 2), false);
  assert.equal(stepHalvesFor(dense(128), 2), false);
  assert.equal(stepHalvesFor(dense(256), 1), false);
  // 3 x 109,516 x 1024 = 3.4e8: above the one-thread limit, TensorFlow's pool.
  assert.equal(intraOpThreadsFor(dense(1024)), undefined);
  assert.equal(stepHalvesFor(dense(1024), 2), false);
});

test('the step stays whole with dropout, convolutions, recurrent layers, learned or gradient-based weighting', () => {
  assert.equal(stepHalvesFor(workload('dense-dropout').spec(256, 1), 2), false);
  assert.equal(stepHalvesFor(workload('cnn').spec(8, 1), 2), false);
  assert.equal(stepHalvesFor(lstm(64, 256), 2), false);
  const dense = workload('dense').spec(256, 1);
  for (const method of ['uncertainty', 'mgda', 'pcgrad'] as const) assert.equal(stepHalvesFor({ ...dense, training: { ...dense.training, weighting: { method } } }, 2), false, method);
  for (const method of ['equal', 'static'] as const) assert.equal(stepHalvesFor({ ...dense, training: { ...dense.training, weighting: { method } } }, 2), true, method);
});

test("TensorFlow's inter-op threads: two for a step in halves, the caller's thread alone for one intra-op thread, else its default", () => {
  assert.equal(interOpThreadsFor(1, true), 2);
  assert.equal(interOpThreadsFor(1), -1);
  assert.equal(interOpThreadsFor(undefined, true), undefined);
  assert.equal(interOpThreadsFor(2), undefined);
});
