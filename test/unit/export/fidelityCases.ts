// What the Keras export tests share: the examples at reduced settings, an experiment holding
// every layer type no example has, and the product's own predictions to compare with.
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { loadExperimentData } from '../../../src/trainer/data/index';
import { buildModel } from '../../../src/trainer/model/build';
import { exampleDoc } from '../trainer/helpers';

export const ROWS = 100;
/**
 * CI runs these (mnist, csv with missing values and partial labels, generated data; with EVERY_LAYER every layer type), within the test time budget;
 * `npm run test:export` (MTS_EXPORT_FULL=1) runs every example.
 */
export const CI_EXAMPLES = ['digits-parity', 'partial-labels', 'cross-stitch-regression', 'mmoe-regression'];
export const FULL = process.env.MTS_EXPORT_FULL === '1';

/** The layer types no example has: conv + average pooling, reshape, LSTM, GRU, embedding of int inputs, batch norm, add, concatenate, dropout, 2-level PLE. */
export const EVERY_LAYER: ExperimentSpec = {
  name: 'every-layer',
  data: { source: { type: 'mnist', limit: 600 }, split: { validation: 0.1, test: 0.2, seed: 3 } },
  tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }, { id: 'parity', kind: 'binary', target: 'parity' }],
  model: {
    inputs: [{ id: 'image', shape: [784] }, { id: 'pix', shape: [16], dtype: 'int32', features: Array.from({ length: 16 }, (_, i) => `pixel${400 + i}`) }],
    layers: [
      { id: 'img2d', type: 'reshape', targetShape: [28, 28, 1], from: ['image'] },
      { id: 'conv', type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', from: ['img2d'] },
      { id: 'pool', type: 'averagePooling2d', from: ['conv'] },
      { id: 'flat', type: 'flatten', from: ['pool'] },
      { id: 'bn', type: 'batchNormalization', from: ['flat'] },
      { id: 'rows', type: 'reshape', targetShape: [28, 28], from: ['image'] },
      { id: 'lstm', type: 'lstm', units: 8, returnSequences: true, from: ['rows'] },
      { id: 'gru', type: 'gru', units: 8, from: ['lstm'] },
      { id: 'emb', type: 'embedding', inputDim: 256, outputDim: 4, from: ['pix'] },
      { id: 'embFlat', type: 'flatten', from: ['emb'] },
      { id: 'd1', type: 'dense', units: 16, activation: 'tanh', from: ['bn'] },
      { id: 'd2', type: 'dense', units: 16, activation: 'gelu', from: ['gru'] },
      { id: 'sum', type: 'add', from: ['d1', 'd2'] },
      { id: 'joined', type: 'concatenate', from: ['sum', 'embFlat'] },
      { id: 'drop', type: 'dropout', rate: 0.1, from: ['joined'] },
      { id: 'ple', type: 'ple', sharedExperts: 1, taskExperts: 1, units: 8, tasks: 2, levels: 2, from: ['drop'] },
      { id: 's0', type: 'select', index: 0, from: ['ple'] },
      { id: 's1', type: 'select', index: 1, from: ['ple'] },
      { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['s0'] },
      { id: 'parityHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['s1'] },
    ],
    outputs: { digit: 'digitHead', parity: 'parityHead' },
  },
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 32, seed: 5 },
  evaluation: { baselines: 'none' },
};

/**
 * The example at reduced settings: one epoch, fewer generated rows, no baselines. A run of a
 * weighting method train.py does not carry (core/export/keras/exportable.ts) still exports its
 * model and weights, which is what the fidelity cases compare.
 */
export function briefly(name: string): ExperimentSpec {
  const doc = exampleDoc(name) as unknown as ExperimentSpec;
  const s = doc.data.source;
  const source = s.type === 'multimnist' ? { ...s, samples: 1000 } : s.type === 'synthetic-correlated' ? { ...s, samples: 1500 }
    : s.type === 'mnist' ? { ...s, limit: 2000 } : s;
  return { ...doc, data: { ...doc.data, source }, training: { ...doc.training, epochs: 1 }, evaluation: { ...doc.evaluation, baselines: 'none' } };
}

/** The product's own saved model on the first rows of its test split: predictions by task id. */
export async function productPredictions(spec: ExperimentSpec, runDir: string, workspaceDir: string): Promise<Record<string, number[][]>> {
  const { tf } = await loadBackend('tensorflow');
  // Building the model once registers the block layers' classes, which loading needs.
  buildModel(tf, spec, analyzeGraph(spec).order, 1).model.dispose();
  const model = await (tf as unknown as typeof import('@tensorflow/tfjs-node')).loadLayersModel(`file://${path.join(runDir, 'model', 'model.json')}`);
  const data = loadExperimentData(spec, { workspaceDir });
  const rows = Math.min(ROWS, data.test.n);
  const d = data.test.featureNames.length;
  const xs = spec.model.inputs.map((input) => {
    const cols = input.features ? input.features.map((f) => data.test.featureNames.indexOf(f)) : undefined;
    const values = new Float32Array(rows * (cols?.length ?? d));
    for (let i = 0; i < rows; i++) {
      if (cols) cols.forEach((c, j) => { values[i * cols.length + j] = data.test.features[i * d + c]!; });
      else values.set(data.test.features.subarray(i * d, (i + 1) * d), i * d);
    }
    return tf.tensor(values, [rows, ...input.shape], input.dtype ?? 'float32');
  });
  const out = model.predict(xs.length === 1 ? xs[0]! : xs) as TF.Tensor | TF.Tensor[];
  const outs = Array.isArray(out) ? out : [out];
  const tasks = Object.keys(spec.model.outputs);
  const result = Object.fromEntries(tasks.map((t, k) => [t, (outs[k]!.arraySync() as number[][])]));
  [...xs, ...outs].forEach((t) => t.dispose());
  model.dispose();
  return result;
}

