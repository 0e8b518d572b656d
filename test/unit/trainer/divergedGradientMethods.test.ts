// A gradient method's run whose loss blows up (a learning rate of 1000) must end as a loss-family
// run does: status failed, the files written so far kept, and one clear message located at
// training.optimizer.learningRate (trainingDiverged.ts), never TensorFlow's own error from inside
// the fused graph's rule (SelfAdjointEigV2, MatrixSolve: "Self-adjoint eigen decomposition was
// not successful") nor the rule's NaN weights ("weighting upgrad gave weights [NaN, NaN]").
// Each path the Gramian can take: the rule as graph ops (graphRules.ts), the rule in JavaScript
// between the fused graph's two calls (Nash-MTL with 3 tasks), and the eager tape step ('cpu').
// A graph rule marks a Gramian that is not finite with NaN coefficients: whichever comes first ends
// the run, a reported step reading them or a report reading the NaN losses their update made.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import { runExperiment } from '../../../src/trainer/run';
import { onlyRun, readJson, tempDir } from './helpers';

/** `lastStep`: one step on inputs scaled so that only the Gramian overflows (see the last-step cases below). */
function divergingDoc(method: string, tasks: number, lastStep = false) {
  const ids = ['a', 'b', 'c'].slice(0, tasks);
  return {
    name: `diverging-${method}-${tasks}${lastStep ? '-last' : ''}`,
    data: {
      source: { type: 'synthetic-correlated', samples: lastStep ? 40 : 400, correlation: -0.5, inputDim: 8, seed: 5 },
      ...(lastStep ? { preprocess: [{ op: 'scale', factor: 1e10 }] } : {}),
      split: { validation: 0.1, test: 0.1, seed: 7 },
    },
    tasks: ids.map((id, k) => ({ id, kind: 'regression', target: k % 2 ? 'y2' : 'y1' })),
    model: {
      inputs: [{ id: 'x', shape: [8] }],
      layers: [{ id: 'trunk', type: 'dense', units: 16, activation: 'relu', from: ['x'] }, ...ids.map((id) => ({ id: `out_${id}`, type: 'dense', units: 1, from: ['trunk'] }))],
      outputs: Object.fromEntries(ids.map((id) => [id, `out_${id}`])),
    },
    training: { optimizer: { type: 'sgd', learningRate: lastStep ? 0.01 : 1000 }, epochs: lastStep ? 1 : 3, batchSize: 32, seed: 42,
      weighting: { method, mode: lastStep ? 'parameters' : 'representation' } },
    evaluation: { baselines: 'none' },
  };
}

/** Runs `doc` and checks the failure every diverging run ends with; its run folder and the values written. */
async function failsDiverged(doc: { name: string }, backend: 'tensorflow' | 'cpu', message: RegExp, at: (string | number)[] = ['training', 'optimizer', 'learningRate']) {
  const runsDir = tempDir('diverged');
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({ doc, workspaceDir: runsDir, runsDir, backend, emit: (m) => messages.push(m), cancelled: () => false });
  const run = onlyRun(runsDir, doc.name);
  const metrics = path.join(run, 'metrics.jsonl'); // not written when the run fails before its first point
  const points = (fs.existsSync(metrics) ? fs.readFileSync(metrics, 'utf8') : '').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { split: string; task: string; metric: string; step: number; epoch: number; value: unknown });
  assert.equal(outcome, 'failed', `the run ${outcome}: ${JSON.stringify(points.filter((p) => p.split !== 'train'))}`);
  const error = messages.find((m) => m.type === 'error');
  assert.ok(error && error.type === 'error', JSON.stringify(messages.filter((m) => m.type === 'log').slice(-3)));
  assert.match(error.message, message, error.message);
  assert.deepEqual(error.path, at);
  assert.equal(error.detail, undefined, 'no stack trace for a user-facing problem');
  assert.equal(readJson(path.join(run, 'run.json')).status, 'failed');
  assert.ok(fs.existsSync(path.join(run, 'experiment.json')), 'experiment.json kept');
  return { run, points };
}

