// The compiled wasm step (wasm/denseStep.ts) must train exactly like the tape-based step on
// the same backend: same starting weights and batches give the same weights after two epochs,
// under constant, decaying and restarting learning rates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { WASM_STEP_PATH, trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { wasmStepUnsupported } from '../../../src/trainer/wasm/denseStep';
import { equivalenceData, equivalenceSpec, SGD_CASES } from './stepFixtures';

const spec = (training: Partial<ExperimentSpec['training']>): ExperimentSpec => equivalenceSpec('wasm-equivalence', training, { namedFeatures: true });
/** `partial`: each target missing (NaN) in some rows, as partial labels load. */
const data = (n: number, partial = false): Dataset => equivalenceData(n, { partial });

async function trainWith(s: ExperimentSpec, compiled: boolean, partial: boolean): Promise<{ weights: Float32Array[]; initial: Float32Array[]; path: string }> {
  const { tf } = await loadBackend('wasm');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const initial = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
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
  ...SGD_CASES,
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
        // Relative above 1: a weight can pass 1, and two paths round float32 apart by its size.
        assert.ok(Math.abs(w[k]! - g[k]!) < 1e-5 * Math.max(1, Math.abs(g[k]!)), `weight ${i}[${k}]: compiled ${w[k]} vs tape ${g[k]}`);
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
