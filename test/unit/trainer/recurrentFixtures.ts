// The recurrent network and sequences that the compiled steps (native/lstm.ts, gru.ts and the
// fused graph's recurrentLayers.ts) are checked against the tape on: an LSTM or GRU trunk
// (variants below), a dense layer, softmax, sigmoid and MSE heads over sequences of 6 steps of 3 values.
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { equivalenceTasks } from './stepFixtures';

/** Sequences of 6 steps of 3 values, flat in the data. */
const STEPS = 6;
const FEATURES = 3;
const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };

/** An LSTM over the sequence (its last state) -> dense -> three heads; `trunk` replaces the LSTM, `steps` the sequences' 6 steps. */
export function recurrentSpec(training: Partial<ExperimentSpec['training']>, trunk?: readonly LayerSpec[], steps = STEPS): ExperimentSpec {
  return {
    name: 'lstm-equivalence',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: equivalenceTasks(),
    model: {
      inputs: [{ id: 'seq', shape: [steps, FEATURES] }],
      layers: [
        ...(trunk ?? [{ id: 'rnn', type: 'lstm', units: 5, from: ['seq'] }]),
        { id: 'shared', type: 'dense', units: 8, activation: 'relu', from: ['rnn'] },
        { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['shared'] },
        { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['shared'] },
        { id: 'regHead', type: 'dense', units: 1, from: ['rnn'] },
      ],
      outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 }, schedule: SGDR, epochs: 2, batchSize: 16, seed: 5, weighting: { method: 'static' }, ...training },
  };
}

/** `partial`: the regression target on one row in ten only (some batches have none). */
export function recurrentData(n: number, partial = false, steps = STEPS): Dataset {
  const size = steps * FEATURES;
  const rng = new SeededRandom(9);
  // Values up to +-6: some gate inputs pass the hard sigmoid's clip at +-2.5, so both of its branches run.
  const features = Float32Array.from({ length: n * size }, () => rng.normal(0, 2));
  const c = Float32Array.from({ length: n }, () => rng.int(4));
  const r = Float32Array.from({ length: n }, (_, i) => (partial && i % 10 !== 0 ? NaN : features[i * size]! + rng.normal(0, 0.1)));
  return { n, featureNames: Array.from({ length: size }, (_, i) => `v${i}`), features, featureShape: [steps, FEATURES], targets: { c, b: c.map((v) => (v > 1 ? 1 : 0)), r }, report: [] };
}

export const STACKED: LayerSpec[] = [{ id: 'rnn1', type: 'lstm', units: 4, returnSequences: true, from: ['seq'] }, { id: 'rnn', type: 'lstm', units: 5, from: ['rnn1'] }];
export const GRU: LayerSpec[] = [{ id: 'rnn', type: 'gru', units: 5, from: ['seq'] }];
export const GRU_RELU: LayerSpec[] = [{ id: 'rnn', type: 'gru', units: 5, activation: 'relu', from: ['seq'] }];
export const STACKED_GRU: LayerSpec[] = [{ id: 'rnn1', type: 'gru', units: 4, returnSequences: true, from: ['seq'] }, { id: 'rnn', type: 'gru', units: 5, from: ['rnn1'] }];
export const FLATTENED: LayerSpec[] = [{ id: 'rnn1', type: 'lstm', units: 4, returnSequences: true, activation: 'relu', from: ['seq'] }, { id: 'rnn', type: 'flatten', from: ['rnn1'] }];
