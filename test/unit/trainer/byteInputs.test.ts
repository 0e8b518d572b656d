// The training split held on the device as byte codes and a table of values (data/codebook.ts,
// native/byteInputs.ts): a quarter of its float32 memory, and training on it must be the float32
// path's to the bit: the fused graph (which decodes after its gather), the eager compiled step
// (batches.ts), the gradient-conflict measurement's batches, the training-rows evaluation and a
// baseline's labelled rows.
import assert from 'node:assert/strict';
import test from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { byteCodebook } from '../../../src/trainer/data/codebook';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { disposeSplit, inputRange, inputRows, phaseSplit, toDevice, type DeviceSplit } from '../../../src/trainer/deviceData';
import { evaluate } from '../../../src/trainer/evaluate';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';

test('byteCodebook: every value is its code\'s table entry, bit for bit (-0, NaN, any float); 257 distinct values are not coded', () => {
  const values = Float32Array.of(0, -0, 0.1, NaN, 0.1, 1e-30, -3.5, 0, 255);
  const coded = byteCodebook(values)!;
  assert.equal(coded.book.length, 7);
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  assert.deepEqual(bits(Float32Array.from(coded.codes, (c) => coded.book[c]!)), bits(values));
  assert.ok(byteCodebook(Float32Array.from({ length: 256 }, (_, i) => i)));
  assert.equal(byteCodebook(Float32Array.from({ length: 257 }, (_, i) => i)), undefined);
});

test('byteCodebook over the values\' own memory: the same codes and table, no second array; with 257 distinct values the values are written back bit for bit', () => {
  const values = Float32Array.of(0, -0, 0.1, NaN, 0.1, 1e-30, -3.5, 0, 255, 0.1, 0.1, 7);
  const fresh = byteCodebook(values.slice())!;
  const own = values.slice();
  const coded = byteCodebook(own, new Uint8Array(own.buffer, own.byteOffset, own.length))!;
  assert.equal(coded.codes.buffer, own.buffer, 'the codes are over the values\' memory');
  assert.deepEqual(Array.from(coded.codes), Array.from(fresh.codes));
  assert.deepEqual(Array.from(new Uint32Array(coded.book.buffer, 0, coded.book.length)), Array.from(new Uint32Array(fresh.book.buffer, 0, fresh.book.length)));
  // The 257th distinct value comes late, after codes have overwritten most of the values.
  const many = Float32Array.from({ length: 1200 }, (_, i) => (i < 1100 ? (i % 255) * 0.5 : i === 1150 ? -1 : i % 7));
  many[3] = -0;
  const bits = Array.from(new Uint32Array(many.buffer));
  assert.equal(byteCodebook(many, new Uint8Array(many.buffer, 0, many.length)), undefined);
  assert.deepEqual(Array.from(new Uint32Array(many.buffer)), bits, 'the values are as they were');
  assert.throws(() => byteCodebook(many, new Uint8Array(many.buffer, 4, 1199)), /first byte/);
});

const FEATURES = 20;

/** Pixels as digits-parity has them: bytes scaled by 1/255 into float32; a class of 4 and a binary label. */
function byteData(n: number, seed: number, o: { partial?: boolean } = {}): Dataset {
  const rng = new SeededRandom(seed);
  const features = Float32Array.from({ length: n * FEATURES }, () => rng.int(256) * 0.00392156862745098);
  const c = Float32Array.from({ length: n }, (_, i) => (features[i * FEATURES]! + features[i * FEATURES + 1]! > 1 ? 1 : 0) + 2 * rng.int(2));
  const b = c.map((v, i) => (o.partial && i % 3 === 0 ? NaN : v % 2));
  return { n, featureNames: Array.from({ length: FEATURES }, (_, i) => `p${i}`), features, featureShape: [FEATURES], targets: { c, b }, report: [] };
}

const spec = (): ExperimentSpec => ({
  name: 'byte-inputs',
  data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
  tasks: [{ id: 'cls', kind: 'multiclass', target: 'c', classes: 4 }, { id: 'bin', kind: 'binary', target: 'b' }],
  model: {
    inputs: [{ id: 'image', shape: [FEATURES] }],
    layers: [
      { id: 'trunk', type: 'dense', units: 16, activation: 'relu', from: ['image'] },
      { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['trunk'] },
      { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
    ],
    outputs: { cls: 'clsHead', bin: 'binHead' },
  },
  training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 2, batchSize: 16, seed: 5, weighting: { method: 'equal' } },
  evaluation: { conflict: { every: 3 } },
});

