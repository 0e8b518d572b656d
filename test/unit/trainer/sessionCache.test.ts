// The idle graph session (graph/sessionCache.ts) is another graph's only until a different graph
// opens: a run's next phase (a baseline's own graph) must not hold the last phase's session, its
// graph, executor and buffers, besides its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { closeIdleSession, openReusableSession } from '../../../src/trainer/graph/sessionCache';

/** A graph of one op: x + k. */
const graph = (k: number) => {
  const g = new GraphBuilder();
  const x = g.placeholder('x', [-1]);
  g.op('AddV2', [x, g.constant('k', { dtype: 'float', shape: [], values: [k] })], { T: { type: 'float' } }, 'y');
  return g.savedModel(['serve']);
};

test('opening another graph closes the idle session at once; the same graph reuses it', async () => {
  const { tf } = await loadBackend('tensorflow');
  closeIdleSession();
  const backend = tf.backend() as unknown as { deleteSavedModel(id: number): void };
  const deleteSavedModel = backend.deleteSavedModel;
  let closed = 0;
  backend.deleteSavedModel = function (this: unknown, id: number) { closed++; return deleteSavedModel.call(this, id); };
  try {
    const one = graph(1);
    const a = openReusableSession(tf, one);
    a.dispose();
    const again = openReusableSession(tf, one);
    assert.equal(closed, 0, 'the same graph takes the idle session');
    again.dispose();
    const b = openReusableSession(tf, graph(2));
    assert.equal(closed, 1, 'the other graph\'s idle session is closed when this one opens');
    const x = tf.tensor1d([1, 2]);
    const [y] = b.run([{ name: 'x' }], [x], ['y']);
    assert.deepEqual(Array.from(y!.dataSync()), [3, 4]);
    tf.dispose([x, y!]);
    b.dispose();
    closeIdleSession();
    assert.equal(closed, 2);
  } finally {
    backend.deleteSavedModel = deleteSavedModel;
  }
});
