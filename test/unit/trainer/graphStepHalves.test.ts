// The fused step in halves (graph/trainGraph.ts `halves`, chosen by threads.ts `stepHalvesFor`):
// each batch split into its even and odd rows, a forward and backward pass each, the two
// gradients summed. Each half's loss gradient is scaled by the whole batch's 1/n, so the sum is
// the whole batch's mean-loss gradient: the same weights after every step as the whole step, up to
// float rounding, and the same running train loss, train metrics and conflict measurements.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH, HALVES_NOTE } from '../../../src/trainer/graph/graphStep';
import { buildTrainGraph } from '../../../src/trainer/graph/trainGraph';
import { makeHeads } from '../../../src/trainer/heads';
import { graphSpec as spec, trainWith, type Trained } from './graphTraining';

/** |a - b| within 1e-5 of the larger of 1 and |b| (two summation orders round float32 apart by a value's size). */
const close = (a: number, b: number, tolerance = 1e-5) => Math.abs(a - b) < tolerance * Math.max(1, Math.abs(b));

function assertSameTraining(halves: Trained, whole: Trained): void {
  assert.equal(whole.path, GRAPH_STEP_PATH);
  assert.equal(halves.path, `${GRAPH_STEP_PATH}; ${HALVES_NOTE}`);
  assert.equal(halves.trainLoss.length, whole.trainLoss.length);
  halves.trainLoss.forEach((p, k) => {
    const w = whole.trainLoss[k]!;
    assert.deepEqual([p.step, p.task], [w.step, w.task]);
    assert.ok(close(p.value, w.value), `train loss of ${p.task} at step ${p.step}: halves ${p.value} vs whole ${w.value}`);
  });
  // Validation and the running train metrics (accuracy, AUC, errors) at every epoch's end.
  assert.equal(halves.epochPoints.length, whole.epochPoints.length);
  halves.epochPoints.forEach((p, k) => {
    const w = whole.epochPoints[k]!;
    assert.deepEqual([p.epoch, p.split, p.task, p.metric], [w.epoch, w.split, w.task, w.metric]);
    assert.ok(close(p.value, w.value, 1e-4), `epoch ${p.epoch} ${p.split} ${p.task} ${p.metric}: halves ${p.value} vs whole ${w.value}`);
  });
  assert.equal(halves.conflict.length, whole.conflict.length);
  halves.conflict.forEach((v, k) => assert.ok(close(v, whole.conflict[k]!, 1e-4), `conflict value ${k}: halves ${v} vs whole ${whole.conflict[k]}`));
  let moved = 0;
  halves.weights.forEach((w, i) => {
    for (let k = 0; k < w.length; k++) {
      assert.ok(close(w[k]!, whole.weights[i]![k]!), `weight ${i}[${k}]: halves ${w[k]} vs whole ${whole.weights[i]![k]}`);
      if (Math.abs(w[k]! - halves.initial[i]![k]!) > 1e-4) moved++;
    }
  });
  assert.ok(moved > 100, `${moved} weights moved`);
}

for (const [label, training, evaluation, rows] of [
  // 100 rows at 16: six batches of 16 and one of 4; L2 on the trunk, three kinds of head.
  ['equal weighting, SGD with momentum, conflict measured every 3 steps', { weighting: { method: 'equal' as const }, optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9 } }, { conflict: { every: 3 } }, 100],
  // 100 rows at 33: three batches of 33 (halves of 17 and 16) and one of a single row (its second half empty).
  ['static weights, Adam, odd batches and a batch of one row', { weighting: { method: 'static' as const }, optimizer: { type: 'adam' as const, learningRate: 0.01 }, batchSize: 33, epochs: 3 }, undefined, 100],
] as const) {
  test(`a step in halves trains as the whole step: ${label}`, { timeout: 90_000 }, async () => {
    const s: ExperimentSpec = { ...spec(training), ...(evaluation ? { evaluation } : {}) };
    const whole = await trainWith(s, 'tensorflow', { rows });
    const halves = await trainWith(s, 'tensorflow', { rows, stepHalves: true });
    assertSameTraining(halves, whole);
  });
}

test('learned or gradient-based weighting keeps the whole step', { timeout: 60_000 }, async () => {
  for (const method of ['uncertainty', 'mgda'] as const) {
    const r = await trainWith({ ...spec({ weighting: { method } }), evaluation: { conflict: { every: 0 } } }, 'tensorflow', { stepHalves: true });
    assert.ok(r.path.startsWith(GRAPH_STEP_PATH), `${method}: ${r.path}`);
    assert.ok(!r.path.includes(HALVES_NOTE), `${method}: ${r.path}`);
  }
});

test('the graph refuses halves where a half would be wrong: dropout, learned weights, task gradients', async () => {
  const { tf } = await loadBackend('tensorflow');
  const plain = spec({});
  const heads = makeHeads(tf, plain);
  const topo = analyzeGraph(plain).order;
  const dropped: ExperimentSpec = { ...plain, model: { ...plain.model, layers: [...plain.model.layers.map((l) => (l.id === 'clsHead' ? { ...l, from: ['drop'] } : l)), { id: 'drop', type: 'dropout', rate: 0.3, from: ['sum'] }] } };
  const refused = /a step in halves takes dense, concatenate and add layers/;
  assert.throws(() => buildTrainGraph(dropped, makeHeads(tf, dropped), analyzeGraph(dropped).order, { halves: true }), refused);
  assert.throws(() => buildTrainGraph(plain, heads, topo, { halves: true, uncertainty: true }), refused);
  assert.throws(() => buildTrainGraph(plain, heads, topo, { halves: true, gradient: { mode: 'parameters', weightsOwnLayers: false } }), refused);
  assert.ok(buildTrainGraph(plain, heads, topo, { halves: true }).savedModel.length > 0);
});
