// Training options a user sets in the document change what the loop does.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer, MetricPoint } from '../../../src/core/protocol';
import { runExperiment } from '../../../src/trainer/run';
import { exampleDoc, exampleFile, tempDir } from './helpers';

async function run(patch: (doc: Record<string, any>) => void, epochs = 6) {
  const doc = structuredClone(exampleDoc('correlated-regression')) as Record<string, any>;
  doc.data.source.samples = 800;
  doc.evaluation = { baselines: 'none' };
  patch(doc);
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({ doc, workspaceDir: path.dirname(exampleFile('correlated-regression')), runsDir: tempDir('options'),
    backend: 'tensorflow', epochs, emit: (m) => messages.push(m), cancelled: () => false });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error' || m.type === 'problems')));
  const epochPoints = messages.flatMap((m) => (m.type === 'epochEnd' ? m.values : [])) as MetricPoint[];
  const logs = messages.flatMap((m) => (m.type === 'log' ? [m.message] : []));
  const progressPoints = messages.flatMap((m) => (m.type === 'progress' ? m.points : [])) as MetricPoint[];
  const done = messages.find((m) => m.type === 'done');
  return { epochPoints, progressPoints, logs, epochs: messages.filter((m) => m.type === 'epochEnd').length, summary: done?.type === 'done' ? done.summary : undefined };
}

test('uncertainty weighting learns a weight per task and reports it', { timeout: 120_000 }, async () => {
  const { progressPoints } = await run(() => undefined);
  const weights = progressPoints.filter((p) => p.metric === 'weight');
  assert.equal(new Set(weights.map((p) => p.task)).size, 2);
  const first = weights.slice(0, 2).map((p) => p.value);
  const last = weights.slice(-2).map((p) => p.value);
  assert.notDeepEqual(first, last, 'the learned weights move');
  // Regression tasks with small losses get weights above the initial 0.5.
  assert.ok(last.every((w) => w > 0.5), `weights ${last}`);
});

test('every optimizer lowers the validation loss', { timeout: 300_000 }, async () => {
  for (const optimizer of [
    { type: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true },
    { type: 'adam', learningRate: 0.003 },
    { type: 'rmsprop', learningRate: 0.001 },
    { type: 'adagrad', learningRate: 0.05 },
  ]) {
    const { epochPoints } = await run((d) => { d.training.optimizer = optimizer; d.training.weighting = { method: 'equal' }; d.training.clipNorm = 5; }, 4);
    const loss = (e: number) => epochPoints.find((p) => p.epoch === e && p.task === '*' && p.split === 'validation' && p.metric === 'loss')!.value;
    assert.ok(loss(4) < loss(1), `${optimizer.type}: validation loss ${loss(1)} -> ${loss(4)}`);
  }
});

test('early stopping ends training when the validation loss stops improving', { timeout: 120_000 }, async () => {
  // A learning rate so small that the loss cannot improve.
  const { epochs, logs, summary } = await run((d) => { d.training.optimizer = { type: 'sgd', learningRate: 1e-9 }; d.training.earlyStopping = { patience: 2 }; d.training.weighting = { method: 'equal' }; }, 30);
  assert.ok(epochs < 30, `stopped after ${epochs} epochs`);
  assert.ok(logs.some((l) => /stopped early/.test(l)));
  // The test split is measured (and the model saved) with the best epoch's weights, and the run says which.
  assert.equal(summary?.earlyStopping?.epochsRun, epochs);
  assert.ok(summary!.earlyStopping!.bestEpoch < epochs);
  assert.ok(logs.some((l) => new RegExp(`weights of epoch ${summary!.earlyStopping!.bestEpoch} \\(best validation loss\\) restored`).test(l)), logs.join('\n'));
});

test('a diverging loss stops the run with a clear message and status failed', { timeout: 120_000 }, async () => {
  const doc = structuredClone(exampleDoc('correlated-regression')) as Record<string, any>;
  doc.data.source.samples = 800;
  doc.evaluation = { baselines: 'none' };
  doc.training.optimizer = { type: 'sgd', learningRate: 50 };
  doc.training.weighting = { method: 'equal' };
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({ doc, workspaceDir: path.dirname(exampleFile('correlated-regression')), runsDir: tempDir('diverge'),
    backend: 'tensorflow', epochs: 5, emit: (m) => messages.push(m), cancelled: () => false });
  assert.equal(outcome, 'failed');
  const error = messages.find((m) => m.type === 'error');
  assert.ok(error && error.type === 'error');
  assert.match(error.message, /diverged.*Lower the learning rate/);
  assert.equal(error.detail, undefined, 'no stack trace for a user-facing problem');
});
