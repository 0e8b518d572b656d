// The compiled wasm step (wasm/denseStep.ts) must train exactly like the tape-based step on
// the same backend: same starting weights and batches give the same weights after two epochs,
// under constant, decaying and restarting learning rates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { makeHeads } from '../../../src/trainer/heads';
import { WASM_STEP_PATH, trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { wasmStepUnsupported } from '../../../src/trainer/wasm/denseStep';

/** Every layer kind and activation the step covers, three kinds of head, L2 on one layer. */
function spec(training: Partial<ExperimentSpec['training']>): ExperimentSpec {
  return {
    name: 'wasm-equivalence',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 4 },
      { id: 'bin', kind: 'binary', target: 'b' },
      { id: 'reg', kind: 'regression', target: 'r', weight: 0.5 },
    ],
    model: {
      inputs: [{ id: 'x', shape: [12], features: Array.from({ length: 12 }, (_, i) => `f${i}`) }, { id: 'z', shape: [3], features: ['f12', 'f13', 'f14'] }],
      layers: [
        { id: 'a', type: 'dense', units: 16, activation: 'relu', from: ['x'] },
        { id: 'b', type: 'dense', units: 8, activation: 'tanh', from: ['z'] },
        { id: 'cat', type: 'concatenate', from: ['a', 'b'] },
        { id: 'trunk', type: 'dense', units: 16, activation: 'elu', from: ['cat'], l2: 0.01 },
        { id: 'side', type: 'dense', units: 16, activation: 'sigmoid', from: ['cat'] },
        { id: 'sum', type: 'add', from: ['trunk', 'side'] },
        { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['sum'] },
        { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['sum'] },
        { id: 'regHead', type: 'dense', units: 1, from: ['trunk'] },
      ],
      outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.05 }, epochs: 2, batchSize: 16, seed: 5, weighting: { method: 'static' }, ...training },
  };
}

/** `partial`: each target missing (NaN) in some rows, as partial labels load. */
function data(n: number, partial = false): Dataset {
  const rng = new SeededRandom(9);
  const features = Float32Array.from({ length: n * 15 }, () => rng.normal());
  const c = Float32Array.from({ length: n }, () => rng.int(4));
  const targets = { c, b: c.map((v) => (v > 1 ? 1 : 0)), r: Float32Array.from({ length: n }, (_, i) => features[i * 15]! * 2 + rng.normal(0, 0.1)) };
  if (partial) {
    targets.c = targets.c.map((v, i) => (i % 3 === 0 ? NaN : v));
    targets.b = targets.b.map((v, i) => (i % 4 === 1 ? NaN : v));
    targets.r = targets.r.map((v, i) => (i % 10 === 0 ? v : NaN)); // 10 labelled rows: some batches have none
  }
  return { n, featureNames: Array.from({ length: 15 }, (_, i) => `f${i}`), features, featureShape: [15], targets, report: [] };
}

async function trainWith(s: ExperimentSpec, compiled: boolean, partial: boolean): Promise<{ weights: Float32Array[]; initial: Float32Array[]; path: string }> {
  const { tf } = await loadBackend('wasm');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const initial = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  const forward = makeForward(tf, s, built, topo, { logitLayers: new Set(heads.filter((h) => h.logits).map((h) => h.layerId)), seed: 1 });
  const train = toDevice(tf, s, heads, data(100, partial));
  const validation = toDevice(tf, s, heads, data(20, partial));
  // Both run on wasm; backend 'cpu' here only makes the loop take the tape.
  const result = await trainLoop({ tf, backend: compiled ? 'wasm' : 'cpu', spec: s, built, forward, heads, topo, train, validation, epochs: 2,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } });
  const weights = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  built.model.dispose();
  return { weights, initial, path: result.stepPath };
}

for (const [label, training, partial] of [
  ['plain SGD with L2 and static weights', {}, false],
  ['SGD with momentum', { optimizer: { type: 'sgd' as const, learningRate: 0.02, momentum: 0.9 } }, false],
  // The rate changes every step (half an epoch of warm-up, then SGDR with a restart at 1.5
  // epochs): a step that folds the rate into the velocity drifts from one that does not.
  ['SGD with momentum under warm-up and SGDR restarts', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9 },
    schedule: { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 } }, false],
  ['plain SGD under a step decay', { schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } }, false],
  ['partial labels (masked losses)', {}, true],
  // Batch 8 under layer a's 16 units: a is computed transposed, b (8 units) is not.
  ['batches smaller than a first layer (its forward pass transposed)', { batchSize: 8 }, false],
  // Weights from the batch's losses: the step reads them back when the method asks.
  ['GLS weighting (weights from the losses)', { weighting: { method: 'gls' as const } }, false],
] as const) {
  test(`wasm compiled and tape steps agree: ${label}`, { timeout: 120_000 }, async () => {
    const s = spec(training);
    const { tf } = await loadBackend('wasm');
    assert.equal(wasmStepUnsupported(s, makeHeads(tf, s)), undefined);
    const compiled = await trainWith(s, true, partial);
    const tape = await trainWith(s, false, partial);
    assert.equal(compiled.path, WASM_STEP_PATH);
    assert.match(tape.path, /^generic/);
    assert.equal(compiled.weights.length, tape.weights.length);
    let moved = 0;
    compiled.weights.forEach((w, i) => {
      const g = tape.weights[i]!;
      for (let k = 0; k < w.length; k++) {
        assert.ok(Math.abs(w[k]! - g[k]!) < 1e-5, `weight ${i}[${k}]: compiled ${w[k]} vs tape ${g[k]}`);
        if (Math.abs(w[k]! - compiled.initial[i]![k]!) > 1e-4) moved++;
      }
    });
    assert.ok(moved > 100, `only ${moved} weights moved`);
  });
}

test('gradient-family weightings and layers the wasm step does not cover take the tape, with the reason', async () => {
  const { tf } = await loadBackend('wasm');
  const base = spec({});
  const cases: Array<[ExperimentSpec, RegExp]> = [
    [spec({ weighting: { method: 'mgda' } }), /mgda task weighting/],
    [spec({ optimizer: { type: 'adam', learningRate: 0.001 } }), /adam/],
    [spec({ clipNorm: 1 }), /clipping/],
    [{ ...base, model: { ...base.model, layers: base.model.layers.map((l) => (l.id === 'a' ? { ...l, activation: 'softmax' as const } : l)) } }, /activation/],
    // Layers the native step compiles (native/layers.ts) but this one does not.
    [{ ...base, model: { ...base.model, layers: base.model.layers.flatMap((l) => (l.id === 'a'
      ? [{ id: 'norm', type: 'batchNormalization' as const, from: ['x'] }, { ...l, from: ['norm'] }] : [l])) } }, /batchNormalization layer norm/],
    [{ ...base, model: { inputs: [{ id: 'x', shape: [4, 3] }], layers: [{ id: 'rnn', type: 'lstm' as const, units: 4, from: ['x'] },
      { id: 'clsHead', type: 'dense' as const, units: 4, activation: 'softmax' as const, from: ['rnn'] }, { id: 'binHead', type: 'dense' as const, units: 1, activation: 'sigmoid' as const, from: ['rnn'] },
      { id: 'regHead', type: 'dense' as const, units: 1, from: ['rnn'] }], outputs: base.model.outputs } }, /input x of rank 2/],
  ];
  for (const [s, reason] of cases) assert.match(wasmStepUnsupported(s, makeHeads(tf, s)) ?? '', reason);
});
