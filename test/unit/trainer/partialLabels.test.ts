// Partial labels in training: a task's loss over a batch is the mean over the rows labelled
// for it (hand-worked values below), 0 when the batch has none; the compiled native step
// gives the tape path's masked losses; evaluation measures each task on its labelled rows;
// a CSV with partial labels trains end to end, baselines included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { FromTrainer, RunSummary } from '../../../src/core/protocol';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { takeRows, type Dataset } from '../../../src/trainer/data/dataset';
import { labelTensor, targetsOf, toDevice } from '../../../src/trainer/deviceData';
import { evaluate } from '../../../src/trainer/evaluate';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { batchWeights, fillUnlabelled, labelledRows } from '../../../src/trainer/labelMask';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { compileNativeStep, nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { runExperiment } from '../../../src/trainer/run';
import { makeWeighting } from '../../../src/trainer/weighting/index';
import { ROOT, onlyRun, tempDir } from './helpers';

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);

function spec(): ExperimentSpec {
  return {
    name: 'partial',
    data: { source: { type: 'csv', path: 'unused.csv' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 3 },
      { id: 'bin', kind: 'binary', target: 'b' },
      { id: 'reg', kind: 'regression', target: 'r' },
    ],
    model: {
      inputs: [{ id: 'x', shape: [4] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 8, activation: 'tanh', from: ['x'] },
        { id: 'clsHead', type: 'dense', units: 3, activation: 'softmax', from: ['trunk'] },
        { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
        { id: 'regHead', type: 'dense', units: 1, from: ['trunk'] },
      ],
      outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 8, seed: 2 },
  };
}

test('masked loss by hand: 4 rows, each task labelled on 2 of them', async () => {
  const { tf } = await loadBackend('tensorflow');
  const heads = makeHeads(tf, spec());
  const [cls, bin, reg] = heads as [typeof heads[0], typeof heads[0], typeof heads[0]];
  const weightsOf = (targets: Float32Array) => {
    const w = batchWeights(targets, [0, 1, 2, 3], [4]);
    return { w: tf.tensor2d(w.weights, [4, 1]), labelled: w.labelled[0], values: Array.from(w.weights) };
  };
  const loss = (h: typeof cls, y: TF.Tensor, out: TF.Tensor, w: TF.Tensor) => h.lossFn(y, out, w).dataSync()[0]!;

  // Regression, MSE: predictions 1, 2, 3, 4; targets 2, -, 1, -: ((1-2)^2 + (3-1)^2) / 2 = 2.5.
  const r = Float32Array.from([2, NaN, 1, NaN]);
  const rw = weightsOf(r);
  assert.deepEqual(rw.values, [0.5, 0, 0.5, 0]);
  assert.equal(rw.labelled, 2);
  close(loss(reg, tf.tensor2d(fillUnlabelled(r), [4, 1]), tf.tensor2d([1, 2, 3, 4], [4, 1]), rw.w), 2.5, 1e-6, 'masked MSE');

  // Binary on logits 0, 5, ln 3, -5; targets 1, -, 0, -: (ln 2 + ln 4) / 2 = 1.5 ln 2
  // (sigmoid(0) = 1/2 against 1; sigmoid(ln 3) = 3/4 against 0).
  const b = Float32Array.from([1, NaN, 0, NaN]);
  close(loss(bin, tf.tensor2d(fillUnlabelled(b), [4, 1]), tf.tensor2d([0, 5, Math.log(3), -5], [4, 1]), weightsOf(b).w), 1.5 * Math.LN2, 1e-6, 'masked binary cross-entropy');

  // Multiclass on logits: row 0 uniform, true class 2: ln 3; row 3 [ln 2, 0, 0], true class 0:
  // p = 2/4, so ln 2. Rows 1 and 2 unlabelled (and far off, which must not count).
  const c = Float32Array.from([2, NaN, NaN, 0]);
  const logits = tf.tensor2d([[0, 0, 0], [9, -9, 0], [-9, 9, 0], [Math.LN2, 0, 0]]);
  const yc = tf.oneHot(tf.tensor1d(fillUnlabelled(c), 'int32'), 3).toFloat();
  close(loss(cls, yc, logits, weightsOf(c).w), (Math.log(3) + Math.LN2) / 2, 1e-6, 'masked softmax cross-entropy');

  // No labelled row in the batch: 0, not 0/0.
  const none = Float32Array.from([NaN, NaN, NaN, NaN]);
  const nw = weightsOf(none);
  assert.deepEqual(nw.values, [0, 0, 0, 0]);
  assert.equal(nw.labelled, 0);
  for (const [h, y, out] of [[reg, tf.zeros([4, 1]), tf.tensor2d([1, 2, 3, 4], [4, 1])], [bin, tf.zeros([4, 1]), tf.zeros([4, 1])], [cls, yc, logits]] as const) {
    const v = loss(h, y, out, nw.w);
    assert.ok(Number.isFinite(v), `${h.task.id}: ${v}`);
    assert.equal(v, 0);
  }
});

test('uncertainty weighting leaves a task without labelled rows in the batch out of the step (its log-variance gets no gradient)', async () => {
  const { tf } = await loadBackend('tensorflow');
  const tasks = spec().tasks;
  const w = makeWeighting(tf, { method: 'uncertainty' }, tasks, 1);
  w.begin(0, 1, [true, true, false]);
  const losses = [tf.scalar(0.7), tf.scalar(1.3), tf.scalar(0)]; // reg: no labelled row, masked loss 0
  const { value, grads } = tf.variableGrads(() => w.combine(losses), w.variables);
  // variableGrads leaves out a variable the loss does not depend on: its gradient is 0.
  const [g0, g1, g2] = w.variables.map((v) => grads[v.name]?.dataSync()[0] ?? 0);
  // At s = 0, d/ds [exp(-s) L + s/2] = 0.5 - L for the classification tasks; nothing for the absent one
  // (without the mask its 0.5 * s term alone would push s down, its weight up).
  close(g0!, 0.5 - 0.7, 1e-6, 'cls');
  close(g1!, 0.5 - 1.3, 1e-6, 'bin');
  assert.equal(g2, 0);
  close(value.dataSync()[0]!, 0.7 + 1.3, 1e-6, 'combined loss');
  w.dispose();
});

/** 16 rows of 4 features; c labelled in rows 0-9, b in even rows, r in none of the batch's rows 0-7. */
function holed(): Dataset {
  const rng = new SeededRandom(7);
  const n = 16;
  const features = Float32Array.from({ length: n * 4 }, () => rng.normal());
  return {
    n, featureNames: ['f0', 'f1', 'f2', 'f3'], features, featureShape: [4], report: [],
    targets: {
      c: Float32Array.from({ length: n }, (_, i) => (i < 10 ? rng.int(3) : NaN)),
      b: Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? rng.int(2) : NaN)),
      r: Float32Array.from({ length: n }, (_, i) => (i >= 8 ? rng.normal() : NaN)),
    },
  };
}

