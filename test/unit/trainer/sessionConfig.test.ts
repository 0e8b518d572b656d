// A session's Grappler mode (graph/sessionConfig.ts): the ConfigProto bytes worked out by hand,
// the MTS_GRAPPLER override, and, through the binding we build (scripts/bindingSessionConfig.mjs),
// TensorFlow doing what the config says, seen in what a run returns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeBackend, loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import type { SavedModelBackend } from '../../../src/trainer/graph/preparedRun';
import { openSession, takesSessionConfig } from '../../../src/trainer/graph/session';
import { grapplerForGraph, grapplerLine, grapplerOverride, sessionConfigBytes, type GrapplerMode } from '../../../src/trainer/graph/sessionConfig';

test('the ConfigProto bytes of each mode, worked out from the field numbers', () => {
  // RewriterConfig.disable_tfg_optimizer = 32, a varint: key = 32 << 3 | 0 = 256;
  // 256 = 0b10_0000000: low 7 bits 0 with the continuation bit = 0x80, then 256 >> 7 = 2 = 0x02; value true = 0x01.
  // RewriterConfig.disable_meta_optimizer = 19: key = 19 << 3 = 152 = 0b1_0011000: 0x98, then 1 = 0x01; value 0x01.
  // GraphOptions.rewrite_options = 10, length-delimited: key = 10 << 3 | 2 = 82 = 0x52, then the length 3.
  // ConfigProto.graph_options = 10: key 0x52, then the length of what follows: 2 + 3 = 5.
  assert.deepEqual(Array.from(sessionConfigBytes('no-mlir')!), [0x52, 5, 0x52, 3, 0x80, 0x02, 0x01]);
  assert.deepEqual(Array.from(sessionConfigBytes('off')!), [0x52, 5, 0x52, 3, 0x98, 0x01, 0x01]);
  // fuse-only: one-byte keys field << 3 (layout 1: 0x08, pruning 2: 0x10, constant folding 3: 0x18, memory 4: 0x20,
  // arithmetic 7: 0x38, dependency 8: 0x40, loop 9: 0x48, function 10: 0x50, shape 13: 0x68), each then OFF = 2
  // (memory: NO_MEM_OPT = 1; no pruning: true = 1); implementation selector 22: 176 = 0xb0 0x01, common
  // subgraph 24: 192 = 0xc0 0x01, each then 2; no tfg as above. 9 x 2 + 3 x 3 = 27 bytes; 27 + 2 = 29.
  assert.deepEqual(Array.from(sessionConfigBytes('fuse-only')!), [0x52, 29, 0x52, 27, 0x08, 2, 0x10, 1, 0x18, 2, 0x20, 1, 0x38, 2, 0x40, 2,
    0x48, 2, 0x50, 2, 0x68, 2, 0xb0, 0x01, 2, 0xc0, 0x01, 2, 0x80, 0x02, 0x01]);
  assert.equal(sessionConfigBytes('on'), undefined);
});

test('MTS_GRAPPLER names a mode, is ignored when empty, and anything else is an error that names the modes', () => {
  assert.equal(grapplerOverride({}), undefined);
  assert.equal(grapplerOverride({ MTS_GRAPPLER: '' }), undefined);
  assert.equal(grapplerOverride({ MTS_GRAPPLER: 'off' }), 'off');
  assert.equal(grapplerOverride({ MTS_GRAPPLER: 'no-mlir' }), 'no-mlir');
  assert.throws(() => grapplerOverride({ MTS_GRAPPLER: 'false' }), /MTS_GRAPPLER must be one of on, no-mlir, fuse-only, off; got 'false'/);
  assert.equal(grapplerOverride({ MTS_GRAPPLER: 'fuse-only' }), 'fuse-only');
});

/**
 * A variable declared with shape [2] and assigned a fed [3] value (a placeholder of unknown
 * length: TensorFlow checks a constant's shape against the declaration), and the Shape of what it reads.
 * Grappler's constant folding replaces that Shape by a constant of the declared shape (its static
 * shape inference trusts the variable's declaration); without Grappler the Shape op runs: [3].
 */
