// The fused graph step with Adam, RMSProp, Adagrad, gradient clipping, uncertainty weighting,
// dropout and the Huber loss (graph/optimizers.ts, clipping.ts, uncertainty.ts, dropout.ts,
// huber.ts) trains exactly like
// the tape: same starting weights and batches give the same weights after two epochs, under a
// rate that changes every step (half an epoch of warm-up, then SGDR with a restart).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { weightingMethod } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH, graphStepUnsupported } from '../../../src/trainer/graph/graphStep';
import { openSession } from '../../../src/trainer/graph/session';
import { buildTrainGraph } from '../../../src/trainer/graph/trainGraph';
import { makeHeads } from '../../../src/trainer/heads';
import type { ForwardFn } from '../../../src/trainer/model/forward';
import { graphMasks, graphSpec as spec, trainWith, type Trained } from './graphTraining';
import { withDropout } from './stepFixtures';

const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };


function assertSame(graph: Trained, tape: Trained): void {
  assert.equal(graph.path, GRAPH_STEP_PATH);
  assert.match(tape.path, /^generic/);
  // Relative above 1: a loss can pass 1.
  graph.validationLoss.forEach((v, e) => assert.ok(Math.abs(v - tape.validationLoss[e]!) < 1e-4 * Math.max(1, Math.abs(tape.validationLoss[e]!)), `epoch ${e + 1} validation loss: graph ${v} vs tape ${tape.validationLoss[e]}`));
  assert.equal(graph.weights.length, tape.weights.length);
  tape.weights.forEach((w, i) => assert.ok(w.some((x, k) => Math.abs(x - tape.initial[i]![k]!) > 1e-4), `weight ${i} did not move`));
  graph.weights.forEach((w, i) => {
    const t = tape.weights[i]!;
    // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
    for (let k = 0; k < w.length; k++) assert.ok(Math.abs(w[k]! - t[k]!) < 1e-5 * Math.max(1, Math.abs(t[k]!)), `weight ${i}[${k}]: graph ${w[k]} vs tape ${t[k]}`);
  });
}

/** The regression task with the Huber loss (graph/huber.ts). */
const withHuber = (s: ExperimentSpec): ExperimentSpec => ({ ...s, tasks: s.tasks.map((t) => (t.id === 'reg' ? { ...t, loss: 'huber' as const } : t)) });

for (const [label, training, dropout, huber] of [
  ['Adam under SGDR', { optimizer: { type: 'adam' as const, learningRate: 0.01 }, schedule: SGDR }],
  // An epsilon this large moves the weights by its placement: TensorFlow's kernel adds it to sqrt(v), tfjs to sqrt(v_hat).
  ['Adam with its own betas and a large epsilon', { optimizer: { type: 'adam' as const, learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 0.1 }, schedule: SGDR }],
  ['RMSProp under SGDR', { optimizer: { type: 'rmsprop' as const, learningRate: 0.005 }, schedule: SGDR }],
  ['RMSProp with momentum and its own decay under SGDR', { optimizer: { type: 'rmsprop' as const, learningRate: 0.002, momentum: 0.5, decay: 0.8 }, schedule: SGDR }],
  // A small accumulator makes tfjs' epsilon under the square root count.
  ['Adagrad under SGDR', { optimizer: { type: 'adagrad' as const, learningRate: 0.05, initialAccumulatorValue: 1e-6 }, schedule: SGDR }],
  // The clip (global norm over every gradient, L2 included) must bind: norms here are above 0.5.
  ['SGD with momentum and gradient clipping under SGDR', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9 }, clipNorm: 0.5, schedule: SGDR }],
  ['Adam with gradient clipping', { optimizer: { type: 'adam' as const, learningRate: 0.01 }, clipNorm: 0.5, schedule: SGDR }],
  ['uncertainty weighting with SGD under a step decay', { weighting: { method: 'uncertainty' as const }, schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } }],
  ['uncertainty weighting with Adam, clipping and SGDR', { weighting: { method: 'uncertainty' as const }, optimizer: { type: 'adam' as const, learningRate: 0.05 }, clipNorm: 0.5, schedule: SGDR }],
  ['dropout with SGD and momentum', { optimizer: { type: 'sgd' as const, learningRate: 0.02, momentum: 0.9 } }, true],
  ['dropout with RMSProp, uncertainty weighting and clipping under SGDR', { optimizer: { type: 'rmsprop' as const, learningRate: 0.005, momentum: 0.5 }, weighting: { method: 'uncertainty' as const }, clipNorm: 0.5, schedule: SGDR }, true],
  // The regression task's errors here pass 1, so both of Huber's branches run.
  ['Huber loss with Adam under SGDR', { optimizer: { type: 'adam' as const, learningRate: 0.01 }, schedule: SGDR }, false, true],
  ['Huber loss with uncertainty weighting and SGD', { weighting: { method: 'uncertainty' as const } }, false, true],
] as const) {
  test(`fused graph and tape steps agree: ${label}`, { timeout: 60_000 }, async () => {
    const { tf } = await loadBackend('tensorflow');
    const base = huber ? withHuber(spec(training)) : spec(training);
    const s = dropout ? withDropout(base) : base;
    assert.equal(graphStepUnsupported(s, makeHeads(tf, s), false, weightingMethod(s.training.weighting!.method)!.description), undefined);
    const graph = await trainWith(s, 'tensorflow');
    // The tape draws the graph's masks (dropout.ts names their seeds); without them the two would agree only in expectation.
    const tape = await trainWith(s, 'cpu', dropout ? { forward: graphMasks(tf, s) } : {});
    assertSame(graph, tape);
    // Uncertainty's log-variances train in the session: the reports read them from it (loop.ts syncLearned).
    assert.deepEqual(graph.reportedWeights.map((w) => w.split('=')[0]), tape.reportedWeights.map((w) => w.split('=')[0]));
    graph.reportedWeights.forEach((w, k) => {
      const [g, t] = [w, tape.reportedWeights[k]!].map((x) => Number(x.split('=')[1]));
      // Relative above 1: a loss weight can pass 1 (its tasks' weights sum to their number).
      assert.ok(Math.abs(g! - t!) < 1e-5 * Math.max(1, Math.abs(t!)), `report ${k}: graph ${w} vs tape ${tape.reportedWeights[k]}`);
    });
  });
}

