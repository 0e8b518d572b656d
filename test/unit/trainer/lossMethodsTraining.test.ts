// The loss-based methods (DWA, RLW, GradNorm, FAMO, GLS) in real training on native
// TensorFlow: a few steps each, their weights reported as 'weight' points, and moving where
// their papers say. GLS's weights are also checked to give the gradient of the geometric
// mean of the losses, computed on tensors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { MetricPoint } from '../../../src/core/protocol';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec, WeightingSpec } from '../../../src/core/spec';
import { famo } from '../../../src/core/weighting/famo';
import { gls } from '../../../src/core/weighting/gls';
import type { WeightingMethod } from '../../../src/core/weighting/method';
import { weightingParams } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { labelTensor, toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { GRAPH_STEP_PATH } from '../../../src/trainer/graph/graphStep';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { taskInfos } from '../../../src/trainer/weighting/index';

const TASKS = ['cls', 'reg', 'noise'];

function spec(weighting: WeightingSpec, epochs = 3): ExperimentSpec {
  return {
    name: 'loss-methods',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 3 },
      { id: 'reg', kind: 'regression', target: 'r' },
      { id: 'noise', kind: 'binary', target: 'b' },
    ],
    model: {
      inputs: [{ id: 'x', shape: [6], features: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 16, activation: 'relu', from: ['x'] },
        { id: 'clsHead', type: 'dense', units: 3, activation: 'softmax', from: ['trunk'] },
        { id: 'regHead', type: 'dense', units: 1, from: ['trunk'] },
        { id: 'noiseHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
      ],
      outputs: { cls: 'clsHead', reg: 'regHead', noise: 'noiseHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.02 }, epochs, batchSize: 10, seed: 5, weighting },
  };
}

/** cls and reg follow the features (reg at a large scale: its loss and gradients are the largest); noise is a coin flip. */
function data(n: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const features = Float32Array.from({ length: n * 6 }, () => rng.normal());
  const f = (i: number, k: number) => features[i * 6 + k]!;
  const c = Float32Array.from({ length: n }, (_, i) => (f(i, 0) > 0.5 ? 2 : f(i, 0) > -0.5 ? 1 : 0));
  const r = Float32Array.from({ length: n }, (_, i) => 5 * (f(i, 1) + f(i, 2)));
  const b = Float32Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
  return { n, featureNames: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'], features, featureShape: [6], targets: { c, r, b }, report: [] };
}

/** Trains on the tape (backend 'cpu' only keeps the compiled step off; TensorFlow runs) and returns the model's weights. */
async function trainedWeights(s: ExperimentSpec, method: WeightingMethod): Promise<Float32Array[]> {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  await trainLoop({ tf, backend: 'cpu', spec: s, built, forward, heads, topo, train: toDevice(tf, s, heads, data(100, 9)), validation: toDevice(tf, s, heads, data(20, 10)),
    epochs: s.training.epochs, phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false }, method });
  const weights = built.model.getWeights().map((w: TF.Tensor) => w.dataSync() as Float32Array);
  built.model.dispose();
  return weights;
}

interface Trained { steps: MetricPoint[]; epochs: MetricPoint[]; stepPath: string }

async function train(s: ExperimentSpec, method?: WeightingMethod): Promise<Trained> {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const trainSplit = toDevice(tf, s, heads, data(100, 9));
  const validation = toDevice(tf, s, heads, data(20, 10));
  const steps: MetricPoint[] = [];
  const epochs: MetricPoint[] = [];
  const result = await trainLoop({ tf, backend: 'tensorflow', spec: s, built, forward, heads, topo, train: trainSplit, validation, epochs: s.training.epochs,
    phase: { kind: 'shared' }, events: { progress: (p) => steps.push(...p), epochEnd: (_e, p) => epochs.push(...p), cancelled: () => false }, ...(method ? { method } : {}) });
  built.model.dispose();
  return { steps, epochs, stepPath: result.stepPath };
}

/** The reported weights of each progress report (one per step here: 10 steps an epoch), by task. */
function weightRows(points: readonly MetricPoint[]): Array<{ step: number; epoch: number; w: number[] }> {
  const byStep = new Map<number, { epoch: number; w: number[] }>();
  for (const p of points) {
    if (p.metric !== 'weight') continue;
    const row = byStep.get(p.step) ?? { epoch: p.epoch, w: TASKS.map(() => NaN) };
    row.w[TASKS.indexOf(p.task)] = p.value;
    byStep.set(p.step, row);
  }
  return [...byStep].map(([step, r]) => ({ step, ...r }));
}

const sum = (v: readonly number[]) => v.reduce((a, x) => a + x, 0);

test('DWA trains on the compiled step: weight 1 for two epochs, then 3 softmax(r / 2) from the reported epoch losses', { timeout: 60_000 }, async () => {
  const run = await train(spec({ method: 'dwa' }, 3));
  assert.equal(run.stepPath, GRAPH_STEP_PATH); // weights as numbers before each step: the fused graph
  const rows = weightRows(run.steps);
  assert.equal(rows.length, 30, 'a weight for every task at every report');
  for (const r of rows.filter((x) => x.epoch <= 2)) assert.deepEqual(r.w, [1, 1, 1]);
  const epochLoss = (epoch: number) => TASKS.map((t) => run.epochs.find((p) => p.epoch === epoch && p.task === t && p.metric === 'epochLoss')!.value);
  const ratios = epochLoss(2).map((l, k) => l / epochLoss(1)[k]!);
  const e = ratios.map((r) => Math.exp(r / 2));
  const expected = e.map((v) => (3 * v) / sum(e));
  for (const r of rows.filter((x) => x.epoch === 3)) r.w.forEach((v, k) => assert.ok(Math.abs(v - expected[k]!) < 1e-6, `task ${TASKS[k]}: ${v} vs ${expected[k]}`));
  // The coin-flip task's loss barely falls: it gets the largest weight.
  const last = rows[rows.length - 1]!.w;
  assert.ok(last[2]! > last[0]! && last[2]! > last[1]!, `weights ${last.join(', ')}`);
});

test('RLW trains on the compiled step with new weights at every step, summing to 1', { timeout: 60_000 }, async () => {
  const run = await train(spec({ method: 'rlw' }, 1));
  assert.equal(run.stepPath, GRAPH_STEP_PATH); // weights as numbers before each step: the fused graph
  const rows = weightRows(run.steps);
  assert.equal(rows.length, 10);
  for (const r of rows) {
    assert.ok(Math.abs(sum(r.w) - 1) < 1e-9 && r.w.every((v) => v > 0), `weights ${r.w.join(', ')}`);
  }
  assert.equal(new Set(rows.map((r) => r.w[0]!.toFixed(9))).size, rows.length, 'a fresh draw at every step');
  // Seeded: the same run gives the same weights.
  assert.deepEqual(weightRows((await train(spec({ method: 'rlw' }, 1))).steps), rows);
});

test('GradNorm lowers the weight of the task with the largest gradients, keeping the sum at 3', { timeout: 60_000 }, async () => {
  for (const mode of ['parameters', 'representation'] as const) {
    const run = await train(spec({ method: 'gradnorm', mode, learningRate: 0.05 }, 2));
    assert.match(run.stepPath, new RegExp(`task gradients on the shared ${mode}`));
    const rows = weightRows(run.steps);
    assert.equal(rows.length, 20);
    assert.deepEqual(rows[0]!.w, [1, 1, 1], 'every weight starts at 1');
    for (const r of rows) assert.ok(Math.abs(sum(r.w) - 3) < 1e-6, `weights ${r.w.join(', ')} sum to 3`);
    const last = rows[rows.length - 1]!.w;
    // reg's loss is on a scale of 5: its gradient norm dwarfs the others', so its weight falls.
    assert.ok(last[1]! < 0.8 && last[1]! < last[0]! && last[1]! < last[2]!, `${mode}: weights ${last.join(', ')}`);
  }
});

for (const mode of ['parameters', 'representation'] as const) {
  test(`GradNorm's coefficients weight the tasks' own layers too (${mode}): training equals the tape on sum_i w_i L_i`, { timeout: 60_000 }, async () => {
    // The paper updates every weight by grad sum_i w_i L_i: fixed coefficients on the task
    // gradients, with weightsOwnLayers, must train exactly like fixed loss weights.
    const w = [2, 0.5, 1.5];
    const description = { id: 'fixed', title: 'Fixed', summary: 'test', paper: 'test', engine: 'rule' as const, params: {}, defaults: {}, needs: {} };
    const asLosses: WeightingMethod = { description: { ...description, family: 'loss' }, create: () => ({ weights: (ctx) => ctx.active.map((i) => w[i]!) }) };
    const asGradients: WeightingMethod = { description: { ...description, family: 'gradient', weightsOwnLayers: true }, create: asLosses.create! };
    const s = spec({ method: 'gradnorm', mode }, 2);
    const tape = await trainedWeights(s, asLosses);
    const grads = await trainedWeights(s, asGradients);
    // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
    tape.forEach((t, i) => t.forEach((v, k) => assert.ok(Math.abs(v - grads[i]![k]!) < 1e-5 * Math.max(1, Math.abs(grads[i]![k]!)), `weight ${i}[${k}]: tape ${v} vs gradients ${grads[i]![k]}`)));
    // Without it the heads get weight 1: another model.
    const unweighted = await trainedWeights(s, { ...asGradients, description: { ...asGradients.description, weightsOwnLayers: false } });
    assert.ok(tape.some((t, i) => t.some((v, k) => Math.abs(v - unweighted[i]![k]!) > 1e-3)));
  });
}

test('FAMO learns from the loss after each update: the logits favour the task that improves least', { timeout: 60_000 }, async () => {
  // The rule seen from outside: z_i, recovered from the weights as w_i L_i / sum_j w_j L_j.
  const shares: number[][] = [];
  // Each task's log-loss decrease over each update, summed (what the logits learn from).
  const decrease = TASKS.map(() => 0);
  let before: readonly number[] = [];
  const watched: WeightingMethod = {
    description: famo.description,
    create: (params, tasks) => {
      const rule = famo.create!(params as typeof famo.description.defaults, tasks);
      return {
        weights: (ctx) => {
          const w = rule.weights(ctx);
          const wl = w.map((v, k) => v * ctx.losses![k]!);
          shares.push(wl.map((v) => v / sum(wl)));
          before = ctx.losses!;
          return w;
        },
        afterStep: (ctx, after) => {
          ctx.active.forEach((i, k) => { decrease[i]! += Math.log(before[k]!) - Math.log(after[k]!); });
          rule.afterStep!(ctx, after);
        },
      };
    },
  };
  const run = await train(spec({ method: 'famo' }, 3), watched);
  assert.equal(run.stepPath, 'native');
  const rows = weightRows(run.steps);
  assert.equal(rows.length, 30);
  for (const r of rows) assert.ok(Math.abs(sum(r.w) - 1) < 1e-6, `weights ${r.w.join(', ')} sum to 1`);
  assert.deepEqual(shares[0]!.map((z) => z.toFixed(6)), ['0.333333', '0.333333', '0.333333'], 'equal logits at the start');
  const z = shares[shares.length - 1]!;
  // The task whose log loss fell least over the updates gained the largest share, the one
  // whose log loss fell most the smallest.
  const order = (v: readonly number[]) => TASKS.map((_, k) => k).sort((a, b) => v[a]! - v[b]!);
  assert.deepEqual(order(z), order(decrease).reverse(), `shares ${z.join(', ')}; log-loss decreases ${decrease.join(', ')}`);
  assert.ok(Math.max(...z) - Math.min(...z) > 0.1, `shares ${z.join(', ')} moved`);
});

test('GLS trains with weights (prod L)^(1/3) / (3 L_i): the task with the largest loss weighs least', { timeout: 60_000 }, async () => {
  const run = await train(spec({ method: 'gls' }, 1));
  const rows = weightRows(run.steps);
  assert.equal(rows.length, 10);
  for (const r of rows) assert.ok(r.w[1]! < r.w[0]! && r.w[1]! < r.w[2]!, `weights ${r.w.join(', ')}`);
});

test('GLS: its weights on the current losses give the gradient of the geometric mean of the losses (tensors)', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec({ method: 'gls' });
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const batch = toDevice(tf, s, heads, data(30, 4));
  const vars = built.model.trainableWeights.map((w) => w.read() as TF.Variable);
  const labels = new Map(heads.map((h) => [h.task.id, labelTensor(tf, h, batch.targets.get(h.task.id)!)]));
  const lossesOf = () => { const outs = forward(batch.x, true); return heads.map((h) => h.lossFn(labels.get(h.task.id)!, outs.get(h.task.id)!) as TF.Scalar); };
  const values = tf.tidy(() => lossesOf().map((l) => l.dataSync()[0]!));
  const w = gls.create!(weightingParams(gls.description, {}) as typeof gls.description.defaults, taskInfos(s.tasks))
    .weights({ step: 0, epoch: 1, active: [0, 1, 2], losses: values, epochLosses: [], random: Math.random });
  const geometric = tf.variableGrads(() => tf.pow(tf.prod(tf.stack(lossesOf())), 1 / 3) as TF.Scalar, vars);
  const weighted = tf.variableGrads(() => tf.addN(lossesOf().map((l, k) => tf.mul(l, w[k]!))) as TF.Scalar, vars);
  assert.ok(Math.abs(geometric.value.dataSync()[0]! - sum(w.map((v, k) => v * values[k]!))) < 1e-4, 'sum w_i L_i is the geometric mean');
  let compared = 0;
  for (const [name, g] of Object.entries(geometric.grads)) {
    const a = g.dataSync();
    const b = weighted.grads[name]!.dataSync();
    const scale = Math.max(1e-3, ...Array.from(a, Math.abs));
    a.forEach((v, k) => assert.ok(Math.abs(v - b[k]!) <= 1e-5 * scale + 1e-7, `${name}[${k}]: ${v} vs ${b[k]}`));
    compared += a.length;
  }
  assert.equal(compared, built.model.countParams());
  tf.dispose([geometric.value, weighted.value, ...Object.values(geometric.grads), ...Object.values(weighted.grads)]);
  built.model.dispose();
});
