// The convolutional network and images the compiled steps' conv layers are checked against the
// tape on (nativeConvStep.test.ts for the eager step, graphConvStep.test.ts for the fused graph).
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';
import type { Dataset } from '../../../src/trainer/data/dataset';

/** Images of 8x8 pixels and 2 channels, flat in the data. */
export const PIXELS = 8 * 8 * 2;
export const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };

/**
 * A conv trunk on an 8x8x2 image: conv "same" 3x3 relu -> max pool 2 -> conv "valid" 2x3,
 * strides [1, 2], tanh, L2 -> flatten -> dense; three heads. `edit` swaps layers for a case.
 */
export function convSpec(training: Partial<ExperimentSpec['training']>, edit: (layers: LayerSpec[]) => LayerSpec[] = (l) => l): ExperimentSpec {
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
export function convData(n: number, partial = false): Dataset {
  const rng = new SeededRandom(9);
  const features = Float32Array.from({ length: n * PIXELS }, () => rng.normal());
  const c = Float32Array.from({ length: n }, () => rng.int(4));
  const r = Float32Array.from({ length: n }, (_, i) => (partial && i % 10 !== 0 ? NaN : features[i * PIXELS]! * 2 + rng.normal(0, 0.1)));
  return { n, featureNames: Array.from({ length: PIXELS }, (_, i) => `p${i}`), features, featureShape: [8, 8, 2], targets: { c, b: c.map((v) => (v > 1 ? 1 : 0)), r }, report: [] };
}

export const swap = (id: string, by: LayerSpec | LayerSpec[]) => (layers: LayerSpec[]) => layers.flatMap((l) => (l.id === id ? by : [l]));

/** The case's spec; the reshape case reads the image flat. */
export const flatWhenReshaped = (s: ExperimentSpec): ExperimentSpec =>
  (s.model.layers[0]!.type === 'reshape' ? { ...s, model: { ...s.model, inputs: [{ id: 'img', shape: [PIXELS] }] } } : s);
