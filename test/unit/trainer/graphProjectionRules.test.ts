// PCGrad's and GradVac's graph rules (graph/pcGradRule.ts, gradVacRule.ts) give the core rules'
// coefficients (core/weighting/pcgrad.ts, gradvac.ts) within 1e-5, step after step: the task
// orders fed to the graph are drawn from the same stream as the core rule's (weighting/index.ts
// visitOrders), and GradVac's targets carried in the session equal the core rule's, until the
// "set" run puts them back to 0. Hand-worked Gramians and the degenerate ones: equal,
// opposite and zero gradients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../src/core/random';
import { gradvacWeights } from '../../../src/core/weighting/gradvac';
import { randomOrder } from '../../../src/core/weighting/gramian';
import { pcgradWeights } from '../../../src/core/weighting/pcgrad';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { graphRule, hasGraphRule } from '../../../src/trainer/graph/graphRules';
import type { RuleIo } from '../../../src/trainer/graph/ruleState';
import { openSession } from '../../../src/trainer/graph/session';
import { visitOrders } from '../../../src/trainer/weighting/index';
import { gramianOf } from './ruleOnGraph';


/**
 * One session of the rule for k tasks: `step(G)` runs a step on G (the orders drawn from
 * `random`), returning its coefficients; `reset()` runs the rule's "set" nodes.
 */
async function ruleSession(id: string, params: Record<string, unknown>, k: number, random: () => number) {
  const { tf } = await loadBackend('tensorflow');
  const g = new GraphBuilder();
  const G = g.placeholder('gramian', [k, k]);
  const io: RuleIo = { updates: [], resets: [] };
  const out = graphRule(g, 'rule', id, params, k, G, io)!;
  assert.equal(!!io.orders, k > 2, 'orders fed with more than two tasks only');
  const done = g.op('Identity', [out, ...io.updates.map((u) => `^${u}`)], { T: { type: 'float' } }, 'done');
  const resetDone = g.op('Identity', [g.constant('zero', { dtype: 'float', shape: [], values: [0] }), ...io.resets.map((r) => `^${r}`)], { T: { type: 'float' } }, 'reset');
  const session = openSession(tf, g.savedModel(['serve']));
  const reset = () => { if (io.resets.length) tf.dispose(session.run([], [], [resetDone])); };
  reset();
  return {
    step(gram: number[][]): number[] {
      const fed = [tf.tensor2d(gram), ...(io.orders ? [tf.tensor1d(visitOrders(k, random), 'int32')] : [])];
      const [w] = session.run([{ name: G }, ...(io.orders ? [{ name: io.orders, tfDtype: 'DT_INT32' }] : [])], fed, [done]);
      const values = Array.from(w!.dataSync());
      tf.dispose([w!, ...fed]);
      return values;
    },
    reset,
    dispose: () => session.dispose(),
  };
}

const close = (graph: number[], rule: number[], label: string) => {
  assert.equal(graph.length, rule.length);
  graph.forEach((w, i) => assert.ok(Math.abs(w - rule[i]!) < 1e-5, `${label}: graph [${graph}] vs rule [${rule}]`));
};

const CASES: Record<string, number[][][]> = {
  'two tasks': [
    gramianOf([[1, 0], [-1, 1]]), gramianOf([[2, 0], [0.5, 1.3]]), gramianOf([[1, 2], [1, 2]]), gramianOf([[1, -1], [-1, 1]]),
    gramianOf([[0, 0], [0.3, 1]]), gramianOf([[2, 0], [-1, 0.2]]), gramianOf([[0, 0], [0, 0]]), gramianOf([[1, 0], [-1, 1]]),
  ],
  'three tasks': [
    gramianOf([[1, 0, 0.5], [-0.8, 1, -0.3], [-0.4, -0.9, 2]]), gramianOf([[1, 0, 0.5], [1, 0, 0.5], [-1, 0, -0.5]]),
    gramianOf([[1, 0, 0.5], [0, 0, 0], [-0.2, 2, -1]]), gramianOf([[0, 0, 0], [0, 0, 0], [0, 0, 0]]),
    gramianOf([[1, 0.2, 0], [-1, 0.5, 0.3], [0.2, -1, 0.1]]), gramianOf([[1, 0, 0.5], [-0.8, 1, -0.3], [-0.4, -0.9, 2]]),
  ],
  'four tasks': [
    gramianOf([[1, 0, 0.5, 0], [-0.8, 1, -0.3, 0.2], [-0.4, -0.9, 2, 0], [0.3, -0.2, -1, 1]]),
    gramianOf([[1, 1, 0, 0], [1, 1, 0, 0], [-1, -1, 0, 0], [0, 0, 0, 0]]),
    gramianOf([[0.5, -1, 0.2, 0.1], [-0.4, 0.9, 0.3, -1], [1, 0.1, -0.7, 0.2], [-0.3, 0.3, 0.3, -0.3]]),
  ],
};

