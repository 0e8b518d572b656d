// The fused graph's LSTM and GRU in inference mode (recurrentLayers.ts `infer`, what evaluation
// in the session runs) give tfjs-layers' values: each layer written alone into a graph whose
// weights are constants taken from the tfjs layer (random, large enough that the hard sigmoid
// clips on both sides), run in a real session on two batch sizes, within 1e-5 of the layer's `apply`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { RecurrentLayer } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { GraphLayerContext } from '../../../src/trainer/graph/convLayers';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { graphRecurrent } from '../../../src/trainer/graph/recurrentLayers';
import { openSession } from '../../../src/trainer/graph/session';
import { buildModel } from '../../../src/trainer/model/build';
import type { RecurrentVars } from '../../../src/trainer/native/recurrent';
import { recurrentData, recurrentSpec } from './recurrentFixtures';

const FEATURES = 3;

const CASES: Array<[string, RecurrentLayer, number]> = [
  ['LSTM (last state)', { id: 'rnn', type: 'lstm', units: 5, from: ['seq'] }, 6],
  ['LSTM over one time step', { id: 'rnn', type: 'lstm', units: 5, from: ['seq'] }, 1],
  ['LSTM with relu returning sequences', { id: 'rnn', type: 'lstm', units: 4, activation: 'relu', returnSequences: true, from: ['seq'] }, 6],
  ['LSTM with elu', { id: 'rnn', type: 'lstm', units: 5, activation: 'elu', from: ['seq'] }, 6],
  ['GRU (last state)', { id: 'rnn', type: 'gru', units: 5, from: ['seq'] }, 6],
  ['GRU with sigmoid returning sequences', { id: 'rnn', type: 'gru', units: 4, activation: 'sigmoid', returnSequences: true, from: ['seq'] }, 6],
  ['GRU with relu over one time step', { id: 'rnn', type: 'gru', units: 5, activation: 'relu', from: ['seq'] }, 1],
];

for (const [label, l, steps] of CASES) {
  test(`the fused graph's inference form gives tfjs-layers' values: ${label}`, async () => {
    const { tf } = await loadBackend('tensorflow');
    const spec = recurrentSpec({}, [l], steps);
    const built = buildModel(tf, spec, analyzeGraph(spec).order, 3);
    const tfLayer = built.layers.get(l.id)!;
    const cell = (tfLayer as unknown as RecurrentVars).cell;
    const parts = { kernel: cell.kernel.read(), recurrentKernel: cell.recurrentKernel.read(), bias: cell.bias!.read() };
    Object.values(parts).forEach((w, k) => w.assign(tf.randomNormal(w.shape, 0, 0.8, 'float32', k + 1)));

    const g = new GraphBuilder();
    const reads = new Map<string, string>();
    const c: GraphLayerContext = {
      g,
      variable: () => undefined,
      read: (key) => {
        const w = parts[key.slice(l.id.length + 1) as keyof typeof parts];
        return reads.get(key) ?? reads.set(key, g.constant(key, { dtype: 'float', shape: w.shape, values: Array.from(w.dataSync()) })).get(key)!;
      },
      handle: () => { throw new Error('no handles here'); },
      int: (name, shape, values) => g.constant(name, { dtype: 'int32', shape, values }),
      float: (name, value) => g.constant(name, { dtype: 'float', shape: [], values: [value] }),
      l2: () => 0,
    };
    const x = g.placeholder('x', [-1, steps, FEATURES]);
    const y = graphRecurrent(c, l, [steps, FEATURES]).infer!(x);
    const session = openSession(tf, g.savedModel(['serve']));
    try {
      for (const n of [16, 5]) {
        const data = recurrentData(n, false, steps);
        const input = tf.tensor3d(data.features, [n, steps, FEATURES]);
        const [ours] = session.run([{ name: x }], [input], [y]);
        const theirs = (tfLayer.apply(input) as TF.Tensor).dataSync();
        const mine = ours!.dataSync();
        assert.deepEqual(ours!.shape, l.returnSequences ? [n, steps, l.units] : [n, l.units]);
        for (let i = 0; i < mine.length; i++) assert.ok(Math.abs(mine[i]! - theirs[i]!) < 1e-5 * Math.max(1, Math.abs(theirs[i]!)), `batch ${n}, [${i}]: ${mine[i]} vs tfjs-layers ${theirs[i]}`);
        tf.dispose([input, ours!]);
      }
    } finally {
      session.dispose();
    }
  });
}