test('the fused graph draws each dropout mask from its named seed: units dropped at the layer\'s rate, the rest scaled as tf.dropout', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = withDropout(spec({}));
  const heads = makeHeads(tf, s);
  const graph = buildTrainGraph(s, heads, analyzeGraph(s).order);
  const session = openSession(tf, graph.savedModel);
  const n = 256;
  try {
    tf.dispose(session.run(graph.setInputs.map((name) => ({ name })), graph.weights.map((w) => tf.ones(w.shape)), [graph.setDone]));
    // Class labels are int32 [n], values float [n, 1] (graph.labelTypes).
    const feeds = [...graph.inputs.map((name) => ({ name })), ...graph.labels.map((name, i) => (graph.labelTypes[i] === 'int32' ? { name, tfDtype: 'DT_INT32' } : { name }))];
    const labels = graph.labelTypes.map((t) => (t === 'int32' ? tf.zeros([n], 'int32') : tf.zeros([n, 1])));
    const values = [tf.ones([n, 12]), tf.ones([n, 3]), ...labels, tf.range(0, n, 1, 'int32'), tf.ones([heads.length]), tf.scalar(0)];
    // The second step's mask of the first dropout layer (dropA, rate 0.3): draw 2 * 2 + 1 = 3.
    tf.dispose(session.run([...feeds, { name: graph.rows, tfDtype: 'DT_INT32' }, { name: graph.coef }, { name: graph.lr }], values, graph.losses));
    const [mask] = session.run([...feeds, { name: graph.rows, tfDtype: 'DT_INT32' }, { name: graph.coef }, { name: graph.lr }], values, ['dropout/dropA/mask']);
    const got = mask!.dataSync();
    const dropped = got.filter((v) => v === 0).length / got.length;
    assert.ok(Math.abs(dropped - 0.3) < 0.03, `dropped ${dropped}`);
    assert.ok(got.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6), 'kept units scaled by 1/keep');
    const forward = {} as ForwardFn;
    graphMasks(tf, s)(forward);
    // The same draw outside the graph: skip the first step's two.
    forward.dropoutMask([n, 16], 0.3).dispose();
    forward.dropoutMask([n, 16], 0.5).dispose();
    const expected = forward.dropoutMask([n, 16], 0.3);
    assert.deepEqual(Array.from(got), Array.from(expected.dataSync()));
    tf.dispose([...values, mask!, expected]);
  } finally {
    session.dispose();
  }
});
