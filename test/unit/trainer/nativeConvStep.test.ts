// The compiled step's convolution, pooling, batch-norm, flatten and reshape layers
// (src/trainer/native/conv.ts, pool.ts, batchNorm.ts, reshape.ts) train exactly like the
// tape: same starting weights and batches give the same weights (moving statistics included)
// after two epochs, each under a learning rate that changes every step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { makeHeads } from '../../../src/trainer/heads';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { assertSameTraining } from './nativeEquivalence';

/** Images of 8x8 pixels and 2 channels, flat in the data. */
const PIXELS = 8 * 8 * 2;
const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };

/**
 * A conv trunk on an 8x8x2 image: conv "same" 3x3 relu -> max pool 2 -> conv "valid" 2x3,
 * strides [1, 2], tanh, L2 -> flatten -> dense; three heads. `edit` swaps layers for a case.
 */
function spec(training: Partial<ExperimentSpec['training']>, edit: (layers: LayerSpec[]) => LayerSpec[] = (l) => l): ExperimentSpec {
  const layers: LayerSpec[] = [
    { id: 'c1', type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', from: ['img'] },
    { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['c1'] },
    { id: 'c2', type: 'conv2d', filters: 6, kernelSize: [2, 3], strides: [1, 2], activation: 'tanh', l2: 0.01, from: ['p1'] },
    { id: 'flat', type: 'flatten', from: ['c2'] },
    { id: 'shared', type: 'dense', units: 16, activation: 'elu', from: ['flat'] },
    { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['shared'] },
    { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['shared'] },
    { id: 'regHead', type: 'dense', units: 1, from: ['shared'] },
  ];
  return {
    name: 'conv-equivalence',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 4 },
      { id: 'bin', kind: 'binary', target: 'b' },
      { id: 'reg', kind: 'regression', target: 'r', weight: 0.5 },
    ],
    model: { inputs: [{ id: 'img', shape: [8, 8, 2] }], layers: edit(layers), outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' } },
    training: { optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, schedule: SGDR, epochs: 2, batchSize: 16, seed: 5, weighting: { method: 'static' }, ...training },
  };
}

/** `partial`: the regression target on one row in ten only (some batches have none). */
function data(n: number, partial = false): Dataset {
  const rng = new SeededRandom(9);
  const features = Float32Array.from({ length: n * PIXELS }, () => rng.normal());
  const c = Float32Array.from({ length: n }, () => rng.int(4));
  const r = Float32Array.from({ length: n }, (_, i) => (partial && i % 10 !== 0 ? NaN : features[i * PIXELS]! * 2 + rng.normal(0, 0.1)));
  return { n, featureNames: Array.from({ length: PIXELS }, (_, i) => `p${i}`), features, featureShape: [8, 8, 2], targets: { c, b: c.map((v) => (v > 1 ? 1 : 0)), r }, report: [] };
}

const swap = (id: string, by: LayerSpec | LayerSpec[]) => (layers: LayerSpec[]) => layers.flatMap((l) => (l.id === id ? by : [l]));

for (const [label, training, edit, partial] of [
  ['conv2d ("same" and "valid", strides, relu and tanh, L2) and max pooling, SGD with momentum under SGDR', {}, undefined, false],
  ['conv2d under a step decay, plain SGD, partial labels', { optimizer: { type: 'sgd' as const, learningRate: 0.05 }, schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } }, undefined, true],
  ['conv2d without bias, sigmoid and elu, with Adam under SGDR', { optimizer: { type: 'adam' as const, learningRate: 0.01 } },
    (l: LayerSpec[]) => l.map((x) => (x.id === 'c1' ? { ...x, useBias: false, activation: 'sigmoid' as const } : x.id === 'c2' ? { ...x, activation: 'elu' as const } : x)), false],
  // A 3x3 window with stride 2 and "same" padding: windows overlap and the edge ones are partial.
  ['average pooling ("same", overlapping windows) with Adam under SGDR', { optimizer: { type: 'adam' as const, learningRate: 0.01 } },
    swap('p1', { id: 'p1', type: 'averagePooling2d', poolSize: 3, strides: 2, padding: 'same', from: ['c1'] }), false],
  ['max pooling ("same", overlapping windows) with RMSProp and clipping under SGDR', { optimizer: { type: 'rmsprop' as const, learningRate: 0.005 }, clipNorm: 0.5 },
    swap('p1', { id: 'p1', type: 'maxPooling2d', poolSize: [3, 2], strides: [2, 2], padding: 'same', from: ['c1'] }), false],
  // Batch norm on a conv output (rank 4, over n, h, w) and on a dense output (rank 2), with its own momentum and epsilon.
  ['batch normalization on a conv and on a dense output, SGD with momentum under SGDR', {},
    (l: LayerSpec[]) => swap('shared', [{ id: 'shared', type: 'dense', units: 16, activation: 'elu', from: ['flat'] }, { id: 'bn2', type: 'batchNormalization', momentum: 0.8, epsilon: 0.01, from: ['shared'] }])(
      swap('p1', [{ id: 'bn1', type: 'batchNormalization', from: ['c1'] }, { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['bn1'] }])(l))
      .map((x) => (x.type === 'dense' && x.id !== 'shared' ? { ...x, from: ['bn2'] } : x)), false],
  ['batch normalization with Adam under SGDR, partial labels', { optimizer: { type: 'adam' as const, learningRate: 0.01 } },
    swap('p1', [{ id: 'bn1', type: 'batchNormalization', from: ['c1'] }, { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['bn1'] }]), true],
  // The image given flat and reshaped by the model; dropout on a conv output.
  ['reshape and dropout on a conv output, SGD with momentum under SGDR', {},
    (l: LayerSpec[]) => [{ id: 'img2d', type: 'reshape' as const, targetShape: [8, 8, 2], from: ['img'] },
      ...swap('p1', [{ id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['c1'] }, { id: 'drop', type: 'dropout', rate: 0.3, from: ['p1'] }])(l)
        .map((x) => (x.id === 'c1' ? { ...x, from: ['img2d'] } : x.id === 'c2' ? { ...x, from: ['drop'] } : x))], false],
  // Task gradients: each task's backward pass through the conv trunk ('parameters'), or to the flattened conv output ('representation').
  ['conv trunk with PCGrad on the parameters', { weighting: { method: 'pcgrad' as const } }, undefined, false],
  ['conv trunk with UPGrad on the representation', { weighting: { method: 'upgrad' as const, mode: 'representation' as const } }, undefined, false],
] as const) {
  test(`native and tape steps agree: ${label}`, { timeout: 120_000 }, async () => {
    const s = spec(training, edit);
    // The reshape case reads a flat image.
    await assertSameTraining(s.model.layers[0]!.type === 'reshape' ? { ...s, model: { ...s.model, inputs: [{ id: 'img', shape: [PIXELS] }] } } : s, (n) => data(n, partial));
  });
}

test('batch normalization with task gradients, and an activation the compiled step lacks, fall back to the tape and say why', async () => {
  const { tf } = await loadBackend('tensorflow');
  const bn = spec({ weighting: { method: 'pcgrad' } }, swap('p1', [{ id: 'bn1', type: 'batchNormalization', from: ['c1'] }, { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['bn1'] }]));
  assert.match(nativeStepUnsupported(bn, makeHeads(tf, bn)) ?? '', /batch normalization bn1 with task gradients/);
  const selu = spec({}, (l) => l.map((x) => (x.id === 'c1' ? { ...x, activation: 'selu' as const } : x)));
  assert.match(nativeStepUnsupported(selu, makeHeads(tf, selu)) ?? '', /activation selu in c1/);
});
