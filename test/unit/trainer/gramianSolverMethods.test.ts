// UPGrad, CAGrad, Nash-MTL and Aligned-MTL train for real on native TensorFlow, in both modes
// and on both steps (the compiled one, and the tape's gradient step that other backends and
// layers use), on a graph with partial sharing and partial labels (some batches have no row of
// one task): the loss falls, the weights stay finite, and every task's coefficient is reported.
// UPGrad's property holds on the real Gramians of the run: <d, g_j> = (G c)_j >= 0 at every step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { MetricPoint } from '../../../src/core/protocol';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec, WeightingSpec } from '../../../src/core/spec';
import type { WeightingMethod } from '../../../src/core/weighting/method';
import { upgrad } from '../../../src/core/weighting/upgrad';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';

const EPOCHS = 4;
/** 'native': the compiled step; 'tape': the gradient step on the tape (backend 'cpu' keeps a run off the compiled step; both run on native TensorFlow). */
type Step = 'native' | 'tape';

function spec(weighting: WeightingSpec, oneRepresentation = false): ExperimentSpec {
  return {
    name: 'gradient-methods',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 4 },
      { id: 'bin', kind: 'binary', target: 'b' },
      { id: 'reg', kind: 'regression', target: 'r' },
    ],
    model: {
      inputs: [{ id: 'x', shape: [6], features: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 12, activation: 'relu', from: ['x'] },
        { id: 'pair', type: 'dense', units: 8, activation: 'tanh', from: ['trunk'] },
        { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['pair'] },
        { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['pair'] },
        { id: 'regHead', type: 'dense', units: 1, from: [oneRepresentation ? 'pair' : 'trunk'] },
      ],
      outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.02, momentum: 0.5 }, epochs: EPOCHS, batchSize: 16, seed: 5, weighting },
  };
}

/** Learnable targets: the class is the largest of f0..f3, the binary task its parity with f4 > 0, regression 2 f0 - f5 on one row in twenty (some batches have none). */
function data(n: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const features = Float32Array.from({ length: n * 6 }, () => rng.normal());
  const f = (i: number, k: number) => features[i * 6 + k]!;
  const c = Float32Array.from({ length: n }, (_, i) => [0, 1, 2, 3].reduce((best, k) => (f(i, k) > f(i, best) ? k : best), 0));
  const b = Float32Array.from({ length: n }, (_, i) => (f(i, 4) > 0 ? 1 : 0));
  const r = Float32Array.from({ length: n }, (_, i) => (i % 20 === 0 ? 2 * f(i, 0) - f(i, 5) : NaN));
  return { n, featureNames: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'], features, featureShape: [6], targets: { c, b, r }, report: [] };
}

async function train(s: ExperimentSpec, step: Step, method?: WeightingMethod): Promise<{ points: MetricPoint[]; path: string; weights: Float32Array[]; initial: Float32Array[] }> {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const trainSplit = toDevice(tf, s, heads, data(160, 9));
  const validation = toDevice(tf, s, heads, data(40, 10));
  const initial = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  const points: MetricPoint[] = [];
  const result = await trainLoop({ tf, backend: step === 'native' ? 'tensorflow' : 'cpu', spec: s, built, forward, heads, topo, train: trainSplit, validation, epochs: EPOCHS,
    phase: { kind: 'shared' }, events: { progress: (p) => points.push(...p), epochEnd: () => undefined, cancelled: () => false }, ...(method ? { method } : {}) });
  const weights = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  built.model.dispose();
  return { points, path: result.stepPath, weights, initial };
}

const METHODS: WeightingSpec[] = [
  { method: 'upgrad' }, { method: 'cagrad', c: 0.4 }, { method: 'nash-mtl', maxNorm: 1, updateEvery: 2 }, { method: 'aligned-mtl' },
];

for (const step of ['native', 'tape'] as const) for (const mode of ['parameters', 'representation'] as const) {
  for (const weighting of METHODS) {
    test(`${weighting.method} trains (${step} step, ${mode}) and reports each task's coefficient`, { timeout: 120_000 }, async () => {
      const run = await train(spec({ ...weighting, mode }), step);
      assert.match(run.path, new RegExp(`^${step}, task gradients on the shared ${mode}`));
      const total = run.points.filter((p) => p.task === '*' && p.metric === 'loss').map((p) => p.value);
      assert.ok(total.length >= 2 && total.every(Number.isFinite));
      assert.ok(total[total.length - 1]! < total[0]!, `train loss ${total[0]} -> ${total[total.length - 1]}`);
      for (const task of ['cls', 'bin', 'reg']) {
        const w = run.points.filter((p) => p.task === task && p.metric === 'weight').map((p) => p.value);
        assert.ok(w.length >= 2 && w.every(Number.isFinite), `${task}: weights ${w.join(', ')}`);
        assert.ok(w.some((v) => v !== 0), `${task}: a coefficient is reported`);
      }
      assert.ok(run.weights.every((w) => w.every(Number.isFinite)));
      assert.ok(run.weights.some((w, i) => w.some((v, k) => v !== run.initial[i]![k])), 'the model\'s weights move');
    });
  }

  test(`UPGrad's direction lies in the dual cone of the run's task gradients (${step} step, ${mode})`, { timeout: 120_000 }, async () => {
    const seen: { gramian: number[][]; c: number[] }[] = [];
    const recording: WeightingMethod = {
      description: upgrad.description,
      create: (p, t) => {
        const rule = upgrad.create!(p, t);
        return { weights: (ctx) => { const c = rule.weights(ctx); seen.push({ gramian: ctx.gramian!.map((r) => [...r]), c }); return c; } };
      },
    };
    await train(spec({ method: 'upgrad', mode }), step, recording);
    assert.ok(seen.length >= 20, `${seen.length} steps`);
    assert.ok(seen.some(({ gramian }) => gramian.some((row) => row.some((x) => x < 0))), 'some task gradients conflict');
    assert.ok(seen.some(({ gramian }) => gramian.length === 2) && seen.some(({ gramian }) => gramian.length === 3), 'partial labels leave a task out of some steps');
    for (const { gramian, c } of seen) {
      const scale = Math.max(...gramian.map((row, i) => row[i]!));
      gramian.forEach((row, j) => {
        const inner = row.reduce((s, x, i) => s + x * c[i]!, 0);
        assert.ok(inner >= -1e-9 * scale, `<d, g_${j}> = ${inner} (scale ${scale})`);
      });
    }
  });
}

test('representation mode on the compiled step with a trunk of one output layer (the common hard-sharing shape)', { timeout: 120_000 }, async () => {
  // Every head reads "pair": the representation is one tensor (a one-input concat failed before).
  const run = await train(spec({ method: 'upgrad', mode: 'representation' }, true), 'native');
  assert.match(run.path, /^native, task gradients on the shared representation/);
  assert.ok(run.points.some((p) => p.task === 'reg' && p.metric === 'weight' && p.value > 0));
});
