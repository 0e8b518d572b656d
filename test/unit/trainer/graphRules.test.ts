// The closed-form gradient rules as graph ops (graph/graphRules.ts) give the core rules'
// coefficients (src/core/weighting/) within 1e-5, on hand-worked Gramians and the degenerate
// ones: equal, parallel and opposite gradients, a zero gradient, all gradients zero.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignedMtlWeights } from '../../../src/core/weighting/alignedMtl';
import { imtlgWeights } from '../../../src/core/weighting/imtlg';
import { mgdaWeights } from '../../../src/core/weighting/mgda';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { graphRule, hasGraphRule } from '../../../src/trainer/graph/graphRules';
import { openSession } from '../../../src/trainer/graph/session';

/** The graph rule's coefficients for each Gramian (one session, the Gramian fed). */
async function onGraph(id: string, params: Record<string, unknown>, gramians: number[][][]): Promise<number[][]> {
  const { tf } = await loadBackend('tensorflow');
  const k = gramians[0]!.length;
  const g = new GraphBuilder();
  const G = g.placeholder('gramian', [k, k]);
  const out = graphRule(g, 'rule', id, params, k, G)!;
  const session = openSession(tf, g.savedModel(['serve']));
  const result = gramians.map((gram) => {
    const fed = tf.tensor2d(gram);
    const [w] = session.run([{ name: G }], [fed], [out]);
    const values = Array.from(w!.dataSync());
    tf.dispose([w!, fed]);
    return values;
  });
  session.dispose();
  return result;
}

/** The Gramian of rows `J`, rounded to float32 as the trainer's is. */
const gramianOf = (J: number[][]) => J.map((a) => J.map((b) => Math.fround(a.reduce((s, x, i) => s + x * b[i]!, 0))));

const TWO = {
  'hand-worked (g1 = (2, 0), g2 = (0.5, 1.3))': gramianOf([[2, 0], [0.5, 1.3]]),
  'obtuse (g1 = (2, 0), g2 = (-1, 0.5))': gramianOf([[2, 0], [-1, 0.5]]),
  'equal gradients': gramianOf([[1, 2], [1, 2]]),
  'parallel, g2 = 2 g1': gramianOf([[1, 2], [2, 4]]),
  'opposite gradients': gramianOf([[1, -1], [-1, 1]]),
  'opposite, unequal lengths': gramianOf([[2, 0], [-1, 0]]),
  'a zero gradient first': gramianOf([[0, 0], [0.3, 1]]),
  'a zero gradient second': gramianOf([[0.3, 1], [0, 0]]),
  'every gradient zero': gramianOf([[0, 0], [0, 0]]),
  'the second shorter, equal directions': gramianOf([[2, 2], [1, 1]]),
};
const THREE = {
  'hand-worked': gramianOf([[1, 0, 0.5], [0.2, 1, -0.3], [-0.4, 0.1, 2]]),
  'two equal gradients': gramianOf([[1, 0, 0.5], [1, 0, 0.5], [0, 2, 1]]),
  'rank one (parallel)': gramianOf([[1, 2, 0], [2, 4, 0], [-1, -2, 0]]),
  'a zero gradient': gramianOf([[1, 0, 0.5], [0, 0, 0], [0, 2, 1]]),
  'every gradient zero': gramianOf([[0, 0], [0, 0], [0, 0]]),
};

const RULES: Array<[string, Record<string, unknown>, (G: number[][]) => number[], Record<string, number[][]>[]]> = [
  ['mgda', { normalization: 'none' }, (G) => mgdaWeights(G, 'none'), [TWO]],
  ['mgda', { normalization: 'l2' }, (G) => mgdaWeights(G, 'l2'), [TWO]],
  ['imtlg', {}, imtlgWeights, [TWO, THREE]],
  ['aligned-mtl', {}, alignedMtlWeights, [TWO, THREE]],
];

for (const [id, params, rule, sets] of RULES) {
  for (const set of sets) {
    const k = Object.values(set)[0]!.length;
    test(`${id} ${JSON.stringify(params)} in the graph equals the core rule, ${k} tasks`, async () => {
      const cases = Object.entries(set);
      const graph = await onGraph(id, params, cases.map(([, G]) => G));
      cases.forEach(([label, G], c) => {
        const expected = rule(G);
        graph[c]!.forEach((w, i) => assert.ok(Math.abs(w - expected[i]!) < 1e-5, `${label}: graph [${graph[c]}] vs rule [${expected}]`));
      });
    });
  }
}

test('MGDA by hand on the segment: g1 = (2, 0), g2 = (0.5, 1.3): gamma = (G22 - G12) / (G11 + G22 - 2 G12)', async () => {
  // G11 = 4, G12 = 1, G22 = 1.94: gamma = 0.94 / 3.94.
  const [w] = await onGraph('mgda', { normalization: 'none' }, [[[4, 1], [1, 1.94]]]);
  assert.ok(Math.abs(w![0]! - 0.94 / 3.94) < 1e-6 && Math.abs(w![1]! - 3 / 3.94) < 1e-6, `[${w}]`);
});

test('which methods have a graph rule: MGDA with two tasks only, IMTL-G and Aligned-MTL with any number, not UPGrad or CAGrad', () => {
  assert.ok(hasGraphRule('mgda', 2) && !hasGraphRule('mgda', 3));
  assert.ok(hasGraphRule('imtlg', 4) && hasGraphRule('aligned-mtl', 4));
  assert.ok(!hasGraphRule('upgrad', 2) && !hasGraphRule('cagrad', 2));
});
