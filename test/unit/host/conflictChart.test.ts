// The training panel's gradient-conflict chart: one line per task pair, from the trainer's
// progress points (task "a|b", metric "cosine"), absent while nothing was measured; the
// pair's points do not make a task chart of their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunView } from '../../../webview/training/runState';
import { WHOLE_TRUNK } from '../../../src/core/conflict';
import { readRunFolderFiles, runFolderEvents } from '../../../src/host/training/runFolderStream';
import { conflictPairs, modelCharts, taskCharts } from '../../../webview/training/charts';
import { record, tempDir, writeRun } from './fixtures';

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

test('the heatmap\'s input: blocks with cosines (whole trunk first), and per block each measured pair in task order', () => {
  const v = view();
  assert.deepEqual(v.conflictBlocks, []);
  const at = { epoch: 1, split: 'train' as const };
  v.apply({ kind: 'trainer', msg: { type: 'progress', phase: { kind: 'shared' }, points: [
    { ...at, step: 0, task: 'parity|size', metric: 'cosine@trunk1', value: 0.1 },
    { ...at, step: 0, task: 'parity|size', metric: 'ratio@trunk2', value: 3 },
    { ...at, step: 0, task: 'parity|size', metric: 'cosine', value: -0.3 },
    { ...at, step: 0, task: 'digit|parity', metric: 'cosine', value: 0.2 },
    { ...at, step: 200, task: 'digit|parity', metric: 'cosine', value: -0.4 },
  ] } });
  assert.deepEqual(v.conflictBlocks, [WHOLE_TRUNK, 'trunk1'], 'a ratio alone makes no block');
  assert.deepEqual(conflictPairs(v, WHOLE_TRUNK), [
    { a: 'digit', b: 'parity', steps: [0, 200], cosines: [0.2, -0.4] },
    { a: 'parity', b: 'size', steps: [0], cosines: [-0.3] },
  ]);
  assert.deepEqual(conflictPairs(v, 'trunk1'), [{ a: 'parity', b: 'size', steps: [0], cosines: [0.1] }]);
});

test('a reloaded window (the panel rebuilt from the run folder) has the heatmap\'s blocks and cells back from metrics.jsonl', () => {
  const at = { epoch: 1, split: 'train' as const };
  const points = [
    // Flush order (a later report first) as the writer may append them.
    { ...at, step: 200, task: 'digit|parity', metric: 'cosine', value: 0.3 },
    { ...at, step: 0, task: 'digit|parity', metric: 'cosine', value: -0.2 },
    { ...at, step: 0, task: 'digit|parity', metric: 'cosine@trunk2', value: -0.5 },
    { ...at, step: 0, task: 'digit|parity', metric: 'ratio', value: 2 },
  ];
  const dir = writeRun(tempDir(), '20261130-120000-abcd', { record: record('20261130-120000-abcd', 'completed'), summary: true, points });
  const v = new RunView();
  for (const e of runFolderEvents(readRunFolderFiles(dir))) v.apply(e);
  assert.deepEqual(v.conflictBlocks, [WHOLE_TRUNK, 'trunk2']);
  assert.deepEqual(conflictPairs(v, WHOLE_TRUNK), [{ a: 'digit', b: 'parity', steps: [0, 200], cosines: [-0.2, 0.3] }]);
  assert.deepEqual(conflictPairs(v, 'trunk2'), [{ a: 'digit', b: 'parity', steps: [0], cosines: [-0.5] }]);
});
