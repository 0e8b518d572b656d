// fillUniform: GradDrop's many draws per step come from the project's one generator
// (mulberry32), two 16-bit numbers from each of its 32-bit outputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillUniform, mulberry32 } from '../../../src/core/random';

test('fillUniform gives mulberry32\'s stream from the seed, each output cut into two 16-bit numbers (high half first), all in [0, 1)', () => {
  for (const seed of [0, 1, 123456789, 2 ** 32 - 1]) {
    const next = mulberry32(seed);
    const out = fillUniform(new Float32Array(1001), seed);
    for (let i = 0; i < out.length; i += 2) {
      const bits = Math.floor(next() * 2 ** 32);
      assert.equal(out[i], Math.floor(bits / 2 ** 16) / 2 ** 16, `seed ${seed}, draw ${i}`);
      if (i + 1 < out.length) assert.equal(out[i + 1], (bits % 2 ** 16) / 2 ** 16, `seed ${seed}, draw ${i + 1}`);
    }
    out.forEach((u) => assert.ok(u >= 0 && u < 1));
  }
  // Uniform: the mean of 10^5 draws is 1/2 within 5 standard deviations (sqrt(1/12 / 10^5) < 0.001).
  const many = fillUniform(new Float32Array(100_000), 42);
  assert.ok(Math.abs(many.reduce((a, v) => a + v, 0) / many.length - 0.5) < 0.005);
});
