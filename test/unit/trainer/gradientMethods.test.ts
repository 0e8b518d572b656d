// Every gradient-family method of the registry trains for real (native TensorFlow, a graph
// with a trunk shared by three tasks, a layer shared by two, partial labels) in both modes,
// lowers the validation loss and reports each task's coefficient; MGDA's and PCGrad's
// properties are checked on the real Gramians of the run, inside the step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import type { MetricPoint } from '../../../src/core/protocol';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { gramianTimes, innerWith, randomOrder } from '../../../src/core/weighting/gramian';
import { mgda } from '../../../src/core/weighting/mgda';
import { pcgrad, projectConflicting } from '../../../src/core/weighting/pcgrad';
import type { WeightingMethod } from '../../../src/core/weighting/method';
import { weightingMethod } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';

type Mode = 'parameters' | 'representation';

function spec(method: string, mode: Mode): ExperimentSpec {
  return {
    name: 'gradient-methods',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 3 },
      { id: 'bin', kind: 'binary', target: 'b' },
      { id: 'reg', kind: 'regression', target: 'r' },
    ],
    model: {
      inputs: [{ id: 'x', shape: [6], features: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 16, activation: 'relu', from: ['x'] },
        { id: 'pair', type: 'dense', units: 8, activation: 'relu', from: ['trunk'] },
        { id: 'clsHead', type: 'dense', units: 3, activation: 'softmax', from: ['pair'] },
        { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['pair'] },
        { id: 'regHead', type: 'dense', units: 1, from: ['trunk'] },
      ],
      outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.5 }, epochs: 4, batchSize: 16, seed: 5, weighting: { method, mode } as ExperimentSpec['training']['weighting'] },
  };
}

/** Learnable targets: a class and a bit from the features' signs, a regression on f0 (labelled on 1 row in 3). */
function data(n: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const features = Float32Array.from({ length: n * 6 }, () => rng.normal());
  const f = (i: number, k: number) => features[i * 6 + k]!;
  const c = Float32Array.from({ length: n }, (_, i) => (f(i, 0) > 0.5 ? 2 : f(i, 1) > 0 ? 1 : 0));
  const b = Float32Array.from({ length: n }, (_, i) => (f(i, 2) + f(i, 0) > 0 ? 1 : 0));
  const r = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -2 * f(i, 0) + f(i, 3) : NaN));
  return { n, featureNames: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'], features, featureShape: [6], targets: { c, b, r }, report: [] };
}

async function train(s: ExperimentSpec, method?: WeightingMethod): Promise<{ points: MetricPoint[]; path: string }> {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const points: MetricPoint[] = [];
  const before = tf.memory().numTensors;
  const result = await trainLoop({ tf, backend: 'tensorflow', spec: s, built, forward, heads, topo,
    train: toDevice(tf, s, heads, data(192, 9)), validation: toDevice(tf, s, heads, data(64, 10)), epochs: s.training.epochs,
    phase: { kind: 'shared' }, events: { progress: (p) => points.push(...p), epochEnd: (_e, p) => points.push(...p), cancelled: () => false }, ...(method ? { method } : {}) });
  built.model.dispose();
  assert.ok(tf.memory().numTensors - before < 12, `tensors left behind: ${tf.memory().numTensors - before}`);
  return { points, path: result.stepPath };
}

/** A registry method whose weights are checked on each real Gramian before they are used. */
function checked(method: WeightingMethod, check: (gramian: number[][], weights: number[], draws: number[]) => void): { method: WeightingMethod; steps: () => number } {
  let steps = 0;
  return {
    steps: () => steps,
    method: {
      description: method.description,
      create: (params, tasks) => {
        const rule = method.create!(params, tasks);
        return {
          weights: (ctx) => {
            const draws: number[] = [];
            const w = rule.weights({ ...ctx, random: () => { const r = ctx.random(); draws.push(r); return r; } });
            check(ctx.gramian!.map((row) => [...row]), w, draws);
            steps++;
            return w;
          },
        };
      },
    },
  };
}

const scaleOf = (G: number[][]) => Math.max(...G.map((r, i) => r[i]!));

