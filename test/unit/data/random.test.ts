import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom, deriveSeed, mulberry32 } from '../../../src/core/random';

test('the same seed gives the same sequence; another seed a different one', () => {
  const a = new SeededRandom(42);
  const b = new SeededRandom(42);
  const c = new SeededRandom(43);
  const seqA = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(Array.from({ length: 20 }, () => b.next()), seqA);
  assert.notDeepEqual(Array.from({ length: 20 }, () => c.next()), seqA);
});

test('uniform values stay in [0, 1) and cover it evenly', () => {
  const next = mulberry32(7);
  const bins = new Array<number>(10).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const u = next();
    assert.ok(u >= 0 && u < 1);
    bins[Math.floor(u * 10)]!++;
  }
  for (const count of bins) assert.ok(count > 1800 && count < 2200, `bin count ${count}`);
});

test('normal() has the requested mean and standard deviation', () => {
  const rng = new SeededRandom(1);
  const xs = Array.from({ length: 20_000 }, () => rng.normal(3, 2));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  assert.ok(Math.abs(mean - 3) < 0.05, `mean ${mean}`);
  assert.ok(Math.abs(std - 2) < 0.05, `std ${std}`);
});

test('shuffle and permutation keep every element exactly once', () => {
  const rng = new SeededRandom(5);
  const p = rng.permutation(100);
  assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual(p, Array.from({ length: 100 }, (_, i) => i));
});

test('derived seeds differ by label and are stable', () => {
  assert.equal(deriveSeed(7, 'split'), deriveSeed(7, 'split'));
  assert.notEqual(deriveSeed(7, 'split'), deriveSeed(7, 'shuffle'));
  assert.notEqual(deriveSeed(7, 'split'), deriveSeed(8, 'split'));
});
