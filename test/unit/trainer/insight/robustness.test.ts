// FGSM and PGD against hand-worked numbers on a tiny linear network whose input gradient is
// known in closed form: for task a, pred = 2 x₀ − 3 x₁ with mean squared error against 0 over
// n = 2 examples, so ∇ₓ L = 2 · pred · [2, −3] / n for each example (worked out below).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import type { FromTrainer } from '../../../../src/core/protocol';
import type { ExperimentSpec } from '../../../../src/core/spec';
import { loadBackend } from '../../../../src/trainer/backend';
import type { DeviceSplit } from '../../../../src/trainer/deviceData';
import { attackInputs, inputRanges, measureRobustness } from '../../../../src/trainer/insight/robustness';
import { robustnessOfRun } from '../../../../src/trainer/insight/robustnessOfRun';
import { runExperiment } from '../../../../src/trainer/run';
import { exampleDoc, onlyRun, tempDir } from '../helpers';
import { twoRegressionTasks, withWeights } from './tinyModel';

const spec = twoRegressionTasks('robustness', [
  { id: 'ha', type: 'dense', units: 1, from: ['x'] },
  { id: 'hb', type: 'dense', units: 1, from: ['x'] },
], { batchSize: 2 });

async function setup() {
  // ha: pred_a = 2 x₀ − 3 x₁; hb: pred_b = x₀ + x₁ (no bias).
  const { tf, heads, forward } = await withWeights(spec, { ha: [[2], [-3]], hb: [[1], [1]] });
  // Two examples: x¹ = [0.5, 0.5], x² = [0, 1]; both targets 0. Range of x over the split: [0, 1].
  const split: DeviceSplit = {
    n: 2,
    x: new Map<string, TF.Tensor>([['x', tf.tensor2d([[0.5, 0.5], [0, 1]])]]),
    targets: new Map([['a', new Float32Array([0, 0])], ['b', new Float32Array([0, 0])]]),
  };
  return { tf, heads, forward, split };
}

test('FGSM moves each input by ε against the sign of the loss gradient, inside the data range', async () => {
  const { tf, heads, forward, split } = await setup();
  // x¹: pred_a = 1 − 1.5 = −0.5; ∇ = 2 · (−0.5) · [2, −3] / 2 = [−1, 1.5] → sign [−1, +1].
  //     x' = [0.5 − 0.1, 0.5 + 0.1] = [0.4, 0.6].
  // x²: pred_a = −3; ∇ = 2 · (−3) · [2, −3] / 2 = [−6, 9] → sign [−1, +1];
  //     x' = [−0.1, 1.1] clipped to the range [0, 1] → [0, 1] (unchanged).
  const ranges = inputRanges(tf, split);
  assert.deepEqual(ranges.get('x'), [0, 1]);
  const x = attackInputs(tf, forward, split, { kind: 'fgsm', epsilon: 0.1, on: heads[0]!, pgdSteps: 10, seed: 1 }, ranges);
  const values = Array.from(x.get('x')!.dataSync());
  [0.4, 0.6, 0, 1].forEach((v, i) => assert.ok(Math.abs(values[i]! - v) < 1e-6, `${values}`));
});

test('PGD on a linear model ends at the same corner of the ball as FGSM (the gradient sign never changes)', async () => {
  const { tf, heads, forward, split } = await setup();
  // From any start in the ball, 10 steps of α = 2.5 · 0.1 / 10 = 0.025 along the constant sign
  // [−1, +1] travel 0.25 ≥ the ball's width 0.2, so projection leaves x¹ at [0.4, 0.6]
  // (pred_a stays negative: at the corner it is 0.8 − 1.8 = −1) and x² at [0, 1].
  const ranges = inputRanges(tf, split);
  const x = attackInputs(tf, forward, split, { kind: 'pgd', epsilon: 0.1, on: heads[0]!, pgdSteps: 10, seed: 7 }, ranges);
  const values = Array.from(x.get('x')!.dataSync());
  [0.4, 0.6, 0, 1].forEach((v, i) => assert.ok(Math.abs(values[i]! - v) < 1e-6, `${values}`));
});

