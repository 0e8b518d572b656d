// The training panel's legend says how a train curve was measured (evaluation.trainMetrics):
// running over the epoch (the default, and always the loss), or at each epoch's end; a run
// folder from before the option measured at epoch end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHARED_PHASE_KEY } from '../../../src/core/phase';
import type { TrainMetricsMode } from '../../../src/core/spec';
import { RunView, seriesKey } from '../../../webview/training/runState';
import { taskCharts } from '../../../webview/training/charts';

function viewWith(trainMetrics: TrainMetricsMode | undefined): RunView {
  const view = new RunView();
  view.header = { experiment: 'm', tasks: [{ id: 'digit', kind: 'multiclass', metrics: ['accuracy'] }], totalEpochs: 1, weighting: 'equal', live: false,
    phases: [{ kind: 'shared' }], ...(trainMetrics ? { trainMetrics } : {}) };
  for (const metric of ['accuracy', 'loss']) {
    for (const split of ['train', 'validation'] as const) view.series.set(seriesKey(SHARED_PHASE_KEY, 'digit', metric, split), { x: [1], y: [0.5], version: 1 });
  }
  view.taskMetrics.set('digit', ['accuracy']);
  return view;
}

/** The legend labels of the loss chart or of the metric chart. */
const labels = (view: RunView, metric: string) => taskCharts(view, { digit: metric })[0]!.charts.find((c) => c.title === metric)!.series.map((s) => s.label);

test('train curves say whether they ran over the epoch or were measured at its end', () => {
  assert.ok(labels(viewWith('running'), 'accuracy').includes('shared train, running over the epoch'), String(labels(viewWith('running'), 'accuracy')));
  assert.ok(labels(viewWith('epochEnd'), 'accuracy').includes('shared train, at epoch end (first 2,000 rows)'));
  assert.ok(labels(viewWith('epochEnd'), 'loss').includes('shared train, running over the epoch'), 'the train loss is the running mean either way');
  assert.ok(labels(viewWith(undefined), 'accuracy').includes('shared train'), 'not known: no claim');
  assert.ok(labels(viewWith('running'), 'accuracy').includes('shared validation'));
});
