// The compiled step's LSTM and GRU (src/trainer/native/lstm.ts, gru.ts) train exactly like
// the tape's tfjs-layers layers: same starting weights and batches give the same weights after
// two epochs, each case under a learning rate that changes every step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../../src/trainer/backend';
import { makeHeads } from '../../../src/trainer/heads';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { assertSameTraining } from './nativeEquivalence';
import { FLATTENED, GRU, GRU_RELU, STACKED, STACKED_GRU, recurrentData as data, recurrentSpec as spec } from './recurrentFixtures';

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
