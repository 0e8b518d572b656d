// A single-task baseline is the shared model's architecture restricted to one task's path,
// trained the same way: it must start from the shared model's initial weights and train its
// one task with weight 1, whatever the shared model's task weighting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { experimentPath, singleTaskSpec } from '../../../src/core/baseline';
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
