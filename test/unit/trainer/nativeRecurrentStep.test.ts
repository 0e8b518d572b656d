// The compiled step's LSTM and GRU (src/trainer/native/lstm.ts, gru.ts) train exactly like
// the tape's tfjs-layers layers: same starting weights and batches give the same weights after
// two epochs, each case under a learning rate that changes every step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { makeHeads } from '../../../src/trainer/heads';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { assertSameTraining } from './nativeEquivalence';

/** Sequences of 6 steps of 3 values, flat in the data. */
const STEPS = 6;
const FEATURES = 3;
const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };

/** An LSTM over the sequence (its last state) -> dense -> three heads; `layers` replaces the trunk. */
function spec(training: Partial<ExperimentSpec['training']>, trunk?: LayerSpec[]): ExperimentSpec {
  return {
    name: 'lstm-equivalence',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 4 },
      { id: 'bin', kind: 'binary', target: 'b' },
      { id: 'reg', kind: 'regression', target: 'r', weight: 0.5 },
    ],
    model: {
      inputs: [{ id: 'seq', shape: [STEPS, FEATURES] }],
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
function data(n: number, partial = false): Dataset {
  const size = STEPS * FEATURES;
  const rng = new SeededRandom(9);
  // Values up to +-6: some gate inputs pass the hard sigmoid's clip at +-2.5, so both of its branches run.
  const features = Float32Array.from({ length: n * size }, () => rng.normal(0, 2));
  const c = Float32Array.from({ length: n }, () => rng.int(4));
  const r = Float32Array.from({ length: n }, (_, i) => (partial && i % 10 !== 0 ? NaN : features[i * size]! + rng.normal(0, 0.1)));
  return { n, featureNames: Array.from({ length: size }, (_, i) => `v${i}`), features, featureShape: [STEPS, FEATURES], targets: { c, b: c.map((v) => (v > 1 ? 1 : 0)), r }, report: [] };
}

const STACKED: LayerSpec[] = [{ id: 'rnn1', type: 'lstm', units: 4, returnSequences: true, from: ['seq'] }, { id: 'rnn', type: 'lstm', units: 5, from: ['rnn1'] }];
const GRU: LayerSpec[] = [{ id: 'rnn', type: 'gru', units: 5, from: ['seq'] }];
const GRU_RELU: LayerSpec[] = [{ id: 'rnn', type: 'gru', units: 5, activation: 'relu', from: ['seq'] }];
const STACKED_GRU: LayerSpec[] = [{ id: 'rnn1', type: 'gru', units: 4, returnSequences: true, from: ['seq'] }, { id: 'rnn', type: 'gru', units: 5, from: ['rnn1'] }];
const FLATTENED: LayerSpec[] = [{ id: 'rnn1', type: 'lstm', units: 4, returnSequences: true, activation: 'relu', from: ['seq'] }, { id: 'rnn', type: 'flatten', from: ['rnn1'] }];

for (const [label, training, trunk, partial] of [
  ['LSTM (last state), SGD with momentum under SGDR', {}, undefined, false],
  ['LSTM under a step decay, plain SGD, partial labels', { optimizer: { type: 'sgd' as const, learningRate: 0.1 }, schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } }, undefined, true],
  // The first returns its whole sequence to the second: the gradient at an LSTM's input, and at every step's output.
  ['stacked LSTMs (the first returning sequences), Adam under SGDR', { optimizer: { type: 'adam' as const, learningRate: 0.01 } }, STACKED, false],
  ['LSTM with relu, its sequence flattened, RMSProp with clipping under SGDR', { optimizer: { type: 'rmsprop' as const, learningRate: 0.005 }, clipNorm: 0.5 }, FLATTENED, false],
  ['LSTM trunk with PCGrad on the parameters', { weighting: { method: 'pcgrad' as const } }, undefined, false],
  ['GRU (last state), SGD with momentum under SGDR', {}, GRU, false],
  ['stacked GRUs (the first returning sequences), Adam under SGDR', { optimizer: { type: 'adam' as const, learningRate: 0.01 } }, STACKED_GRU, false],
  ['GRU with relu under a step decay, plain SGD, partial labels', { optimizer: { type: 'sgd' as const, learningRate: 0.1 }, schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } },
    GRU_RELU, true],
] as const) {
  test(`native and tape steps agree: ${label}`, { timeout: 120_000 }, async () => {
    await assertSameTraining(spec(training, trunk), (n) => data(n, partial));
  });
}

test('an LSTM with an activation the compiled step lacks falls back to the tape and says why', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec({}, [{ id: 'rnn', type: 'lstm', units: 5, activation: 'softsign', from: ['seq'] }]);
  assert.match(nativeStepUnsupported(s, makeHeads(tf, s)) ?? '', /activation softsign in rnn/);
});
