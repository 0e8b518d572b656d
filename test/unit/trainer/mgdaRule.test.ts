// MGDA with 3 and 4 tasks in the graph (graph/mgdaRule.ts: every support's affine minimiser,
// the shortest point of the hull among them) gives the core rule's weights (mgda.ts, Wolfe's
// method) within 1e-5: on hand-worked Gramians, degenerate ones (equal, parallel, opposite
// gradients, a zero gradient, all zero) and seeded random ones in few dimensions, where the
// least-norm point often lies on a face of the hull (some weights 0).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mgdaWeights } from '../../../src/core/weighting/mgda';
import { SeededRandom } from '../../../src/core/random';
import { subsetMasks } from '../../../src/trainer/graph/mgdaRule';
import { gramianOf, ruleOnGraph, seededDims, seededGramians, FOUR_TASK_CASES, THREE_TASK_CASES } from './ruleOnGraph';



const close = (got: readonly number[], want: readonly number[], label: string) =>
  got.forEach((w, i) => assert.ok(Math.abs(w - want[i]!) < 1e-5, `${label}: graph [${got}] vs expected [${want}]`));

test('MGDA by hand, 3 tasks: g1 = (1, 0), g2 = (0, 2), g3 = (-1, -1) hold 0 in their hull: alpha = (2, 1, 2) / 5', async () => {
  // 0 = a1 g1 + a2 g2 + a3 g3 needs a1 = a3 and 2 a2 = a3; with a1 + a2 + a3 = 1: (0.4, 0.2, 0.4).
  const [w] = await ruleOnGraph('mgda', { normalization: 'none' }, [gramianOf([[1, 0], [0, 2], [-1, -1]])]);
  close(w!, [0.4, 0.2, 0.4], 'by hand');
});

test('MGDA by hand, 4 tasks: orthogonal gradients of lengths 1, 2, 1, 2: alpha_i proportional to 1 / |g_i|^2 = (0.4, 0.1, 0.4, 0.1)', async () => {
  // Orthogonal: ||sum a_i g_i||^2 = sum a_i^2 |g_i|^2, least on the simplex at a_i = (1/|g_i|^2) / sum_j (1/|g_j|^2) = (1, 1/4, 1, 1/4) / 2.5.
  const [w] = await ruleOnGraph('mgda', { normalization: 'none' }, [[[1, 0, 0, 0], [0, 4, 0, 0], [0, 0, 1, 0], [0, 0, 0, 4]]]);
  close(w!, [0.4, 0.1, 0.4, 0.1], 'by hand');
  // l2: each gradient at length 1, so a = 1/4 each, divided by the lengths: (0.25, 0.125, 0.25, 0.125).
  const [n] = await ruleOnGraph('mgda', { normalization: 'l2' }, [[[1, 0, 0, 0], [0, 4, 0, 0], [0, 0, 1, 0], [0, 0, 0, 4]]]);
  close(n!, [0.25, 0.125, 0.25, 0.125], 'l2 by hand');
});

test('MGDA by hand, 3 tasks, the least-norm point on an edge: g1 = (1, 0), g2 = (0, 1), g3 = (2, 2): alpha = (0.5, 0.5, 0)', async () => {
  // The edge g1 g2's midpoint (0.5, 0.5) has <x, g3> = 2 >= |x|^2 = 0.5: no shorter point towards g3.
  const [w] = await ruleOnGraph('mgda', { normalization: 'none' }, [gramianOf([[1, 0], [0, 1], [2, 2]])]);
  close(w!, [0.5, 0.5, 0], 'by hand');
});

const THREE = {
  ...THREE_TASK_CASES,
  'a zero gradient': gramianOf([[1, 0, 0.5], [0, 0, 0], [0, 2, 1]]),
  'two zero gradients': gramianOf([[0, 0, 0], [0.5, 1, 0], [0, 0, 0]]),
  'every gradient zero': gramianOf([[0, 0], [0, 0], [0, 0]]),
  'the third shortest, inside the others\' cone': gramianOf([[2, 0], [0, 2], [0.5, 0.5]]),
};
const FOUR = FOUR_TASK_CASES;

for (const normalization of ['none', 'l2']) {
  for (const [k, set] of [[3, THREE], [4, FOUR]] as const) {
    test(`MGDA ${normalization} with ${k} tasks in the graph equals the core rule on degenerate Gramians`, async () => {
      const cases = Object.entries(set);
      const graph = await ruleOnGraph('mgda', { normalization }, cases.map(([, G]) => G));
      cases.forEach(([label, G], c) => close(graph[c]!, mgdaWeights(G, normalization), label));
    });
  }
  test(`MGDA ${normalization} in the graph equals the core rule on 400 seeded random Gramians of 3 and 4 tasks in 2 to 5 dimensions`, async () => {
    const random = new SeededRandom(11);
    for (const k of [3, 4]) {
      const gramians = seededGramians(random, k);
      const graph = await ruleOnGraph('mgda', { normalization }, gramians);
      gramians.forEach((G, c) => {
        const want = mgdaWeights(G, normalization);
        const label = `random ${k} tasks #${c} ${JSON.stringify(G)}`;
        // k gradients in k - 2 dimensions or fewer are affinely dependent: when the least-norm point
        // needs them all, several weightings give it (one direction), so the graph's are checked by the
        // direction's squared norm, theirs and the core rule's (normalised alike), and by being weights.
        if (seededDims(c) >= k - 1) return close(graph[c]!, want, label);
        const norm = (w: readonly number[]) => w.reduce((s, a, i) => s + w.reduce((t, b, j) => t + a * b * G[i]![j]!, 0), 0);
        assert.ok(Math.abs(norm(graph[c]!) - norm(want)) < 1e-6, `${label}: ||d||^2 ${norm(graph[c]!)} vs ${norm(want)}`);
        assert.ok(graph[c]!.every((a) => a >= 0), `${label}: [${graph[c]}]`);
      });
    }
  });
}

test('the supports MGDA enumerates: every non-empty subset once, the smallest first, then in index order', () => {
  const masks = subsetMasks(3);
  assert.deepEqual(masks, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]]);
  assert.equal(new Set(subsetMasks(4).map((m) => m.join(''))).size, 15);
});
