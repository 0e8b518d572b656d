// The bench's workloads: each one network, one optimizer and random data of its shape (the
// speed does not depend on the values), trained the same way by our trainer, Keras
// (bench/keras_reference.py) and PyTorch (bench/torch_reference.py). The Python scripts build
// the same networks by workload id; a change of a size here is a change there too.
import type { ExperimentSpec, LayerSpec } from '../src/core/spec';
import type { Dataset } from '../src/trainer/data/dataset';
import { SeededRandom } from '../src/core/random';
import { randomDataset, referenceSpec } from './referenceWorkload';

export type WorkloadId = 'dense' | 'dense-adam' | 'dense-dropout' | 'cnn' | 'lstm';

export interface Workload {
  id: WorkloadId;
  /** One line: the network, the optimizer, the data. */
  title: string;
  spec(batchSize: number, epochs: number): ExperimentSpec;
  data(n: number, seed?: number): Dataset;
  /** Samples per epoch and epochs of a timed run. */
  samples: number;
  epochs: number;
  /**
   * Batches trained before the clock starts (Keras traces its step function, we compile ours).
   * 0 for the dense reference: its figures include the start, as they always have.
   */
  warmupBatches: number;
}

/** LSTM workload's sequences: 20 time steps of 8 values. */
export const SEQUENCE = { steps: 20, features: 8 } as const;
/** The multimnist-cnn example's images. */
const IMAGE = [36, 36, 1] as const;

function withOptimizer(spec: ExperimentSpec, optimizer: ExperimentSpec['training']['optimizer']): ExperimentSpec {
  return { ...spec, training: { ...spec.training, optimizer } };
}

/**
 * No gradient-conflict measurement in a timed run, on every workload: the Keras and PyTorch loops
 * have no such work (an idiomatic loop does not measure it), and its cost at its default interval
 * is printed on its own (`conflictCostAtDefault`, `npm run bench:conflict`). Until 2026-12-01 the
 * dense workloads measured it in our clock alone (about 40-75 ms of a 0.6-0.8 s run at batch 256:
 * its first run).
 */
function withoutConflict(spec: ExperimentSpec): ExperimentSpec {
  return { ...spec, evaluation: { ...spec.evaluation, conflict: { every: 0 } } };
}

/** A workload's spec measuring gradient conflict at its default interval, as a user's run does: for the probes that price it. */
export function withConflict(spec: ExperimentSpec): ExperimentSpec {
  const { conflict: _off, ...evaluation } = spec.evaluation ?? {};
  return { ...spec, evaluation };
}

function dropoutSpec(batch: number, epochs: number): ExperimentSpec {
  const s = withoutConflict(referenceSpec(batch, epochs));
  // trunk1 -> drop1 -> trunk2 -> drop2 -> heads
  const layers: LayerSpec[] = [];
  for (const l of s.model.layers) {
    if (l.id === 'trunk2') layers.push({ ...l, from: ['drop1'] });
    else if (l.id.endsWith('Head')) layers.push({ ...l, from: ['drop2'] });
    else layers.push(l);
    if (l.id === 'trunk1' || l.id === 'trunk2') layers.push({ id: l.id === 'trunk1' ? 'drop1' : 'drop2', type: 'dropout', rate: 0.2, from: [l.id] });
  }
  return { ...s, name: 'bench-dense-dropout', model: { ...s.model, layers } };
}

