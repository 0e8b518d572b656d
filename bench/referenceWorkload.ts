// The digits-parity reference workload of the bench: 784-128-64 trunk, softmax heads of
// 10 and 2 classes, SGD 0.01, random data (the speed does not depend on the values).
import type { ExperimentSpec } from '../src/core/spec';
import { digitsParity } from '../test/fixtures/digitsParity';
import type { Dataset } from '../src/trainer/data/dataset';
import { SeededRandom } from '../src/core/random';

export function referenceSpec(batchSize: number, epochs: number): ExperimentSpec {
  const spec = digitsParity();
  return {
    ...spec,
    name: 'bench-reference',
    data: { source: { type: 'mnist' }, split: { validation: 0, test: 0, seed: 1 } },
    tasks: spec.tasks.map((t) => ({ ...t, metrics: ['accuracy'] })),
    // Parity as a two-class softmax head, as in the Keras script.
    model: { ...spec.model, layers: spec.model.layers.map((l) => (l.id === 'parityHead' ? { ...l, units: 2, activation: 'softmax' as const } : l)) },
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
