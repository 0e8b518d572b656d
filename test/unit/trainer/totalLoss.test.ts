// The whole model's loss is the unweighted sum of the task losses, whatever the weighting, and
// every place that shows it says so (it was labelled "weighted sum over tasks" in the report).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import type { MetricPoint } from '../../../src/core/protocol';
import { SeededRandom } from '../../../src/core/random';
import { tasksOf } from '../../../src/core/runsIndex';
import type { ExperimentSpec } from '../../../src/core/spec';
import { renderReport } from '../../../src/trainer/artifacts/report';
import { tensorboardTag } from '../../../src/trainer/artifacts/tensorboard';
import { loadBackend } from '../../../src/trainer/backend';
import { toDevice } from '../../../src/trainer/deviceData';
import { makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { modelCharts } from '../../../webview/training/charts';
import { RunView, seriesKey } from '../../../webview/training/runState';
import { SHARED_PHASE_KEY } from '../../../src/core/phase';
import { WHOLE_MODEL } from '../../../src/core/protocol';
import { summary } from '../artifacts/fixtures';

const spec: ExperimentSpec = {
  name: 'total',
  data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
  tasks: [{ id: 'a', kind: 'regression', target: 'a', weight: 0.25 }, { id: 'b', kind: 'regression', target: 'b', weight: 4 }],
  model: {
    inputs: [{ id: 'x', shape: [3], features: ['f0', 'f1', 'f2'] }],
    layers: [
      { id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['x'] },
      { id: 'aHead', type: 'dense', units: 1, from: ['trunk'] },
      { id: 'bHead', type: 'dense', units: 1, from: ['trunk'] },
    ],
    outputs: { a: 'aHead', b: 'bHead' },
  },
  training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 10, seed: 2, weighting: { method: 'static' } },
};

test('the total loss is the unweighted sum of the task losses under static weights', { timeout: 60_000 }, async () => {
  const { tf } = await loadBackend('tensorflow');
  const rng = new SeededRandom(4);
  const n = 40;
  const features = Float32Array.from({ length: n * 3 }, () => rng.normal());
  const ds = { n, featureNames: ['f0', 'f1', 'f2'], features, featureShape: [3], report: [],
    targets: { a: Float32Array.from({ length: n }, (_, i) => features[i * 3]!), b: Float32Array.from({ length: n }, (_, i) => 3 * features[i * 3 + 1]!) } };
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 2);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: new Set(), seed: 1 });
  const points: MetricPoint[] = [];
  await trainLoop({ tf, backend: 'tensorflow', spec, built, forward, heads, topo, train: toDevice(tf, spec, heads, ds), validation: toDevice(tf, spec, heads, ds),
    epochs: 1, phase: { kind: 'shared' }, events: { progress: (p) => points.push(...p), epochEnd: (_e, p) => points.push(...p), cancelled: () => false } });
  built.model.dispose();
  for (const split of ['train', 'validation'] as const) {
    const at = points.filter((p) => p.split === split && p.metric === 'loss');
    const total = at.find((p) => p.task === '*')!.value;
    const a = at.find((p) => p.task === 'a')!.value, b = at.find((p) => p.task === 'b')!.value;
    // Relative above 1: a regression loss can pass 1, and the total is summed in float32.
    assert.ok(Math.abs(total - (a + b)) < 1e-5 * Math.max(1, Math.abs(total)), `${split}: ${total} vs ${a} + ${b}`);
    assert.ok(Math.abs(total - (0.25 * a + 4 * b)) > 1e-3, `${split}: not the weighted sum`);
  }
});

test('the report, the training panel and TensorBoard say the total loss is unweighted', () => {
  const report = renderReport({ spec, summary: summary(), epochs: [{ step: 1, epoch: 1, split: 'train', task: '*', metric: 'loss', value: 1 }] });
  const titles = report.files.map((f) => /<title>([^<]*)<\/title>/.exec(f.content)?.[1]).filter(Boolean);
  assert.ok(titles.includes('total loss (unweighted sum of the task losses)'), titles.join(', '));

  const view = new RunView();
  view.header = { experiment: 'total', tasks: tasksOf(spec), totalEpochs: 1, weighting: 'static', live: false, phases: [{ kind: 'shared' }] };
  view.series.set(seriesKey(SHARED_PHASE_KEY, WHOLE_MODEL, 'loss', 'train'), { x: [1], y: [1], version: 1 });
  assert.equal(modelCharts(view).find((c) => c.id === 'model:loss')?.title, 'total loss (unweighted sum of the task losses)');

  assert.equal(tensorboardTag({ task: '*', metric: 'loss', split: 'validation' }), 'total_loss_unweighted_sum/validation');
});