// The last-step cases: a Gramian that stops being finite on the run's LAST step, every loss still
// finite. The losses a report reads are the step's own, taken before its update, so no report saw
// the update's NaN and the run completed with NaN weights, metrics and model: the step has to say so.
// How: one step (32 training rows, batch 32, one epoch) on inputs scaled by 1e10, the gradients on
// the shared parameters. The trunk kernel's gradient is about x * delta ~ 1e10 * 1e10 = 1e20 an
// entry and each loss about 1e20, both finite in float32 (max 3.4e38); the Gramian sums 8 x 16
// squares of such entries, ~1e40: Infinity in float32.
/**
 * Each path a Gramian takes, with the task counts of its cases: `loss`, a loss that blows up (a
 * learning rate of 1000); `lastStep`, the above. The 'cpu' path last: once a run has set the 'cpu'
 * backend, this process keeps it.
 */
const PATHS: Array<{ method: string; backend: 'tensorflow' | 'cpu'; path: string; loss?: number; lastStep?: number }> = [
  { method: 'imtlg', backend: 'tensorflow', path: 'graph rule (SelfAdjointEigV2)', loss: 3, lastStep: 2 },
  { method: 'mgda', backend: 'tensorflow', path: 'graph rule (MatrixSolve)', loss: 3, lastStep: 3 },
  { method: 'aligned-mtl', backend: 'tensorflow', path: 'graph rule (SelfAdjointEigV2)', loss: 3 },
  { method: 'upgrad', backend: 'tensorflow', path: 'graph rule (MatrixSolve, supports enumerated)', loss: 3, lastStep: 3 },
  { method: 'nash-mtl', backend: 'tensorflow', path: 'JavaScript rule between the fused graph\'s calls', loss: 3, lastStep: 3 },
  { method: 'graddrop', backend: 'tensorflow', path: 'GradDrop in the fused graph', lastStep: 2 },
  { method: 'upgrad', backend: 'cpu', path: 'eager tape step', loss: 2, lastStep: 2 },
];

firstStepCases('tensorflow');
lastUpdateCases('tensorflow');
laterEpochCase();
noValidationCase();

