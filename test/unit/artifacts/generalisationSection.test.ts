import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint } from '../../../src/core/protocol';
import type { TaskSpec } from '../../../src/core/spec';
import { gapSeries, generalisationGap, renderGeneralisationSection } from '../../../src/trainer/artifacts/generalisationSection';

const p = (epoch: number, split: 'train' | 'validation', task: string, metric: string, value: number): MetricPoint => ({ step: epoch * 10, epoch, split, task, metric, value });

test('the gap is positive when the model does better on train than on validation, for scores and for errors', () => {
  assert.ok(Math.abs(generalisationGap('accuracy', 0.95, 0.90) - 0.05) < 1e-12);
  assert.ok(Math.abs(generalisationGap('mae', 0.10, 0.25) - 0.15) < 1e-12);
});

test('per epoch gaps, and the sentence compares the final gaps of shared and single-task models', () => {
  const tasks: TaskSpec[] = [{ id: 'a', kind: 'multiclass', target: 'a', classes: 3 }, { id: 'r', kind: 'regression', target: 'r' }];
  const shared = [p(1, 'train', 'a', 'accuracy', 0.8), p(1, 'validation', 'a', 'accuracy', 0.78), p(2, 'train', 'a', 'accuracy', 0.9), p(2, 'validation', 'a', 'accuracy', 0.85),
    p(1, 'train', 'r', 'mae', 0.5), p(1, 'validation', 'r', 'mae', 0.5), p(2, 'train', 'r', 'mae', 0.3), p(2, 'validation', 'r', 'mae', 0.301)];
  const single = { a: [p(1, 'train', 'a', 'accuracy', 0.9), p(1, 'validation', 'a', 'accuracy', 0.8), p(2, 'train', 'a', 'accuracy', 0.99), p(2, 'validation', 'a', 'accuracy', 0.84)],
    r: [p(2, 'train', 'r', 'mae', 0.2), p(2, 'validation', 'r', 'mae', 0.202)] };
  const gaps = gapSeries(shared, 'a', 'accuracy');
  assert.deepEqual(gaps.map(([e]) => e), [1, 2]);
  assert.ok(Math.abs(gaps[1]![1] - 0.05) < 1e-9);
  const { lines, files } = renderGeneralisationSection(tasks, (t) => (t.kind === 'regression' ? 'mae' : 'accuracy'), shared, single, 0);
  const text = lines.join('\n');
  // a: shared 0.90 − 0.85 = 0.05 against single 0.99 − 0.84 = 0.15 → less. r: 0.001 against 0.002 → about as much.
  assert.match(text, /- a: the shared model overfits less than its single-task model \(final gap in accuracy 0\.05 against 0\.15\)/);
  assert.match(text, /- r: the shared model overfits about as much as its single-task model/);
  assert.equal(files.length, 2);
  assert.match(files[0]!.content, /<svg/);
});

test('two gaps at or below 0 are no overfitting: the sentence does not say the shared model overfits more', () => {
  const tasks: TaskSpec[] = [{ id: 'digit', kind: 'multiclass', target: 'digit', classes: 10 }];
  // The digits-parity run's last epoch: running train accuracy below validation for both models.
  const shared = [p(2, 'train', 'digit', 'accuracy', 0.80), p(2, 'validation', 'digit', 'accuracy', 0.83163)];
  const single = { digit: [p(2, 'train', 'digit', 'accuracy', 0.80), p(2, 'validation', 'digit', 'accuracy', 0.83737)] };
  const text = renderGeneralisationSection(tasks, () => 'accuracy', shared, single, 0).lines.join('\n');
  assert.match(text, /- digit: neither model overfits yet: both do as well on validation as on train or better \(final gap in accuracy -0\.03163 against -0\.03737\)/);
  assert.doesNotMatch(text, /overfits more/);
  // With running train metrics the introduction says where such a gap comes from.
  const running = renderGeneralisationSection(tasks, () => 'accuracy', shared, single, 0, true).lines.join('\n');
  assert.match(running, /a gap below 0, usual in the first epochs, is that lag/);
});
