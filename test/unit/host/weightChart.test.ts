// The training panel's task-weight chart: one series per task, and a title that says what
// the weights are. A gradient method's weights are the task gradients' coefficients in the update, not
// learned weights (the title said "learned" for every method, PCGrad included).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHARED_PHASE_KEY } from '../../../src/core/phase';
import { RunView, seriesKey } from '../../../webview/training/runState';
import { modelCharts } from '../../../webview/training/charts';

function viewWith(weighting: string): RunView {
  const view = new RunView();
  const tasks = ['task1', 'task2'].map((id) => ({ id, kind: 'regression' as const, metrics: ['mae'] }));
  view.header = { experiment: 'w', tasks, totalEpochs: 1, weighting, live: false, phases: [{ kind: 'shared' }] };
  for (const t of tasks) view.series.set(seriesKey(SHARED_PHASE_KEY, t.id, 'weight', 'train'), { x: [1], y: [1.01], version: 1 });
  view.hasWeights = true;
  return view;
}

const weightChart = (view: RunView) => modelCharts(view).find((c) => c.id === 'model:weights');

test('a gradient method\'s weight chart says the weights are its gradients\' coefficients, one series per task', () => {
  // The header names a gradient method with its mode (core weightingLabel).
  const chart = weightChart(viewWith('pcgrad (shared parameters)'));
  assert.equal(chart?.title, 'task weights (pcgrad: coefficient of each task\'s gradient)');
  assert.deepEqual(chart?.series.map((s) => s.label), ['task1', 'task2']);
});

test('a loss method\'s weight chart names the method and does not call every weight learned', () => {
  assert.equal(weightChart(viewWith('uncertainty'))?.title, 'task weights (uncertainty)');
  assert.equal(weightChart(viewWith('dwa'))?.title, 'task weights (dwa)');
});
