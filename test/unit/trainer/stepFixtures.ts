// The network and data that the compiled steps (native, wasm, fused graph) are checked against
// the tape on: two inputs, a concatenation, an addition, every activation the steps cover, L2 on
// one layer, and softmax, sigmoid and MSE heads; three tasks over 15 random features.
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import type { Dataset } from '../../../src/trainer/data/dataset';

/** `namedFeatures`: each input picks its columns by name (else an input reads the first features). */
/** The equivalence tests' three tasks (a fresh copy each call): classes, a binary label and a weighted regression. */
export const equivalenceTasks = (): ExperimentSpec['tasks'] => [
  { id: 'cls', kind: 'multiclass', target: 'c', classes: 4 },
  { id: 'bin', kind: 'binary', target: 'b' },
  { id: 'reg', kind: 'regression', target: 'r', weight: 0.5 },
];

export function equivalenceSpec(name: string, training: Partial<ExperimentSpec['training']>, o: { namedFeatures?: boolean } = {}): ExperimentSpec {
  const x = o.namedFeatures ? { features: Array.from({ length: 12 }, (_, i) => `f${i}`) } : {};
  const z = o.namedFeatures ? { features: ['f12', 'f13', 'f14'] } : {};
  return {
    name,
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: equivalenceTasks(),
    model: {
      inputs: [{ id: 'x', shape: [12], ...x }, { id: 'z', shape: [3], ...z }],
      layers: [
        { id: 'a', type: 'dense', units: 16, activation: 'relu', from: ['x'] },
        { id: 'b', type: 'dense', units: 8, activation: 'tanh', from: ['z'] },
        { id: 'cat', type: 'concatenate', from: ['a', 'b'] },
        { id: 'trunk', type: 'dense', units: 16, activation: 'elu', from: ['cat'], l2: 0.01 },
        { id: 'side', type: 'dense', units: 16, activation: 'sigmoid', from: ['cat'] },
        { id: 'sum', type: 'add', from: ['trunk', 'side'] },
        { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['sum'] },
        { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['sum'] },
        { id: 'regHead', type: 'dense', units: 1, from: ['trunk'] },
      ],
      outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.05 }, epochs: 2, batchSize: 16, seed: 5, weighting: { method: 'static' }, ...training },
  };
}

/** `partial`: some rows of each task unlabelled (NaN), the regression task labelled on 1 row in 10. */
export function equivalenceData(n: number, o: { partial?: boolean; seed?: number } = {}): Dataset {
  const rng = new SeededRandom(o.seed ?? 9);
  const features = Float32Array.from({ length: n * 15 }, () => rng.normal());
  const c = Float32Array.from({ length: n }, () => rng.int(4));
  const targets = { c, b: c.map((v) => (v > 1 ? 1 : 0)), r: Float32Array.from({ length: n }, (_, i) => features[i * 15]! * 2 + rng.normal(0, 0.1)) };
  if (o.partial) {
    targets.c = targets.c.map((v, i) => (i % 3 === 0 ? NaN : v));
    targets.b = targets.b.map((v, i) => (i % 4 === 1 ? NaN : v));
    targets.r = targets.r.map((v, i) => (i % 10 === 0 ? v : NaN)); // 10 labelled rows: some batches have none
  }
  return { n, featureNames: Array.from({ length: 15 }, (_, i) => `f${i}`), features, featureShape: [15], targets, report: [] };
}

/** The spec with dropout after an input's first layer (before a concatenation) and before two heads. */
export function withDropout(s: ExperimentSpec): ExperimentSpec {
  const layers = s.model.layers.flatMap((l) => {
    if (l.id === 'a') return [l, { id: 'dropA', type: 'dropout' as const, rate: 0.3, from: ['a'] }];
    if (l.id === 'sum') return [l, { id: 'dropSum', type: 'dropout' as const, rate: 0.5, from: ['sum'] }];
    if (l.id === 'cat') return [{ ...l, from: ['dropA', 'b'] }];
    if (l.id === 'clsHead' || l.id === 'binHead') return [{ ...l, from: ['dropSum'] }];
    return [l];
  });
  return { ...s, model: { ...s.model, layers } };
}

/**
 * The cases every compiled step (native, wasm) is checked on against the tape: a label, the training
 * settings, whether labels are partial (each target missing in some rows).
 */
export const SGD_CASES = [
  ['plain SGD with L2 and static weights', {}, false],
  ['SGD with momentum', { optimizer: { type: 'sgd' as const, learningRate: 0.02, momentum: 0.9 } }, false],
  // The rate changes every step (half an epoch of warm-up, then SGDR with a restart at 1.5
  // epochs): a step that folds the rate into the velocity drifts from one that does not.
  ['SGD with momentum under warm-up and SGDR restarts', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9 },
    schedule: { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 } }, false],
  ['plain SGD under a step decay', { schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } }, false],
  ['partial labels (masked losses)', {}, true],
] as const;
