// The choice of GradDrop's mask path from the run's planned steps (graph/gradDropJit.ts): XLA's
// compiled loop from the measured break-even on, TensorFlow's kernels below it, and the run log's note.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GRADDROP_XLA_MIN_STEPS, gradDropCompiles, gradDropJitNote } from '../../../src/trainer/graph/gradDropJit';

test('GradDrop compiles its mask with XLA from the break-even number of planned steps on, not below', () => {
  assert.equal(gradDropCompiles(GRADDROP_XLA_MIN_STEPS - 1), false);
  assert.equal(gradDropCompiles(GRADDROP_XLA_MIN_STEPS), true);
  assert.equal(gradDropCompiles(0), false);
  assert.equal(gradDropCompiles(Infinity), true);
  // An example's run (10 epochs of 50 steps) stays on the kernels; a run of 100 epochs of 200 steps compiles.
  assert.equal(gradDropCompiles(10 * 50), false);
  assert.equal(gradDropCompiles(100 * 200), true);
});

test('the run log says which way GradDrop\'s mask runs and for how long a run', () => {
  assert.equal(gradDropJitNote(true, 20_000), 'GradDrop: XLA-compiled mask (a run of 20,000 steps)');
  assert.equal(gradDropJitNote(true, Infinity), 'GradDrop: XLA-compiled mask (a long run)');
  assert.equal(gradDropJitNote(false, 140), `GradDrop: on TensorFlow's kernels (a run of 140 steps; XLA's compilation pays from ${GRADDROP_XLA_MIN_STEPS.toLocaleString('en-US')})`);
});
