// Experiments that validate but used to fail inside TensorFlow or report NaN as results:
// ids TensorFlow does not accept as names, splits with an empty part, a layer TensorFlow
// rejects at run time. Each trains, or fails with the JSON path of what to fix.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import type { FromTrainer, MetricPoint, RunSummary } from '../../../src/core/protocol';
import { analyzeGraph } from '../../../src/core/graph';
import { countParams } from '../../../src/core/params';
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import { runData } from '../../../src/host/diagram/diagramData';
import { loadBackend } from '../../../src/trainer/backend';
import { buildModel } from '../../../src/trainer/model/build';
import { runExperiment } from '../../../src/trainer/run';
import { embeddingPastInputDim, onlyRun, readJson, tempDir } from './helpers';

async function train(doc: Record<string, unknown>) {
  const runsDir = tempDir('hostile');
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({ doc, workspaceDir: runsDir, runsDir, backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false });
  const error = messages.find((m) => m.type === 'error') as Extract<FromTrainer, { type: 'error' }> | undefined;
  const points = messages.flatMap((m) => (m.type === 'epochEnd' ? m.values : [])) as MetricPoint[];
  return { outcome, error, points, runsDir, messages };
}

const regression = (): Record<string, any> => ({
  name: 'ids',
  data: { source: { type: 'synthetic-correlated', samples: 64, correlation: 0.5, inputDim: 4, seed: 1 }, split: { validation: 0.2, test: 0.2, seed: 1 } },
  tasks: [{ id: 't 1', kind: 'regression', target: 'y1' }, { id: 'ünï', kind: 'regression', target: 'y2' }],
  model: {
    inputs: [{ id: 'x y', shape: [4] }],
    layers: [
      { id: '🔥', type: 'dense', units: 8, activation: 'relu', from: ['x y'] },
      { id: 'a b', type: 'dense', units: 1, from: ['🔥'] },
      { id: 'ünï', type: 'dense', units: 1, from: ['🔥'] },
    ],
    outputs: { 't 1': 'a b', 'ünï': 'ünï' },
  },
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 16, seed: 1 },
});

test('ids that are no TensorFlow name ("🔥", "a b", "ünï") train, and users see their ids', { timeout: 120_000 }, async () => {
  const { outcome, error, runsDir } = await train(regression());
  assert.equal(outcome, 'completed', error?.message);
  const runDir = onlyRun(runsDir, 'ids');
  const summary = readJson(path.join(runDir, 'summary.json')) as unknown as RunSummary;
  assert.deepEqual(Object.keys(summary.test), ['t 1', 'ünï']);
  assert.deepEqual(Object.keys(summary.baselines!.test), ['t 1', 'ünï']);
  // model.json holds TensorFlow names; the diagram reads its weights back under the user's ids.
  const modelJson = readJson(path.join(runDir, 'model', 'model.json')) as { weightsManifest: Array<{ weights: Array<{ name: string }> }> };
  const names = modelJson.weightsManifest.flatMap((g) => g.weights.map((w) => w.name));
  assert.ok(names.every((n) => /^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$/.test(n)), names.join(', '));
  const weights = runData(runDir).weights!;
  assert.deepEqual(weights.layers.map((l) => l.layer).sort(), ['a b', 'ünï', '🔥'].sort());
  assert.ok(weights.layers.every((l) => l.weights.every((w) => w.name.startsWith(`${l.layer}/`))));
  const diagram = fs.readFileSync(path.join(runDir, 'charts', 'shared-weights.svg'), 'utf8');
  for (const id of ['🔥', 'a b', 'ünï']) assert.ok(diagram.includes(`${id} · dense`), id);
  assert.doesNotMatch(diagram, /x_1|a_b_1/);
});

