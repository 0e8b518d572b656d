// Why the training graphs sum with sumInOrder (graph/orderedSum.ts), not TensorFlow's AddN: AddN
// puts first the input whose buffer it may write into, so the order of its sum, and its last bit,
// follows whether another reader of an input has run yet. The numbers are chosen so that the two
// orders round apart; the check is to the bit (the two results are one float32 step apart,
// 1.19e-7, which a 1e-5 tolerance would not see), since that last bit is what made two identical
// trainings drift apart (graphGradientDeterminism.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { sumInOrder } from '../../../src/trainer/graph/orderedSum';
import { openSession } from '../../../src/trainer/graph/session';

const F = { type: 'float' as const };

// a = 1, b = 2^-24, c = 3 * 2^-26 (float32 has 23 bits after the point: 1's neighbours are 1 - 2^-24 and 1 + 2^-23).
// In order, (a + b) + c:
//   a + b = 1 + 2^-24, halfway between 1 and 1 + 2^-23: ties go to the even one, 1;
//   1 + c = 1 + 0.75 * 2^-24, less than halfway: 1.
// Last first, (c + b) + a:
//   c + b = 1.75 * 2^-24, exact;
//   1.75 * 2^-24 + 1 = 1 + 0.875 * 2^-23, more than halfway: 1 + 2^-23.
const A = 1, B = 2 ** -24, C = 3 * 2 ** -26;
const IN_ORDER = 1;
const LAST_FIRST = 1 + 2 ** -23;

/**
 * t0 = x * a, t1 = x * b, t2 = x * c (x fed as ones: each a buffer of its own), summed by `sum`;
 * t0 and t1 are read by a Neg too, before the sum runs or after it (control dependencies), or
 * whenever TensorFlow runs them ('free').
 */
async function sumOfThree(sum: 'AddN' | 'sumInOrder', readers: 'before' | 'after' | 'free'): Promise<number[]> {
  const { tf } = await loadBackend('tensorflow');
  const g = new GraphBuilder();
  const x = g.placeholder('x', [-1]);
  // Three constants of different values: TensorFlow's common subexpression elimination would join two equal products into one.
  const t = [A, B, C].map((v, i) => g.op('Mul', [x, g.constant(`c${i}`, { dtype: 'float', shape: [], values: [v] })], { T: F }, `t${i}`));
  const reader = (i: number, deps: string[]) => g.op('Neg', [t[i]!, ...deps], { T: F }, `reader${i}`);
  const first = readers === 'before' ? [0, 1].map((i) => reader(i, [])) : [];
  const total = sum === 'AddN' ? g.op('AddN', [...t, ...first.map((r) => `^${r}`)], { T: F, N: { i: 3 } }, 'sum') : sumInOrder(g, t, 'sum');
  const others = readers === 'after' ? [0, 1].map((i) => reader(i, [`^${total}`])) : readers === 'free' ? [0, 1].map((i) => reader(i, [])) : first;
  const out = g.op('Identity', [total, ...others.map((r) => `^${r}`)], { T: F }, 'out');
  const session = openSession(tf, g.savedModel(['serve']), 'off');
  try {
    const ones = tf.ones([4]);
    const [y] = session.run([{ name: 'x' }], [ones], [out]);
    const v = Array.from(y!.dataSync());
    tf.dispose([ones, y!]);
    return v;
  } finally {
    session.dispose();
  }
}

test('TensorFlow\'s AddN sums its inputs in an order that follows whether their other readers have run: (a + b) + c, or (c + b) + a', async () => {
  // Readers done: t0's buffer is free, AddN writes into it and keeps the order.
  assert.deepEqual(await sumOfThree('AddN', 'before'), [IN_ORDER, IN_ORDER, IN_ORDER, IN_ORDER]);
  // Readers still to run: t0 and t1 are held, AddN writes into t2 and puts it first.
  assert.deepEqual(await sumOfThree('AddN', 'after'), [LAST_FIRST, LAST_FIRST, LAST_FIRST, LAST_FIRST]);
});

test('sumInOrder sums (a + b) + c where AddN sums (c + b) + a (its inputs\' other readers run after it), and when TensorFlow orders the readers', async () => {
  assert.deepEqual(await sumOfThree('sumInOrder', 'after'), [IN_ORDER, IN_ORDER, IN_ORDER, IN_ORDER]);
  assert.deepEqual(await sumOfThree('sumInOrder', 'free'), [IN_ORDER, IN_ORDER, IN_ORDER, IN_ORDER]);
});

test('sumInOrder: one input is itself, two an add, four their sum in order; no input is an error', async () => {
  const { tf } = await loadBackend('tensorflow');
  const g = new GraphBuilder();
  const xs = [0, 1, 2, 3].map((i) => g.placeholder(`x${i}`, [-1]));
  assert.equal(sumInOrder(g, [xs[0]!], 'one'), xs[0]);
  const two = sumInOrder(g, xs.slice(0, 2), 'two');
  const four = sumInOrder(g, xs, 'four');
  assert.throws(() => sumInOrder(g, [], 'none'), /sumInOrder none: nothing to sum/);
  const session = openSession(tf, g.savedModel(['serve']), 'off');
  try {
    // [1, 2] + [10, 20] = [11, 22]; + [100, 200] = [111, 222]; + [1000, 2000] = [1111, 2222].
    const values = [[1, 2], [10, 20], [100, 200], [1000, 2000]].map((v) => tf.tensor1d(v));
    const out = session.run(xs.map((name) => ({ name })), values, [two, four]);
    assert.deepEqual(out.map((t) => Array.from(t.dataSync())), [[11, 22], [1111, 2222]]);
    tf.dispose([...values, ...out]);
  } finally {
    session.dispose();
  }
});