test('the native dense step gives the tape path\'s masked losses, and a task without labelled rows gives 0 and leaves its head alone', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec();
  const heads = makeHeads(tf, s);
  assert.equal(nativeStepUnsupported(s, heads), undefined);
  const topo = analyzeGraph(s).order;
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const ds = holed();
  const split = toDevice(tf, s, heads, ds);
  const rows = [0, 1, 2, 3, 4, 5, 6, 7]; // one batch: reg has no labelled row here
  const idx = tf.tensor1d(rows, 'int32');
  const xb = new Map([...split.x].map(([k, v]) => [k, tf.gather(v, idx)]));
  const masks = new Map(heads.map((h) => {
    const w = batchWeights(split.targets.get(h.task.id)!, rows, [rows.length]);
    return [h.task.id, { weights: tf.tensor2d(w.weights, [rows.length, 1]), labelled: w.labelled[0]! }];
  }));
  assert.equal(masks.get('reg')!.labelled, 0);

  // Tape path: the heads' masked losses on the forward pass (before any update).
  const outs = forward(xb, true);
  const yb = new Map(heads.map((h) => [h.task.id, labelTensor(tf, h, targetsOf(split.targets.get(h.task.id)!, Int32Array.from(rows)))]));
  const tape = heads.map((h) => h.lossFn(yb.get(h.task.id)!, outs.get(h.task.id)!, masks.get(h.task.id)!.weights).dataSync()[0]!);
  assert.equal(tape[2], 0);

  const regKernel = Array.from(built.layers.get('regHead')!.getWeights()[0]!.dataSync());
  const native = compileNativeStep(tf, s, built, heads, topo);
  const nativeY = native.prepareLabels(yb);
  const losses = native.step(xb, nativeY, 0.1, masks, heads.map(() => 1)).map((l) => tf.sum(l).dataSync()[0]!);
  // Relative above 1: a loss can pass 1, and the compiled step and the tape are two paths.
  heads.forEach((h, i) => close(losses[i]!, tape[i]!, 1e-5 * Math.max(1, Math.abs(tape[i]!)), `task ${h.task.id}`));
  assert.ok(losses.every(Number.isFinite));
  assert.deepEqual(Array.from(built.layers.get('regHead')!.getWeights()[0]!.dataSync()), regKernel, 'no labelled row: no gradient for its head');
  native.dispose();
  built.model.dispose();
});

