// The closed-form gradient rules as graph ops (graph/graphRules.ts) give the core rules'
// coefficients (src/core/weighting/) within 1e-5, on hand-worked Gramians and the degenerate
// ones: equal, parallel and opposite gradients, a zero gradient, all gradients zero. GradNorm,
// whose state lives in the session, step by step against the core rule over a sequence of
// Gramians and losses (graph/gradNormRule.ts). The two-task closed forms of the solver methods
// (twoTaskRules.ts) also against numbers worked by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignedMtlWeights } from '../../../src/core/weighting/alignedMtl';
import { cagradWeights } from '../../../src/core/weighting/cagrad';
import { gradnorm } from '../../../src/core/weighting/gradnorm';
import { nashMtlWeights } from '../../../src/core/weighting/nashMtl';
import { upgradWeights } from '../../../src/core/weighting/upgrad';
import { imtlgWeights } from '../../../src/core/weighting/imtlg';
import { mgdaWeights } from '../../../src/core/weighting/mgda';
import { weightingParams } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { graphRule, hasGraphRule } from '../../../src/trainer/graph/graphRules';
import type { RuleIo } from '../../../src/trainer/graph/ruleState';
import { openSession } from '../../../src/trainer/graph/session';
import { context, ruleOf } from '../core/weighting/lossHelpers';
import { gramianOf, ruleOnGraph } from './ruleOnGraph';



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
  'acute, unequal lengths (g1 = (3, 0.2), g2 = (1, 1))': gramianOf([[3, 0.2], [1, 1]]),
  'nearly opposed (g1 = (1, 0.01), g2 = (-1, 0))': gramianOf([[1, 0.01], [-1, 0]]),
  'large scale (g1 = (300, 0), g2 = (-100, 250))': gramianOf([[300, 0], [-100, 250]]),
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
  ['upgrad', {}, upgradWeights, [TWO]],
  ['cagrad', { c: 0.4, rescale: 'none' }, (G) => cagradWeights(G, 0.4, 'none'), [TWO]],
  ['cagrad', { c: 2, rescale: 'onePlusCSquared' }, (G) => cagradWeights(G, 2, 'onePlusCSquared'), [TWO]],
  ['cagrad', { c: 0.7, rescale: 'onePlusC' }, (G) => cagradWeights(G, 0.7, 'onePlusC'), [TWO]],
  ['nash-mtl', { maxNorm: 1, updateEvery: 1 }, (G) => nashMtlWeights(G, 1), [TWO, THREE]],
  ['nash-mtl', { maxNorm: 0, updateEvery: 1 }, (G) => nashMtlWeights(G, 0), [TWO, THREE]],
];

for (const [id, params, rule, sets] of RULES) {
  for (const set of sets) {
    const k = Object.values(set)[0]!.length;
    test(`${id} ${JSON.stringify(params)} in the graph equals the core rule, ${k} tasks`, async () => {
      const cases = Object.entries(set);
      const graph = await ruleOnGraph(id, params, cases.map(([, G]) => G));
      cases.forEach(([label, G], c) => {
        const expected = rule(G);
        graph[c]!.forEach((w, i) => assert.ok(Math.abs(w - expected[i]!) < 1e-5, `${label}: graph [${graph[c]}] vs rule [${expected}]`));
      });
    });
  }
}

test('MGDA by hand on the segment: g1 = (2, 0), g2 = (0.5, 1.3): gamma = (G22 - G12) / (G11 + G22 - 2 G12)', async () => {
  // G11 = 4, G12 = 1, G22 = 1.94: gamma = 0.94 / 3.94.
  const [w] = await ruleOnGraph('mgda', { normalization: 'none' }, [[[4, 1], [1, 1.94]]]);
  assert.ok(Math.abs(w![0]! - 0.94 / 3.94) < 1e-6 && Math.abs(w![1]! - 3 / 3.94) < 1e-6, `[${w}]`);
});

/** Each coefficient within `tolerance` of the hand-worked one. */
const near = (got: number[], want: number[], tolerance = 1e-6) => assert.ok(got.every((x, i) => Math.abs(x - want[i]!) < tolerance), `[${got}] vs [${want}]`);

test('UPGrad by hand, two tasks: g1 = (1, 0), g2 = (-1, 1): v = (1, 1/2) and (1, 1), c = (1, 3/4)', async () => {
  // G = [[1, -1], [-1, 2]]: e_1's projection raises v_2 to -G12/G22 = 1/2, e_2's v_1 to -G12/G11 = 1.
  // d = g1 + 3/4 g2 = (1/4, 3/4): <d, g1> = 1/4 and <d, g2> = 1/2, both >= 0 (the dual cone).
  const [w] = await ruleOnGraph('upgrad', {}, [[[1, -1], [-1, 2]]]);
  near(w!, [1, 0.75]);
});

