// Experiment documents for the designer tests, the screenshots and the bench.
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';

export const digitsParityText = `{
  "name": "digits-parity",
  "data": {
    "source": { "type": "mnist" },
    "preprocess": [{ "op": "scale", "factor": 0.00392156862745098 }],
    "split": { "validation": 0.1, "test": 0.1, "seed": 7 }
  },
  "tasks": [
    { "id": "digit", "kind": "multiclass", "target": "label", "classes": 10 },
    { "id": "parity", "kind": "binary", "target": "parity" }
  ],
  "model": {
    "inputs": [{ "id": "image", "shape": [784] }],
    "layers": [
      { "id": "trunk1", "type": "dense", "units": 128, "activation": "relu", "from": ["image"] },
      { "id": "trunk2", "type": "dense", "units": 64, "activation": "relu", "from": ["trunk1"] },
      { "id": "digitHead", "type": "dense", "units": 10, "activation": "softmax", "from": ["trunk2"] },
      { "id": "parityHead", "type": "dense", "units": 1, "activation": "sigmoid", "from": ["trunk2"] }
    ],
    "outputs": { "digit": "digitHead", "parity": "parityHead" }
  },
  "training": {
    "optimizer": { "type": "sgd", "learningRate": 0.01 },
    "schedule": { "type": "constant" },
    "epochs": 10,
    "batchSize": 32,
    "seed": 42,
    "weighting": { "method": "equal" }
  },
  "evaluation": { "baselines": "single-task" }
}
`;

/**
 * Three tasks on two-digit images: a conv trunk shared by all, a dense block shared by
 * "left" and "right" only, a separate branch for "sum", and one layer that feeds nothing.
 * "sumHead" has 3 units for a regression (an error), "orphan" feeds no task (a warning).
 */
export function threeTasks(): ExperimentSpec {
  const layers: LayerSpec[] = [
    { id: 'conv1', type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu', from: ['image'] },
    { id: 'pool1', type: 'maxPooling2d', poolSize: 2, from: ['conv1'] },
    { id: 'conv2', type: 'conv2d', filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', from: ['pool1'] },
    { id: 'flat', type: 'flatten', from: ['conv2'] },
    { id: 'digits', type: 'dense', units: 128, activation: 'relu', from: ['flat'] },
    { id: 'drop', type: 'dropout', rate: 0.25, from: ['digits'] },
    { id: 'leftHead', type: 'dense', units: 10, activation: 'softmax', from: ['drop'] },
    { id: 'rightHead', type: 'dense', units: 10, activation: 'softmax', from: ['drop'] },
    { id: 'sumDense', type: 'dense', units: 32, activation: 'relu', from: ['flat'] },
    { id: 'sumHead', type: 'dense', units: 3, from: ['sumDense'] },
    { id: 'orphan', type: 'dense', units: 8, from: ['flat'] },
  ];
  return {
    name: 'two-digits',
    data: { source: { type: 'multimnist', samples: 20000, seed: 3 }, preprocess: [{ op: 'scale', factor: 0.00392156862745098 }], split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: [
      { id: 'left', kind: 'multiclass', target: 'left', classes: 10 },
      { id: 'right', kind: 'multiclass', target: 'right', classes: 10 },
      { id: 'sum', kind: 'regression', target: 'sum' },
    ],
    model: { inputs: [{ id: 'image', shape: [36, 36, 1] }], layers, outputs: { left: 'leftHead', right: 'rightHead', sum: 'sumHead' } },
    training: {
      optimizer: { type: 'adam', learningRate: 0.001 }, schedule: { type: 'sgdr', t0: 5, tMult: 2, minLearningRate: 0.00005 },
      epochs: 35, batchSize: 64, seed: 1, weighting: { method: 'uncertainty' },
    },
  };
}

/** A chain of `n` layers in all: a shared trunk, then a branch per task (the bench graph). */
export function largeModel(n = 100, taskCount = 4): ExperimentSpec {
  const trunk = Math.floor(n / 2);
  const per = Math.floor((n - trunk) / taskCount);
  const layers: LayerSpec[] = [];
  let prev = 'x';
  for (let i = 0; i < trunk; i++) {
    const id = `t${i}`;
    layers.push(i % 5 === 4 ? { id, type: 'dropout', rate: 0.1, from: [prev] } : { id, type: 'dense', units: 64, activation: 'relu', from: [prev] });
    prev = id;
  }
  const tasks: ExperimentSpec['tasks'] = [];
  const outputs: Record<string, string> = {};
  for (let t = 0; t < taskCount; t++) {
    let p = prev;
    const count = t === taskCount - 1 ? n - trunk - per * (taskCount - 1) : per;
    for (let i = 0; i < count; i++) {
      const id = `b${t}_${i}`;
      const last = i === count - 1;
      layers.push({ id, type: 'dense', units: last ? 1 : 32, activation: last ? 'sigmoid' : 'relu', from: [p] });
      p = id;
    }
    tasks.push({ id: `task${t}`, kind: 'binary', target: `y${t}` });
    outputs[`task${t}`] = p;
  }
  return {
    name: 'large', data: { source: { type: 'synthetic-correlated', correlation: 0.5 }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks, model: { inputs: [{ id: 'x', shape: [20] }], layers, outputs },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 5, batchSize: 32, seed: 1 },
  };
}
