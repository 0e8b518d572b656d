// fillUniform: GradDrop's many draws per step come from the project's one generator
// (mulberry32), cut to float32's 24 bits so that none rounds up to 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillUniform, mulberry32 } from '../../../src/core/random';

test('fillUniform gives mulberry32\'s stream from the seed, each number cut to 24 bits, all in [0, 1)', () => {
  for (const seed of [0, 1, 123456789, 2 ** 32 - 1]) {
    const next = mulberry32(seed);
    const out = fillUniform(new Float32Array(1000), seed);
    out.forEach((u, i) => {
      assert.equal(u, Math.floor(next() * 2 ** 24) / 2 ** 24, `seed ${seed}, draw ${i}`);
      assert.ok(u >= 0 && u < 1);
    });
  }
  // The largest 32-bit output would round up to 1 as a float32 without the cut.
  assert.equal(Math.fround(0xffffffff / 2 ** 32), 1);
});
