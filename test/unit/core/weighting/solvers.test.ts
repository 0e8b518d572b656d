// The shared solvers of the gradient-family methods, on small matrices worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { gramianTimes, normSquared } from '../../../../src/core/weighting/gramian';
import { close, gramOf, randomJacobian } from './fixtures';
import { minNormInHull, pseudoInverseSolve, solveLinear, symmetricEigen } from '../../../../src/core/weighting/solvers';

test('solveLinear: 2x + y = 3, x + 3y = 5 gives x = 4/5, y = 7/5; a singular system gives undefined', () => {
  close(solveLinear([[2, 1], [1, 3]], [3, 5])!, [0.8, 1.4]);
  assert.equal(solveLinear([[1, 2], [2, 4]], [1, 2]), undefined);
});

test('symmetricEigen: [[2,1],[1,2]] has eigenvalues 1 and 3 along (1,-1)/sqrt2 and (1,1)/sqrt2; a 4x4 is rebuilt from its decomposition', () => {
  const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
  const order = values[0]! < values[1]! ? [0, 1] : [1, 0];
  close(order.map((k) => values[k]!), [1, 3]);
  const s = Math.SQRT1_2;
  const v1 = vectors[order[0]!]!, v3 = vectors[order[1]!]!;
  close(v1.map((x) => x * Math.sign(v1[0]!)), [s, -s]);
  close(v3.map((x) => x * Math.sign(v3[0]!)), [s, s]);
  const G = gramOf(randomJacobian(new SeededRandom(1), 4, 6));
  const e = symmetricEigen(G);
  const rebuilt = G.map((_, i) => G.map((_, j) => e.values.reduce((sum, l, k) => sum + l * e.vectors[k]![i]! * e.vectors[k]![j]!, 0)));
  rebuilt.forEach((row, i) => close(row, G[i]!, 1e-9));
});

test('pseudoInverseSolve: [[1,1],[1,1]] = 2 u u^T (u = (1,1)/sqrt2) has pseudo-inverse u u^T / 2, so b = (1,1) gives (1/2, 1/2)', () => {
  close(pseudoInverseSolve([[1, 1], [1, 1]], [1, 1]), [0.5, 0.5]);
  // Invertible: the inverse of [[2,1],[1,3]] times (3,5) is (4/5, 7/5).
  close(pseudoInverseSolve([[2, 1], [1, 3]], [3, 5]), [0.8, 1.4]);
});

test('minNormInHull: hand-worked minimisers of ||sum alpha_i g_i||^2 over the simplex', () => {
  // g1 = (1,0), g2 = (0,2): alpha^2 + 4 (1 - alpha)^2 is least where 2 alpha = 8 (1 - alpha), alpha = 0.8
  // (Sener & Koltun's Algorithm 1: ((g2 - g1).g2) / ||g1 - g2||^2 = 4 / 5).
  close(minNormInHull([[1, 0], [0, 4]]), [0.8, 0.2]);
  // g1 = (1,0), g2 = (0,1), g3 = (1,1): the segment g1-g2 holds (1/2, 1/2), norm^2 1/2; g3 takes no part.
  close(minNormInHull(gramOf([[1, 0], [0, 1], [1, 1]])), [0.5, 0.5, 0]);
  // g1 = (1,0,1), g2 = (0,1,1), g3 = (-1,-1,1): the triangle lies in the plane z = 1 and holds
  // (0,0,1) = (g1 + g2 + g3) / 3, the plane's nearest point to 0. G = [[2,1,0],[1,2,0],[0,0,3]].
  close(minNormInHull([[2, 1, 0], [1, 2, 0], [0, 0, 3]]), [1 / 3, 1 / 3, 1 / 3]);
  // g1 = (1,0), g2 = (-1,0): 0 is in the hull (Pareto stationary), at alpha = (1/2, 1/2).
  close(minNormInHull([[1, -1], [-1, 1]]), [0.5, 0.5]);
  // Every gradient 0: any weights; uniform.
  close(minNormInHull([[0, 0], [0, 0]]), [0.5, 0.5]);
  close(minNormInHull([[3]]), [1]);
});

test('minNormInHull meets the optimality conditions on random Gramians: alpha on the simplex and <d, g_i> >= ||d||^2 (equality where alpha_i > 0)', () => {
  const rng = new SeededRandom(7);
  for (let trial = 0; trial < 200; trial++) {
    const tasks = 2 + (trial % 5);
    const G = gramOf(randomJacobian(rng, tasks, 1 + (trial % 7)));
    const alpha = minNormInHull(G);
    const scale = Math.max(...G.map((r, i) => r[i]!));
    assert.ok(alpha.every((a) => a >= 0));
    assert.ok(Math.abs(alpha.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const dd = normSquared(alpha, G);
    gramianTimes(G, alpha).forEach((dg, i) => {
      assert.ok(dg >= dd - 1e-9 * scale, `trial ${trial}: <d, g_${i}> = ${dg} < ||d||^2 = ${dd}`);
      if (alpha[i]! > 1e-9) assert.ok(Math.abs(dg - dd) < 1e-9 * scale, `trial ${trial}: active task ${i} off the face`);
    });
  }
});

test('minNormInHull from a guessed support: the right guess and every wrong one give the cold answer', () => {
  // g1 = (1,0,0), g2 = (0,2,0), g3 = (0,0,1) (hand-worked): the min-norm point of the hull has
  // alpha_i proportional to 1/||g_i||^2, (1, 1/4, 1) / (9/4) = (4/9, 1/9, 4/9), all tasks kept.
  // The guess {0, 2} has a positive affine minimiser, (1/2, 0, 1/2), that is not optimal
  // (<x, g2> = 0 < ||x||^2 = 1/2): it must not be taken.
  const G = [[1, 0, 0], [0, 4, 0], [0, 0, 1]];
  for (const warm of [[0, 1, 2], [0, 2], [1], [0, 1], [2, 1, 0]]) close(minNormInHull(G, undefined, warm), [4 / 9, 1 / 9, 4 / 9]);
  // g3 = g1 + g2 = (1,2,0) is never in the answer: alpha = (0.8, 0.2, 0) as for g1, g2 alone.
  // The guess {0, 1, 2} spans the plane z = 0, whose least-norm point 0 = g1 + g2 - g3 has a
  // negative weight; {0, 2} and {1, 2} end at a weight 0: each falls back to the cold search.
  const H = [[1, 0, 1], [0, 4, 4], [1, 4, 5]];
  for (const warm of [[0, 1, 2], [0, 2], [1, 2], [0, 1]]) close(minNormInHull(H, undefined, warm), [0.8, 0.2, 0]);
  // Random Gramians, each solved warm from the last one's support: the same weights as cold.
  const rng = new SeededRandom(11);
  let support: number[] | undefined;
  for (let trial = 0; trial < 200; trial++) {
    const G2 = gramOf(randomJacobian(rng, 3 + (trial % 3), 2 + (trial % 6)));
    const warm = minNormInHull(G2, undefined, support);
    close(warm, minNormInHull(G2), 1e-9);
    support = warm.flatMap((a, i) => (a > 0 ? [i] : []));
  }
});