test('CAGrad by hand, two tasks, G = diag(4, 1): the end w = 0 at c = 0.4, the stationary point at c = 2', async () => {
  // Scaled by 4: a = 1, d = 1/4, b = 0; |g0| = sqrt(5/16), k = c |g0|, delta = 3/8.
  // c = 0.4: F'(0) = 3/8 - k (1/4) / (1/2) = 0.2632 > 0, so w = 0, g_w = g2 (|g_w| = 1/2 scaled),
  // lambda = k / (1/2) = 0.44721: d = g0 + c |g0| g2 / |g2| = (1, 1/2 + 0.44721) on g1 = (2, 0), g2 = (0, 1).
  // c = 2: F'(0) = -0.1840 < 0 < F'(1): w = (d - b - delta sqrt(det / (A k^2 - delta^2))) / A
  // with A = 5/4, det = 1/4, k^2 = 5/4: w = (1/4 - 3/8 sqrt(0.25 / 1.421875)) / 1.25 = 0.0742058;
  // |g_w|^2 = w^2 + (1 - w)^2 / 4 = 0.2197802, lambda = k / |g_w| = 2.384848.
  const [small] = await ruleOnGraph('cagrad', { c: 0.4, rescale: 'none' }, [[[4, 0], [0, 1]]]);
  const [large] = await ruleOnGraph('cagrad', { c: 2, rescale: 'none' }, [[[4, 0], [0, 1]]]);
  near(small!, [0.5, 0.5 + 0.4 * Math.sqrt(5 / 16) / 0.5]);
  const w = (0.25 - 0.375 * Math.sqrt(0.25 / 1.421875)) / 1.25;
  const lambda = 2 * Math.sqrt(5 / 16) / Math.sqrt(w * w + (1 - w) ** 2 / 4);
  near([w], [0.0742058]);
  near(large!, [0.5 + lambda * w, 0.5 + lambda * (1 - w)]);
});

test('Nash-MTL by hand, two tasks: alpha_i = 1 / (|g_i| sqrt(1 + cos)), then |d| <= maxNorm', async () => {
  // G = diag(4, 1): cos = 0, alpha = (1/2, 1), |d| = sqrt(2): maxNorm 1 scales by 1/sqrt(2).
  // G = [[1, 1/2], [1/2, 1]]: cos = 1/2, alpha = 1/sqrt(3/2) each (G alpha = 1.2247 = 1/alpha).
  const [orthogonal, acute] = await ruleOnGraph('nash-mtl', { maxNorm: 0, updateEvery: 1 }, [[[4, 0], [0, 1]], [[1, 0.5], [0.5, 1]]]);
  near(orthogonal!, [0.5, 1]);
  near(acute!, [Math.sqrt(2 / 3), Math.sqrt(2 / 3)]);
  const [clipped] = await ruleOnGraph('nash-mtl', { maxNorm: 1, updateEvery: 1 }, [[[4, 0], [0, 1]]]);
  near(clipped!, [0.5 / Math.SQRT2, 1 / Math.SQRT2]);
});

test('which methods have a graph rule: MGDA, CAGrad, UPGrad and Nash-MTL (recomputed every step) with 2 to 4 tasks, IMTL-G, Aligned-MTL, GradNorm, PCGrad and GradVac with any number', () => {
  assert.ok(hasGraphRule('mgda', 2) && hasGraphRule('mgda', 3) && hasGraphRule('mgda', 4) && !hasGraphRule('mgda', 5));
  assert.ok(hasGraphRule('imtlg', 4) && hasGraphRule('aligned-mtl', 4) && hasGraphRule('gradnorm', 2) && hasGraphRule('gradnorm', 4));
  assert.ok(hasGraphRule('upgrad', 2) && hasGraphRule('upgrad', 3) && hasGraphRule('upgrad', 4) && !hasGraphRule('upgrad', 5));
  assert.ok(hasGraphRule('cagrad', 2, { c: 0.4, rescale: 'none' }) && hasGraphRule('cagrad', 4, { c: 0.4, rescale: 'none' }) && !hasGraphRule('cagrad', 5, { c: 0.4, rescale: 'none' }));
  // Alpha reused across steps is state: JavaScript.
  assert.ok(hasGraphRule('nash-mtl', 2, { maxNorm: 1, updateEvery: 1 }) && !hasGraphRule('nash-mtl', 2, { maxNorm: 1, updateEvery: 2 }));
  assert.ok(hasGraphRule('nash-mtl', 3, { maxNorm: 1, updateEvery: 1 }) && hasGraphRule('nash-mtl', 4, { maxNorm: 1, updateEvery: 1 }));
  assert.ok(!hasGraphRule('nash-mtl', 5, { maxNorm: 1, updateEvery: 1 }) && !hasGraphRule('nash-mtl', 4, { maxNorm: 1, updateEvery: 2 }));
  assert.ok(hasGraphRule('pcgrad', 2) && hasGraphRule('pcgrad', 4) && hasGraphRule('gradvac', 3));
});