async function train(coded: boolean, fusedGraph: boolean, stepHalves = false) {
  const { tf } = await loadBackend('tensorflow');
  const s = spec();
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const trainSplit = toDevice(tf, s, heads, byteData(150, 9), { coded });
  const validation = toDevice(tf, s, heads, byteData(30, 4));
  const validationLoss: number[] = [];
  const conflict: number[] = [];
  const result = await trainLoop({ tf, backend: 'tensorflow', spec: s, built, forward, heads, topo, train: trainSplit, validation, epochs: s.training.epochs, phase: { kind: 'shared' }, fusedGraph, stepHalves,
    events: {
      progress: (points) => conflict.push(...points.filter((p) => p.task.includes('|')).map((p) => p.value)),
      epochEnd: (_e, points) => validationLoss.push(...points.filter((p) => p.metric === 'loss' || p.metric === 'accuracy').map((p) => p.value)),
      cancelled: () => false,
    } });
  const weights = built.model.getWeights().map((w: TF.Tensor) => Array.from(w.dataSync()));
  const held = trainSplit.coded !== undefined;
  built.model.dispose();
  disposeSplit(trainSplit);
  disposeSplit(validation);
  return { path: result.stepPath, weights, validationLoss, conflict, held };
}

for (const fused of [true, false]) {
  test(`training on byte-coded inputs equals training on float32 bit for bit (${fused ? 'fused graph' : 'eager compiled step'}; conflict measured, training rows evaluated)`, async () => {
    const plain = await train(false, fused);
    const coded = await train(true, fused);
    assert.equal(coded.held, true, 'the training split is held as byte codes');
    assert.equal(plain.held, false);
    assert.equal(coded.path, plain.path);
    assert.equal(coded.path.startsWith('fused graph'), fused, coded.path);
    assert.ok(coded.conflict.length > 0, 'the conflict measurement ran');
    assert.deepEqual(coded.conflict, plain.conflict);
    assert.deepEqual(coded.validationLoss, plain.validationLoss);
    assert.deepEqual(coded.weights, plain.weights);
  });
}

test('a step in halves on byte-coded inputs equals it on float32 bit for bit (each half decodes its rows with the one table)', async () => {
  const plain = await train(false, true, true);
  const coded = await train(true, true, true);
  assert.equal(coded.held, true, 'the training split is held as byte codes');
  assert.equal(coded.path, plain.path);
  assert.match(coded.path, /two halves/);
  assert.ok(coded.conflict.length > 0, 'the conflict measurement ran');
  assert.deepEqual(coded.conflict, plain.conflict);
  assert.deepEqual(coded.validationLoss, plain.validationLoss);
  assert.deepEqual(coded.weights, plain.weights);
});

test('a coded split read by rows, by range, by a baseline\'s labelled rows and by evaluation gives the float32 values', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec();
  const heads = makeHeads(tf, s);
  const ds = byteData(50, 2, { partial: true });
  const plain = toDevice(tf, s, heads, ds);
  const coded = toDevice(tf, s, heads, ds, { coded: true });
  assert.ok(coded.coded?.has('image'));
  const same = (a: TF.Tensor, b: TF.Tensor) => {
    assert.deepEqual(a.shape, b.shape);
    assert.equal(a.dtype, 'float32');
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    tf.dispose([a, b]);
  };
  const rows = tf.tensor1d([7, 0, 49, 7], 'int32');
  same(inputRows(tf, coded, 'image', rows), inputRows(tf, plain, 'image', rows));
  same(inputRange(tf, coded, 'image', 10, 25), inputRange(tf, plain, 'image', 10, 25));
  // A run's upload, its codes made over the host features it releases next: the same device values.
  const consumed = toDevice(tf, s, heads, { ...ds, features: ds.features.slice() }, { coded: true, consume: true });
  same(inputRange(tf, consumed, 'image', 0, 50), inputRange(tf, plain, 'image', 0, 50));
  disposeSplit(consumed);
  // Two inputs read the same features: the first one's codes must not be made over what the second reads.
  const twoInputs: ExperimentSpec = { ...s, model: { ...s.model, inputs: [{ id: 'image', shape: [FEATURES] }, { id: 'again', shape: [FEATURES] }] } };
  const both = toDevice(tf, twoInputs, heads, { ...ds, features: ds.features.slice() }, { coded: true, consume: true });
  same(inputRange(tf, both, 'again', 0, 50), inputRange(tf, plain, 'image', 0, 50));
  same(inputRange(tf, both, 'image', 0, 50), inputRange(tf, plain, 'image', 0, 50));
  disposeSplit(both);
  rows.dispose();
  const views = [coded, plain].map((split) => phaseSplit(tf, split, ['image'], 'bin'));
  assert.ok(views.every((v) => v.owned && v.split.n === 33));
  same(views[0]!.split.x.get('image')!.clone(), views[1]!.split.x.get('image')!.clone());
  views.forEach((v) => disposeSplit(v.split));
  const topo = analyzeGraph(s).order;
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const split = (d: DeviceSplit) => evaluate(tf, forward, heads, d);
  assert.deepEqual(split(coded), split(plain));
  built.model.dispose();
  disposeSplit(plain);
  disposeSplit(coded);
});
