// The trainer's automatic intra-op thread count (src/trainer/threads.ts): one thread for a
// model whose products are small, TensorFlow's pool for large ones; a recurrent layer's
// products are one time step's each, however many steps it runs.
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
