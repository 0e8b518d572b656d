// The compiled native step must train exactly like the generic tape-based step: same
// starting weights and batches give the same weights after a few steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { equivalenceData, equivalenceSpec, SGD_CASES, withDropout } from './stepFixtures';

const spec = (training: Partial<ExperimentSpec['training']>): ExperimentSpec => equivalenceSpec('equivalence', training);
/** `partial`: each target missing (NaN) in some rows, as partial labels load (table.ts). */
const data = (n: number, partial = false): Dataset => equivalenceData(n, { partial });

async function trainWith(s: ExperimentSpec, backendName: 'tensorflow' | 'cpu', partial = false): Promise<{ weights: Float32Array[]; path: string }> {
  const b = await loadBackend('tensorflow');
  const tf = b.tf;
  const withInputs = { ...s, model: { ...s.model, inputs: [{ id: 'x', shape: [12], features: Array.from({ length: 12 }, (_, i) => `f${i}`) }, { id: 'z', shape: [3], features: ['f12', 'f13', 'f14'] }] } };
  const topo = analyzeGraph(withInputs).order;
  const heads = makeHeads(tf, withInputs);
  const built = buildModel(tf, withInputs, topo, 3);
  const forward = makeForward(tf, withInputs, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const train = toDevice(tf, withInputs, heads, data(100, partial));
  const validation = toDevice(tf, withInputs, heads, data(20, partial));
  // backendName 'cpu' here only forces the generic step; both run on native TensorFlow. The
  // eager compiled step, not the fused graph (graphStep.test.ts), is the one under test here.
  const result = await trainLoop({ tf, backend: backendName, spec: withInputs, built, forward, heads, topo, train, validation, epochs: 2,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false }, fusedGraph: false });
  const weights = built.model.getWeights().map((w: TF.Tensor) => w.dataSync() as Float32Array);
  built.model.dispose();
  return { weights, path: result.stepPath };
}

const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };

for (const [label, training, partial] of [
  ...SGD_CASES,
  // A task without a labelled row in a batch is out of the tape's loss: its head must not move on its momentum.
  ['partial labels with momentum', { optimizer: { type: 'sgd' as const, learningRate: 0.02, momentum: 0.9 } }, true],
  // Optimizers other than SGD run in optimizers.ts with tfjs-core's formulas; each under a rate
  // that changes every step (warm-up, then SGDR restarts), which a rate kept in the state would miss.
  ['SGD with Nesterov momentum under SGDR', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9, nesterov: true }, schedule: SGDR }, false],
  ['Adam under SGDR', { optimizer: { type: 'adam' as const, learningRate: 0.01 }, schedule: SGDR }, false],
  ['Adam with its own betas and epsilon, partial labels', { optimizer: { type: 'adam' as const, learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-4 }, schedule: SGDR }, true],
  ['RMSProp under SGDR', { optimizer: { type: 'rmsprop' as const, learningRate: 0.005 }, schedule: SGDR }, false],
  ['RMSProp with momentum under SGDR', { optimizer: { type: 'rmsprop' as const, learningRate: 0.002, momentum: 0.5, decay: 0.8 }, schedule: SGDR }, false],
  ['Adagrad under SGDR', { optimizer: { type: 'adagrad' as const, learningRate: 0.05, initialAccumulatorValue: 0.2 }, schedule: SGDR }, false],
  // The clip (global norm over every gradient, L2 included) must bind: norms here are above 0.5.
  ['SGD with momentum and gradient clipping under SGDR', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9 }, clipNorm: 0.5, schedule: SGDR }, false],
  ['Adam with gradient clipping', { optimizer: { type: 'adam' as const, learningRate: 0.01 }, clipNorm: 0.5, schedule: SGDR }, false],
  // Uncertainty weighting: learned log-variances (native/uncertainty.ts), trained by the same optimizer.
  ['uncertainty weighting with SGD under a step decay, partial labels', { weighting: { method: 'uncertainty' as const }, schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } }, true],
  // The regression task with the Huber loss (native/huber.ts): its errors here pass 1, so both branches run.
  ['Huber loss with Adam, partial labels', { optimizer: { type: 'adam' as const, learningRate: 0.01 }, schedule: SGDR, huber: true }, true],
  ['uncertainty weighting with Adam, clipping and SGDR', { weighting: { method: 'uncertainty' as const }, optimizer: { type: 'adam' as const, learningRate: 0.05 }, clipNorm: 0.5, schedule: SGDR }, false],
] as const) {
  test(`native and generic steps agree: ${label}`, { timeout: 60_000 }, async () => {
    const { huber, ...rest } = { huber: false, ...training };
    const s = spec(rest);
    await assertSameTraining(huber ? { ...s, tasks: s.tasks.map((t) => (t.id === 'reg' ? { ...t, loss: 'huber' as const } : t)) } : s, partial);
  });
}


// Dropout: the compiled step draws the tape's masks (same seed and cursor), so the two agree
// mask for mask, not only in expectation.
for (const [label, training, partial] of [
  ['dropout with SGD and momentum', { optimizer: { type: 'sgd' as const, learningRate: 0.02, momentum: 0.9 } }, false],
  ['dropout with Adam under SGDR, partial labels', { optimizer: { type: 'adam' as const, learningRate: 0.01 }, schedule: SGDR }, true],
] as const) {
  test(`native and generic steps agree: ${label}`, { timeout: 60_000 }, async () => {
    await assertSameTraining(withDropout(spec(training)), partial);
  });
}

/** Same starting weights and batches: the compiled and the tape step end on the same weights (1e-5, relative above 1). */
async function assertSameTraining(s: ExperimentSpec, partial: boolean): Promise<void> {
  assert.equal(nativeStepUnsupported(s, makeHeads((await loadBackend('tensorflow')).tf, s)), undefined);
  const native = await trainWith(s, 'tensorflow', partial);
  const generic = await trainWith(s, 'cpu', partial);
  assert.equal(native.path, 'native');
  assert.match(generic.path, /^generic/);
  assert.equal(native.weights.length, generic.weights.length);
  let moved = 0;
  native.weights.forEach((w, i) => {
    const g = generic.weights[i]!;
    for (let k = 0; k < w.length; k++) {
      // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
      assert.ok(Math.abs(w[k]! - g[k]!) < 1e-5 * Math.max(1, Math.abs(g[k]!)), `weight ${i}[${k}]: native ${w[k]} vs generic ${g[k]}`);
    }
    moved++;
  });
  assert.ok(moved > 0);
}

test('layers and options the compiled step does not cover fall back to the generic step', async () => {
  const { tf } = await loadBackend('tensorflow');
  const base = spec({});
  const cases: Array<[ExperimentSpec, RegExp]> = [
    [{ ...base, model: { ...base.model, layers: base.model.layers.map((l) => (l.id === 'a' ? { ...l, activation: 'softmax' as const } : l)) } }, /activation/],
  ];
  for (const [s, reason] of cases) assert.match(nativeStepUnsupported(s, makeHeads(tf, s)) ?? '', reason);
});
