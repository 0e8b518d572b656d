// The fused graph's epoch end (graph/epochEndReads.ts): the weights, the running train metrics'
// sums and the evaluation come back in one session run, so TensorFlow sets up one signature for them
// (each new set of fetches is pruned, optimised by Grappler and given an executor on its first
// run). The session runs are seen at tfjs-node's binding, where every session call goes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH } from '../../../src/trainer/graph/graphStep';
import { graphSpec, trainWith } from './graphTraining';

type Call = (...a: unknown[]) => unknown;

test('the fused graph reads the weights, the train metrics\' sums and the validation\'s scores at an epoch\'s end in one session run', { timeout: 120_000 }, async () => {
  const { tf } = await loadBackend('tensorflow');
  const backend = tf.backend() as unknown as { binding: Record<string, Call> };
  const binding = backend.binding;
  /** Each session run's fetches (output names), in order. */
  const fetches: string[][] = [];
  const runSavedModel: Call = (...a) => { fetches.push(String(a[3]).split(',')); return binding.runSavedModel!(...a); };
  backend.binding = new Proxy({} as Record<string, Call>, { get: (_, k) => (k === 'runSavedModel' ? runSavedModel : Reflect.get(binding, k)) });
  try {
    const s = graphSpec({ epochs: 2 });
    const trained = await trainWith({ ...s, evaluation: { ...s.evaluation, trainMetrics: 'running' } }, 'tensorflow');
    assert.ok(trained.path.startsWith(GRAPH_STEP_PATH), trained.path);
    assert.ok(trained.epochPoints.some((p) => p.split === 'train' && p.metric === 'accuracy'), 'train metrics measured');
  } finally {
    backend.binding = binding;
  }
  // The sums' fetches (metricSums.ts `take`), not the scores' sizing at a bind (`metric_sums/init`).
  const takes = fetches.filter((f) => f.some((name) => /^metric_sums\/.*\/(take|scores_read):0$/.test(name)));
  const weightReads = fetches.filter((f) => f.some((name) => name.startsWith('get/')));
  assert.equal(takes.length, 2, `one read of the sums an epoch: ${JSON.stringify(takes)}`);
  assert.deepEqual(weightReads, takes, 'the weights read with the sums, and only then');
  for (const f of takes) assert.ok(f.some((name) => name.startsWith('eval/')), `in the evaluation's run: ${f.join(',')}`);
});
