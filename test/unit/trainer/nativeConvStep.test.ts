// The compiled step's convolution, pooling, batch-norm, flatten and reshape layers
// (src/trainer/native/conv.ts, pool.ts, batchNorm.ts, reshape.ts) train exactly like the
// tape: same starting weights and batches give the same weights (moving statistics included)
// after two epochs, each under a learning rate that changes every step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayerSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { makeHeads } from '../../../src/trainer/heads';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { convData as data, convSpec as spec, flatWhenReshaped, swap } from './convFixtures';
import { assertSameTraining } from './nativeEquivalence';

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
    await assertSameTraining(flatWhenReshaped(spec(training, edit)), (n) => data(n, partial));
  });
}

test('batch normalization with task gradients, and an activation the compiled step lacks, fall back to the tape and say why', async () => {
  const { tf } = await loadBackend('tensorflow');
  const bn = spec({ weighting: { method: 'pcgrad' } }, swap('p1', [{ id: 'bn1', type: 'batchNormalization', from: ['c1'] }, { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['bn1'] }]));
  assert.match(nativeStepUnsupported(bn, makeHeads(tf, bn)) ?? '', /batch normalization bn1 with task gradients/);
  const selu = spec({}, (l) => l.map((x) => (x.id === 'c1' ? { ...x, activation: 'selu' as const } : x)));
  assert.match(nativeStepUnsupported(selu, makeHeads(tf, selu)) ?? '', /activation selu in c1/);
});
