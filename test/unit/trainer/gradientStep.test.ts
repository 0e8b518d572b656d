// The gradient-family step (task gradients on the shared part, combined by a method) is
// checked against the tape: a rule giving every task gradient coefficient 1 must train
// exactly like equal weighting, in both modes, on a graph with partial sharing (a layer
// shared by two of three tasks), L2, dropout in the trunk, and partial labels. The compiled
// step's task gradients, and GradDrop's raw-op masks in it, are checked against the tape too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { defineMethod, type WeightingMethod } from '../../../src/core/weighting/method';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';

const sumOfGradients = defineMethod({
  description: { id: 'sum', title: 'Sum', family: 'gradient', engine: 'rule', params: {}, defaults: {}, needs: {}, summary: 'test', paper: 'test' },
  create: () => ({ weights: (ctx) => { assert.equal(ctx.gramian?.length, ctx.active.length); return ctx.active.map(() => 1); } }),
}) as WeightingMethod;

/** Fixed, unequal coefficients per task, so a coefficient applied to the wrong task shows. */
const fixedCoefficients = defineMethod({
  description: { ...sumOfGradients.description, id: 'fixed' },
  create: () => ({ weights: (ctx) => ctx.active.map((i) => [0.3, 1.7, 1][i]!) }),
}) as WeightingMethod;

function spec(mode: 'parameters' | 'representation'): ExperimentSpec {
  return {
    name: 'gradients',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 4 },
      { id: 'bin', kind: 'binary', target: 'b' },
      { id: 'reg', kind: 'regression', target: 'r' },
    ],
    model: {
      inputs: [{ id: 'x', shape: [6], features: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 12, activation: 'relu', from: ['x'], l2: 0.01 },
        { id: 'drop', type: 'dropout', rate: 0.3, from: ['trunk'] },
        { id: 'pair', type: 'dense', units: 8, activation: 'tanh', from: ['drop'] },
        { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['pair'] },
        { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['pair'] },
        { id: 'regMid', type: 'dense', units: 5, activation: 'relu', from: ['drop'] },
        { id: 'regHead', type: 'dense', units: 1, from: ['regMid'] },
      ],
      outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.5 }, epochs: 2, batchSize: 16, seed: 5, weighting: { method: 'equal', mode } },
  };
}

function data(n: number): Dataset {
  const rng = new SeededRandom(9);
  const features = Float32Array.from({ length: n * 6 }, () => rng.normal());
  const c = Float32Array.from({ length: n }, () => rng.int(4));
  const r = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? features[i * 6]! * 2 : NaN)); // partial labels
  return { n, featureNames: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'], features, featureShape: [6], targets: { c, b: c.map((v) => (v > 1 ? 1 : 0)), r }, report: [] };
}

async function trainWith(s: ExperimentSpec, method?: WeightingMethod, backend: 'cpu' | 'tensorflow' = 'cpu'): Promise<{ weights: Float32Array[]; path: string }> {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const train = toDevice(tf, s, heads, data(80));
  const validation = toDevice(tf, s, heads, data(20));
  const before = tf.memory().numTensors;
  // backend 'cpu' only keeps equal weighting off the compiled step: both run on native TensorFlow.
  const result = await trainLoop({ tf, backend, spec: s, built, forward, heads, topo, train, validation, epochs: 2,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false }, ...(method ? { method } : {}) });
  assert.ok(tf.memory().numTensors - before < 5, `tensors left behind: ${tf.memory().numTensors - before}`);
  const weights = built.model.getWeights().map((w: TF.Tensor) => w.dataSync() as Float32Array);
  built.model.dispose();
  return { weights, path: result.stepPath };
}

