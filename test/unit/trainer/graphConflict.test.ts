// A loss-family method's (and a gradient method's on the shared representation) gradient-conflict measurement in the fused graph's session
// (graph/conflictGramians.ts): the same hand-worked Gramians as the tape's
// (insight/conflict.test.ts), on a batch of rows picked from the bound split; and the tape keeps
// the measurement where the step's forward is not the measurement's (dropout).
// The loop's conflict values on the graph equal the tape's: graphStep.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { compileGraphStep } from '../../../src/trainer/graph/graphStep';
import { sharedBlocks } from '../../../src/trainer/insight/conflict';
import { loadBackend } from '../../../src/trainer/backend';
import { analyzeGraph } from '../../../src/core/graph';
import { buildModel } from '../../../src/trainer/model/build';
import { makeHeads } from '../../../src/trainer/heads';
import { twoRegressionTasks, withWeights } from './insight/tinyModel';
import { graphSpec } from './graphTraining';
import { withDropout } from './stepFixtures';
import { makeWeighting } from '../../../src/trainer/weighting/index';
import type { ExperimentSpec } from '../../../src/core/spec';

// A gradient method on the shared representation has no task gradients on the shared weights
// either: it measures in the session too (before, on the tape: some 375 eager ops a measurement).
for (const [label, weighting] of [['a loss-family method', undefined], ['a gradient method on the shared representation', { method: 'imtlg', mode: 'representation' }]] as const) {
  test(`the session measures conflict as the tape does, ${label}: x = [1, 2], t1 = I, t2 = 2·I, heads [1, 0] and [−1, 1], targets 0 (worked by hand)`, async () => {
    const base = twoRegressionTasks('conflict-graph', [
      { id: 't1', type: 'dense', units: 2, from: ['x'] },
      { id: 't2', type: 'dense', units: 2, from: ['t1'] },
      { id: 'ha', type: 'dense', units: 1, from: ['t2'] },
      { id: 'hb', type: 'dense', units: 1, from: ['t2'] },
    ]);
    const spec = weighting ? { ...base, training: { ...base.training, weighting: weighting as ExperimentSpec['training']['weighting'] } } : base;
    const { tf, topo, built, heads } = await withWeights(spec, { t1: [[1, 0], [0, 1]], t2: [[2, 0], [0, 2]], ha: [[1], [0]], hb: [[-1], [1]] });
    const blocks = sharedBlocks({ spec, built }).map((b) => b.id);
    const step = compileGraphStep(tf, spec, built, heads, topo, [], new Set(), weighting ? makeWeighting(tf, spec.training.weighting, spec.tasks, 1) : undefined, blocks);
    assert.ok(step.measureConflict, `${label} on dense layers measures in the session`);
    // Row 1 is the worked example; row 0 (another input) is not in the batch.
    const x = new Map<string, TF.Tensor>([['x', tf.tensor2d([[5, -3], [1, 2]])]]);
    step.bind(x, new Map([['a', Float32Array.of(7, 0)], ['b', Float32Array.of(-7, 0)]]));
    // h1 = [1, 2], h2 = [2, 4]; out_a = 2, out_b = 2. dL/dh2: a 2·2·[1, 0] = [4, 0], b 2·2·[−1, 1] = [−4, 4].
    // t2 (input h1): g_a = [[4, 0], [8, 0]] | [4, 0] → |g_a|² = 96; g_b = [[−4, 4], [−8, 8]] | [−4, 4] → 192; <g_a, g_b> = −96.
    // dL/dh1 = dL/dh2 · W2ᵀ = 2 · dL/dh2; t1 (input x): |g_a|² = 384, |g_b|² = 768, <g_a, g_b> = −384.
    const grams = step.measureConflict!(Int32Array.of(1));
    const expected = [[[384, -384], [-384, 768]], [[96, -96], [-96, 192]]];
    assert.equal(grams.length, 2);
    grams.forEach((g, k) => g.forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs(v - expected[k]![a]![b]!) <= 1e-3, `block ${k} G[${a}][${b}] ${v}`))));
    // The mean loss's gradient: the same row twice gives the same Gramians (n divides the sum).
    const twice = step.measureConflict!(Int32Array.of(1, 1));
    twice.forEach((g, k) => g.forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs(v - expected[k]![a]![b]!) <= 1e-3, `twice: block ${k} G[${a}][${b}] ${v}`))));
    step.dispose();
    tf.dispose([...x.values()]);
    built.model.dispose();
  });
}

test('with dropout the measurement stays on the tape (it measures without the step\'s masks)', async () => {
  const s = { ...withDropout(graphSpec({})), evaluation: { conflict: { every: 3 } } };
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const built = buildModel(tf, s, topo, 3);
  const step = compileGraphStep(tf, s, built, makeHeads(tf, s), topo, [], new Set(), undefined, sharedBlocks({ spec: s, built }).map((b) => b.id));
  assert.equal(step.measureConflict, undefined);
  step.dispose();
  built.model.dispose();
});