test('evaluation measures each task on its labelled rows only', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec();
  const heads = makeHeads(tf, s);
  const topo = analyzeGraph(s).order;
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const ds = holed();
  const all = evaluate(tf, forward, heads, toDevice(tf, s, heads, ds));
  for (const h of heads) {
    // The same model on only the rows labelled for this task: the same values.
    const only = evaluate(tf, forward, heads, toDevice(tf, s, heads, takeRows(ds, labelledRows(ds.targets[h.task.target]!))))[h.task.id]!;
    assert.deepEqual(Object.keys(all[h.task.id]!).sort(), Object.keys(only).sort());
    // Relative above 1: a squared error can pass 1, and fewer rows may take other kernels.
    for (const [metric, v] of Object.entries(only)) close(all[h.task.id]![metric]!, v, 1e-5 * Math.max(1, Math.abs(v)), `${h.task.id} ${metric}`);
  }
  // A split where a task has no labelled row at all: no values for it, the others as usual.
  const noReg = takeRows(ds, [0, 1, 2, 3]);
  const values = evaluate(tf, forward, heads, toDevice(tf, s, heads, noReg));
  assert.deepEqual(values.reg, {});
  assert.ok(Number.isFinite(values.cls!.loss!));
  built.model.dispose();
});

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'partial-labels');

// The tape path with partial labels is held to the compiled step's results in nativeStep.test.ts.
for (const [label, training] of [
  ['native step (SGD)', {}],
  ['native step (Adam, uncertainty weighting)', { optimizer: { type: 'adam', learningRate: 0.01 }, weighting: { method: 'uncertainty' } }],
] as const) {
  test(`a CSV with partial labels trains end to end, baselines included: ${label}`, { timeout: 120_000 }, async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'partial-labels.mtl.json'), 'utf8')) as { training: object; name: string };
    doc.training = { ...doc.training, ...training };
    const runsDir = tempDir('partial');
    const messages: FromTrainer[] = [];
    const outcome = await runExperiment({ doc, workspaceDir: FIXTURE, runsDir, backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false });
    assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'problems'), []);
    assert.equal(outcome, 'completed');
    const logs = messages.flatMap((m) => (m.type === 'log' ? [m.message] : []));
    assert.ok(logs.includes("Dropped 2 rows without any task's target value."), logs.join('\n'));
    assert.ok(logs.some((l) => l.startsWith('shared model: ') && l.includes('native')), logs.join('\n'));
    const summary = (messages.find((m) => m.type === 'done') as { summary: RunSummary }).summary;

    // Labelled rows per task, from the file: kind 30, flag 37, score 34 of 46 rows kept.
    const labelled = summary.labelled!;
    const total = (id: string) => labelled.tasks[id]!.train + labelled.tasks[id]!.validation + labelled.tasks[id]!.test;
    assert.deepEqual([total('kind'), total('flag'), total('score')], [30, 37, 34]);
    assert.equal(labelled.rows.train + labelled.rows.validation + labelled.rows.test, 46);
    // Accuracy counts labelled test rows only: a multiple of 1 / (labelled test rows).
    for (const id of ['kind', 'flag']) {
      const hits = summary.test[id]!.accuracy! * labelled.tasks[id]!.test;
      close(hits, Math.round(hits), 1e-9, `${id} accuracy over ${labelled.tasks[id]!.test} labelled test rows`);
    }
    for (const [task, metrics] of Object.entries({ ...summary.test, ...summary.baselines!.test })) {
      for (const [metric, v] of Object.entries(metrics)) assert.ok(Number.isFinite(v), `${task} ${metric} = ${v}`);
    }
    // Each baseline trains on its task's labelled rows: ceil(labelled train rows / batch 8) steps per epoch, 2 epochs.
    for (const id of ['kind', 'flag', 'score']) {
      assert.ok(logs.some((l) => l.startsWith(`single-task ${id}: ${Math.ceil(labelled.tasks[id]!.train / 8) * 2} steps`)), `${id}: ${logs.join('\n')}`);
    }
    const runDir = onlyRun(runsDir, doc.name);
    const points = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { value: number; metric: string; task: string });
    const bad = points.filter((p) => p.value === null || !Number.isFinite(p.value));
    assert.deepEqual(bad, [], 'every logged value is finite');
    assert.match(fs.readFileSync(path.join(runDir, 'report.md'), 'utf8'), /Partial labels: each task is measured on its labelled test rows only \(kind \d+, flag \d+, score \d+ of \d+\)/);
  });
}
