// A prepared session run (graph/preparedRun.ts), the fused step's call every step: it feeds
// tfjs tensors and a batch's row numbers given as an Int32Array, and runs what it fetches, as
// `run` does, without leaving a tfjs tensor behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { openSession } from '../../../src/trainer/graph/session';

const F = { type: 'float' } as const;

/** A variable `total` [2] that each step adds rows of a fed table to: total += sum of table[rows] * scale. */
function accumulatorGraph() {
  const g = new GraphBuilder();
  const table = g.placeholder('table', [-1, 2]);
  const rows = g.placeholder('rows', [-1], 'int32');
  const scale = g.placeholder('scale', []);
  const total = g.op('VarHandleOp', [], { dtype: F, shape: { shape: [2] }, container: { s: '' }, shared_name: { s: 'total' } }, 'total');
  const zero = g.op('AssignVariableOp', [total, g.constant('zeros', { dtype: 'float', shape: [2], values: [0, 0] })], { dtype: F }, 'zero');
  const zeroDone = g.op('Identity', [g.constant('one', { dtype: 'float', shape: [], values: [1] }), `^${zero}`], { T: F }, 'zero_done');
  const picked = g.op('GatherV2', [table, rows, g.constant('axis', { dtype: 'int32', shape: [], values: [0] })], { Tparams: F, Tindices: { type: 'int32' }, Taxis: { type: 'int32' }, batch_dims: { i: 0 } }, 'picked');
  const sum = g.op('Sum', [picked, g.constant('rows_axis', { dtype: 'int32', shape: [1], values: [0] })], { T: F, Tidx: { type: 'int32' }, keep_dims: { b: false } }, 'sum');
  const add = g.op('AssignAddVariableOp', [total, g.op('Mul', [sum, scale], { T: F }, 'scaled')], { dtype: F }, 'add');
  const done = g.op('Identity', [scale, `^${add}`], { T: F }, 'done');
  const read = g.op('ReadVariableOp', [total], { dtype: F }, 'read');
  return { savedModel: g.savedModel(['serve']), table, rows, scale, zeroDone, done, read };
}

test('a prepared run feeds tensors and Int32Array rows and runs its fetches like run, leaving no tfjs tensor', async () => {
  const { tf } = await loadBackend('tensorflow');
  const graph = accumulatorGraph();
  const session = openSession(tf, graph.savedModel);
  const table = tf.tensor2d([[1, 10], [2, 20], [3, 30], [4, 40]]);
  const scale = tf.scalar(0.5);
  const feeds = [{ name: graph.table }, { name: graph.rows, tfDtype: 'DT_INT32' }, { name: graph.scale }];
  tf.dispose(session.run([], [], [graph.zeroDone]));
  const step = session.prepare(feeds, [graph.done]);
  const before = tf.memory().numTensors;
  // Rows as the loop hands them: views into the epoch's order.
  const order = new Int32Array([3, 0, 2, 1, 1]);
  step.run([table, order.subarray(0, 2), scale]);
  step.run([table, order.subarray(2, 5), scale]);
  assert.equal(tf.memory().numTensors, before);
  const [read] = session.run([], [], [graph.read]);
  // (4 + 1) * 0.5 + (3 + 2 + 2) * 0.5, and the same for the second column times 10.
  assert.deepEqual(Array.from(read!.dataSync()), [6, 60]);
  tf.dispose([read!, table, scale]);
  session.dispose();
});

test('a prepared run refuses a feed type it does not convert, naming the feed', async () => {
  const { tf } = await loadBackend('tensorflow');
  const graph = accumulatorGraph();
  const session = openSession(tf, graph.savedModel);
  assert.throws(() => session.prepare([{ name: 'codes', tfDtype: 'DT_UINT8' }], [graph.done]), /feed codes of type DT_UINT8/);
  session.dispose();
});

test('a prepared read returns its fetches as typed arrays and takes a Float32Array feed, leaving no tfjs tensor', async () => {
  const { tf } = await loadBackend('tensorflow');
  // The two-call gradient step's shape (graphGradientStep.ts): the first call reads its Gramian
  // back, the second is fed the coefficients from a Float32Array.
  const g = new GraphBuilder();
  const mix = g.placeholder('mix', [2]);
  const doubled = g.op('Mul', [mix, g.constant('two', { dtype: 'float', shape: [], values: [2] })], { T: F }, 'doubled');
  const total = g.op('Sum', [doubled, g.constant('axis', { dtype: 'int32', shape: [1], values: [0] })], { T: F, Tidx: { type: 'int32' }, keep_dims: { b: false } }, 'total');
  const session = openSession(tf, g.savedModel(['serve']));
  const call = session.prepare([{ name: mix }], [doubled, total]);
  const before = tf.memory().numTensors;
  const [twice, sum] = call.read([Float32Array.from([0.25, -3])]);
  assert.deepEqual(Array.from(twice!), [0.5, -6]);
  assert.deepEqual(Array.from(sum!), [-5.5]);
  assert.equal(tf.memory().numTensors, before);
  session.dispose();
});
