// RLW (Lin et al. 2022): weights = softmax of standard normal samples, drawn each step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rlw } from '../../../../src/core/weighting/rlw';
import { assertClose, context, ruleOf } from './lossHelpers';

test('RLW: softmax of normal samples made from the seeded uniforms (hand-worked Box-Muller)', () => {
  // Box-Muller z = sqrt(-2 ln u) cos(2 pi v), one sample per pair (u, v):
  //   u = e^-0.5,   v = 0    -> sqrt(1) * cos 0           =  1
  //   u = e^-2,     v = 0.5  -> sqrt(4) * cos pi          = -2
  //   u = e^-0.125, v = 1/3  -> sqrt(0.25) * cos(2 pi/3) = -0.25
  // softmax: exp(z) = [2.7182818, 0.1353353, 0.7788008], sum 3.6324179
  //   w = [0.7483395, 0.0372576, 0.2144029]   (sum 1: the paper's and LibMTL's scale)
  const uniforms = [Math.exp(-0.5), 0, Math.exp(-2), 0.5, Math.exp(-0.125), 1 / 3];
  let next = 0;
  const w = ruleOf(rlw, 3).weights(context({ active: [0, 1, 2], random: () => uniforms[next++]! }));
  assertClose(w, [0.7483395, 0.0372576, 0.2144029]);
  assert.equal(next, 6, 'two uniforms per task');
});

test('RLW: new weights every step, always positive and summing to 1', () => {
  let seed = 1;
  const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; }; // a fixed sequence
  const rule = ruleOf(rlw, 4);
  const seen = new Set<string>();
  for (let step = 0; step < 20; step++) {
    const w = rule.weights(context({ active: [0, 1, 3], step, random }));
    assert.equal(w.length, 3);
    assert.ok(w.every((v) => v > 0));
    assert.ok(Math.abs(w.reduce((a, v) => a + v, 0) - 1) < 1e-12);
    seen.add(w.map((v) => v.toFixed(6)).join());
  }
  assert.equal(seen.size, 20, 'a fresh draw at every step');
});