for (const c of PATHS) {
  if (c.loss) {
    test(`${c.method}, ${c.loss} tasks, ${c.path}: a diverging loss fails the run with the located message`, { timeout: 120_000 }, async () => {
      const { run } = await failsDiverged(divergingDoc(c.method, c.loss!), c.backend,
        /^training.optimizer.learningRate: Training diverged: (the (loss|gradient) of task "[abc]".*|.*'s coefficients \(from a Gramian of the task gradients that was not finite\)) became (NaN|-?Infinity) at epoch \d+, step \d+\. Lower the learning rate/);
      assert.ok(fs.existsSync(path.join(run, 'metrics.jsonl')), 'metrics.jsonl kept');
    });
  }
  if (c.lastStep) {
    test(`${c.method}, ${c.lastStep} tasks, ${c.path}: a Gramian not finite on the last step fails the run, nothing NaN written`, { timeout: 120_000 }, async () => {
      // The Gramian's, not a loss's: every loss of the run was finite.
      const { run, points } = await failsDiverged(divergingDoc(c.method, c.lastStep!, true), c.backend,
        // Its one step is the model's first, before any update: the message points at the scale of the data (trainingDiverged.ts).
        /^tasks\[0\]\.target: Training diverged: .*Gramian.* was (NaN|-?Infinity) on the first step, before any update, so the learning rate is not the cause/,
        ['tasks', 0, 'target']);
      // Nothing made of the NaN weights: no model, no summary, every value written a finite number
      // (the conflict measurement before the eager step had written NaN cosines as null).
      assert.ok(!fs.existsSync(path.join(run, 'model', 'weights.bin')), 'no model saved');
      assert.ok(!fs.existsSync(path.join(run, 'summary.json')), 'no summary');
      assert.deepEqual(points.filter((p) => typeof p.value !== 'number' || !Number.isFinite(p.value)), [], 'metrics.jsonl holds finite values only');
    });
  }
}

/** Two regression tasks on a CSV; task b's targets are 2e19: float32 holds them, but their squared error (4e38) is infinite from the first step. */
function hugeTargetDoc(method: string, dir: string, batchSize = 32) {
  const rows = Array.from({ length: 300 }, (_, i) => {
    const x = Array.from({ length: 4 }, (_, j) => Math.sin(i * (j + 1)).toFixed(4));
    return [...x, (Math.cos(i) * 2).toFixed(4), String(2e19 * (1 + (i % 3)))].join(',');
  });
  fs.writeFileSync(path.join(dir, 'huge.csv'), `x1,x2,x3,x4,y1,y2\n${rows.join('\n')}\n`);
  return {
    name: `huge-target-${method}`,
    data: { source: { type: 'csv', path: 'huge.csv' }, split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: [{ id: 'a', kind: 'regression', target: 'y1' }, { id: 'b', kind: 'regression', target: 'y2' }],
    model: {
      inputs: [{ id: 'x', shape: [4] }],
      layers: [{ id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['x'] }, { id: 'out_a', type: 'dense', units: 1, from: ['trunk'] }, { id: 'out_b', type: 'dense', units: 1, from: ['trunk'] }],
      outputs: { a: 'out_a', b: 'out_b' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 2, batchSize, seed: 42, weighting: method === 'equal' ? { method } : { method, mode: 'representation' } },
    evaluation: { baselines: 'none' },
  };
}

// A loss not finite on the run's first step was computed before any update: the message blamed the
// learning rate (and, from a gradient method's Gramian, named the first task whose row held the
// other's infinity: "a"). It now points at the task whose loss it is, and says why.
function firstStepCases(backend: 'tensorflow' | 'cpu'): void {
  for (const c of [
    { method: 'equal', backend: 'tensorflow' as const, path: 'fused graph, loss at the report' },
    { method: 'mgda', backend: 'tensorflow' as const, path: 'graph rule' },
    { method: 'upgrad', backend: 'cpu' as const, path: 'eager tape step, the Gramian checked in JavaScript' },
  ].filter((c) => c.backend === backend).flatMap((c) => [{ ...c, batchSize: 32 }, { ...c, batchSize: 4 }])) {
    // Batches of 4: 60 steps an epoch, a report every 3rd; the first step was reported alone only when
    // the interval was one step, else the report of steps 1-3 blamed the learning rate at step 3.
    test(`${c.method}, ${c.path}, batch ${c.batchSize}: a loss infinite from the first step points at the task's target, not the learning rate`, { timeout: 120_000 }, async () => {
      const dir = tempDir('diverged-first');
      const doc = hugeTargetDoc(c.method, dir, c.batchSize);
      const messages: FromTrainer[] = [];
      const outcome = await runExperiment({ doc, workspaceDir: dir, runsDir: dir, backend: c.backend, emit: (m) => messages.push(m), cancelled: () => false });
      assert.equal(outcome, 'failed');
      const error = messages.find((m) => m.type === 'error');
      assert.ok(error && error.type === 'error', JSON.stringify(messages.filter((m) => m.type === 'log').slice(-3)));
      assert.match(error.message, /^tasks\[1\]\.target: Training diverged: the (loss|gradient) of task "b".* was (NaN|-?Infinity) on the first step, before any update, so the learning rate is not the cause/, error.message);
      assert.deepEqual(error.path, ['tasks', 1, 'target']);
      assert.equal(readJson(path.join(onlyRun(dir, doc.name), 'run.json')).status, 'failed');
    });
  }
}

// The last update's overflow with no Gramian to see it: the last-step doc's one step (losses ~1e20,
// finite) moves the weights by 0.01 x ~1e20 = ~1e18, and the validation forward on inputs of 1e10
// overflows float32 (1e10 x 1e18 x 8 rows of the kernel ~1e29 per trunk unit, x 1e18 x 16 units
// ~1e48 at the head). The run completed with NaN/Infinity metrics and a saved model: the epoch's
// validation loss, read at its end, now fails it. Equal weighting has no Gramian (fused graph);
// eager GradDrop reads none either (its signs of the gradients stay finite).
function lastUpdateCases(backend: 'tensorflow' | 'cpu'): void {
  for (const c of [
    { method: 'equal', backend: 'tensorflow' as const, path: 'fused graph' },
    { method: 'graddrop', backend: 'cpu' as const, path: 'eager tape step' },
  ].filter((c) => c.backend === backend)) {
    test(`${c.method}, ${c.path}: the last update overflowing with finite losses fails the run at its validation, nothing NaN written`, { timeout: 120_000 }, async () => {
      const doc = divergingDoc(c.method, 2, true);
      if (c.method === 'equal') doc.training.weighting = { method: 'equal' } as typeof doc.training.weighting;
      const { run, points } = await failsDiverged(doc, c.backend,
        /^tasks\[0\]\.target: Training diverged: the validation loss of task "a" became (NaN|-?Infinity) after the first step's update, whose losses were finite: look at the scale/,
        ['tasks', 0, 'target']);
      assert.ok(!fs.existsSync(path.join(run, 'model', 'weights.bin')), 'no model saved');
      assert.ok(!fs.existsSync(path.join(run, 'summary.json')), 'no summary');
      assert.ok(points.some((p) => p.split === 'train' && p.metric === 'loss'), 'the step\'s own (finite) losses were reported');
      assert.deepEqual(points.filter((p) => typeof p.value !== 'number' || !Number.isFinite(p.value)), [], 'metrics.jsonl holds finite values only');
    });
  }
}

// The same on a later epoch, located at the learning rate: two epochs of one step, inputs scaled
// by 100, a warm-up over both epochs taking the learning rate from 1000 x 1e-3 = 1 (step 1) to
// 1000 x 1/2 = 500 (step 2). Measured: the losses of task "a" were 7590 (step 1) and 1.4e20 (step
// 2, on step 1's weights), both finite; step 2's update at 500 made its validation loss Infinity.
function laterEpochCase(): void {
  test('equal, fused graph: a later epoch\'s last update overflowing with finite losses fails the run at the learning rate', { timeout: 120_000 }, async () => {
    const base = divergingDoc('equal', 2, true);
    const doc = {
      ...base, name: 'diverging-equal-warmup',
      data: { ...base.data, preprocess: [{ op: 'scale', factor: 100 }] },
      training: { ...base.training, optimizer: { type: 'sgd', learningRate: 1000 }, epochs: 2, schedule: { type: 'constant', warmupEpochs: 2 }, weighting: { method: 'equal' } },
    };
    const { run, points } = await failsDiverged(doc, 'tensorflow',
      /^training.optimizer.learningRate: Training diverged: the validation loss of task "a" became (NaN|-?Infinity) at epoch 2, step 2\. Lower the learning rate/);
    assert.deepEqual(points.filter((p) => p.split === 'train' && p.task === 'a' && p.metric === 'loss').map((p) => p.step), [1, 2], 'both steps\' own losses reported');
    assert.ok(points.some((p) => p.split === 'validation' && p.epoch === 1), 'epoch 1\'s finite validation kept');
    assert.ok(!fs.existsSync(path.join(run, 'summary.json')), 'no summary');
    assert.deepEqual(points.filter((p) => typeof p.value !== 'number' || !Number.isFinite(p.value)), [], 'metrics.jsonl holds finite values only');
  });
}

// With no validation rows and the train metrics counted as the steps ran (the default), nothing
// reads the last update's model before the test split: its loss not finite fails the run there,
// before the model is saved and the test points written.
function noValidationCase(): void {
  test('equal, fused graph, no validation rows: the last update overflowing fails the run at the test split, nothing NaN written', { timeout: 120_000 }, async () => {
    const base = divergingDoc('equal', 2, true);
    const doc = { ...base, name: 'diverging-equal-no-validation', data: { ...base.data, split: { validation: 0, test: 0.2, seed: 7 } }, // 32 training rows: one step
      training: { ...base.training, weighting: { method: 'equal' } }, evaluation: { ...base.evaluation, trainMetrics: 'running' } };
    const { run, points } = await failsDiverged(doc, 'tensorflow',
      /^tasks\[0\]\.target: Training diverged: the test loss of task "a" became (NaN|-?Infinity) after the first step's update, whose losses were finite/,
      ['tasks', 0, 'target']);
    assert.ok(!fs.existsSync(path.join(run, 'model', 'weights.bin')), 'no model saved');
    assert.ok(!fs.existsSync(path.join(run, 'summary.json')), 'no summary');
    assert.deepEqual(points.filter((p) => p.split === 'test' || typeof p.value !== 'number' || !Number.isFinite(p.value)), [], 'no test points, finite values only');
  });
}

// After the cases above: the 'cpu' backend stays loaded in this process.
firstStepCases('cpu');
lastUpdateCases('cpu');
