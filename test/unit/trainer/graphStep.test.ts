// The fused graph step (src/trainer/graph/) must train exactly like the tape-based step:
// same starting weights and batches give the same weights after every step of a few epochs,
// under rates that change every step, and the model holds the session's weights whenever the
// loop reads it (evaluation, early stopping's best epoch).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec } from '../../../src/core/spec';
import { weightingMethod } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH, graphStepUnsupported } from '../../../src/trainer/graph/graphStep';
import { closeIdleSession } from '../../../src/trainer/graph/sessionCache';
import { makeHeads } from '../../../src/trainer/heads';
import { graphSpec as spec, trainWith } from './graphTraining';

const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };

for (const [label, training, evaluation] of [
  ['plain SGD with L2 and static weights', {}],
  ['equal weighting', { weighting: { method: 'equal' as const } }],
  ['plain SGD under a step decay', { schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } }],
  // The rate changes every step (half an epoch of warm-up, then SGDR with a restart at 1.5 epochs).
  ['SGD with momentum under warm-up and SGDR restarts', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9 }, schedule: SGDR }],
  ['SGD with Nesterov momentum under SGDR', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9, nesterov: true }, schedule: SGDR }],
  // Validation decides the epoch kept: the model must hold the session's weights at every epoch's end.
  ['early stopping restores the best epoch', { epochs: 10, earlyStopping: { patience: 1 }, optimizer: { type: 'sgd' as const, learningRate: 0.2, momentum: 0.5 } }],
  // Measured between steps: in the session (graph/conflictGramians.ts), on the tape on the model's weights then and the batch's rows.
  ['gradient conflict measured every 3 steps', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9 } }, { conflict: { every: 3 } }],
] as const) {
  test(`fused graph and tape steps agree: ${label}`, { timeout: 60_000 }, async () => {
    const s = { ...spec(training), ...(evaluation ? { evaluation } : {}) };
    const { tf } = await loadBackend('tensorflow');
    assert.equal(graphStepUnsupported(s, makeHeads(tf, s), false, weightingMethod(s.training.weighting!.method)!.description), undefined);
    const graph = await trainWith(s, 'tensorflow');
    const tape = await trainWith(s, 'cpu');
    assert.equal(graph.path, GRAPH_STEP_PATH);
    assert.match(tape.path, /^generic/);
    assert.equal(graph.restoredEpoch, tape.restoredEpoch);
    assert.equal(graph.conflict.length, tape.conflict.length);
    graph.conflict.forEach((v, k) => assert.ok(Math.abs(v - tape.conflict[k]!) < 1e-4, `conflict value ${k}: graph ${v} vs tape ${tape.conflict[k]}`));
    // Each task's and the whole model's train loss at every report, as the curves show it.
    assert.equal(graph.trainLoss.length, tape.trainLoss.length);
    assert.ok(graph.trainLoss.length > 2 * s.training.epochs, `${graph.trainLoss.length} train loss points`);
    graph.trainLoss.forEach((p, k) => {
      const t = tape.trainLoss[k]!;
      assert.deepEqual([p.step, p.task], [t.step, t.task]);
      assert.ok(Math.abs(p.value - t.value) < 1e-5 * Math.max(1, Math.abs(t.value)), `train loss of ${p.task} at step ${p.step}: graph ${p.value} vs tape ${t.value}`);
    });
    // Relative above 1: a loss can pass 1.
    graph.validationLoss.forEach((v, e) => assert.ok(Math.abs(v - tape.validationLoss[e]!) < 1e-4 * Math.max(1, Math.abs(tape.validationLoss[e]!)), `epoch ${e + 1} validation loss: graph ${v} vs tape ${tape.validationLoss[e]}`));
    assert.equal(graph.weights.length, tape.weights.length);
    let moved = 0;
    graph.weights.forEach((w, i) => {
      const t = tape.weights[i]!;
      for (let k = 0; k < w.length; k++) {
        // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
        assert.ok(Math.abs(w[k]! - t[k]!) < 1e-5 * Math.max(1, Math.abs(t[k]!)), `weight ${i}[${k}]: graph ${w[k]} vs tape ${t[k]}`);
        if (Math.abs(w[k]! - graph.initial[i]![k]!) > 1e-4) moved++;
      }
    });
    assert.ok(moved > 100, `${moved} weights moved`);
  });
}

