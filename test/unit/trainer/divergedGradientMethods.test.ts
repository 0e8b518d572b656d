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
