// The words a screen reader gets for a training chart's curves (webview/training/chartSummary.ts):
// each curve's newest value and step, its best so far (or its range), worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartSummary } from '../../../webview/training/chartSummary';

test('a loss: the newest value and its step, and the lowest so far when the newest is not it', () => {
  // Steps 0, 200, 400, 600: 0.9, 0.41, 0.38, 0.412. Newest: 0.412 at step 600. Lowest: 0.38 at step 400.
  const loss = { label: 'shared validation', x: [0, 200, 400, 600], y: [0.9, 0.41, 0.38, 0.412] };
  assert.equal(chartSummary([loss], 'lower'), 'shared validation: 0.412 at step 600, best 0.38 at step 400');
});

test('an accuracy: higher is better; a newest value that is the best says so', () => {
  // 0.5, 0.7, 0.81: rising, so the newest (0.81 at step 20) is the highest.
  const acc = { label: 'shared validation', x: [0, 10, 20], y: [0.5, 0.7, 0.81] };
  assert.equal(chartSummary([acc], 'higher'), 'shared validation: 0.81 at step 20, its best so far');
  // The same values read as a loss: the lowest is the first, 0.5 at step 0.
  assert.equal(chartSummary([acc], 'lower'), 'shared validation: 0.81 at step 20, best 0.5 at step 0');
});

test('a tie for the best names the first step that reached it', () => {
  // 0.3 at steps 5 and 15; the newest is 0.35 at step 20.
  const loss = { label: 'train', x: [0, 5, 10, 15, 20], y: [1, 0.3, 0.4, 0.3, 0.35] };
  assert.equal(chartSummary([loss], 'lower'), 'train: 0.35 at step 20, best 0.3 at step 5');
});

test('a curve without a better direction (a learning rate, a task weight) gives its range; one value, no range', () => {
  // 0.001, 0.0005, 0.00025: newest 0.00025 (3 significant digits: 2.50e-4 is below 0.001), range 2.50e-4 to 0.001.
  const lr = { label: 'learning rate', x: [0, 100, 200], y: [0.001, 0.0005, 0.00025] };
  assert.equal(chartSummary([lr]), 'learning rate: 2.50e-4 at step 200, from 2.50e-4 to 0.001');
  assert.equal(chartSummary([{ label: 'digit', x: [0, 1], y: [1, 1] }]), 'digit: 1 at step 1');
});

test('several curves: one sentence each, in order; a curve without a finite value says so', () => {
  const train = { label: 'shared train', x: [0, 50], y: [2, 1.5] };
  const validation = { label: 'shared validation', x: [], y: [] };
  const broken = { label: 'single-task train', x: [0], y: [Number.NaN] };
  assert.equal(chartSummary([train, validation, broken], 'lower'),
    'shared train: 1.5 at step 50, its best so far; shared validation: no value yet; single-task train: no value yet');
});