type GradNormStep = { losses: number[]; gramian: number[][] } | 'new phase';

/**
 * GradNorm's coefficients on the graph at each step (one session: the step fetches them with its
 * state's updates, as the fused step does; 'new phase' runs the resets, as the `set` run does).
 */
async function gradNormOnGraph(params: Record<string, unknown>, steps: GradNormStep[]): Promise<number[][]> {
  const { tf } = await loadBackend('tensorflow');
  const k = (steps.find((s) => s !== 'new phase') as { losses: number[] }).losses.length;
  const g = new GraphBuilder();
  const G = g.placeholder('gramian', [k, k]);
  const L = g.placeholder('losses', [k]);
  const io: RuleIo = { losses: L, updates: [], resets: [] };
  // The method's defaults filled in, as the trainer gives them (weighting/index.ts).
  const out = graphRule(g, 'rule', 'gradnorm', weightingParams(gradnorm.description, params), k, G, io);
  assert.ok(out, 'GradNorm has a graph rule');
  const zero = (name: string) => g.constant(name, { dtype: 'float', shape: [], values: [0] });
  const after = g.op('Identity', [zero('after_value'), ...io.updates.map((n) => `^${n}`)], { T: { type: 'float' } }, 'after');
  const reset = g.op('Identity', [zero('reset_value'), ...io.resets.map((n) => `^${n}`)], { T: { type: 'float' } }, 'reset');
  const session = openSession(tf, g.savedModel(['serve']));
  const result: number[][] = [];
  tf.dispose(session.run([], [], [reset]));
  for (const step of steps) {
    if (step === 'new phase') {
      tf.dispose(session.run([], [], [reset]));
      continue;
    }
    const fed = [tf.tensor2d(step.gramian), tf.tensor1d(step.losses)];
    const outs = session.run([{ name: G }, { name: L }], fed, [out!, after]);
    result.push(Array.from(outs[0]!.dataSync()));
    tf.dispose([...outs, ...fed]);
  }
  session.dispose();
  return result;
}

/** The core rule's coefficients at each step (a new rule for a new phase, as weighting/index.ts makes one per phase). */
function gradNormInJs(params: Record<string, unknown>, steps: GradNormStep[]): number[][] {
  const k = (steps.find((s) => s !== 'new phase') as { losses: number[] }).losses.length;
  let rule = ruleOf(gradnorm, k, params);
  const active = Array.from({ length: k }, (_, i) => i);
  return steps.flatMap((step, n) => {
    if (step === 'new phase') { rule = ruleOf(gradnorm, k, params); return []; }
    // Fed as float32, as the batch's losses come from the graph.
    return [rule.weights(context({ active, step: n, losses: step.losses.map(Math.fround), gramian: step.gramian }))];
  });
}

