// The lookahead of task affinity on a tiny network with known weights (worked by hand), and a
// real small run that writes the matrix to summary.json and the report.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../../src/core/graph';
import type { FromTrainer, RunSummary } from '../../../../src/core/protocol';
import type { ExperimentSpec } from '../../../../src/core/spec';
import { lookaheadAffinity } from '../../../../src/core/taskAffinity';
import { loadBackend } from '../../../../src/trainer/backend';
import { makeHeads } from '../../../../src/trainer/heads';
import { sharedBlocks } from '../../../../src/trainer/insight/conflict';
import { lookaheadLosses } from '../../../../src/trainer/insight/taskAffinity';
import { buildModel } from '../../../../src/trainer/model/build';
import { makeForward } from '../../../../src/trainer/model/forward';
import { runExperiment } from '../../../../src/trainer/run';
import { exampleDoc, onlyRun, tempDir } from '../helpers';

const close = (a: number, b: number, what = '') => assert.ok(Math.abs(a - b) <= 1e-4, `${what} ${a} vs ${b}`);

test('lookahead: x = [1, 2], shared unit w = [1, 1], heads 1 and 2, targets 0 and 10, lr 0.01 (worked by hand); the shared weights are put back', async () => {
  const spec: ExperimentSpec = {
    name: 'affinity',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'a', kind: 'regression', target: 'ya', loss: 'meanSquaredError', metrics: ['mae'] },
      { id: 'b', kind: 'regression', target: 'yb', loss: 'meanSquaredError', metrics: ['mae'] },
    ],
    model: {
      inputs: [{ id: 'x', shape: [2] }],
      layers: [
        { id: 't', type: 'dense', units: 1, from: ['x'] },
        { id: 'ha', type: 'dense', units: 1, from: ['t'] },
        { id: 'hb', type: 'dense', units: 1, from: ['t'] },
      ],
      outputs: { a: 'ha', b: 'hb' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 1, seed: 1 },
  };
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(spec).order;
  const built = buildModel(tf, spec, topo, 1);
  for (const [id, w] of Object.entries({ t: [[1], [1]], ha: [[1]], hb: [[2]] })) built.layers.get(id)!.setWeights([tf.tensor2d(w), tf.zeros([1])]);
  const heads = makeHeads(tf, spec);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: new Set(), seed: 1 });
  const shared = sharedBlocks({ spec, built }).flatMap((b) => b.vars);
  const xb = new Map<string, TF.Tensor>([['x', tf.tensor2d([[1, 2]])]]);
  const yb = new Map<string, TF.Tensor>([['a', tf.tensor2d([[0]])], ['b', tf.tensor2d([[10]])]]);
  // h = 3: L_a = 3² = 9, L_b = (6 − 10)² = 16. dL_a/dh = 6, dL_b/dh = 2 · (−4) · 2 = −16; ∂h/∂(w1, w2, bias) = (1, 2, 1).
  // Step on a: h' = 0.94 + 0.88 · 2 − 0.06 = 2.64 → L_a 6.9696, L_b (5.28 − 10)² = 22.2784.
  // Step on b: h' = 1.16 + 1.32 · 2 + 0.16 = 3.96 → L_a 15.6816, L_b (7.92 − 10)² = 4.3264.
  const before = shared.map((v) => Array.from(v.dataSync()));
  const { before: l0, after } = lookaheadLosses({ tf, forward, heads }, shared, 0.01, { xb, yb, masks: new Map() });
  close(l0[0]!, 9); close(l0[1]!, 16);
  [[6.9696, 22.2784], [15.6816, 4.3264]].forEach((row, i) => row.forEach((v, j) => close(after[i]![j]!, v, `after[${i}][${j}]`)));
  const z = lookaheadAffinity(l0, after);
  close(z[0]![1]!, -0.3924, 'Z(a → b)');
  close(z[1]![0]!, -0.7424, 'Z(b → a)');
  assert.deepEqual(shared.map((v) => Array.from(v.dataSync())), before);
  tf.dispose([...xb.values(), ...yb.values()]);
  built.model.dispose();
});

test('a real run with evaluation.taskAffinity writes the mean matrix to summary.json and the report', { timeout: 180_000 }, async () => {
  const runsDir = tempDir('affinity');
  const doc = exampleDoc('digits-parity') as unknown as ExperimentSpec;
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({
    doc: { ...doc, data: { ...doc.data, source: { type: 'mnist', limit: 600 } }, training: { ...doc.training, batchSize: 32 }, evaluation: { baselines: 'none', conflict: { every: 0 }, taskAffinity: { every: 5 } } },
    workspaceDir: runsDir, runsDir, backend: 'tensorflow', epochs: 1, emit: (m) => messages.push(m), cancelled: () => false,
  });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error')));
  const runDir = onlyRun(runsDir, doc.name);
  const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  // 15 steps: measured at 0, 5, 10. conflict.every 0: no conflict measured.
  assert.equal(summary.taskAffinity?.measurements, 3);
  assert.equal(summary.conflict, undefined);
  assert.deepEqual(summary.taskAffinity.tasks, ['digit', 'parity']);
  summary.taskAffinity.matrix.flat().forEach((v) => assert.ok(Number.isFinite(v) && v < 1));
  const lines = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task: string; metric: string });
  assert.equal(lines.filter((p) => p.task === 'digit>parity' && p.metric === 'affinity').length, 3);
  const report = fs.readFileSync(path.join(runDir, 'report.md'), 'utf8');
  assert.match(report, /## Task affinity/);
  assert.match(report, /With two tasks there is no grouping to propose/);
});
