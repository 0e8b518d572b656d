// Experiment documents used across the core tests. Each call returns a fresh copy, so a
// test can break one without affecting the others.
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';
import { digitsParity } from '../../fixtures/digitsParity';

export { digitsParity };

/** A small conv trunk on two-digit images, branching into one conv+dense branch per digit. */
export function convTwoDigits(): ExperimentSpec {
  const layers: LayerSpec[] = [
    { id: 'c1', type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu', from: ['image'] },            // 34x34x8
    { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['c1'] },                                           // 17x17x8
    { id: 'bn', type: 'batchNormalization', from: ['p1'] },
    { id: 'leftConv', type: 'conv2d', filters: 16, kernelSize: [3, 5], strides: 2, padding: 'same', from: ['bn'] }, // 9x9x16
    { id: 'leftFlat', type: 'flatten', from: ['leftConv'] },                                                 // 1296
    { id: 'leftHead', type: 'dense', units: 10, activation: 'softmax', from: ['leftFlat'] },
    { id: 'rightPool', type: 'averagePooling2d', poolSize: 3, strides: 2, from: ['bn'] },                     // 8x8x8
    { id: 'rightFlat', type: 'flatten', from: ['rightPool'] },                                               // 512
    { id: 'rightDrop', type: 'dropout', rate: 0.25, from: ['rightFlat'] },
    { id: 'rightHead', type: 'dense', units: 10, activation: 'softmax', useBias: false, from: ['rightDrop'] },
  ];
  return {
    name: 'conv-two-digits',
    data: { source: { type: 'multimnist', samples: 200 }, split: { validation: 0.2, test: 0.2, seed: 1 } },
    tasks: [
      { id: 'left', kind: 'multiclass', target: 'left', classes: 10 },
      { id: 'right', kind: 'multiclass', target: 'right', classes: 10 },
    ],
    model: { inputs: [{ id: 'image', shape: [36, 36, 1] }], layers, outputs: { left: 'leftHead', right: 'rightHead' } },
    training: { optimizer: { type: 'adam', learningRate: 0.001 }, epochs: 2, batchSize: 16, seed: 3 },
  };
}

/** Two inputs, a sequence branch and merge layers: text ids + numeric features -> regression and binary. */
export function mixedInputs(): ExperimentSpec {
  return {
    name: 'mixed',
    data: { source: { type: 'csv', path: 'data.csv' }, split: { validation: 0.1, test: 0.1, seed: 0 } },
    tasks: [
      { id: 'price', kind: 'regression', target: 'price' },
      { id: 'sold', kind: 'binary', target: 'sold' },
    ],
    model: {
      inputs: [{ id: 'words', shape: [12], dtype: 'int32' }, { id: 'numbers', shape: [6] }],
      layers: [
        { id: 'embed', type: 'embedding', inputDim: 500, outputDim: 8, from: ['words'] },   // [12, 8]
        { id: 'seq', type: 'lstm', units: 16, returnSequences: true, from: ['embed'] },      // [12, 16]
        { id: 'gru', type: 'gru', units: 8, from: ['seq'] },                                 // [8]
        { id: 'num', type: 'dense', units: 8, activation: 'relu', from: ['numbers'] },       // [8]
        { id: 'sum', type: 'add', from: ['gru', 'num'] },                                    // [8]
        { id: 'joined', type: 'concatenate', from: ['sum', 'num'] },                         // [16]
        { id: 'priceHead', type: 'dense', units: 1, from: ['joined'] },
        { id: 'soldHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['num'] },
      ],
      outputs: { price: 'priceHead', sold: 'soldHead' },
    },
    training: { optimizer: { type: 'rmsprop', learningRate: 0.001 }, epochs: 1, batchSize: 8, seed: 0 },
  };
}

export function layerById(spec: ExperimentSpec, id: string): LayerSpec {
  const layer = spec.model.layers.find((l) => l.id === id);
  if (!layer) throw new Error(`fixture has no layer ${id}`);
  return layer;
}

/**
 * Every sharing block on one 6-feature input, three regression tasks: an MMoE for y0 and y1, a
 * two-level PLE for y1 and y2, and cross-stitched parallel columns (soft-shared) for y0 and y2.
 */
export function sharingBlocks(): ExperimentSpec {
  const layers: LayerSpec[] = [
    { id: 'moe', type: 'mmoe', experts: 3, units: 4, tasks: 2, from: ['x'] },                                  // [2, 4]
    { id: 'moe0', type: 'select', index: 0, from: ['moe'] },
    { id: 'moe1', type: 'select', index: 1, from: ['moe'] },
    { id: 'ple', type: 'ple', sharedExperts: 2, taskExperts: 1, units: 5, tasks: 2, levels: 2, from: ['x'] },  // [2, 5]
    { id: 'ple0', type: 'select', index: 0, from: ['ple'] },
    { id: 'ple1', type: 'select', index: 1, from: ['ple'] },
    { id: 'cols', type: 'parallelDense', columns: 2, units: 3, activation: 'relu', tieL2: 0.01, from: ['x'] }, // [2, 3]
    { id: 'stitch', type: 'crossStitch', from: ['cols'] },                                                    // [2, 3]
    { id: 'cols2', type: 'parallelDense', columns: 2, units: 2, useBias: false, from: ['stitch'] },           // [2, 2]
    { id: 'col0', type: 'select', index: 0, from: ['cols2'] },
    { id: 'col1', type: 'select', index: 1, from: ['cols2'] },
    { id: 'in0', type: 'concatenate', from: ['moe0', 'col0'] },                                               // [6]
    { id: 'in1', type: 'concatenate', from: ['moe1', 'ple0'] },                                               // [9]
    { id: 'in2', type: 'concatenate', from: ['ple1', 'col1'] },                                               // [7]
    { id: 'head0', type: 'dense', units: 1, from: ['in0'] },
    { id: 'head1', type: 'dense', units: 1, from: ['in1'] },
    { id: 'head2', type: 'dense', units: 1, from: ['in2'] },
  ];
  return {
    name: 'sharing-blocks',
    data: { source: { type: 'synthetic-correlated', correlation: 0.5, inputDim: 6, samples: 64 }, split: { validation: 0.2, test: 0.2, seed: 1 } },
    // The synthetic source has two targets, y1 and y2: task y0 predicts y1 too.
    tasks: [0, 1, 2].map((i) => ({ id: `y${i}`, kind: 'regression' as const, target: i === 2 ? 'y2' : 'y1' })),
    model: { inputs: [{ id: 'x', shape: [6] }], layers, outputs: { y0: 'head0', y1: 'head1', y2: 'head2' } },
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 8, seed: 0 },
  };
}

/** MNIST with its three targets: 784 -> 32 -> 16, heads digit (10), parity (1), big (1). */
export function threeDigitTasks(): ExperimentSpec {
  return {
    name: 'three',
    data: { source: { type: 'mnist' }, preprocess: [{ op: 'scale', factor: 1 / 255 }], split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: [
      { id: 'digit', kind: 'multiclass', target: 'label', classes: 10 },
      { id: 'parity', kind: 'binary', target: 'parity' },
      { id: 'big', kind: 'binary', target: 'greaterThan4' },
    ],
    model: {
      inputs: [{ id: 'image', shape: [784] }],
      layers: [
        { id: 'trunk1', type: 'dense', units: 32, activation: 'relu', from: ['image'] },
        { id: 'trunk2', type: 'dense', units: 16, activation: 'relu', from: ['trunk1'] },
        { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['trunk2'] },
        { id: 'parityHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk2'] },
        { id: 'bigHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk2'] },
      ],
      outputs: { digit: 'digitHead', parity: 'parityHead', big: 'bigHead' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.001 }, epochs: 1, batchSize: 64, seed: 1 },
    evaluation: { taskAffinity: { every: 5 } },
    layout: { trunk1: { x: 0, y: 0 } },
  };
}
