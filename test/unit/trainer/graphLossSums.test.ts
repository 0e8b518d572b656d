// The fused one-call step's running train loss (graph/lossSums.ts): a report reads the sums
// from the last step's own output and the next step restarts them, so reading the curves
// costs no session call of its own; a gradient method's two-call step still reads with `take`.
// The reported values against the tape are graphStep.test.ts' (every report, every case).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { addLossSums } from '../../../src/trainer/graph/lossSums';
import { openSession } from '../../../src/trainer/graph/session';
import { GRAPH_STEP_PATH } from '../../../src/trainer/graph/graphStep';
import { graphSpec, trainWith } from './graphTraining';

type Binding = Record<string, (...a: unknown[]) => unknown>;

/** Runs `body` with every session call's fetch names recorded at tfjs-node's binding (where the prepared step's calls go too). */
async function fetchesDuring<T>(body: () => Promise<T>): Promise<{ result: T; fetches: string[] }> {
  const { tf } = await loadBackend('tensorflow');
  const backend = tf.backend() as unknown as { binding: Binding };
  const binding = backend.binding;
  const fetches: string[] = [];
  const runSavedModel = (...a: unknown[]) => { fetches.push(String(a[3])); return binding.runSavedModel!(...a); };
  // The binding's properties are read-only: a proxy of an empty object stands in for it.
  backend.binding = new Proxy({} as Binding, { get: (_, k) => (k === 'runSavedModel' ? runSavedModel : Reflect.get(binding, k)) });
  try {
    return { result: await body(), fetches };
  } finally {
    backend.binding = binding;
  }
}

test('the one-call step reports its train loss from its own output: no session call reads the sums', { timeout: 60_000 }, async () => {
  const s = graphSpec({ weighting: { method: 'equal' } });
  const { result, fetches } = await fetchesDuring(() => trainWith(s, 'tensorflow'));
  assert.equal(result.path, GRAPH_STEP_PATH);
  // 2 epochs of 7 steps, reported every step: 14 reports per task, none of them a call.
  assert.ok(result.trainLoss.length >= 14 * s.tasks.length, `${result.trainLoss.length} train loss points`);
  assert.deepEqual(fetches.filter((f) => f.includes('loss_sums/take')), []);
  assert.ok(fetches.filter((f) => f.startsWith('step_done')).length >= 14, 'the steps ran through the binding');
});

test('loss sums: keep 0 makes the step its own sum, 1 (the default) adds it; take reads and zeroes', async () => {
  const { tf } = await loadBackend('tensorflow');
  const g = new GraphBuilder();
  const a = g.placeholder('a', [-1]);
  const b = g.placeholder('b', [-1, 1]);
  const sums = addLossSums(g, [a, b], [1, 2]);
    const started = g.op('Identity', [g.constant('one', { dtype: 'float', shape: [], values: [1] }), `^${sums.reset}`], { T: { type: 'float' } }, 'started');
  const session = openSession(tf, g.savedModel(['serve']));
  // The `set` run's part: the sums start at zero.
  tf.dispose(session.run([], [], [started]));
  const step = (x: number[], y: number[], keep?: number) => {
    const values = [tf.tensor1d(x), tf.tensor2d(y, [y.length, 1]), ...(keep === undefined ? [] : [tf.scalar(keep)])];
    const feeds = [{ name: a }, { name: b }, ...(keep === undefined ? [] : [{ name: sums.keep }])];
    const [out] = session.run(feeds, values, [sums.running]);
    const read = Array.from(out!.dataSync());
    tf.dispose([out!, ...values]);
    return read;
  };
  const take = () => { const [t] = session.run([], [], [sums.take]); const read = Array.from(t!.dataSync()); t!.dispose(); return read; };
  assert.deepEqual(step([1, 2], [10, 20], 0), [3, 30]);
  assert.deepEqual(step([4], [40], 1), [7, 70]);
  // Left at its default (a gradient method's steps): adds.
  assert.deepEqual(step([0.5], [0.5]), [7.5, 70.5]);
  assert.deepEqual(step([1], [2], 0), [1, 2]);
  assert.deepEqual(take(), [1, 2]);
  assert.deepEqual(take(), [0, 0]);
  assert.deepEqual(step([0.25], [3], 1), [0.25, 3]);
  session.dispose();
});
