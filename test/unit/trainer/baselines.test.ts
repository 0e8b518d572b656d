// A single-task baseline is the shared model's architecture restricted to one task's path,
// trained the same way: it must start from the shared model's initial weights and train its
// one task with weight 1, whatever the shared model's task weighting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { experimentPath, singleTaskColumns, singleTaskSpec } from '../../../src/core/baseline';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { buildModel } from '../../../src/trainer/model/build';

/** The digit branch comes first in the document: the trunk and parity head sit at other positions in the parity baseline. */
function spec(weighting: ExperimentSpec['training']['weighting']): ExperimentSpec {
  return {
    name: 'start',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'digit', kind: 'multiclass', target: 'label', classes: 10, weight: 0.3 },
      { id: 'parity', kind: 'binary', target: 'parity', weight: 2 },
    ],
    model: {
      inputs: [{ id: 'image', shape: [784] }],
      layers: [
        { id: 'digitOnly', type: 'dense', units: 16, activation: 'relu', from: ['trunk'] },
        { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['digitOnly'] },
        { id: 'trunk', type: 'dense', units: 32, activation: 'relu', from: ['image'] },
        { id: 'parityHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
      ],
      outputs: { digit: 'digitHead', parity: 'parityHead' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 32, seed: 42, ...(weighting ? { weighting } : {}) },
  };
}

function initialWeights(tf: typeof TF, s: ExperimentSpec): Map<string, Float32Array[]> {
  const built = buildModel(tf, s, analyzeGraph(s).order, s.training.seed);
  const out = new Map([...built.layers].map(([id, layer]) => [id, layer.getWeights().map((w) => w.dataSync() as Float32Array)]));
  built.model.dispose();
  return out;
}

test("a baseline's layers start from the shared model's initial weights", async () => {
  const { tf } = await loadBackend('tensorflow');
  const shared = spec({ method: 'equal' });
  const sharedStart = initialWeights(tf, shared);
  for (const task of ['digit', 'parity']) {
    const baseline = singleTaskSpec(shared, task);
    const start = initialWeights(tf, baseline);
    assert.ok(start.has('trunk'));
    for (const [id, weights] of start) {
      assert.deepEqual(weights, sharedStart.get(id), `layer ${id} of the ${task} baseline`);
    }
  }
  // The seed still matters: another experiment seed starts elsewhere.
  const reseeded = initialWeights(tf, { ...shared, training: { ...shared.training, seed: 43 } });
  assert.notDeepEqual(reseeded.get('trunk'), sharedStart.get('trunk'));
});

/** An experiment of tasks a, b and c on `model`: only the model matters to the initial weights. */
function blockSpec(model: ExperimentSpec['model']): ExperimentSpec {
  return {
    name: 'blocks', data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: Object.keys(model.outputs).map((id) => ({ id, kind: 'binary' as const, target: id })),
    model, training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 8, seed: 42 },
  };
}

const heads = (from: string[]): ExperimentSpec['model']['layers'] =>
  from.map((f, k) => ({ id: `head${k}`, type: 'dense', units: 1, activation: 'sigmoid', from: [f] }));
const selects = (block: string, n: number): ExperimentSpec['model']['layers'] =>
  Array.from({ length: n }, (_, k) => ({ id: `sel${k}`, type: 'select', index: k, from: [block] }));
const outputs = (tasks: string[]) => Object.fromEntries(tasks.map((t, k) => [t, `head${k}`]));

/** Every kind of trunk (conv, LSTM, GRU, dense) under an MMoE of three task gates. */
const mmoeModel: ExperimentSpec['model'] = {
  inputs: [{ id: 'image', shape: [6, 6, 1] }, { id: 'seq', shape: [5, 3] }],
  layers: [
    { id: 'conv', type: 'conv2d', filters: 2, kernelSize: 3, from: ['image'] },
    { id: 'flat', type: 'flatten', from: ['conv'] },
    { id: 'lstm', type: 'lstm', units: 4, returnSequences: true, from: ['seq'] },
    { id: 'gru', type: 'gru', units: 3, from: ['lstm'] },
    { id: 'join', type: 'concatenate', from: ['flat', 'gru'] },
    { id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['join'] },
    { id: 'moe', type: 'mmoe', experts: 2, units: 4, tasks: 3, from: ['trunk'] },
    ...selects('moe', 3), ...heads(['sel0', 'sel1', 'sel2']),
  ],
  outputs: outputs(['a', 'b', 'c']),
};

