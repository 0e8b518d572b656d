// A gradient method's fused graph trains the same, bit for bit, run after run. It did not: the
// Gramian on the shared parameters was an AddN of the weights' Gramians, which the conflict
// measurement reads too, and AddN's order follows which of the two ran first (orderedSum.ts): two
// identical trainings of IMTL-G, UPGrad, GradVac, Nash-MTL or GradDrop then parted from the 7th
// digit in one of 3 to 10 runs. Two checks: no sum in any gradient method's graph whose order can
// follow the schedule (a check of the graph, which fails every time such a sum is there), and the
// same training three times (which a schedule-dependent sum fails in some runs only), with
// TensorFlow's inter-op pool at 4 threads (its default here is the 2 cores) so that more ops run
// side by side, and the conflict measured on every step, where the Gramians are read twice.
// `npm run test:determinism` runs the long version: every method in both modes, 10 runs each,
// with Grappler off and on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec, WeightingSpec } from '../../../src/core/spec';
import { GRADIENT_MODES } from '../../../src/core/weighting/method';
import { WEIGHTING_METHODS } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH } from '../../../src/trainer/graph/graphStep';
import { takesSessionConfig } from '../../../src/trainer/graph/session';
import type { GrapplerMode } from '../../../src/trainer/graph/sessionConfig';
import { graphSpec, trainWith, type Trained } from './graphTraining';
import { graphsBuiltBy, scheduleDependentSums } from './scheduleDependentSums';

// Read by TensorFlow at this process' first session (node --test runs each file in a process of its own).
process.env.TF_NUM_INTEROP_THREADS ||= '4';

const FULL = process.env.MTS_DETERMINISM_FULL === '1';
const GRADIENT = WEIGHTING_METHODS.filter((m) => m.description.family === 'gradient').map((m) => m.description.id);
/** The methods the unit suite trains again and again (the ones seen to part, on the shared parameters): the rest under `npm run test:determinism`. */
const QUICK = new Set(['imtlg', 'upgrad', 'gradvac', 'graddrop']);

/** Three tasks (three Gramians in every sum over tasks), SGD with momentum, the conflict measured on every step. */
const spec = (method: string, mode: string, rows = 100): ExperimentSpec => ({
  ...graphSpec({ weighting: { method, mode } as WeightingSpec, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, epochs: rows < 100 ? 1 : 2 }),
  evaluation: { conflict: { every: 1 } },
});

/** Trains `s` with Grappler `mode` (MTS_GRAPPLER for this run). */
async function trainWithGrappler(s: ExperimentSpec, mode: GrapplerMode, rows?: number): Promise<Trained> {
  const before = process.env.MTS_GRAPPLER;
  process.env.MTS_GRAPPLER = mode;
  try {
    return await trainWith(s, 'tensorflow', rows === undefined ? {} : { rows });
  } finally {
    if (before === undefined) delete process.env.MTS_GRAPPLER;
    else process.env.MTS_GRAPPLER = before;
  }
}

test('no sum in a gradient method\'s graph (every method, both modes, the conflict measured) follows the order TensorFlow runs its ops in', { timeout: 120_000 }, async () => {
  for (const method of GRADIENT) {
    for (const mode of GRADIENT_MODES) {
      // 32 rows: two steps, enough to build the step's graph.
      const { result: trained, graphs } = await graphsBuiltBy(() => trainWith(spec(method, mode, 32), 'tensorflow', { rows: 32 }));
      assert.ok(trained.path.startsWith(`${GRAPH_STEP_PATH}, task gradients on the shared ${mode}`), trained.path);
      assert.ok(graphs.some((nodes) => nodes.some((n) => n.name === 'task_gradients/gramian')), `${method} ${mode}: no gradient graph built`);
      assert.deepEqual(graphs.flatMap(scheduleDependentSums), [], `${method} on the shared ${mode}`);
    }
  }
});

const grapplers: GrapplerMode[] = FULL ? ['off', 'on'] : ['off'];
const runs = FULL ? 10 : 3;
for (const grappler of grapplers) {
  for (const method of GRADIENT.filter((m) => FULL || QUICK.has(m))) {
    for (const mode of GRADIENT_MODES.filter((m) => FULL || m === 'parameters')) {
      test(`${method} on the shared ${mode} with Grappler ${grappler} trains the same ${runs} times, bit for bit, the conflict measured every step`, { timeout: 60_000 * runs }, async (t) => {
        const { tf } = await loadBackend('tensorflow');
        if (!takesSessionConfig(tf)) return t.skip("this tfjs-node binding is the package's own: it takes no session config (npm install builds ours)");
        const s = spec(method, mode);
        const first = await trainWithGrappler(s, grappler);
        assert.ok(first.conflict.length > 0);
        for (let k = 1; k < runs; k++) {
          const again = await trainWithGrappler(s, grappler);
          assert.deepEqual(again.trainLoss, first.trainLoss, `run ${k + 1}: train losses`);
          assert.deepEqual(again.conflict, first.conflict, `run ${k + 1}: conflict`);
          assert.deepEqual(again.reportedWeights, first.reportedWeights, `run ${k + 1}: task weights`);
          first.weights.forEach((w, i) => assert.deepEqual(again.weights[i], w, `run ${k + 1}: weight ${i}`));
        }
      });
    }
  }
}
