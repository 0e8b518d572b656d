// Shared by the weighting tests: Gramians of small Jacobians and a tolerance check.
import assert from 'node:assert/strict';
import type { SeededRandom } from '../../../../src/core/random';
import type { WeightingContext } from '../../../../src/core/weighting/method';

/** The Gramian of a Jacobian given as rows. */
export const gramOf = (rows: readonly (readonly number[])[]) => rows.map((a) => rows.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)));

/** A random Jacobian: `tasks` rows of `dims` standard normals. */
export const randomJacobian = (rng: SeededRandom, tasks: number, dims: number) =>
  Array.from({ length: tasks }, () => Array.from({ length: dims }, () => rng.normal()));

/** Element-wise |a - b| < tol (1e-5: the tolerance of the hand-worked checks). */
export const close = (a: readonly number[], b: readonly number[], tol = 1e-5) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < tol, `[${a.join(', ')}] vs [${b.join(', ')}]`));
};

/** A gradient-family context for a Gramian, every task active. */
export const gradientContext = (gramian: number[][], random: () => number = () => 0): WeightingContext =>
  ({ step: 0, epoch: 1, active: gramian.map((_, i) => i), epochLosses: [], random, gramian });