/** The spec with layer ids TensorFlow would refuse as node names (spaces, a leading '_', non-ASCII). */
function oddIds(s: ExperimentSpec): ExperimentSpec {
  const ids: Record<string, string> = { a: 'a b', cat: '_cat', trunk: 'trünk/1', clsHead: 'cls head' };
  const id = (x: string) => ids[x] ?? x;
  return {
    ...s,
    model: {
      ...s.model,
      layers: s.model.layers.map((l) => ({ ...l, id: id(l.id), from: l.from.map(id) })),
      outputs: Object.fromEntries(Object.entries(s.model.outputs).map(([task, layer]) => [task, id(layer)])),
    },
  };
}

test('layer ids that are not valid TensorFlow node names train on the fused graph as on the tape', { timeout: 60_000 }, async () => {
  const s = oddIds(spec({ optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 } }));
  const graph = await trainWith(s, 'tensorflow');
  const tape = await trainWith(s, 'cpu');
  assert.equal(graph.path, GRAPH_STEP_PATH);
  // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
  graph.weights.forEach((w, i) => w.forEach((v, k) => assert.ok(Math.abs(v - tape.weights[i]![k]!) < 1e-5 * Math.max(1, Math.abs(tape.weights[i]![k]!)), `weight ${i}[${k}]: graph ${v} vs tape ${tape.weights[i]![k]}`)));
});

test('the early-stopping case stops early and restores an epoch before the last', { timeout: 60_000 }, async () => {
  const graph = await trainWith(spec({ epochs: 10, earlyStopping: { patience: 1 }, optimizer: { type: 'sgd', learningRate: 0.2, momentum: 0.5 } }), 'tensorflow');
  assert.ok(graph.restoredEpoch !== undefined && graph.restoredEpoch < graph.validationLoss.length, `restored ${graph.restoredEpoch} of ${graph.validationLoss.length}`);
});

test('what the fused graph does not cover stays on the eager compiled step, and why', async () => {
  const { tf } = await loadBackend('tensorflow');
  const base = spec({});
  const equal = weightingMethod('equal')!.description;
  const cases: Array<[ExperimentSpec, boolean, RegExp]> = [
    [base, true, /partial labels/],
    [{ ...base, tasks: base.tasks.map((t) => (t.id === 'reg' ? { ...t, loss: 'meanAbsoluteError' as const } : t)) }, false, /loss meanAbsoluteError of task reg/],
  ];
  for (const [s, partial, reason] of cases) assert.match(graphStepUnsupported(s, makeHeads(tf, s), partial, equal) ?? '', reason);
  assert.match(graphStepUnsupported(base, makeHeads(tf, base), false, weightingMethod('gls')!.description) ?? '', /gls task weighting/);
});

test('a graph TensorFlow refuses to load leaves the run on the eager compiled step, which says why', { timeout: 60_000 }, async () => {
  const { tf } = await loadBackend('tensorflow');
  const backend = tf.backend() as unknown as { loadSavedModelMetaGraph(dir: string, tags: string): number };
  // The same graph ran in the tests above: its session must not be reused here.
  closeIdleSession();
  const load = backend.loadSavedModelMetaGraph;
  backend.loadSavedModelMetaGraph = () => { throw new Error('Failed to load SavedModel: refused'); };
  // A session opened with a config goes to the binding's own export, which cannot be replaced
  // (a native property is read-only): with Grappler's defaults it opens through the loader above.
  const grappler = process.env.MTS_GRAPPLER;
  process.env.MTS_GRAPPLER = 'on';
  try {
    const s = spec({});
    const eager = await trainWith(s, 'tensorflow');
    const tape = await trainWith(s, 'cpu');
    assert.equal(eager.path, 'native (the fused graph failed: Failed to load SavedModel: refused)');
    // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
    eager.weights.forEach((w, i) => w.forEach((v, k) => assert.ok(Math.abs(v - tape.weights[i]![k]!) < 1e-5 * Math.max(1, Math.abs(tape.weights[i]![k]!)))));
  } finally {
    backend.loadSavedModelMetaGraph = load;
    if (grappler === undefined) delete process.env.MTS_GRAPPLER;
    else process.env.MTS_GRAPPLER = grappler;
  }
});
