// A recurrent graph opens its session with Grappler off (graph/sessionConfig.ts grapplerForGraph):
// TensorFlow then runs the LSTM's and GRU's unrolled steps as we wrote them, with no pass to fix
// an order. The same training must still give the same weights, losses and conflict values, bit
// for bit, run after run: stacked LSTMs and a GRU with a plain step, and stacked LSTMs with a
// gradient method on the shared parameters (a Gramian of every recurrent kernel, read by the
// conflict measurement too: the sums orderedSum.ts writes in a fixed order). The step's graph has
// no sum whose order follows the schedule either (which a repeated training shows in some runs only). TensorFlow's
// inter-op pool at 4 threads (its default here is the 2 cores) so that more ops run side by side.
// `npm run test:determinism` trains each 10 times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec, LayerSpec, WeightingSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH } from '../../../src/trainer/graph/graphStep';
import { takesSessionConfig } from '../../../src/trainer/graph/session';
import { trainWith, type Trained } from './graphTraining';
import { GRU, recurrentData, recurrentSpec, STACKED } from './recurrentFixtures';
import { graphsBuiltBy, scheduleDependentSums } from './scheduleDependentSums';

// Read by TensorFlow at this process' first session (node --test runs each file in a process of its own).
process.env.TF_NUM_INTEROP_THREADS ||= '4';

const runs = process.env.MTS_DETERMINISM_FULL === '1' ? 10 : 3;

function assertIdentical(a: Trained, b: Trained, run: number): void {
  assert.deepEqual(b.trainLoss, a.trainLoss, `run ${run}: train losses`);
  assert.deepEqual(b.epochPoints, a.epochPoints, `run ${run}: epoch points`);
  assert.deepEqual(b.conflict, a.conflict, `run ${run}: conflict`);
  assert.deepEqual(b.reportedWeights, a.reportedWeights, `run ${run}: task weights`);
  a.weights.forEach((w, i) => assert.deepEqual(b.weights[i], w, `run ${run}: weight ${i}`));
}

/** The conflict measured on every step; `weighting`: a gradient method and its mode. */
const spec = (trunk: readonly LayerSpec[], weighting?: WeightingSpec): ExperimentSpec => ({
  ...recurrentSpec(weighting ? { weighting } : {}, trunk),
  evaluation: { conflict: { every: 1 } },
});

for (const [label, s, path] of [
  ['stacked LSTMs', spec(STACKED), GRAPH_STEP_PATH],
  ['a GRU', spec(GRU), GRAPH_STEP_PATH],
  ['stacked LSTMs with UPGrad on the shared parameters', spec(STACKED, { method: 'upgrad', mode: 'parameters' } as WeightingSpec), `${GRAPH_STEP_PATH}, task gradients on the shared parameters`],
  ['stacked LSTMs with IMTL-G on the shared parameters', spec(STACKED, { method: 'imtlg', mode: 'parameters' } as WeightingSpec), `${GRAPH_STEP_PATH}, task gradients on the shared parameters`],
] as const) {
  test(`${label}, SGD with momentum, Grappler off: trains the same ${runs} times, bit for bit, the conflict measured every step`, { timeout: 60_000 * runs }, async (t) => {
    const { tf } = await loadBackend('tensorflow');
    if (!takesSessionConfig(tf)) return t.skip("this tfjs-node binding is the package's own: it takes no session config (npm install builds ours)");
    // Off whatever the trainer would choose, and whatever MTS_GRAPPLER the environment has.
    const before = process.env.MTS_GRAPPLER;
    process.env.MTS_GRAPPLER = 'off';
    try {
      const o = { data: (n: number) => recurrentData(n) };
      const { result: first, graphs } = await graphsBuiltBy(() => trainWith(s, 'tensorflow', o));
      assert.ok(first.path.startsWith(path), first.path);
      // No sum whose order follows the schedule (scheduleDependentSums.ts) in the step's graph, built by this first run.
      assert.ok(graphs.some((nodes) => nodes.some((n) => n.op === 'AddN' || n.op === 'Sum')), `${label}: no training graph built`);
      assert.deepEqual(graphs.flatMap(scheduleDependentSums), []);
      assert.ok(first.conflict.length > 0);
      for (let k = 1; k < runs; k++) assertIdentical(first, await trainWith(s, 'tensorflow', o), k + 1);
    } finally {
      if (before === undefined) delete process.env.MTS_GRAPPLER;
      else process.env.MTS_GRAPPLER = before;
    }
  });
}