test('records: clean metrics, then each attack, ε and attacked task measured on every task', async () => {
  const { tf, heads, forward, split } = await setup();
  const { records } = measureRobustness(tf, forward, heads, split, { epsilons: [0.1], attacks: ['fgsm'] }, 'shared', 1);
  assert.deepEqual(records.map((r) => `${r.attack}:${r.on}:${r.epsilon}`), ['none::0', 'fgsm:a:0.1', 'fgsm:b:0.1']);
  // Clean: |pred_a| = 0.5 and 3 → MAE 1.75; |pred_b| = 1 and 1 → 1.
  assert.ok(Math.abs(records[0]!.metrics.a!.mae! - 1.75) < 1e-5);
  // Attack on a: x¹ → [0.4, 0.6]: |pred_a| = 1, x² unchanged: 3 → MAE 2. Task b there: 1.0 and 1 → 1 (it does not transfer).
  assert.ok(Math.abs(records[1]!.metrics.a!.mae! - 2) < 1e-5);
  assert.ok(Math.abs(records[1]!.metrics.b!.mae! - 1) < 1e-5);
  // Attack on b (pred_b = x₀ + x₁ > 0: sign [+1, +1]): x¹ → [0.6, 0.6], x² → [0.1, 1] (x₁ clipped):
  // pred_b = 1.2 and 1.1 → MAE 1.15; on task a: |1.2 − 1.8| = 0.6 and |0.2 − 3| = 2.8 → MAE 1.7 (the attack on b helped a).
  assert.ok(Math.abs(records[2]!.metrics.b!.mae! - 1.15) < 1e-5);
  assert.ok(Math.abs(records[2]!.metrics.a!.mae! - 1.7) < 1e-5);
});

test('a run with evaluation.robustness records every model, attack and attacked task, and its report shows them', { timeout: 120_000 }, async () => {
  const runsDir = tempDir('robustness');
  const doc = exampleDoc('digits-parity') as unknown as ExperimentSpec;
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({
    doc: { ...doc, data: { ...doc.data, source: { type: 'mnist', limit: 600 } }, evaluation: { robustness: { epsilons: [0.1], attacks: ['fgsm', 'pgd'], pgdSteps: 3, examples: 40 } } },
    workspaceDir: runsDir, runsDir, backend: 'tensorflow', epochs: 1, emit: (m) => messages.push(m), cancelled: () => false,
  });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error')));
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done?.type === 'done');
  const records = done.summary.robustness!;
  // shared: clean + 2 attacks × 1 ε × 2 attacked tasks; each baseline: clean + 2 attacks on its own task.
  assert.deepEqual(records.map((r) => `${r.model}/${r.attack}/${r.on}`), [
    'shared/none/', 'shared/fgsm/digit', 'shared/fgsm/parity', 'shared/pgd/digit', 'shared/pgd/parity',
    'digit/none/', 'digit/fgsm/digit', 'digit/pgd/digit', 'parity/none/', 'parity/fgsm/parity', 'parity/pgd/parity',
  ]);
  assert.deepEqual(Object.keys(records[1]!.metrics).sort(), ['digit', 'parity'], 'an attack on one task is measured on every task');
  assert.deepEqual(Object.keys(records[6]!.metrics), ['digit'], 'a baseline has its own task only');
  const runDir = onlyRun(runsDir, doc.name);
  const report = fs.readFileSync(path.join(runDir, 'report.md'), 'utf8');
  assert.match(report, /## Robustness/);
  // `mts robustness` on the saved model, same options and seed: the shared model's records again, to the digit.
  const again = await robustnessOfRun(await loadBackend('tensorflow'), runDir, runsDir, { epsilons: [0.1], attacks: ['fgsm', 'pgd'], pgdSteps: 3, examples: 40 });
  assert.deepEqual(again.result.records.map((r) => r.metrics), records.filter((r) => r.model === 'shared').map((r) => r.metrics));
  assert.ok(fs.existsSync(path.join(runDir, 'robustness.md')) && fs.existsSync(path.join(runDir, 'robustness.json')));
  assert.match(report, /digit accuracy under PGD at ε = 0\.1: shared model [\d.]+ → [\d.]+; single-task model [\d.]+ → [\d.]+; attack on parity: [\d.]+\./);
});
