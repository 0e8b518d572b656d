// A gradient method's run whose loss blows up (a learning rate of 1000) must end as a loss-family
// run does: status failed, the files written so far kept, and one clear message located at
// training.optimizer.learningRate (trainingDiverged.ts), never TensorFlow's own error from inside
// the fused graph's rule (SelfAdjointEigV2, MatrixSolve: "Self-adjoint eigen decomposition was
// not successful") nor the rule's NaN weights ("weighting upgrad gave weights [NaN, NaN]").
// Each path the Gramian can take: the rule as graph ops (graphRules.ts), the rule in JavaScript
// between the fused graph's two calls (UPGrad with 3 tasks), and the eager tape step ('cpu').
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import { runExperiment } from '../../../src/trainer/run';
import { onlyRun, readJson, tempDir } from './helpers';

function divergingDoc(method: string, tasks: number) {
  const ids = ['a', 'b', 'c'].slice(0, tasks);
  return {
    name: `diverging-${method}-${tasks}`,
    data: { source: { type: 'synthetic-correlated', samples: 400, correlation: -0.5, inputDim: 8, seed: 5 }, split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: ids.map((id, k) => ({ id, kind: 'regression', target: k % 2 ? 'y2' : 'y1' })),
    model: {
      inputs: [{ id: 'x', shape: [8] }],
      layers: [{ id: 'trunk', type: 'dense', units: 16, activation: 'relu', from: ['x'] }, ...ids.map((id) => ({ id: `out_${id}`, type: 'dense', units: 1, from: ['trunk'] }))],
      outputs: Object.fromEntries(ids.map((id) => [id, `out_${id}`])),
    },
    training: { optimizer: { type: 'sgd', learningRate: 1000 }, epochs: 3, batchSize: 32, seed: 42, weighting: { method, mode: 'representation' } },
    evaluation: { baselines: 'none' },
  };
}

const CASES: { method: string; tasks: number; backend: 'tensorflow' | 'cpu'; path: string }[] = [
  { method: 'imtlg', tasks: 3, backend: 'tensorflow', path: 'graph rule (SelfAdjointEigV2)' },
  { method: 'mgda', tasks: 3, backend: 'tensorflow', path: 'graph rule (MatrixSolve)' },
  { method: 'aligned-mtl', tasks: 3, backend: 'tensorflow', path: 'graph rule (SelfAdjointEigV2)' },
  { method: 'upgrad', tasks: 3, backend: 'tensorflow', path: 'JavaScript rule between the fused graph\'s calls' },
  { method: 'upgrad', tasks: 2, backend: 'cpu', path: 'eager tape step' },
];

firstStepCases('tensorflow');

for (const c of CASES) {
  test(`${c.method}, ${c.tasks} tasks, ${c.path}: a diverging loss fails the run with the located message`, { timeout: 120_000 }, async () => {
    const doc = divergingDoc(c.method, c.tasks);
    const runsDir = tempDir('diverged');
    const messages: FromTrainer[] = [];
    const outcome = await runExperiment({ doc, workspaceDir: runsDir, runsDir, backend: c.backend, emit: (m) => messages.push(m), cancelled: () => false });
    assert.equal(outcome, 'failed');
    const error = messages.find((m) => m.type === 'error');
    assert.ok(error && error.type === 'error', JSON.stringify(messages.filter((m) => m.type === 'log').slice(-3)));
    assert.match(error.message, /^training.optimizer.learningRate: Training diverged: the (loss|gradient) of task "[abc]".* became (NaN|-?Infinity) at epoch \d+, step \d+\. Lower the learning rate/, error.message);
    assert.deepEqual(error.path, ['training', 'optimizer', 'learningRate']);
    assert.equal(error.detail, undefined, 'no stack trace for a user-facing problem');
    const run = onlyRun(runsDir, doc.name);
    assert.equal(readJson(path.join(run, 'run.json')).status, 'failed');
    for (const kept of ['experiment.json', 'metrics.jsonl']) assert.ok(fs.existsSync(path.join(run, kept)), `${kept} kept`);
  });
}

/** Two regression tasks on a CSV; task b's targets are 2e19: float32 holds them, but their squared error (4e38) is infinite from the first step. */
function hugeTargetDoc(method: string, dir: string) {
  const rows = Array.from({ length: 300 }, (_, i) => {
    const x = Array.from({ length: 4 }, (_, j) => Math.sin(i * (j + 1)).toFixed(4));
    return [...x, (Math.cos(i) * 2).toFixed(4), String(2e19 * (1 + (i % 3)))].join(',');
  });
  fs.writeFileSync(path.join(dir, 'huge.csv'), `x1,x2,x3,x4,y1,y2\n${rows.join('\n')}\n`);
  return {
    name: `huge-target-${method}`,
    data: { source: { type: 'csv', path: 'huge.csv' }, split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: [{ id: 'a', kind: 'regression', target: 'y1' }, { id: 'b', kind: 'regression', target: 'y2' }],
    model: {
      inputs: [{ id: 'x', shape: [4] }],
      layers: [{ id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['x'] }, { id: 'out_a', type: 'dense', units: 1, from: ['trunk'] }, { id: 'out_b', type: 'dense', units: 1, from: ['trunk'] }],
      outputs: { a: 'out_a', b: 'out_b' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 2, batchSize: 32, seed: 42, weighting: { method, mode: 'representation' } },
    evaluation: { baselines: 'none' },
  };
}

// A loss not finite on the run's first step was computed before any update: the message blamed the
// learning rate (and, from a gradient method's Gramian, named the first task whose row held the
// other's infinity: "a"). It now points at the task whose loss it is, and says why.
function firstStepCases(backend: 'tensorflow' | 'cpu'): void {
  for (const c of [
    { method: 'equal', backend: 'tensorflow' as const, path: 'fused graph, loss at the report' },
    { method: 'mgda', backend: 'tensorflow' as const, path: 'graph rule' },
    { method: 'upgrad', backend: 'cpu' as const, path: 'eager tape step, the Gramian checked in JavaScript' },
  ].filter((c) => c.backend === backend)) {
    test(`${c.method}, ${c.path}: a loss infinite from the first step points at the task's target, not the learning rate`, { timeout: 120_000 }, async () => {
      const dir = tempDir('diverged-first');
      const doc = hugeTargetDoc(c.method, dir);
      const messages: FromTrainer[] = [];
      const outcome = await runExperiment({ doc, workspaceDir: dir, runsDir: dir, backend: c.backend, emit: (m) => messages.push(m), cancelled: () => false });
      assert.equal(outcome, 'failed');
      const error = messages.find((m) => m.type === 'error');
      assert.ok(error && error.type === 'error', JSON.stringify(messages.filter((m) => m.type === 'log').slice(-3)));
      assert.match(error.message, /^tasks\[1\]\.target: Training diverged: the (loss|gradient) of task "b".* was (NaN|-?Infinity) on the first step, before any update, so the learning rate is not the cause/, error.message);
      assert.deepEqual(error.path, ['tasks', 1, 'target']);
      assert.equal(readJson(path.join(onlyRun(dir, doc.name), 'run.json')).status, 'failed');
    });
  }
}

// After the cases above: the 'cpu' backend stays loaded in this process.
firstStepCases('cpu');
