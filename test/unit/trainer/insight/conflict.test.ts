// Gradient conflict on a tiny network with known weights (hand-worked Gramians), and a real
// small run that records the points in metrics.jsonl, summary.json and the report.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import type { FromTrainer, RunSummary } from '../../../../src/core/protocol';
import type { ExperimentSpec } from '../../../../src/core/spec';
import { blockGramians, sharedBlocks } from '../../../../src/trainer/insight/conflict';
import { runExperiment } from '../../../../src/trainer/run';
import { exampleDoc, onlyRun, tempDir } from '../helpers';
import { twoRegressionTasks, withWeights } from './tinyModel';

test('per-block Gramians of the task gradients: x = [1, 2], t1 = I, t2 = 2·I, heads [1, 0] and [−1, 1], targets 0 (worked by hand)', async () => {
  const spec = twoRegressionTasks('conflict', [
    { id: 't1', type: 'dense', units: 2, from: ['x'] },
    { id: 't2', type: 'dense', units: 2, from: ['t1'] },
    { id: 'ha', type: 'dense', units: 1, from: ['t2'] },
    { id: 'hb', type: 'dense', units: 1, from: ['t2'] },
  ]);
  const { tf, built, heads, forward } = await withWeights(spec, { t1: [[1, 0], [0, 1]], t2: [[2, 0], [0, 2]], ha: [[1], [0]], hb: [[-1], [1]] });
  const blocks = sharedBlocks({ spec, built });
  assert.deepEqual(blocks.map((b) => b.id), ['t1', 't2']);
  const xb = new Map<string, TF.Tensor>([['x', tf.tensor2d([[1, 2]])]]);
  const yb = new Map<string, TF.Tensor>([['a', tf.tensor2d([[0]])], ['b', tf.tensor2d([[0]])]]);
  // h1 = [1, 2], h2 = [2, 4]; out_a = 2, out_b = 2. dL/dh2: a 2·2·[1, 0] = [4, 0], b 2·2·[−1, 1] = [−4, 4].
  // t2 (input h1): g_a = [[4, 0], [8, 0]] | [4, 0] → |g_a|² = 96; g_b = [[−4, 4], [−8, 8]] | [−4, 4] → 192; <g_a, g_b> = −96.
  // dL/dh1 = dL/dh2 · W2ᵀ = 2 · dL/dh2; t1 (input x): |g_a|² = 384, |g_b|² = 768, <g_a, g_b> = −384.
  const grams = blockGramians({ tf, forward, heads }, blocks, xb, yb, new Map());
  const expected = [[[384, -384], [-384, 768]], [[96, -96], [-96, 192]]];
  grams.forEach((g, k) => g.forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs(v - expected[k]![a]![b]!) <= 1e-3, `block ${k} G[${a}][${b}] ${v}`))));
  tf.dispose([...xb.values(), ...yb.values()]);
  built.model.dispose();
});

test('a real run on MNIST records the conflict points (metrics.jsonl), the tally (summary.json) and the report\'s sentence; baselines record none', { timeout: 180_000 }, async () => {
  const runsDir = tempDir('conflict');
  const doc = exampleDoc('digits-parity') as unknown as ExperimentSpec;
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({
    doc: { ...doc, data: { ...doc.data, source: { type: 'mnist', limit: 600 } }, training: { ...doc.training, batchSize: 32 }, evaluation: { baselines: 'single-task', conflict: { every: 4 } } },
    workspaceDir: runsDir, runsDir, backend: 'tensorflow', epochs: 1, emit: (m) => messages.push(m), cancelled: () => false,
  });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error')));
  const runDir = onlyRun(runsDir, doc.name);
  const lines = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task: string; metric: string; step: number; value: number; phase?: string });
  const cos = lines.filter((p) => p.task === 'digit|parity' && p.metric === 'cosine');
  // 480 training rows at batch 32: 15 steps, measured at steps 0, 4, 8, 12.
  assert.deepEqual(cos.map((p) => p.step), [0, 4, 8, 12]);
  cos.forEach((p) => assert.ok(p.value >= -1 && p.value <= 1));
  for (const m of ['ratio', 'cosine@trunk1', 'cosine@trunk2', 'ratio@trunk2']) assert.equal(lines.filter((p) => p.task === 'digit|parity' && p.metric === m).length, 4, m);
  const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  assert.equal(summary.conflict?.measurements, 4);
  assert.deepEqual(Object.keys(summary.conflict!.pairs[0]!.blocks), ['trunk1', 'trunk2']);
  const report = fs.readFileSync(path.join(runDir, 'report.md'), 'utf8');
  assert.match(report, /## Gradient conflict/);
  assert.match(report, /- digit and parity (conflicted in \d+ % of 4 measured steps|never conflicted in 4 measured steps)/);
  assert.match(report, /!\[Gradient conflict\]\(charts\/\d+-gradient-conflict\.svg\)/);
});
