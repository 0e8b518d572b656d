// A loss-family method's (and a gradient method's on the shared representation) gradient-conflict measurement in the fused graph's session
// (graph/conflictGramians.ts): the same hand-worked Gramians as the tape's
// (insight/conflict.test.ts), on a batch of rows picked from the bound split; and the tape keeps
// the measurement where the step's forward is not the measurement's (dropout).
// The loop's conflict values on the graph equal the tape's: graphStep.test.ts. A dense layer's
// Gramian from its input and the tasks' pre-activation gradients equals the one from its weight
// gradients on a real graph of three tasks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { compileGraphStep } from '../../../src/trainer/graph/graphStep';
import { denseDirectionCosts, denseGramianCosts } from '../../../src/trainer/graph/denseGramian';
import { blockGramians, sharedBlocks } from '../../../src/trainer/insight/conflict';
import { toDevice } from '../../../src/trainer/deviceData';
import { makeForward } from '../../../src/trainer/model/forward';
import { inferShapes } from '../../../src/core/shapes';
import { loadBackend } from '../../../src/trainer/backend';
import { analyzeGraph } from '../../../src/core/graph';
import { buildModel } from '../../../src/trainer/model/build';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { twoRegressionTasks, withWeights } from './insight/tinyModel';
import { graphSpec } from './graphTraining';
import { equivalenceData, withDropout } from './stepFixtures';
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

test('a dense layer\'s Gramian costs, multiply-adds, worked by hand: the reference workload\'s 784 x 128 layer, 2 tasks, batch 32 and 256', () => {
  // n = 32, in = 784, out = 128, tasks = 2.
  // From activations: X Xᵀ 32·32·784 = 802,816; (X Xᵀ + 1) D_t 2·32·32·128 = 262,144; products 2·2·32·128 = 16,384; sum 1,081,344.
  // From weights: kernel gradients 2·32·784·128 = 6,422,528; products 2·2·(784·128 + 128) = 4·100,480 = 401,920; sum 6,824,448.
  assert.deepEqual(denseGramianCosts(32, 784, 128, 2), { fromActivations: 1_081_344, fromWeights: 6_824_448 });
  // n = 256: 256·256·784 = 51,380,224; 2·256·256·128 = 16,777,216; 2·2·256·128 = 131,072; sum 68,288,512.
  // Weights: 2·256·784·128 = 51,380,224; + 401,920 = 51,782,144: the weight gradients are cheaper.
  assert.deepEqual(denseGramianCosts(256, 784, 128, 2), { fromActivations: 68_288_512, fromWeights: 51_782_144 });
});

test('a gradient method\'s Gramian and combined gradient of a dense layer, multiply-adds, worked by hand: 784 x 128, batch 32 and 256, 2 and 4 tasks', () => {
  // n = 32, in = 784, out = 128, tasks = 2. From activations: the Gramian 1,081,344 (above);
  // sum_t c_t D_t 2·32·128 = 8,192; the one kernel gradient Xᵀ(...) 32·784·128 = 3,211,264; sum 4,300,800.
  // From weights: the Gramian 6,824,448; sum_t c_t g_t 2·(784·128 + 128) = 200,960; sum 7,025,408.
  assert.deepEqual(denseDirectionCosts(32, 784, 128, 2), { fromActivations: 4_300_800, fromWeights: 7_025_408 });
  // tasks = 4: X Xᵀ 802,816; 4·32·32·128 = 524,288; 16·32·128 = 65,536; 4·32·128 = 16,384; 3,211,264; sum 4,620,288.
  // Weights: 4·32·784·128 = 12,845,056; 16·100,480 = 1,607,680; 4·100,480 = 401,920; sum 14,854,656.
  assert.deepEqual(denseDirectionCosts(32, 784, 128, 4), { fromActivations: 4_620_288, fromWeights: 14_854_656 });
  // n = 256, tasks = 2: 68,288,512 + 2·256·128 = 65,536 + 256·784·128 = 25,690,112: 94,044,160;
  // weights 51,782,144 + 200,960 = 51,983,104: the weight gradients are cheaper.
  assert.deepEqual(denseDirectionCosts(256, 784, 128, 2), { fromActivations: 94_044_160, fromWeights: 51_983_104 });
});

test('the Gramians from the layers\' inputs (batch size 2) equal those from their weight gradients (batch size 512) and the tape\'s, on three tasks, shared layers one task does not reach', async () => {
  const small = { ...graphSpec({ batchSize: 2 }), evaluation: { conflict: { every: 1 } } };
  const large = { ...small, training: { ...small.training, batchSize: 512 } };
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(small).order;
  const built = buildModel(tf, small, topo, 3);
  const heads = makeHeads(tf, small);
  const blocks = sharedBlocks({ spec: small, built });
  assert.deepEqual(blocks.map((b) => b.id), ['a', 'b', 'trunk', 'side']);
  // Each shared dense layer takes its Gramian from its input at batch size 2 and from its weight gradients at 512.
  const { shapes } = inferShapes(small);
  for (const b of blocks) {
    const l = small.model.layers.find((x) => x.id === b.id)! as { from: string[]; units: number };
    const width = shapes.get(l.from[0]!)!.at(-1)!;
    const [two, many] = [2, 512].map((n) => denseGramianCosts(n, width, l.units, heads.length));
    assert.ok(two!.fromActivations < two!.fromWeights && many!.fromActivations > many!.fromWeights, `layer ${b.id}: ${JSON.stringify([two, many])}`);
  }
  const train = toDevice(tf, small, heads, equivalenceData(100, { seed: 9 }));
  const steps = [small, large].map((s) => compileGraphStep(tf, s, built, heads, topo, [], new Set(), undefined, blocks.map((b) => b.id)));
  steps.forEach((step) => step.bind(train.x, train.targets));
  const rows = Int32Array.from({ length: 16 }, (_, i) => (i * 37) % 100);
  const [fromInputs, fromWeights] = steps.map((step) => step.measureConflict!(rows));
  const batch = steps[0]!.batch(rows);
  const forward = makeForward(tf, small, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const tape = blockGramians({ tf, forward, heads }, blocks, batch.x, batch.y, new Map());
  let nonZero = 0;
  blocks.forEach((b, k) => {
    const scale = Math.max(1, ...fromWeights![k]!.flat().map(Math.abs));
    for (let i = 0; i < heads.length; i++) for (let j = 0; j < heads.length; j++) {
      const [v, w, t] = [fromInputs![k]![i]![j]!, fromWeights![k]![i]![j]!, tape[k]![i]![j]!];
      assert.ok(Math.abs(v - w) <= 1e-5 * scale, `${b.id} G[${i}][${j}]: from inputs ${v}, from weight gradients ${w}`);
      assert.ok(Math.abs(v - t) <= 1e-5 * scale, `${b.id} G[${i}][${j}]: from inputs ${v}, tape ${t}`);
      if (Math.abs(w) > 1e-6) nonZero++;
    }
  });
  // The regression task does not reach 'side': its row and column there are 0; the rest are not.
  const side = blocks.findIndex((b) => b.id === 'side');
  assert.deepEqual(fromInputs![side]![2], [0, 0, 0]);
  assert.ok(nonZero >= 3 * 9 + 4, `${nonZero} non-zero entries`);
  steps.forEach((step) => step.dispose());
  tf.dispose([...batch.x.values(), ...batch.y.values(), ...train.x.values()]);
  built.model.dispose();
});

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