for (const [label, gramians] of Object.entries(CASES)) {
  const k = gramians[0]!.length;
  test(`PCGrad in the graph equals the core rule step by step, ${label}, the orders from the rule's stream`, async () => {
    const [ours, theirs] = [new SeededRandom(11), new SeededRandom(11)];
    const rule = await ruleSession('pcgrad', {}, k, () => ours.next());
    // Twice over: each step draws new orders.
    [...gramians, ...gramians].forEach((G, s) => close(rule.step(G), pcgradWeights(G, () => theirs.next()), `step ${s}`));
    rule.dispose();
  });
  for (const beta of [0.01, 0.5]) {
    test(`GradVac (beta ${beta}) in the graph equals the core rule over several steps (its targets carried), ${label}; "set" restarts them`, async () => {
      const [ours, theirs] = [new SeededRandom(5), new SeededRandom(5)];
      const rule = await ruleSession('gradvac', { beta }, k, () => ours.next());
      for (let round = 0; round < 2; round++) {
        // The core rule's state as a phase's weighting starts it: every target 0.
        const targets = gramians[0]!.map(() => gramians[0]!.map(() => 0));
        gramians.forEach((G, s) => close(rule.step(G), gradvacWeights(G, targets, beta, () => randomOrder(k, () => theirs.next())), `round ${round} step ${s}`));
        assert.ok(targets.some((row) => row.some((t) => t !== 0)), 'the targets moved');
        rule.reset();
      }
      rule.dispose();
    });
  }
}

test('PCGrad by hand: g1 = (1, 0), g2 = (-1, 1): g1 + g2 / 2 and g2 + g1, coefficients (2, 1.5)', async () => {
  // <g1, g2> = -1: g1^PC = g1 - (-1 / 2) g2, g2^PC = g2 - (-1 / 1) g1.
  const rule = await ruleSession('pcgrad', {}, 2, () => 0);
  close(rule.step([[1, -1], [-1, 2]]), [2, 1.5], 'hand-worked');
  rule.dispose();
});

test('GradVac by hand, beta 1/2: g1 = (1, 0), g2 = (-1, 1), two steps', async () => {
  const rule = await ruleSession('gradvac', { beta: 0.5 }, 2, () => 0);
  // Step 1, targets 0: PCGrad's projection, (2, 1.5); phi = -1/sqrt(2) for both pairs, so both
  // targets become t = -1 / (2 sqrt(2)).
  close(rule.step([[1, -1], [-1, 2]]), [2, 1.5], 'step 1');
  // Step 2: phi < t, r = sqrt(1 - t^2) = sqrt(7/8); a = t sqrt(1 - phi^2) - phi r = -1/4 + sqrt(7/16).
  // g1 gains n1 a / (n2 r) g2 = a / (sqrt(2) r) g2, g2 gains sqrt(2) a / r g1.
  const t = -1 / (2 * Math.SQRT2);
  const r = Math.sqrt(7 / 8);
  const a = -0.25 + Math.sqrt(7 / 16);
  close(rule.step([[1, -1], [-1, 2]]), [1 + (Math.SQRT2 * a) / r, 1 + a / (Math.SQRT2 * r)], 'step 2');
  assert.ok(Math.abs(t * Math.sqrt(0.5) + Math.SQRT1_2 * r - a) < 1e-12);
  close([1 + (Math.SQRT2 * a) / r, 1 + a / (Math.SQRT2 * r)], [1.6220355269907727, 1.3110177634953863], 'by hand');
  rule.dispose();
});

test('PCGrad and GradVac have a graph rule for any number of tasks', () => {
  for (const k of [2, 3, 4]) assert.ok(hasGraphRule('pcgrad', k) && hasGraphRule('gradvac', k));
});
