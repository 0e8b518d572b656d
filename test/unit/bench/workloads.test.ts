// The bench's workloads time what the Keras and PyTorch loops do: none measures gradient conflict
// (bench/workloads.ts withoutConflict), whatever else its evaluation says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFLICT_DEFAULT_EVERY, conflictEvery } from '../../../src/core/conflict';
import { WORKLOADS, withConflict } from '../../../bench/workloads';

test('every workload turns the gradient-conflict measurement off and keeps the rest of its evaluation', () => {
  for (const w of WORKLOADS) {
    for (const [batch, epochs] of [[32, 1], [256, 3]] as const) {
      const spec = w.spec(batch, epochs);
      assert.deepEqual(spec.evaluation?.conflict, { every: 0 }, w.id);
      assert.equal(spec.training.batchSize, batch, w.id);
    }
  }
  const baselines = Object.fromEntries(WORKLOADS.map((w) => [w.id, w.spec(32, 1).evaluation?.baselines]));
  assert.equal(baselines.cnn, 'none');
  assert.equal(baselines.lstm, 'none');
});

test('withConflict gives a workload back the measurement at its default interval, the rest of its evaluation kept', () => {
  for (const w of WORKLOADS) {
    const spec = withConflict(w.spec(32, 1));
    assert.equal(spec.evaluation?.conflict, undefined, w.id);
    assert.equal(conflictEvery(spec.evaluation?.conflict), CONFLICT_DEFAULT_EVERY, w.id);
    assert.equal(spec.evaluation?.baselines, w.spec(32, 1).evaluation?.baselines, w.id);
  }
});
