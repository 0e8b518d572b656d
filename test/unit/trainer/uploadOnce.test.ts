// A run loads its data once and uploads each split's inputs to the device once, whatever its
// number of phases (the shared model, then one single-task baseline per task): an upload per
// phase costs its time, and on backends that copy, its memory, again for every baseline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as TF from '@tensorflow/tfjs';
import type { FromTrainer } from '../../../src/core/protocol';
import { loadBackend } from '../../../src/trainer/backend';
import { runExperiment } from '../../../src/trainer/run';
import { tempDir } from './helpers';

test('digits-parity with single-task baselines (3 phases) uploads each split\'s images once', async () => {
  const { tf } = await loadBackend('tensorflow');
  // Every tensor made from host values passes through the engine's makeTensor (ops' outputs
  // do not): the uploads of [rows, 784] images are the splits' inputs.
  const engine = tf.engine() as unknown as { makeTensor: (...args: unknown[]) => TF.Tensor };
  const makeTensor = engine.makeTensor;
  const uploads: number[][] = [];
  engine.makeTensor = function (this: unknown, ...args: unknown[]) {
    const shape = args[1] as number[] | undefined;
    if (shape?.length === 2 && shape[1] === 784) uploads.push(shape);
    return makeTensor.apply(this, args);
  };
  // Byte codes (deviceData.ts) are copied into TensorFlow by the binding and wrapped as the
  // backend wraps an op's output: a uint8 tensor wrapped outside any op is an upload.
  const backend = tf.backend() as unknown as { binding: { TF_UINT8: number }; createOutputTensor: (m: { shape: number[]; dtype: number }) => TF.Tensor; executeSingleOutput: (...args: unknown[]) => TF.Tensor };
  const { createOutputTensor, executeSingleOutput } = backend;
  let inOp = 0;
  backend.executeSingleOutput = function (this: unknown, ...args: unknown[]) {
    inOp++;
    try { return executeSingleOutput.apply(this, args); } finally { inOp--; }
  };
  backend.createOutputTensor = function (this: unknown, m: { shape: number[]; dtype: number }) {
    if (!inOp && m.dtype === backend.binding.TF_UINT8 && m.shape.length === 2 && m.shape[1] === 784) uploads.push(m.shape);
    return createOutputTensor.call(this, m);
  };
  const messages: FromTrainer[] = [];
  const dir = tempDir('upload-once');
  try {
    const outcome = await runExperiment({
      doc: {
        name: 'upload-once',
        data: { source: { type: 'mnist', limit: 300 }, preprocess: [{ op: 'scale', factor: 1 / 255 }], split: { validation: 0.2, test: 0.2, seed: 7 } },
        tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }, { id: 'parity', kind: 'binary', target: 'parity' }],
        model: {
          inputs: [{ id: 'image', shape: [784] }],
          layers: [
            { id: 'trunk', type: 'dense', units: 16, activation: 'relu', from: ['image'] },
            { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['trunk'] },
            { id: 'parityHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
          ],
          outputs: { digit: 'digitHead', parity: 'parityHead' },
        },
        training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 32, seed: 42 },
        evaluation: { baselines: 'single-task' },
      },
      workspaceDir: dir, runsDir: dir, backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false,
    });
    assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error' || m.type === 'problems')));
  } finally {
    engine.makeTensor = makeTensor;
    backend.createOutputTensor = createOutputTensor;
    backend.executeSingleOutput = executeSingleOutput;
  }
  const phases = messages.filter((m) => m.type === 'started').length;
  assert.equal(phases, 3);
  // Train, validation and test: one upload each (180, 60 and 60 rows), not one per phase.
  assert.deepEqual(uploads.map((s) => s[0]).sort((a, b) => a! - b!), [60, 60, 180]);
});
