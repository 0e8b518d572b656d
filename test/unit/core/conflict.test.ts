// Gradient-conflict formulas (core/conflict.ts) against hand-worked values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ConflictTally, WHOLE_TRUNK, conflictEvery, conflictMetric, conflictSentence, pairOf, pairTask, pairValues, parseConflictMetric, sumGramians,
} from '../../../src/core/conflict';

const close = (a: number, b: number, what = '') => assert.ok(Math.abs(a - b) <= 1e-5, `${what} ${a} vs ${b}`);

test('cosine and magnitude ratio from a Gramian: g_a = [3, 4], g_b = [4, -3] (orthogonal), g_c = [-6, -8] (opposite to a, twice as long)', () => {
  // G = [[25, 0, -50], [0, 25, 0], [-50, 0, 100]] by hand from the three vectors.
  const v = pairValues([[25, 0, -50], [0, 25, 0], [-50, 0, 100]], ['a', 'b', 'c']);
  assert.deepEqual(v.map((p) => pairTask(p.a, p.b)), ['a|b', 'a|c', 'b|c']);
  close(v[0]!.cosine, 0, 'a|b cosine');
  close(v[0]!.ratio, 1, 'a|b ratio');
  close(v[1]!.cosine, -1, 'a|c cosine');
  close(v[1]!.ratio, 0.5, 'a|c ratio: 5 / 10');
  close(v[2]!.cosine, 0, 'b|c cosine');
  close(v[2]!.ratio, 0.5, 'b|c ratio');
});

test('a task with a zero gradient (no labelled row in the batch) gives its pairs no value, rather than NaN', () => {
  assert.deepEqual(pairValues([[4, 0], [0, 0]], ['a', 'b']), []);
});

test('a pair whose Gramian entries are not finite (a diverging run) gives no value, rather than NaN', () => {
  // a|b: G_aa = Infinity, so cos = G_ab / sqrt(Infinity * 4) would be NaN or 0 by accident: left out.
  // a|c: G_ac = NaN: left out. b|c: cos = -2 / sqrt(4 * 1) = -1, ratio = sqrt(4 / 1) = 2.
  const v = pairValues([[Infinity, 1, NaN], [1, 4, -2], [NaN, -2, 1]], ['a', 'b', 'c']);
  assert.deepEqual(v.map((p) => pairTask(p.a, p.b)), ['b|c']);
  close(v[0]!.cosine, -1, 'b|c cosine');
  close(v[0]!.ratio, 2, 'b|c ratio');
});

test('the whole trunk\'s Gramian is the sum of its blocks\': cosine of [1, 0 | 1, 1] and [1, 0 | -1, -1] is (1 - 2) / 3', () => {
  // Block 1: g_a = [1, 0], g_b = [1, 0]; block 2: g_a = [1, 1], g_b = [-1, -1].
  const whole = sumGramians([[[1, 1], [1, 1]], [[2, -2], [-2, 2]]]);
  assert.deepEqual(whole, [[3, -1], [-1, 3]]);
  close(pairValues(whole, ['a', 'b'])[0]!.cosine, -1 / 3);
});

test('the tally counts conflicts per pair and block and names the block where they were most frequent', () => {
  const tally = new ConflictTally(10);
  const at = (whole: number, t1: number, t2: number) => new Map([
    [WHOLE_TRUNK, [{ a: 'digit', b: 'parity', cosine: whole, ratio: 1 }]],
    ['trunk1', [{ a: 'digit', b: 'parity', cosine: t1, ratio: 1 }]],
    ['trunk2', [{ a: 'digit', b: 'parity', cosine: t2, ratio: 1 }]],
  ]);
  tally.add(1, at(0.5, 0.4, -0.1));
  tally.add(1, at(-0.2, 0.1, -0.3));
  tally.add(2, at(0.3, -0.2, 0.2));
  tally.add(2, at(0.1, 0.3, -0.4));
  const s = tally.summary();
  assert.equal(s.measurements, 4);
  const p = s.pairs[0]!;
  assert.deepEqual([p.measured, p.conflicts], [4, 1]);
  close(p.meanCosine, 0.175);
  assert.deepEqual([p.blocks.trunk1!.conflicts, p.blocks.trunk2!.conflicts], [1, 3]);
  assert.deepEqual(p.epochs.map(([e]) => e), [1, 2]);
  close(p.epochs[0]![1], 0.15);
  close(p.epochs[1]![1], 0.2);
  assert.equal(conflictSentence(p), 'digit and parity conflicted in 25 % of 4 measured steps, mostly in trunk2 (mean cosine 0.17).');
});

test('one measured step reads in the singular', () => {
  const tally = new ConflictTally(1);
  tally.add(1, new Map([[WHOLE_TRUNK, [{ a: 'digit', b: 'parity', cosine: 0.2, ratio: 1 }]]]));
  assert.equal(conflictSentence(tally.summary().pairs[0]!), 'digit and parity never conflicted in 1 measured step (mean cosine 0.20).');
});

test('metric names: one home for the pair and block separators', () => {
  assert.equal(conflictMetric('cosine', WHOLE_TRUNK), 'cosine');
  assert.equal(conflictMetric('ratio', 'trunk2'), 'ratio@trunk2');
  assert.deepEqual(parseConflictMetric('cosine@trunk2'), { measure: 'cosine', block: 'trunk2' });
  assert.deepEqual(parseConflictMetric('ratio'), { measure: 'ratio', block: WHOLE_TRUNK });
  assert.equal(parseConflictMetric('loss'), undefined);
  assert.deepEqual(pairOf(pairTask('digit', 'parity')), ['digit', 'parity']);
  assert.equal(pairOf('digit'), undefined);
});

test('the interval: on by default, every: 0 turns it off', () => {
  assert.equal(conflictEvery(undefined), 200);
  assert.equal(conflictEvery({ every: 7 }), 7);
  assert.equal(conflictEvery({ every: 0 }), undefined);
});
