// The fused graph step's LSTM and GRU (src/trainer/graph/recurrentLayers.ts) train exactly like
// the tape's tfjs-layers layers: same starting weights and batches give the same weights after
// two epochs, each case under a learning rate that changes every step (or decays by epoch).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayerSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { closeIdleSession } from '../../../src/trainer/graph/sessionCache';
import { assertSameTraining } from './nativeEquivalence';
import { FLATTENED, GRU, GRU_RELU, STACKED, STACKED_GRU, recurrentData as data, recurrentSpec as spec } from './recurrentFixtures';

const SGD = { type: 'sgd' as const, learningRate: 0.1 };
const STEP_DECAY = { type: 'step' as const, stepEpochs: 1, gamma: 0.3 };
/** An LSTM of one time step: no recurrent product, so its recurrent kernel (weight 1) gets no gradient. */
const ONE_STEP: LayerSpec[] = [{ id: 'rnn', type: 'lstm', units: 5, from: ['seq'] }];
/** Stacked with sigmoid and elu: every activation's gradient from its output. */
const STACKED_SIGMOID_ELU: LayerSpec[] = [
  { id: 'rnn1', type: 'gru', units: 4, returnSequences: true, activation: 'sigmoid', from: ['seq'] },
  { id: 'rnn', type: 'lstm', units: 5, activation: 'elu', from: ['rnn1'] },
];

for (const [label, training, trunk, steps, still] of [
  ['LSTM (last state), SGD with momentum under SGDR', {}, undefined, 6],
  ['LSTM, plain SGD under a step decay', { optimizer: SGD, schedule: STEP_DECAY }, undefined, 6],
  // The first returns its whole sequence to the second: the gradient at an LSTM's input, and at every step's output.
  ['stacked LSTMs (the first returning sequences), Nesterov momentum under SGDR', { optimizer: { ...SGD, momentum: 0.9, nesterov: true } }, STACKED, 6],
  ['LSTM over one time step', {}, ONE_STEP, 1, [1]],
  ['LSTM with relu, its sequence flattened, plain SGD under a step decay', { optimizer: SGD, schedule: STEP_DECAY }, FLATTENED, 6],
  ['GRU (last state), SGD with momentum under SGDR', {}, GRU, 6],
  ['stacked GRUs (the first returning sequences), SGD with momentum under SGDR', {}, STACKED_GRU, 6],
  ['GRU with relu, plain SGD under a step decay', { optimizer: SGD, schedule: STEP_DECAY }, GRU_RELU, 6],
  ['a sigmoid GRU returning sequences into an elu LSTM', {}, STACKED_SIGMOID_ELU, 6],
] as const) {
  test(`fused graph and tape steps agree: ${label}`, { timeout: 120_000 }, async () => {
    await assertSameTraining(spec(training, trunk, steps), (n) => data(n, false, steps), 'fused graph', still ? [...still] : []);
  });
}

// The loop's second run on the same graph takes the session the first let go of
// (graph/sessionCache.ts): its `set` must leave nothing of the first run (weights, momentum).
test('a second run on the same graph reuses its session and trains as the first did', { timeout: 120_000 }, async () => {
  const { tf } = await loadBackend('tensorflow');
  const backend = tf.backend() as unknown as { loadSavedModelMetaGraph(dir: string, tags: string): number };
  const s = spec({}, undefined, 6);
  closeIdleSession();
  await assertSameTraining(s, (n) => data(n), 'fused graph');
  const load = backend.loadSavedModelMetaGraph;
  let loads = 0;
  backend.loadSavedModelMetaGraph = (dir, tags) => { loads++; return load.call(backend, dir, tags); };
  try {
    await assertSameTraining(s, (n) => data(n), 'fused graph');
  } finally {
    backend.loadSavedModelMetaGraph = load;
  }
  assert.equal(loads, 0);
});