for (const mode of ['parameters', 'representation'] as const) {
  test(`coefficients of 1 on the task gradients (${mode}) train exactly like equal weighting`, { timeout: 60_000 }, async () => {
    const tape = await trainWith(spec(mode));
    const grads = await trainWith(spec(mode), sumOfGradients);
    assert.match(grads.path, new RegExp(`^tape, task gradients on the shared ${mode}`));
    assertClose(tape.weights, grads.weights);
  });

  test(`the compiled step's task gradients (${mode}) match the tape's`, { timeout: 60_000 }, async () => {
    // Dense layers only (no dropout), so the compiled step serves it.
    const s = spec(mode);
    s.model.layers = s.model.layers.map((l) => (l.id === 'drop' ? { id: 'drop', type: 'dense', units: 10, activation: 'sigmoid', from: ['trunk'] } : l));
    const tape = await trainWith(s, fixedCoefficients);
    const native = await trainWith(s, fixedCoefficients, 'tensorflow');
    assert.equal(native.path, `native, task gradients on the shared ${mode}`);
    assertClose(tape.weights, native.weights);
  });

  // GradDrop's per-coordinate masks in raw ops (weighting/tensor/graddrop.ts) inside the
  // compiled step, against the tape's gradient step; the same seeded draws on both.
  const leak = mode === 'parameters' ? 0 : 0.25;
  test(`GradDrop (leak ${leak}) on the compiled step (${mode}) trains like the tape's gradient step`, { timeout: 60_000 }, async () => {
    const s = spec(mode);
    s.model.layers = s.model.layers.map((l) => (l.id === 'drop' ? { id: 'drop', type: 'dense', units: 10, activation: 'sigmoid', from: ['trunk'] } : l));
    s.training.weighting = { method: 'graddrop', mode, leak };
    const tape = await trainWith(s);
    const native = await trainWith(s, undefined, 'tensorflow');
    assert.match(tape.path, new RegExp(`^tape, task gradients on the shared ${mode}`));
    assert.equal(native.path, `native, task gradients on the shared ${mode}`);
    assertClose(tape.weights, native.weights);
  });
}

// The compiled step's task gradients carry the learning rate under plain SGD (its own layers then
// need no multiplication); a rule must still see the true Gramian, and coefficients that are loss
// weights must still scale each task's own layers. A trunk with one output (its gradients stacked
// by one Pack) under a changing rate, checked against the tape, Gramian by Gramian.
test('the compiled step\'s task gradients on a one-output trunk (representation) match the tape\'s, Gramians and own-layer weights included, under a schedule', { timeout: 60_000 }, async () => {
  const s = spec('representation');
  s.model.layers = s.model.layers.map((l) => (l.id === 'drop' ? { id: 'drop', type: 'dense', units: 10, activation: 'sigmoid', from: ['trunk'] }
    : l.id === 'regMid' ? { ...l, from: ['pair'] } : l));
  s.training.schedule = { type: 'sgdr', t0: 1, warmupEpochs: 0.5 };
  const recording = () => {
    const gramians: number[][][] = [];
    const method = defineMethod({
      description: { ...sumOfGradients.description, id: 'lossWeights', weightsOwnLayers: true },
      create: () => ({ weights: (ctx) => { gramians.push(ctx.gramian!.map((r) => [...r])); return ctx.active.map((i) => [0.3, 1.7, 1][i]!); } }),
    }) as WeightingMethod;
    return { gramians, method };
  };
  const onTape = recording();
  const onNative = recording();
  const tape = await trainWith(s, onTape.method);
  const native = await trainWith(s, onNative.method, 'tensorflow');
  assert.equal(native.path, 'native, task gradients on the shared representation');
  assertClose(tape.weights, native.weights);
  assert.equal(onNative.gramians.length, onTape.gramians.length);
  // An inner product's rounding is relative to the norms: |G_ij - G'_ij| <= 1e-4 sqrt(G_ii G_jj).
  onTape.gramians.forEach((g, k) => g.forEach((row, i) => row.forEach((v, j) => {
    const other = onNative.gramians[k]![i]![j]!;
    assert.ok(Math.abs(v - other) <= 1e-4 * Math.sqrt(g[i]![i]! * g[j]![j]!), `step ${k}, G[${i}][${j}]: ${v} (tape) vs ${other} (compiled)`);
  })));
});

test('the compiled step\'s task gradients (parameters) match the tape\'s with dropout in the trunk and Adam under a schedule', { timeout: 60_000 }, async () => {
  // The tape draws the same dropout masks for every task's pass (the cursor is set back);
  // the compiled step's one forward pass draws them once, from the same cursor.
  const s = spec('parameters');
  s.training = { ...s.training, optimizer: { type: 'adam', learningRate: 0.01 }, schedule: { type: 'sgdr', t0: 1, warmupEpochs: 0.5 } };
  const tape = await trainWith(s, fixedCoefficients);
  const native = await trainWith(s, fixedCoefficients, 'tensorflow');
  assert.equal(native.path, 'native, task gradients on the shared parameters');
  assertClose(tape.weights, native.weights);
});

function assertClose(a: Float32Array[], b: Float32Array[]): void {
  assert.equal(a.length, b.length);
  // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
  a.forEach((w, i) => w.forEach((v, k) => assert.ok(Math.abs(v - b[i]![k]!) < 1e-5 * Math.max(1, Math.abs(b[i]![k]!)), `weight ${i}[${k}]: ${v} vs ${b[i]![k]}`)));
}
