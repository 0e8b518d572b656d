// PCGrad (Yu et al. 2020, Algorithm 1): each task gradient projected off the others it
// conflicts with, in random order, then summed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { innerWith, randomOrder } from '../../../../src/core/weighting/gramian';
import { pcgrad, pcgradWeights, projectConflicting } from '../../../../src/core/weighting/pcgrad';
import { close, gradientContext, gramOf, randomJacobian } from './fixtures';

test('PCGrad on g1 = (1,0), g2 = (-1,1): g1^PC = (1/2,1/2), g2^PC = (0,1), the update (1/2, 3/2) = 2 g1 + 3/2 g2', () => {
  // G = [[1,-1],[-1,2]]. <g1, g2> = -1 < 0: g1^PC = g1 - (-1 / 2) g2 = g1 + g2/2 = (1/2, 1/2);
  // g2^PC = g2 - (-1 / 1) g1 = g2 + g1 = (0, 1). Sum: coefficients 1 + 1 on g1, 1/2 + 1 on g2.
  const G = [[1, -1], [-1, 2]];
  close(projectConflicting(G, 0, [1]), [1, 0.5]);
  close(projectConflicting(G, 1, [0]), [1, 1]);
  close(pcgrad.create!({}, []).weights(gradientContext(G)), [2, 1.5]);
});

test('PCGrad with three tasks: the order of projection matters, and the rule draws it from ctx.random()', () => {
  // g1 = (1,0), g2 = (0,1), g3 = (-1,-1): G = [[1,0,-1],[0,1,-1],[-1,-1,2]].
  const G = gramOf([[1, 0], [0, 1], [-1, -1]]);
  // g1 in order (g2, g3): <g1,g2> = 0, kept; <g1,g3> = -1: + g3/2 -> (1/2,-1/2), coefficients (1, 0, 1/2).
  close(projectConflicting(G, 0, [1, 2]), [1, 0, 0.5]);
  // g1 in order (g3, g2): (1/2,-1/2) first; then <(1/2,-1/2), g2> = -1/2: + g2/2 -> (1/2, 0).
  close(projectConflicting(G, 0, [2, 1]), [1, 0.5, 0.5]);
  // random() always 0: Fisher-Yates on (0,1,2) swaps positions 2<->0 then 1<->0: order (1, 2, 0) for every task.
  assert.deepEqual(randomOrder(3, () => 0), [1, 2, 0]);
  // Task 1: (1,0,1/2) as above. Task 2: <g2,g3> = -1: + g3/2 -> (-1/2,1/2); <., g1> = -1/2: + g1/2
  // -> (0,1/2), coefficients (1/2,1,1/2). Task 3: <g3,g2> = -1, ||g2||^2 = 1: + g2 -> (-1,0);
  // <., g1> = -1: + g1 -> (0,0), coefficients (1,1,1). Sum: (5/2, 2, 2), i.e. d = (1/2, 0).
  close(pcgradWeights(G, () => 0), [2.5, 2, 2]);
});

test('PCGrad\'s projected gradient has no negative inner product with the task it was just projected off (random Jacobians and orders)', () => {
  const rng = new SeededRandom(11);
  for (let trial = 0; trial < 200; trial++) {
    const n = 2 + (trial % 4);
    const G = gramOf(randomJacobian(rng, n, 2 + (trial % 6)));
    const scale = Math.max(...G.map((r, i) => r[i]!));
    for (let i = 0; i < n; i++) {
      const order = randomOrder(n, () => rng.next()).filter((j) => j !== i);
      order.forEach((j, k) => {
        const c = projectConflicting(G, i, order.slice(0, k + 1));
        assert.ok(innerWith(c, G, j) >= -1e-12 * scale, `trial ${trial}: <g_${i}^PC, g_${j}> = ${innerWith(c, G, j)} after projecting on g_${j}`);
      });
    }
  }
});

test('PCGrad leaves gradients that do not conflict as they are: the update is their sum', () => {
  close(pcgradWeights([[1, 0.5], [0.5, 2]], Math.random), [1, 1]);
});
