// Evaluation's LSTM and GRU (src/trainer/model/recurrentInference.ts, reached through the
// forward pass with training off) give tfjs-layers' values in fewer ops: every layer's output
// within 1e-5 of the layer's own `apply` (relative where a value passes 1: an elu output reaches
// 10, where oneDNN's float32 rounding differed by 1e-6 on CI's CPU), on random weights and biases
// large enough that the hard sigmoid clips on both sides, and less than half of tfjs-layers' kernels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { LayerSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import type { RecurrentVars } from '../../../src/trainer/native/recurrent';
import { FLATTENED, GRU, GRU_RELU, STACKED, STACKED_GRU, recurrentData, recurrentSpec } from './recurrentFixtures';

const SIGMOID_GRU_INTO_ELU_LSTM: LayerSpec[] = [
  { id: 'rnn1', type: 'gru', units: 4, returnSequences: true, activation: 'sigmoid', from: ['seq'] },
  { id: 'rnn', type: 'lstm', units: 5, activation: 'elu', from: ['rnn1'] },
];

for (const [label, trunk, steps] of [
  ['LSTM (last state)', undefined, 6],
  ['LSTM over one time step', undefined, 1],
  ['stacked LSTMs, the first returning sequences', STACKED, 6],
  ['LSTM with relu returning sequences', FLATTENED, 6],
  ['GRU (last state)', GRU, 6],
  ['GRU with relu', GRU_RELU, 6],
  ['stacked GRUs, the first returning sequences', STACKED_GRU, 6],
  ['a sigmoid GRU returning sequences into an elu LSTM', SIGMOID_GRU_INTO_ELU_LSTM, 6],
] as const) {
  test(`evaluation's forward pass gives tfjs-layers' values in fewer kernels: ${label}`, async () => {
    const { tf } = await loadBackend('tensorflow');
    const spec = recurrentSpec({}, trunk, steps);
    const topo = analyzeGraph(spec).order;
    const heads = makeHeads(tf, spec);
    const built = buildModel(tf, spec, topo, 3);
    const recurrent = spec.model.layers.filter((l) => l.type === 'lstm' || l.type === 'gru');
    recurrent.forEach((l, k) => {
      const cell = (built.layers.get(l.id) as unknown as RecurrentVars).cell;
      for (const [j, v] of [cell.kernel, cell.recurrentKernel, cell.bias!].entries()) {
        const w = v.read();
        w.assign(tf.randomNormal(w.shape, 0, 0.8, 'float32', 10 * k + j));
      }
    });
    const forward = makeForward(tf, spec, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
    const data = recurrentData(16, false, steps);
    const x = tf.tensor3d(data.features, [16, steps, 3]);
    const ours = forward.values(new Map([['seq', x]]), false);
    for (const l of recurrent) {
      const input = l.from[0] === 'seq' ? x : ours.get(l.from[0]!)!;
      const theirs = (built.layers.get(l.id)!.apply(input) as TF.Tensor).dataSync();
      const mine = ours.get(l.id)!.dataSync();
      assert.equal(mine.length, theirs.length);
      for (let i = 0; i < mine.length; i++) assert.ok(Math.abs(mine[i]! - theirs[i]!) < 1e-5 * Math.max(1, Math.abs(theirs[i]!)), `${l.id}[${i}]: ${mine[i]} vs tfjs-layers ${theirs[i]}`);
    }
    const kernels = async (f: () => TF.Tensor) => (await tf.profile(() => f())).kernels.length;
    const first = recurrent[0]!;
    const lean = await kernels(() => forward.values(new Map([['seq', x]]), false, new Set([first.id])).get(first.id)!);
    const layers = await kernels(() => built.layers.get(first.id)!.apply(x) as TF.Tensor);
    assert.ok(lean * 2 < layers, `${lean} kernels against tfjs-layers' ${layers}`);
  });
}
