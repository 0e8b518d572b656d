// The digits-parity reference workload of the bench: 784-128-64 trunk, softmax heads of
// 10 and 2 classes, SGD 0.01, random data (the speed does not depend on the values).
import type { ExperimentSpec } from '../src/core/spec';
import type { Dataset } from '../src/trainer/data/dataset';
import { SeededRandom } from '../src/core/random';

export function referenceSpec(batchSize: number, epochs: number): ExperimentSpec {
  return {
    name: 'bench-reference',
    data: { source: { type: 'mnist' }, split: { validation: 0, test: 0, seed: 1 } },
    tasks: [
      { id: 'digit', kind: 'multiclass', target: 'label', classes: 10, metrics: ['accuracy'] },
      { id: 'parity', kind: 'binary', target: 'parity', metrics: ['accuracy'] },
    ],
    model: {
      inputs: [{ id: 'image', shape: [784] }],
      layers: [
        { id: 'trunk1', type: 'dense', units: 128, activation: 'relu', from: ['image'] },
        { id: 'trunk2', type: 'dense', units: 64, activation: 'relu', from: ['trunk1'] },
        { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['trunk2'] },
        { id: 'parityHead', type: 'dense', units: 2, activation: 'softmax', from: ['trunk2'] },
      ],
      outputs: { digit: 'digitHead', parity: 'parityHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs, batchSize, seed: 42 },
    evaluation: { baselines: 'none' },
  };
}

export function randomDataset(n: number, seed = 3): Dataset {
  const rng = new SeededRandom(seed);
  const features = new Float32Array(n * 784);
  for (let i = 0; i < features.length; i++) features[i] = rng.next();
  const label = new Float32Array(n);
  for (let i = 0; i < n; i++) label[i] = rng.int(10);
  return {
    n, featureNames: Array.from({ length: 784 }, (_, i) => `p${i}`), features, featureShape: [784],
    targets: { label, parity: label.map((v) => v % 2) }, report: [],
  };
}
