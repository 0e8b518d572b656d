import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learningRateAt, learningRateCurve, sgdrPosition } from '../../../src/core/schedule';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-12, msg ?? `${a} != ${b}`);

test('SGDR follows Loshchilov & Hutter: eta_min + (eta_max - eta_min)(1 + cos(pi T_cur / T_i)) / 2', () => {
  const s = { type: 'sgdr' as const, t0: 2, tMult: 2, minLearningRate: 0.001 };
  const formula = (tCur: number, ti: number) => 0.001 + (0.1 - 0.001) * (1 + Math.cos((Math.PI * tCur) / ti)) / 2;
  // Periods: [0,2), [2,6), [6,14)
  close(learningRateAt(s, 0.1, 0, 14), 0.1);
  close(learningRateAt(s, 0.1, 1, 14), formula(1, 2));
  close(learningRateAt(s, 0.1, 2, 14), 0.1, 'restart at the end of the first period');
  close(learningRateAt(s, 0.1, 3, 14), formula(1, 4));
  close(learningRateAt(s, 0.1, 5.5, 14), formula(3.5, 4));
  close(learningRateAt(s, 0.1, 6, 14), 0.1, 'second restart');
  close(learningRateAt(s, 0.1, 10, 14), formula(4, 8));
  assert.deepEqual(sgdrPosition(7, 2, 2), { cycle: 2, tCur: 1, period: 8 });
  // tMult 1: equal periods
  close(learningRateAt({ type: 'sgdr', t0: 3 }, 1, 4.5, 9), (1 + Math.cos(Math.PI * 1.5 / 3)) / 2);
});

test('step, exponential, cosine and warm-up', () => {
  close(learningRateAt({ type: 'step', stepEpochs: 3, gamma: 0.5 }, 0.2, 2.9, 10), 0.2);
  close(learningRateAt({ type: 'step', stepEpochs: 3, gamma: 0.5 }, 0.2, 3, 10), 0.1);
  close(learningRateAt({ type: 'step', stepEpochs: 3, gamma: 0.5 }, 0.2, 7, 10), 0.05);
  close(learningRateAt({ type: 'exponential', gamma: 0.9 }, 1, 2, 10), 0.81);
  close(learningRateAt({ type: 'cosine' }, 1, 5, 10), 0.5);
  close(learningRateAt({ type: 'cosine', minLearningRate: 0.1 }, 1, 10, 10), 0.1);
  // Linear warm-up over 2 epochs, then cosine over the remaining 8.
  close(learningRateAt({ type: 'cosine', warmupEpochs: 2 }, 1, 1, 10), 0.5);
  close(learningRateAt({ type: 'cosine', warmupEpochs: 2 }, 1, 2, 10), 1);
  close(learningRateAt({ type: 'cosine', warmupEpochs: 2 }, 1, 6, 10), 0.5);
  assert.ok(learningRateAt({ type: 'constant', warmupEpochs: 1 }, 1, 0, 5) > 0, 'the first step does not use a zero rate');
  assert.equal(learningRateAt(undefined, 0.3, 4, 5), 0.3);
});

test('the preview curve samples the whole run', () => {
  const c = learningRateCurve({ type: 'sgdr', t0: 1, tMult: 2 }, 0.1, 7, 10);
  assert.equal(c.length, 70);
  assert.equal(c[0]![1], 0.1);
  const restarts = c.filter(([, lr], i) => i > 0 && lr > c[i - 1]![1]).map(([t]) => t);
  assert.deepEqual(restarts, [1, 3]);
});
