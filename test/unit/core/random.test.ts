// fillSymmetric: GradDrop's many draws per step come from the project's one generator
// (mulberry32), two 16-bit numbers U from each of its 32-bit outputs, given as V = 1 - 2U.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillSymmetric, mulberry32 } from '../../../src/core/random';

test('fillSymmetric gives 1 - 2U for mulberry32\'s stream from the seed, each output cut into two 16-bit numbers U (high half first): exact, in (-1, 1]', () => {
  for (const seed of [0, 1, 123456789, 2 ** 32 - 1]) {
    const next = mulberry32(seed);
    const out = fillSymmetric(new Float32Array(1001), seed);
    for (let i = 0; i < out.length; i += 2) {
      const bits = Math.floor(next() * 2 ** 32);
      assert.equal(out[i], 1 - 2 * (Math.floor(bits / 2 ** 16) / 2 ** 16), `seed ${seed}, draw ${i}`);
      if (i + 1 < out.length) assert.equal(out[i + 1], 1 - 2 * ((bits % 2 ** 16) / 2 ** 16), `seed ${seed}, draw ${i + 1}`);
    }
    out.forEach((v) => assert.ok(v > -1 && v <= 1));
  }
  // U uniform: the mean of 10^5 draws V is 0 within 5 standard deviations (sqrt(1/3 / 10^5) < 0.002).
  const many = fillSymmetric(new Float32Array(100_000), 42);
  assert.ok(Math.abs(many.reduce((a, v) => a + v, 0) / many.length) < 0.01);
});