/** PLE of two levels (a shared gate below the top) over three tasks; CGC is its one-level case. */
const pleModel = (levels: number): ExperimentSpec['model'] => ({
  inputs: [{ id: 'x', shape: [6] }],
  layers: [{ id: 'ple', type: 'ple', sharedExperts: 1, taskExperts: 2, units: 4, tasks: 3, levels, from: ['x'] }, ...selects('ple', 3), ...heads(['sel0', 'sel1', 'sel2'])],
  outputs: outputs(['a', 'b', 'c']),
});

/** Soft-sharing columns and cross-stitch units; task a reads columns 0 and 1, task b column 2. */
const stitchModel: ExperimentSpec['model'] = {
  inputs: [{ id: 'x', shape: [6] }],
  layers: [
    { id: 'cols', type: 'parallelDense', columns: 3, units: 4, activation: 'relu', tieL2: 0.01, from: ['x'] },
    { id: 'stitch', type: 'crossStitch', from: ['cols'] },
    { id: 'cols2', type: 'parallelDense', columns: 3, units: 3, from: ['stitch'] },
    ...selects('cols2', 3),
    { id: 'pair', type: 'concatenate', from: ['sel0', 'sel1'] },
    ...heads(['pair', 'sel2']),
  ],
  outputs: outputs(['a', 'b']),
};