const GRADNORM: Array<[string, Record<string, unknown>, GradNormStep[]]> = [
  // The core rule's hand-worked steps (test/unit/core/weighting/gradnorm.test.ts).
  ['hand-worked, 2 tasks, alpha 1.5, lr 0.1', { learningRate: 0.1 }, [
    { losses: [2, 1], gramian: [[4, 1], [1, 1]] },
    { losses: [1, 0.8], gramian: [[1, 0], [0, 4]] },
    { losses: [0.9, 0.5], gramian: [[1, 0], [0, 1]] },
    { losses: [0.9, 0.5], gramian: [[1, 0], [0, 1]] },
  ]],
  // Task 1's gradient is 0 (its norm 0: it never moves but by the renormalisation); alpha 0 asks for equal norms.
  ['a zero gradient, 3 tasks, alpha 0', { alpha: 0, learningRate: 0.05 }, [
    { losses: [1.5, 0.7, 0], gramian: gramianOf([[1, 0, 0.5], [0, 0, 0], [0, 2, 1]]) },
    { losses: [1.2, 0.6, 0.3], gramian: gramianOf([[0.8, 0.1, 0.4], [0, 0, 0], [0.2, 1.5, 1]]) },
    { losses: [1.1, 0.65, 0.2], gramian: gramianOf([[0.5, 0.3, 0.2], [0, 0, 0], [-0.4, 1, 2]]) },
    { losses: [0.9, 0.5, 0.25], gramian: gramianOf([[0.6, 0, 0.1], [0, 0, 0], [0.1, 1.2, 0.7]]) },
  ]],
  // Task 2's first loss is 0: no rate, it trains at the mean rate (r = 1) while the others' rates count.
  ['a zero first loss, 3 tasks, alpha 1.5, lr 0.05', { learningRate: 0.05 }, [
    { losses: [1.5, 0.7, 0], gramian: gramianOf([[1, 0, 0.5], [0.3, 0.2, 0], [0, 2, 1]]) },
    { losses: [1.2, 0.6, 0.3], gramian: gramianOf([[0.8, 0.1, 0.4], [0.2, 0.3, 0.1], [0.2, 1.5, 1]]) },
    { losses: [1.1, 0.65, 0.2], gramian: gramianOf([[0.5, 0.3, 0.2], [0.1, 0.4, 0], [-0.4, 1, 2]]) },
    { losses: [0.9, 0.5, 0.25], gramian: gramianOf([[0.6, 0, 0.1], [0.3, 0.1, 0.2], [0.1, 1.2, 0.7]]) },
  ]],
  // Large steps push a weight to the floor; every gradient 0 at the last step leaves the weights as they are.
  ['the floor, then every gradient zero, 3 tasks, alpha 1.5, lr 2', { learningRate: 2 }, [
    { losses: [2.3, 1.1, 0.9], gramian: gramianOf([[1, 0.2, 0], [0.1, 0.4, -0.3], [0.5, 0.1, 2]]) },
    { losses: [2.0, 1.0, 0.6], gramian: gramianOf([[0.9, 0.2, 0.1], [0.1, 0.3, -0.2], [0.4, 0.2, 1.6]]) },
    { losses: [1.7, 0.95, 0.5], gramian: gramianOf([[0.7, 0.1, 0.1], [0.2, 0.3, -0.1], [0.3, 0.1, 1.1]]) },
    { losses: [1.6, 0.9, 0.45], gramian: gramianOf([[0, 0, 0], [0, 0, 0], [0, 0, 0]]) },
    { losses: [1.5, 0.85, 0.4], gramian: gramianOf([[0.7, 0.1, 0.1], [0.2, 0.3, -0.1], [0.3, 0.1, 1.1]]) },
  ]],
  // A new phase starts at w = 1 and takes its first losses again (the core rule: a new rule).
  ['a new phase, 2 tasks, the defaults', {}, [
    { losses: [0.7, 0.3], gramian: gramianOf([[3, 0], [0.5, 1.3]]) },
    { losses: [0.6, 0.28], gramian: gramianOf([[2.5, 0.1], [0.4, 1.2]]) },
    'new phase',
    { losses: [0.5, 0.27], gramian: gramianOf([[0.5, 0.1], [0.4, 2.2]]) },
    { losses: [0.45, 0.2], gramian: gramianOf([[0.4, 0.1], [0.3, 2]]) },
    { losses: [0.4, 0.22], gramian: gramianOf([[0.4, 0.2], [0.3, 1.8]]) },
  ]],
];

for (const [label, params, steps] of GRADNORM) {
  test(`gradnorm in the graph equals the core rule step by step: ${label}`, async () => {
    const graph = await gradNormOnGraph(params, steps);
    const js = gradNormInJs(params, steps);
    assert.equal(graph.length, js.length);
    js.forEach((expected, n) => graph[n]!.forEach((w, i) => assert.ok(Math.abs(w - expected[i]!) < 1e-5, `step ${n}: graph [${graph[n]}] vs rule [${expected}]`)));
  });
}

test('GradNorm by hand in the graph (the core test\'s steps): [1, 1], [0.8421053, 1.1578947], [0.9916898, 1.0083102], [0.8916898, 1.1083102]', async () => {
  const graph = await gradNormOnGraph(GRADNORM[0]![1], GRADNORM[0]![2]);
  const expected = [[1, 1], [0.8421053, 1.1578947], [0.9916898, 1.0083102], [0.8916898, 1.1083102]];
  expected.forEach((e, n) => e.forEach((x, i) => assert.ok(Math.abs(graph[n]![i]! - x) < 1e-6, `step ${n}: [${graph[n]}] vs [${e}]`)));
});