function declaredShapeGraph() {
  const F = { type: 'float' } as const;
  const g = new GraphBuilder();
  const v = g.op('VarHandleOp', [], { dtype: F, shape: { shape: [2] }, container: { s: '' }, shared_name: { s: 'v' } }, 'v');
  const value = g.placeholder('value', [-1]);
  const assign = g.op('AssignVariableOp', [v, value], { dtype: F }, 'assign');
  const done = g.op('Identity', [g.constant('one', { dtype: 'float', shape: [], values: [1] }), `^${assign}`], { T: F }, 'done');
  const shape = g.op('Shape', [g.op('ReadVariableOp', [v], { dtype: F }, 'read')], { T: F, out_type: { type: 'int32' } }, 'shape');
  return { savedModel: g.savedModel(['serve']), value, done, shape };
}

test('a session opened with Grappler off or fuse-only runs the graph as written; on and no-mlir keep its constant folding', async (t) => {
  const { tf } = await loadBackend('tensorflow');
  if (!takesSessionConfig(tf)) return t.skip("this tfjs-node binding is the package's own: it takes no session config (npm install builds ours)");
  const graph = declaredShapeGraph();
  const shapeWith = (mode: GrapplerMode) => {
    const session = openSession(tf, graph.savedModel, mode);
    try {
      assert.equal(session.grappler, mode);
      const three = tf.tensor1d([1, 2, 3]);
      tf.dispose(session.run([{ name: graph.value }], [three], [graph.done]));
      three.dispose();
      const [shape] = session.run([], [], [graph.shape]);
      const values = Array.from(shape!.dataSync());
      shape!.dispose();
      return values;
    } finally {
      session.dispose();
    }
  };
  assert.deepEqual(shapeWith('off'), [3]);
  assert.deepEqual(shapeWith('fuse-only'), [3]);
  assert.deepEqual(shapeWith('on'), [2]);
  assert.deepEqual(shapeWith('no-mlir'), [2]);
});

test('the binding rejects a config TensorFlow cannot parse with a message, and opens no session', async (t) => {
  const { tf } = await loadBackend('tensorflow');
  if (!takesSessionConfig(tf)) return t.skip("this tfjs-node binding is the package's own: it takes no session config");
  const binding = (tf.backend() as unknown as SavedModelBackend).binding;
  const sessions = (binding as unknown as { getNumOfSavedModels(): number }).getNumOfSavedModels();
  // 0x52 0x09: graph_options with 9 bytes to come, and only one there.
  assert.throws(() => binding.loadSavedModelWithConfig!('/nonexistent', 'serve', Uint8Array.from([0x52, 0x09, 0x00])), /Invalid session config/);
  assert.throws(() => binding.loadSavedModelWithConfig!('/nonexistent', 'serve', [1, 2] as unknown as Uint8Array), /must be a Uint8Array/);
  assert.equal((binding as unknown as { getNumOfSavedModels(): number }).getNumOfSavedModels(), sessions);
});

test('which graphs open with Grappler off: all but those with convolutional layers (dense, recurrent and gradient-method graphs)', () => {
  assert.equal(grapplerForGraph({ conv: false }), 'off');
  assert.equal(grapplerForGraph({ conv: true }), 'on');
});

test('the run log and "Show environment" say whether the session config applies, and what chose the mode', async () => {
  assert.match(grapplerLine(false, {}), /^Grappler: TensorFlow's defaults \(this tfjs-node binding takes no session config/);
  assert.equal(grapplerLine(true, {}), 'Grappler: chosen per graph (session config applies)');
  assert.equal(grapplerLine(true, { MTS_GRAPPLER: 'on' }), 'Grappler: on for every graph (MTS_GRAPPLER)');
  const b = await loadBackend('tensorflow');
  assert.ok(describeBackend(b).includes(grapplerLine(takesSessionConfig(b.tf))));
});
