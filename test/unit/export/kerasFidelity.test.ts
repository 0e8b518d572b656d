// Bundled examples (and one experiment holding every other layer type), trained briefly by the
// product, exported to Keras 3 from the run folder: the Keras model with the run's weights, fed by the exported data.py (the product's
// split, imputation and preprocessing refitted in numpy), predicts what the product's own saved
// model predicts on the first 100 test examples, within 1e-5 (native TensorFlow on both sides).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { loadExperimentData } from '../../../src/trainer/data/index';
import { exportKeras } from '../../../src/trainer/export/keras/exportKeras';
import { buildModel } from '../../../src/trainer/model/build';
import { runExperiment } from '../../../src/trainer/run';
import { EXAMPLES, exampleDoc, exampleFile, onlyRun, tempDir } from '../trainer/helpers';
import { requireKeras, runPython } from './kerasPython';

const ROWS = 100;
const TOLERANCE = 1e-5;
/**
 * CI runs these (every data source kind and layer type, within the test time budget);
 * `npm run test:export` (MTS_EXPORT_FULL=1) runs every example.
 */
const CI_EXAMPLES = ['digits-parity', 'multimnist-cnn', 'partial-labels', 'cross-stitch-regression', 'mmoe-regression'];
const FULL = process.env.MTS_EXPORT_FULL === '1';

/** The layer types no example has: conv + average pooling, reshape, LSTM, GRU, embedding of int inputs, batch norm, add, concatenate, dropout, 2-level PLE. */
const EVERY_LAYER: ExperimentSpec = {
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

/** The example at reduced settings: one epoch, fewer generated rows, no baselines. */
export function briefly(name: string): ExperimentSpec {
  const doc = exampleDoc(name) as unknown as ExperimentSpec;
  const s = doc.data.source;
  const source = s.type === 'multimnist' ? { ...s, samples: 1000 } : s.type === 'synthetic-correlated' ? { ...s, samples: 1500 }
    : s.type === 'mnist' ? { ...s, limit: 2000 } : s;
  return { ...doc, data: { ...doc.data, source }, training: { ...doc.training, epochs: 1 }, evaluation: { ...doc.evaluation, baselines: 'none' } };
}

/** The product's own saved model on the first rows of its test split: predictions by task id. */
async function productPredictions(spec: ExperimentSpec, runDir: string, workspaceDir: string): Promise<Record<string, number[][]>> {
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

test('examples exported to Keras predict as the product on 100 test examples (max abs diff 1e-5)', { timeout: 600_000 }, async (t) => {
  const python = requireKeras(t);
  if (!python) return;
  const root = tempDir('keras-fidelity');
  const packages: Array<{ example: string; pkg: string; expected: Record<string, number[][]> }> = [];
  const cases = [...(FULL ? EXAMPLES : CI_EXAMPLES).map((name) => ({ name, spec: briefly(name), workspaceDir: path.dirname(exampleFile(name)) })),
    { name: EVERY_LAYER.name, spec: EVERY_LAYER, workspaceDir: root }];
  for (const { name, spec, workspaceDir } of cases) {
    const runsDir = path.join(root, 'runs');
    const outcome = await runExperiment({ doc: spec, workspaceDir, runsDir, backend: 'tensorflow', emit: () => undefined, cancelled: () => false });
    assert.equal(outcome, 'completed', `${name} trains`);
    const runDir = onlyRun(runsDir, spec.name);
    const exported = await exportKeras({ source: runDir, outDir: path.join(root, 'export'), format: 'keras', workspaceDir });
    assert.ok(exported.hasWeights);
    const runSpec = JSON.parse(fs.readFileSync(path.join(runDir, 'experiment.json'), 'utf8')) as ExperimentSpec;
    packages.push({ example: name, pkg: path.basename(exported.packageDir), expected: await productPredictions(runSpec, runDir, workspaceDir) });
  }
  const script = String.raw`
import importlib, json
import numpy as np
result = {}
for pkg in json.loads(${JSON.stringify(JSON.stringify(packages.map((p) => p.pkg)))}):
    data = importlib.import_module(pkg + ".data")
    model = importlib.import_module(pkg + ".model")
    weights = importlib.import_module(pkg + ".weights")
    x, _ = data.load_splits()["test"]
    network = model.build_model()
    weights.load_run_weights(network, pkg + "/weights")
    predictions = network.predict({k: v[:${ROWS}] for k, v in x.items()}, verbose=0)
    result[pkg] = {task: np.asarray(p).tolist() for task, p in predictions.items()}
print(json.dumps(result))
`;
  const keras = JSON.parse(runPython(python, script, path.join(root, 'export'))) as Record<string, Record<string, number[][]>>;
  const gaps = packages.map(({ example, pkg, expected }) => {
    let gap = 0;
    for (const [task, rows] of Object.entries(expected)) {
      const got = keras[pkg]?.[task];
      assert.ok(got, `${example}: the Keras model has an output named ${task}`);
      assert.equal(got.length, rows.length, `${example}/${task}: rows`);
      rows.forEach((row, i) => row.forEach((v, j) => { gap = Math.max(gap, Math.abs(v - got[i]![j]!)); }));
    }
    return { example, gap };
  });
  t.diagnostic(gaps.map((g) => `${g.example}: max |keras - product| = ${g.gap.toExponential(2)}`).join('; '));
  for (const g of gaps) assert.ok(g.gap <= TOLERANCE, `${g.example}: predictions differ by ${g.gap} (> ${TOLERANCE})`);
});
