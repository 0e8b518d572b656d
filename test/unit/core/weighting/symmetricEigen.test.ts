// Cyclic Jacobi: eigenpairs of matrices built from known ones, and A = V diag V^T on random ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { symmetricEigen } from '../../../../src/core/weighting/symmetricEigen';

const near = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('a 2x2 and a 3x3 with known eigenpairs', () => {
  // [[5, 3], [3, 5]]: 8 along (1, 1)/sqrt2, 2 along (1, -1)/sqrt2.
  const two = symmetricEigen([[5, 3], [3, 5]]);
  near(two.values[0]!, 8);
  near(two.values[1]!, 2);
  near(Math.abs(two.vectors[0]![0]!), Math.SQRT1_2);
  near(two.vectors[0]![0]! * two.vectors[0]![1]!, 0.5); // same sign
  near(two.vectors[1]![0]! * two.vectors[1]![1]!, -0.5); // opposite signs
  // Q diag(9, 4, 1) Q^T with Q's columns (1,1,0)/sqrt2, (1,-1,0)/sqrt2, (0,0,1):
  // top-left block (9 + 4)/2 = 6.5 on the diagonal, (9 - 4)/2 = 2.5 off it; 1 in the corner.
  const three = symmetricEigen([[6.5, 2.5, 0], [2.5, 6.5, 0], [0, 0, 1]]);
  [9, 4, 1].forEach((v, k) => near(three.values[k]!, v));
  near(Math.abs(three.vectors[2]![2]!), 1);
});

test('repeated and zero eigenvalues: a rank-one matrix', () => {
  // (1,1,1)(1,1,1)^T: 3 along (1,1,1)/sqrt3, 0 twice.
  const e = symmetricEigen([[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
  near(e.values[0]!, 3);
  near(e.values[1]!, 0);
  near(e.values[2]!, 0);
  e.vectors[0]!.forEach((x) => near(Math.abs(x), 1 / Math.sqrt(3)));
});

test('random symmetric matrices: orthonormal vectors and A = V diag V^T', () => {
  const rng = new SeededRandom(2);
  for (let trial = 0; trial < 30; trial++) {
    const n = 1 + rng.int(7);
    const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i]![j] = m[j]![i] = rng.normal();
    const { values, vectors } = symmetricEigen(m);
    for (let k = 1; k < n; k++) assert.ok(values[k - 1]! >= values[k]!);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        near(vectors[i]!.reduce((s, x, k) => s + x * vectors[j]![k]!, 0), i === j ? 1 : 0);
        near(values.reduce((s, v, k) => s + v * vectors[k]![i]! * vectors[k]![j]!, 0), m[i]![j]!);
      }
    }
  }
});
