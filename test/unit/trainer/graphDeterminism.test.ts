// A plain dense step opens its session with Grappler off (graph/sessionConfig.ts grapplerForGraph):
// TensorFlow then runs the graph as we wrote it, with no pass to fix an order, on an inter-op pool
// of two threads when the step runs in halves. A run must still be reproducible: the same spec and
// data train to the same weights, losses and conflict values, bit for bit, run after run (gradient
// methods' graphs: graphGradientDeterminism.test.ts; recurrent ones: graphRecurrentDeterminism.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH, HALVES_NOTE } from '../../../src/trainer/graph/graphStep';
import { takesSessionConfig } from '../../../src/trainer/graph/session';
import { grapplerForGraph } from '../../../src/trainer/graph/sessionConfig';
import { graphSpec as spec, trainWith, type Trained } from './graphTraining';

function assertIdentical(a: Trained, b: Trained): void {
  assert.deepEqual(b.trainLoss, a.trainLoss);
  assert.deepEqual(b.epochPoints, a.epochPoints);
  assert.deepEqual(b.conflict, a.conflict);
  a.weights.forEach((w, i) => assert.deepEqual(b.weights[i], w, `weight ${i}`));
}

for (const halves of [false, true]) {
  test(`a plain dense step with Grappler off trains the same twice, bit for bit${halves ? ', in halves' : ''}`, { timeout: 120_000 }, async (t) => {
    assert.equal(grapplerForGraph({ conv: false }), 'off');
    const { tf } = await loadBackend('tensorflow');
    if (!takesSessionConfig(tf)) return t.skip("this tfjs-node binding is the package's own: it takes no session config (npm install builds ours)");
    // 100 rows at 16 (a last batch of 4), SGD with momentum, L2, the conflict measured every 3 steps.
    const s: ExperimentSpec = { ...spec({ weighting: { method: 'equal' }, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 } }), evaluation: { conflict: { every: 3 } } };
    const o = { rows: 100, ...(halves ? { stepHalves: true as const } : {}) };
    const first = await trainWith(s, 'tensorflow', o);
    assert.equal(first.path, halves ? `${GRAPH_STEP_PATH}; ${HALVES_NOTE}` : GRAPH_STEP_PATH);
    assert.ok(first.conflict.length > 0);
    for (let k = 0; k < 2; k++) assertIdentical(first, await trainWith(s, 'tensorflow', o));
  });
}