/** The multimnist-cnn example's network (two digits, a head each), Adam 0.001 at a constant rate. */
function cnnSpec(batch: number, epochs: number): ExperimentSpec {
  const dense = (id: string, units: number, from: string, activation: 'relu' | 'softmax'): LayerSpec => ({ id, type: 'dense', units, activation, from: [from] });
  // No gradient-conflict measurement (withoutConflict): on this network one costs about 0.57 s of
  // CPU at batch 256 (bench/graphConvProbe.ts), half of a timed run of 8 steps, where a real run
  // measures once in 200 steps.
  return withoutConflict({
    name: 'bench-cnn',
    data: { source: { type: 'multimnist' }, split: { validation: 0, test: 0, seed: 1 } },
    tasks: [
      { id: 'left', kind: 'multiclass', target: 'left', classes: 10, metrics: ['accuracy'] },
      { id: 'right', kind: 'multiclass', target: 'right', classes: 10, metrics: ['accuracy'] },
    ],
    model: {
      inputs: [{ id: 'image', shape: [...IMAGE] }],
      layers: [
        { id: 'conv1', type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu', from: ['image'] },
        { id: 'pool1', type: 'maxPooling2d', poolSize: 2, from: ['conv1'] },
        { id: 'conv2', type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu', from: ['pool1'] },
        { id: 'pool2', type: 'maxPooling2d', poolSize: 2, from: ['conv2'] },
        { id: 'flat', type: 'flatten', from: ['pool2'] },
        dense('shared', 128, 'flat', 'relu'),
        dense('leftHidden', 64, 'shared', 'relu'), dense('leftHead', 10, 'leftHidden', 'softmax'),
        dense('rightHidden', 64, 'shared', 'relu'), dense('rightHead', 10, 'rightHidden', 'softmax'),
      ],
      outputs: { left: 'leftHead', right: 'rightHead' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.001, epsilon: 1e-7 }, epochs, batchSize: batch, seed: 42 },
    evaluation: { baselines: 'none' },
  });
}

/**
 * Two tasks on one shared LSTM (64 units, the same weights at every time step): a 10-class
 * label and its parity (a two-class softmax, as in the dense workload), on random sequences of
 * 8 values per step made here (the product's synthetic-sequence source, one value per step, is
 * what the sequence-lstm example trains on; the bench keeps its wider steps comparable over time).
 */
function lstmSpec(batch: number, epochs: number): ExperimentSpec {
  // No gradient-conflict measurement (withoutConflict), as in the CNN workload: one runs the tape
  // through the LSTM per task, about 0.33 s of CPU (bench/recurrentStepProbe.ts), a third of a timed run.
  return withoutConflict({
    name: 'bench-lstm',
    data: { source: { type: 'mnist' }, split: { validation: 0, test: 0, seed: 1 } },
    tasks: [
      { id: 'digit', kind: 'multiclass', target: 'label', classes: 10, metrics: ['accuracy'] },
      { id: 'parity', kind: 'binary', target: 'parity', metrics: ['accuracy'] },
    ],
    model: {
      inputs: [{ id: 'sequence', shape: [SEQUENCE.steps, SEQUENCE.features] }],
      layers: [
        { id: 'lstm', type: 'lstm', units: 64, from: ['sequence'] },
        { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['lstm'] },
        { id: 'parityHead', type: 'dense', units: 2, activation: 'softmax', from: ['lstm'] },
      ],
      outputs: { digit: 'digitHead', parity: 'parityHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs, batchSize: batch, seed: 42 },
    evaluation: { baselines: 'none' },
  });
}

/** Random values in [0, 1) of the given example shape, and the targets of every workload. */
function randomShaped(shape: readonly number[], n: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const features = new Float32Array(n * size);
  for (let i = 0; i < features.length; i++) features[i] = rng.next();
  const label = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) { label[i] = rng.int(10); right[i] = rng.int(10); }
  return {
    n, featureNames: Array.from({ length: size }, (_, i) => `v${i}`), features, featureShape: [...shape],
    targets: { label, parity: label.map((v) => v % 2), left: label, right }, report: [],
  };
}

export const WORKLOADS: readonly Workload[] = [
  { id: 'dense', title: '784-128-64 trunk, heads 10 + 2 classes, SGD 0.01', spec: (b, e) => withoutConflict(referenceSpec(b, e)), data: randomDataset, samples: 20_000, epochs: 3, warmupBatches: 0 },
  { id: 'dense-adam', title: 'the dense workload with Adam 0.001', spec: (b, e) => withOptimizer(withoutConflict(referenceSpec(b, e)), { type: 'adam', learningRate: 0.001, epsilon: 1e-7 }),
    data: randomDataset, samples: 20_000, epochs: 1, warmupBatches: 8 },
  { id: 'dense-dropout', title: 'the dense workload with dropout 0.2 after each trunk layer, SGD 0.01', spec: dropoutSpec, data: randomDataset, samples: 20_000, epochs: 1, warmupBatches: 8 },
  { id: 'cnn', title: 'multimnist-cnn network: conv5x5x16, pool, conv3x3x32, pool, dense 128, two heads 64-10; Adam 0.001; 36x36x1 random images', spec: cnnSpec,
    data: (n, seed = 3) => randomShaped(IMAGE, n, seed), samples: 2_048, epochs: 1, warmupBatches: 4 },
  { id: 'lstm', title: `LSTM 64 over ${SEQUENCE.steps} steps x ${SEQUENCE.features} values, heads 10 + 2 classes, SGD 0.01; random sequences`, spec: lstmSpec,
    data: (n, seed = 3) => randomShaped([SEQUENCE.steps, SEQUENCE.features], n, seed), samples: 2_048, epochs: 1, warmupBatches: 4 },
];

export function workload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload ${id} (known: ${WORKLOADS.map((x) => x.id).join(', ')})`);
  return w;
}
