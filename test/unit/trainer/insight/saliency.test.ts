// Attributions against hand-worked values on tiny networks with known weights.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { unitUse, type Explanation } from '../../../../src/core/explain';
import type { FromTrainer } from '../../../../src/core/protocol';
import type { ExperimentSpec } from '../../../../src/core/spec';
import { loadBackend } from '../../../../src/trainer/backend';
import type { DeviceSplit } from '../../../../src/trainer/deviceData';
import { featureImportance, saliencyOf, unitReliance } from '../../../../src/trainer/insight/saliency';
import { explainOfRun } from '../../../../src/trainer/insight/explainOfRun';
import { runExperiment } from '../../../../src/trainer/run';
import { exampleDoc, onlyRun, tempDir } from '../helpers';
import { twoRegressionTasks, withWeights } from './tinyModel';

const close = (a: number, b: number, tol = 1e-5, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

const twoTasks = (layers: ExperimentSpec['model']['layers']) => twoRegressionTasks('explain', layers, { batchSize: 2 });

async function model(spec: ExperimentSpec, weights: Record<string, number[][]>) {
  const { tf, heads, forward } = await withWeights(spec, weights);
  const split: DeviceSplit = {
    n: 2,
    x: new Map<string, TF.Tensor>([['x', tf.tensor2d([[1, 2], [3, -1]])]]),
    targets: new Map([['a', new Float32Array([0, 0])], ['b', new Float32Array([0, 0])]]),
  };
  return { tf, heads, forward, split };
}

test('linear task: gradient × input is x ⊙ w, and integrated gradients from 0 equal it exactly (s(x) − s(0) = w · x)', async () => {
  const spec = twoTasks([{ id: 'ha', type: 'dense', units: 1, from: ['x'] }, { id: 'hb', type: 'dense', units: 1, from: ['x'] }]);
  const { tf, heads, forward, split } = await model(spec, { ha: [[2], [-3]], hb: [[1], [1]] });
  const s = saliencyOf(tf, forward, heads, split, { examples: 1, steps: 8 });
  // Example 0, x = [1, 2]; task a: w = [2, −3] → x ⊙ w = [2, −6], s = −4.
  const gi = s.find((r) => r.task === 'a' && r.method === 'gradientInput')!;
  const ig = s.find((r) => r.task === 'a' && r.method === 'integratedGradients')!;
  [2, -6].forEach((v, i) => { close(gi.values[i]!, v); close(ig.values[i]!, v); });
  close(gi.score, -4);
  close(ig.baselineScore!, 0);
  assert.deepEqual(gi.x, [1, 2]);
});

test('integrated gradients add up to s(x) − s(x′) within 1 % on a non-linear network (completeness; the right Riemann sum missed by 13 % here)', async () => {
  const spec = twoTasks([
    { id: 't', type: 'dense', units: 3, activation: 'tanh', from: ['x'] },
    { id: 'ha', type: 'dense', units: 1, from: ['t'] },
    { id: 'hb', type: 'dense', units: 1, from: ['t'] },
  ]);
  const { tf, heads, forward, split } = await model(spec, { t: [[1.5, -2, 0.5], [0.7, 1.1, -1.3]], ha: [[1], [-2], [0.5]], hb: [[0.3], [0.3], [2]] });
  for (const r of saliencyOf(tf, forward, heads, split, { examples: 2, steps: 64 }).filter((x) => x.method === 'integratedGradients')) {
    const total = r.values.reduce((p, v) => p + v, 0);
    const change = r.score - r.baselineScore!;
    assert.ok(Math.abs(total - change) <= 0.01 * Math.abs(change), `task ${r.task} example ${r.example}: Σ attributions ${total} vs s(x) − s(x′) ${change}`);
  }
});

test('feature ranking: mean |x ⊙ ∂s/∂x| over the rows, largest first', async () => {
  const spec = twoTasks([{ id: 'ha', type: 'dense', units: 1, from: ['x'] }, { id: 'hb', type: 'dense', units: 1, from: ['x'] }]);
  const { tf, heads, forward, split } = await model(spec, { ha: [[2], [-3]], hb: [[1], [1]] });
  const ranked = featureImportance(tf, forward, heads, split, new Map([['x', ['f0', 'f1']]]));
  // Task a: |x ⊙ [2, −3]| over x = [1, 2], [3, −1]: f0 (2 + 6)/2 = 4, f1 (6 + 3)/2 = 4.5 → f1 first.
  const a = ranked.find((r) => r.task === 'a')!;
  assert.deepEqual(a.features.map((f) => f.name), ['f1', 'f0']);
  close(a.features[0]!.meanAbs, 4.5);
  close(a.features[1]!.meanAbs, 4);
});

test('unit reliance: each task relies on the shared unit its head reads, and on no other', async () => {
  const spec = twoTasks([
    { id: 'shared', type: 'dense', units: 2, from: ['x'] },
    { id: 'ha', type: 'dense', units: 1, from: ['shared'] },
    { id: 'hb', type: 'dense', units: 1, from: ['shared'] },
  ]);
  const { tf, heads, forward, split } = await model(spec, { shared: [[1, 0], [0, 1]], ha: [[1], [0]], hb: [[0], [1]] });
  const [r] = unitReliance(tf, spec, forward, heads, split);
  // h = x; pred_a = h₀ = 1, 3; per-row ∂(pred − 0)²/∂h₀ = 2 · pred = 2, 6 → mean |·| = 4; unit 1: 0.
  // pred_b = h₁ = 2, −1 → 4, −2 → mean |·| = 3 on unit 1.
  assert.equal(r!.layer, 'shared');
  close(r!.tasks.a![0]!, 4); close(r!.tasks.a![1]!, 0);
  close(r!.tasks.b![0]!, 0); close(r!.tasks.b![1]!, 3);
  assert.deepEqual(unitUse(r!), { a: 1, b: 1 });
});

test('a run with evaluation.explain writes explain.json and draws it; mts explain on the saved model gives the same figures', { timeout: 120_000 }, async () => {
  const runsDir = tempDir('explain');
  const doc = exampleDoc('digits-parity') as unknown as ExperimentSpec;
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({
    doc: { ...doc, data: { ...doc.data, source: { type: 'mnist', limit: 600 } }, evaluation: { baselines: 'none', explain: { examples: 1, steps: 8 } } },
    workspaceDir: runsDir, runsDir, backend: 'tensorflow', epochs: 1, emit: (m) => messages.push(m), cancelled: () => false,
  });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error')));
  const runDir = onlyRun(runsDir, doc.name);
  const written = JSON.parse(fs.readFileSync(path.join(runDir, 'explain.json'), 'utf8')) as Explanation;
  // One example × 2 tasks × 2 methods; units of both trunk layers (128 and 64) for both tasks.
  assert.equal(written.saliency.length, 4);
  assert.deepEqual(written.units.map((u) => [u.layer, u.tasks.digit!.length, u.tasks.parity!.length]), [['trunk1', 128, 128], ['trunk2', 64, 64]]);
  const report = fs.readFileSync(path.join(runDir, 'report.md'), 'utf8');
  assert.match(report, /## What the network looks at/);
  assert.match(report, /!\[Test example 0, input image\]\(charts\/\d+-saliency-0_image\.svg\)/);
  const again = await explainOfRun(await loadBackend('tensorflow'), runDir, runsDir, { examples: 1, steps: 8 });
  const asWritten = JSON.parse(JSON.stringify(again.result)) as Explanation; // JSON writes −0 as 0
  assert.deepEqual(asWritten.units, written.units);
  assert.deepEqual(asWritten.saliency.map((r) => r.values), written.saliency.map((r) => r.values));
});