for (const mode of ['parameters', 'representation'] as const) {
  for (const id of ['mgda', 'pcgrad', 'gradvac', 'imtlg', 'graddrop']) {
    test(`${id} (${mode}) trains on native TensorFlow: the validation loss falls and every task's coefficient is reported`, { timeout: 120_000 }, async () => {
      const { points, path } = await train(spec(id, mode));
      assert.match(path, new RegExp(`task gradients on the shared ${mode}`));
      const total = (epoch: number) => points.find((p) => p.epoch === epoch && p.split === 'validation' && p.task === '*' && p.metric === 'loss')!.value;
      assert.ok(total(4) < total(1), `validation loss ${total(1)} at epoch 1, ${total(4)} at epoch 4`);
      for (const task of ['cls', 'bin', 'reg']) {
        // Reported with the train loss, a few times per epoch; MGDA may give a task 0 for a while.
        const w = points.filter((p) => p.task === task && p.metric === 'weight');
        assert.ok(w.length >= 4 && new Set(w.map((p) => p.epoch)).size === 4, `${task}: weights in every epoch`);
        assert.ok(w.every((p) => Number.isFinite(p.value)) && w.some((p) => p.value > 0), `${task}: ${w.map((p) => p.value).join(', ')}`);
      }
    });
  }

  test(`MGDA (${mode}): on every real Gramian of a run, <d, g_i> >= ||d||^2 >= 0 for every task`, { timeout: 120_000 }, async () => {
    const m = checked(weightingMethod('mgda')!, (G, w) => {
      const scale = scaleOf(G);
      const dd = w.reduce((s, wi, i) => s + wi * innerWith(w, G, i), 0);
      gramianTimes(G, w).forEach((dg, i) => assert.ok(dg >= dd - 1e-6 * scale && dd >= 0, `<d, g_${i}> = ${dg}, ||d||^2 = ${dd}`));
    });
    assert.equal(m.method.description, mgda.description);
    await train(spec('mgda', mode), m.method);
    assert.ok(m.steps() >= 40, `${m.steps()} steps checked`);
  });

  test(`PCGrad (${mode}): on every real Gramian of a run, each projection leaves no negative inner product with the gradient projected off`, { timeout: 120_000 }, async () => {
    const m = checked(weightingMethod('pcgrad')!, (G, w, draws) => {
      // Replay the rule's random draws: the same orders, so the same projections.
      let k = 0;
      const replay = () => draws[k++]!;
      const scale = scaleOf(G);
      const sum = G.map(() => 0);
      G.forEach((_, i) => {
        const order = randomOrder(G.length, replay).filter((j) => j !== i);
        order.forEach((j, step) => {
          const c = projectConflicting(G, i, order.slice(0, step + 1));
          assert.ok(innerWith(c, G, j) >= -1e-9 * scale, `<g_${i}^PC, g_${j}> = ${innerWith(c, G, j)} after its projection`);
        });
        projectConflicting(G, i, order).forEach((c, q) => { sum[q]! += c; });
      });
      sum.forEach((v, q) => assert.ok(Math.abs(v - w[q]!) < 1e-9 * Math.max(1, Math.abs(v)), 'the rule used these projections'));
    });
    assert.equal(m.method.description, pcgrad.description);
    await train(spec('pcgrad', mode), m.method);
    assert.ok(m.steps() >= 40, `${m.steps()} steps checked`);
  });
}

// A single-task baseline phase under a gradient method has no shared layer: nothing to
// combine, and the task's own gradient trains it exactly as the tape would.
function singleTask(method: string, mode: Mode): ExperimentSpec {
  const s = spec(method, mode);
  return {
    ...s, tasks: [s.tasks[2]!],
    model: { ...s.model, layers: s.model.layers.filter((l) => l.id === 'trunk' || l.id === 'regHead'), outputs: { reg: 'regHead' } },
    training: { ...s.training, epochs: 2 },
  };
}

for (const mode of ['parameters', 'representation'] as const) {
  test(`one task, nothing shared (a baseline's phase), PCGrad (${mode}): trains exactly like equal weighting`, { timeout: 120_000 }, async () => {
    const { tf } = await loadBackend('tensorflow');
    const weightsAfter = async (s: ExperimentSpec) => {
      const topo = analyzeGraph(s).order;
      const heads = makeHeads(tf, s);
      const built = buildModel(tf, s, topo, 3);
      const forward = makeForward(tf, s, built, topo, { logitLayers: new Set(), seed: 1 });
      // backend 'cpu' keeps equal weighting on the tape (not the compiled step); both run on native TensorFlow.
      await trainLoop({ tf, backend: 'cpu', spec: s, built, forward, heads, topo,
        train: toDevice(tf, s, heads, data(64, 9)), validation: toDevice(tf, s, heads, data(32, 10)), epochs: 2,
        phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } });
      const w = built.model.getWeights().map((t) => Array.from(t.dataSync()));
      built.model.dispose();
      return w;
    };
    const tape = await weightsAfter(singleTask('equal', mode));
    const grads = await weightsAfter(singleTask('pcgrad', mode));
    // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
    tape.forEach((w, i) => w.forEach((v, k) => assert.ok(Math.abs(v - grads[i]![k]!) < 1e-5 * Math.max(1, Math.abs(grads[i]![k]!)), `weight ${i}[${k}]: ${v} vs ${grads[i]![k]}`)));
  });
}