test('a split that leaves no test rows (mnist limit 1) fails at data.split.test, with no NaN results', { timeout: 60_000 }, async () => {
  const doc = regression();
  doc.data.source = { type: 'mnist', limit: 1 };
  doc.model.inputs[0].shape = [784];
  doc.tasks = [{ id: 't 1', kind: 'regression', target: 'label' }, { id: 'ünï', kind: 'regression', target: 'label' }];
  const { outcome, error, messages } = await train(doc);
  assert.equal(outcome, 'failed');
  assert.deepEqual(error?.path, ['data', 'split', 'test']);
  assert.match(error!.message, /^data\.split\.test: .*no test examples/);
  assert.equal(messages.some((m) => m.type === 'done'), false);
});

test('early stopping with a split that leaves no validation rows fails at data.split.validation', { timeout: 60_000 }, async () => {
  const doc = JSON.parse(JSON.stringify(regression()).replace(/🔥|x y|a b|ünï/g, (id) => ({ '🔥': 'h', 'x y': 'x', 'a b': 'a' } as Record<string, string>)[id] ?? 'u'));
  doc.data.source.samples = 8;
  doc.data.split = { validation: 0.05, test: 0.2, seed: 1 }; // round(8 × 0.05) = 0 validation rows
  doc.training.earlyStopping = { patience: 1 };
  const { outcome, error } = await train(doc);
  assert.equal(outcome, 'failed');
  assert.deepEqual(error?.path, ['data', 'split', 'validation']);
  assert.match(error!.message, /no validation examples/);
});

test('validation 0: training completes and logs no NaN validation values', { timeout: 60_000 }, async () => {
  const doc = JSON.parse(JSON.stringify(regression()).replace(/🔥|x y|a b|ünï/g, (id) => ({ '🔥': 'h', 'x y': 'x', 'a b': 'a' } as Record<string, string>)[id] ?? 'u'));
  doc.data.split.validation = 0;
  doc.evaluation = { baselines: 'none' };
  const { outcome, error, points } = await train(doc);
  assert.equal(outcome, 'completed', error?.message);
  assert.ok(points.length > 0);
  assert.deepEqual(points.filter((p) => p.split === 'validation' || Number.isNaN(p.value)), []);
});

test('TensorFlow failing inside a layer at run time names the layer (an id past an embedding\'s inputDim)', { timeout: 60_000 }, async () => {
  const doc = embeddingPastInputDim();
  const { outcome, error, runsDir } = await train(doc);
  assert.equal(outcome, 'failed');
  assert.deepEqual(error?.path, ['model', 'layers', 0]);
  assert.match(error!.message, /^model\.layers\[0\]: Layer "embed" \(embedding\) failed in TensorFlow: .*index/);
  const run = readJson(path.join(onlyRun(runsDir, 'emb'), 'run.json')) as { status: string; error: { message: string } };
  assert.equal(run.status, 'failed');
  assert.equal(run.error.message, error!.message);
});

test('a chain of 6,000 layers builds (in stages: tfjs-layers assembles a model by recursion) and computes', { timeout: 120_000 }, async () => {
  const doc = regression();
  const layers: LayerSpec[] = [];
  let prev = 'x y';
  for (let i = 0; i < 6000; i++) { layers.push({ id: `l${i}`, type: 'dense', units: 2, from: [prev] }); prev = `l${i}`; }
  layers.push({ id: 'a b', type: 'dense', units: 1, from: [prev] }, { id: 'ünï', type: 'dense', units: 1, from: ['l2999'] });
  doc.model.layers = layers;
  const { spec } = validate(doc);
  assert.ok(spec);
  const { tf } = await loadBackend('tensorflow', {});
  const built = buildModel(tf, spec as ExperimentSpec, analyzeGraph(spec).order, 1);
  try {
    assert.equal(built.layers.size, 6002);
    assert.equal(built.model.countParams(), countParams(spec).total);
    const out = built.model.predict(tf.ones([3, 4])) as TF.Tensor[];
    assert.deepEqual(out.map((t) => t.shape), [[3, 1], [3, 1]]);
    tf.dispose(out);
  } finally {
    built.model.dispose();
  }
});
