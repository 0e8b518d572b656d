// The training panel's gradient-conflict chart: one line per task pair, from the trainer's
// progress points (task "a|b", metric "cosine"), absent while nothing was measured; the
// pair's points do not make a task chart of their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunView } from '../../../webview/training/runState';
import { modelCharts, taskCharts } from '../../../webview/training/charts';

function view(): RunView {
  const v = new RunView();
  const tasks = ['digit', 'parity', 'size'].map((id) => ({ id, kind: 'regression' as const, metrics: ['mae'] }));
  v.apply({ kind: 'header', header: { experiment: 'c', tasks, totalEpochs: 1, weighting: 'equal', live: true, phases: [{ kind: 'shared' }] } });
  return v;
}

test('conflict points become one cosine line per measured pair in the model charts', () => {
  const v = view();
  assert.equal(modelCharts(v).find((c) => c.id === 'model:conflict'), undefined);
  const at = { epoch: 1, split: 'train' as const };
  v.apply({ kind: 'trainer', msg: { type: 'progress', phase: { kind: 'shared' }, points: [
    { ...at, step: 0, task: 'digit|parity', metric: 'cosine', value: -0.2 },
    { ...at, step: 0, task: 'digit|parity', metric: 'cosine@trunk1', value: 0.1 },
    { ...at, step: 0, task: 'digit|size', metric: 'cosine', value: 0.4 },
    { ...at, step: 200, task: 'digit|parity', metric: 'cosine', value: 0.3 },
  ] } });
  const chart = modelCharts(v).find((c) => c.id === 'model:conflict');
  assert.deepEqual(chart?.series.map((s) => s.label), ['digit|parity', 'digit|size']);
  assert.deepEqual(taskCharts(v, {}).map((t) => t.task), ['digit', 'parity', 'size']);
});