/** Each layer's weights by their name in the layer (the part after the layer's scope). */
function namedWeights(tf: typeof TF, s: ExperimentSpec, kept?: ReturnType<typeof singleTaskColumns>): Map<string, Map<string, TF.Tensor>> {
  const built = buildModel(tf, s, analyzeGraph(s).order, s.training.seed, kept);
  const out = new Map([...built.layers].map(([id, layer]) => [id, new Map(layer.weights.map((w) => [w.originalName.replace(/^.*\//, ''), tf.clone(w.read())]))]));
  built.model.dispose();
  return out;
}

test("every weight a baseline keeps starts as the same weight of the shared model, in every kind of block", async () => {
  const { tf } = await loadBackend('tensorflow');
  const rows = (t: TF.Tensor, axis: number, keep: number[]) => tf.gather(t, keep, axis);
  /**
   * Per experiment and task: for each cut-down weight (layer/weight in the baseline), the same
   * weight of the shared model cut to the columns the task keeps. Any weight not listed is the
   * shared model's whole, by the same name. Worked out by hand from the graphs above:
   * - mmoe: task k keeps gate k (gates [tasks, d, experts] row k) and every expert.
   * - ple, task k: its own experts (shared model's task{k}_* is the baseline's task0_*), the
   *   shared experts, gate k, and in the shared gate [1, w, tasks*T + S] (T = 2, S = 1) the
   *   entries of its own experts 2k, 2k+1 and of the shared expert, 6.
   * - stitch: a keeps columns [0, 1] of 3: kernels' and biases' rows 0, 1; alpha starts as a
   *   2-column unit's, not as the shared unit's corner: 0.9 on the diagonal, (1 - 0.9) / (2 - 1)
   *   = 0.1 off it, each row 0.9 + 0.1 = 1 (the corner's would be 0.9 + 0.05 = 0.95). b keeps
   *   column 2: its one-column unit is dropped.
   */
  const pleCuts = (levels: number) => (k: number): Record<string, (w: Map<string, TF.Tensor>) => TF.Tensor> => Object.fromEntries(
    Array.from({ length: levels }, (_, j) => [
      [`ple/l${j}_task0_experts`, (w: Map<string, TF.Tensor>) => w.get(`l${j}_task${k}_experts`)!],
      [`ple/l${j}_task0_bias`, (w: Map<string, TF.Tensor>) => w.get(`l${j}_task${k}_bias`)!],
      [`ple/l${j}_gates`, (w: Map<string, TF.Tensor>) => rows(w.get(`l${j}_gates`)!, 0, [k])],
      [`ple/l${j}_gate_bias`, (w: Map<string, TF.Tensor>) => rows(w.get(`l${j}_gate_bias`)!, 0, [k])],
      ...(j < levels - 1 ? [
        [`ple/l${j}_shared_gate`, (w: Map<string, TF.Tensor>) => rows(w.get(`l${j}_shared_gate`)!, 2, [2 * k, 2 * k + 1, 6])],
        [`ple/l${j}_shared_gate_bias`, (w: Map<string, TF.Tensor>) => rows(w.get(`l${j}_shared_gate_bias`)!, 1, [2 * k, 2 * k + 1, 6])],
      ] : []),
    ]).flat());
  const cases: Array<{ model: ExperimentSpec['model']; cuts: Record<string, Record<string, (w: Map<string, TF.Tensor>) => TF.Tensor>> }> = [
    { model: mmoeModel, cuts: Object.fromEntries(['a', 'b', 'c'].map((t, k) => [t, {
      'moe/gates': (w) => rows(w.get('gates')!, 0, [k]), 'moe/gate_bias': (w) => rows(w.get('gate_bias')!, 0, [k]) }])) },
    { model: pleModel(2), cuts: Object.fromEntries(['a', 'b', 'c'].map((t, k) => [t, pleCuts(2)(k)])) },
    { model: pleModel(1), cuts: Object.fromEntries(['a', 'b', 'c'].map((t, k) => [t, pleCuts(1)(k)])) },
    { model: stitchModel, cuts: {
      a: Object.fromEntries([
        ...['cols', 'cols2'].flatMap((id) => ['kernel', 'bias'].map((n) => [`${id}/${n}`, (w: Map<string, TF.Tensor>) => rows(w.get(n)!, 0, [0, 1])])),
        ['stitch/alpha', () => tf.tensor2d([[0.9, 0.1], [0.1, 0.9]])],
      ]),
      b: Object.fromEntries(['cols', 'cols2'].flatMap((id) => ['kernel', 'bias'].map((n) => [`${id}/${n}`, (w: Map<string, TF.Tensor>) => rows(w.get(n)!, 0, [2])]))),
    } },
  ];
  for (const { model, cuts } of cases) {
    const shared = blockSpec(model);
    const sharedStart = namedWeights(tf, shared);
    for (const [task, cut] of Object.entries(cuts)) {
      // As the run builds a baseline (trainer/run.ts).
      const start = namedWeights(tf, singleTaskSpec(shared, task), singleTaskColumns(shared, task));
      const seen = new Set<string>();
      for (const [id, weights] of start) {
        for (const [name, value] of weights) {
          const key = `${id}/${name}`;
          const whole = sharedStart.get(id)!;
          const expected = cut[key] ? cut[key](whole) : whole.get(name)!;
          if (cut[key]) seen.add(key);
          assert.deepEqual(value.shape, expected.shape, `${key} of the ${task} baseline`);
          const [got, want] = [value.dataSync(), expected.dataSync()];
          for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-7, `${key} of the ${task} baseline, entry ${i}: ${got[i]} vs ${want[i]}`);
        }
      }
      assert.deepEqual([...seen].sort(), Object.keys(cut).sort(), `every cut-down weight of the ${task} baseline is there`);
    }
  }
});

test('a baseline trains its one task with weight 1, whatever the weighting of the shared model', () => {
  for (const weighting of [{ method: 'static' as const }, { method: 'uncertainty' as const }, { method: 'equal' as const }, undefined]) {
    for (const task of ['digit', 'parity']) {
      const baseline = singleTaskSpec(spec(weighting), task);
      assert.deepEqual(baseline.training.weighting, { method: 'equal' }, `${task} baseline of ${weighting?.method ?? 'default'} weighting`);
      assert.deepEqual(baseline.tasks.map((t) => t.weight ?? 1), [1]);
    }
  }
});

test('a path in a baseline\'s spec is the same place in the experiment: its task, layers and inputs by id', () => {
  const shared = spec({ method: 'equal' });
  // The parity baseline keeps trunk (layers[2] of the experiment) and parityHead (layers[3]) as its
  // layers[0] and layers[1]; its one task, tasks[0], is the experiment's tasks[1].
  const parity = singleTaskSpec(shared, 'parity');
  assert.deepEqual(parity.model.layers.map((l) => l.id), ['trunk', 'parityHead']);
  assert.deepEqual(experimentPath(shared, parity, ['tasks', 0, 'target']), ['tasks', 1, 'target']);
  assert.deepEqual(experimentPath(shared, parity, ['model', 'layers', 0, 'units']), ['model', 'layers', 2, 'units']);
  assert.deepEqual(experimentPath(shared, parity, ['model', 'layers', 1]), ['model', 'layers', 3]);
  assert.deepEqual(experimentPath(shared, parity, ['model', 'inputs', 0, 'shape']), ['model', 'inputs', 0, 'shape']);
  // Paths the baseline shares with the experiment stay as they are.
  assert.deepEqual(experimentPath(shared, parity, ['training', 'optimizer', 'learningRate']), ['training', 'optimizer', 'learningRate']);
  assert.deepEqual(experimentPath(shared, parity, ['data', 'split', 'validation']), ['data', 'split', 'validation']);
  // The digit baseline: digitOnly, digitHead, trunk are layers 0, 1, 2 in both.
  const digit = singleTaskSpec(shared, 'digit');
  assert.deepEqual(experimentPath(shared, digit, ['tasks', 0]), ['tasks', 0]);
  assert.deepEqual(experimentPath(shared, digit, ['model', 'layers', 2]), ['model', 'layers', 2]);
});
