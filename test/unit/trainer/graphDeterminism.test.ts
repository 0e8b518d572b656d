// A plain dense step opens its session with Grappler off (graph/sessionConfig.ts grapplerForGraph):
// TensorFlow then runs the graph as we wrote it, with no pass to fix an order, on an inter-op pool
// of two threads when the step runs in halves. A run must still be reproducible: the same spec and
// data train to the same weights, losses and conflict values, bit for bit, run after run. So must
// the other graph kinds with Grappler off: every gradient method in both modes, convolutional and
// recurrent graphs (a read of a variable racing its update in one run would show here).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec, WeightingSpec } from '../../../src/core/spec';
import { GRADIENT_MODES } from '../../../src/core/weighting/method';
import { WEIGHTING_METHODS } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH, HALVES_NOTE } from '../../../src/trainer/graph/graphStep';
import { takesSessionConfig } from '../../../src/trainer/graph/session';
import { grapplerForGraph, type GrapplerMode } from '../../../src/trainer/graph/sessionConfig';
import { convData, convSpec, swap } from './convFixtures';
import { graphSpec as spec, trainWith, type Trained } from './graphTraining';
import { GRU, recurrentData, recurrentSpec, STACKED } from './recurrentFixtures';

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

/** Trains `s` three times on the fused graph with Grappler `mode` (MTS_GRAPPLER for these runs): all three the same, bit for bit. */
async function assertRepeatable(s: ExperimentSpec, mode: GrapplerMode, o: Parameters<typeof trainWith>[2] = {}): Promise<Trained> {
  const before = process.env.MTS_GRAPPLER;
  process.env.MTS_GRAPPLER = mode;
  try {
    const first = await trainWith(s, 'tensorflow', o);
    for (let k = 0; k < 2; k++) assertIdentical(first, await trainWith(s, 'tensorflow', o));
    return first;
  } finally {
    if (before === undefined) delete process.env.MTS_GRAPPLER;
    else process.env.MTS_GRAPPLER = before;
  }
}

// Every gradient method in both modes, with Grappler off: its own graph (a rule's While loop,
// GradDrop's uniforms and masks, GradNorm's and GradVac's variables), the conflict measured too.
for (const m of WEIGHTING_METHODS.filter((x) => x.description.family === 'gradient')) {
  for (const mode of GRADIENT_MODES) {
    test(`${m.description.title} on the shared ${mode} with Grappler off trains the same three times, bit for bit`, { timeout: 120_000 }, async (t) => {
      const { tf } = await loadBackend('tensorflow');
      if (!takesSessionConfig(tf)) return t.skip("this tfjs-node binding is the package's own: it takes no session config (npm install builds ours)");
      const s: ExperimentSpec = { ...spec({ weighting: { method: m.description.id, mode } as WeightingSpec, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 } }), evaluation: { conflict: { every: 3 } } };
      const first = await assertRepeatable(s, 'off');
      assert.ok(first.path.startsWith(`${GRAPH_STEP_PATH}, task gradients on the shared ${mode}`), first.path);
      assert.ok(first.conflict.length > 0);
    });
  }
}

// A convolutional graph (conv, pooling, batch norm's moving statistics updated in the step, Adam)
// and recurrent ones (stacked LSTMs, a GRU) with Grappler off.
for (const [label, s, data] of [
  ['conv2d, batch normalization and max pooling with Adam', convSpec({ optimizer: { type: 'adam', learningRate: 0.01 } },
    swap('p1', [{ id: 'bn1', type: 'batchNormalization', from: ['c1'] }, { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['bn1'] }])), (n: number) => convData(n)],
  ['stacked LSTMs, SGD with momentum', recurrentSpec({}, STACKED), (n: number) => recurrentData(n)],
  ['a GRU, SGD with momentum', recurrentSpec({}, GRU), (n: number) => recurrentData(n)],
] as const) {
  test(`a ${label} with Grappler off trains the same three times, bit for bit`, { timeout: 120_000 }, async (t) => {
    const { tf } = await loadBackend('tensorflow');
    if (!takesSessionConfig(tf)) return t.skip("this tfjs-node binding is the package's own: it takes no session config (npm install builds ours)");
    const first = await assertRepeatable(s, 'off', { data });
    assert.equal(first.path, GRAPH_STEP_PATH);
  });
}
