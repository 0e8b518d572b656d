// ONNX export fidelity: model.onnx, run by onnxruntime-node, predicts what the run's own saved
// model predicts (tfjs-node, native TensorFlow), within 1e-4 (relative above 1) on 100 examples:
// - every bundled example, trained briefly by the product, on 100 of its test examples;
// - a model holding every layer type, sharing block and activation the writer knows, with
//   random weights (so batch norm's moving statistics, LSTM and GRU gates all matter);
// - a layer the writer cannot express fails with a message naming it, and writes no file; so
//   does a task named like an input (ONNX names both by id);
// - every file written passes onnx.checker (full check) in a Python venv, skipped with a
//   message where that venv cannot be made (scripts/python-venv.sh, offline).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { analyzeGraph } from '../../../src/core/graph';
import type { FromTrainer } from '../../../src/core/protocol';
import { SeededRandom } from '../../../src/core/random';
import { inferShapes } from '../../../src/core/shapes';
import type { ExperimentSpec } from '../../../src/core/spec';
import { saveModelAtomic } from '../../../src/trainer/artifacts/modelSaver';
import { loadBackend, type LoadedBackend } from '../../../src/trainer/backend';
import { loadExperimentData, prereadData, takeRows } from '../../../src/trainer/data/index';
import { toDevice } from '../../../src/trainer/deviceData';
import { exportOnnx } from '../../../src/trainer/export/onnx';
import { makeHeads } from '../../../src/trainer/heads';
import { imageDecoder } from '../../../src/trainer/imageDecoder';
import { buildModel } from '../../../src/trainer/model/build';
import { runExperiment } from '../../../src/trainer/run';
import { SpecError } from '../../../src/trainer/specError';
import { EXAMPLES, ROOT, exampleDoc, exampleFile, onlyRun, tempDir } from './helpers';

const TOLERANCE = 1e-4;
const EXAMPLES_COMPARED = 100;
/** Every model.onnx written, for the checker at the end. */
const written: string[] = [];

/**
 * Largest |a - b| / max(1, |b|) over the tasks' outputs, per task, after checking the file's signature: the
 * inputs named by input id, the outputs by task id, each with a symbolic batch dimension.
 */
async function compare(onnxFile: string, spec: ExperimentSpec, inputs: Map<string, TF.Tensor>, expected: Map<string, TF.Tensor>): Promise<Record<string, number>> {
  const session = await ort.InferenceSession.create(onnxFile);
  const signature = (values: readonly ort.InferenceSession.ValueMetadata[]) => values.map((v) => ({ name: v.name, shape: v.isTensor ? [...v.shape] : [] }));
  assert.deepEqual(signature(session.inputMetadata), spec.model.inputs.map((i) => ({ name: i.id, shape: ['batch', ...i.shape] })));
  assert.deepEqual(signature(session.outputMetadata).map((o) => [o.name, o.shape[0]]), Object.keys(spec.model.outputs).map((t) => [t, 'batch']));
  const feeds: Record<string, ort.Tensor> = {};
  for (const [id, t] of inputs) {
    feeds[id] = t.dtype === 'int32' ? new ort.Tensor('int32', t.dataSync() as Int32Array, t.shape) : new ort.Tensor('float32', t.dataSync() as Float32Array, t.shape);
  }
  const got = await session.run(feeds);
  const worst: Record<string, number> = {};
  for (const [task, want] of expected) {
    const out = got[task];
    assert.ok(out, `model.onnx has an output named "${task}"`);
    assert.deepEqual([...out.dims], want.shape, `task ${task}: output shape`);
    const a = out.data as Float32Array, e = want.dataSync();
    let w = 0;
    // Relative above 1: a regression output can pass 1, and onnxruntime and TensorFlow round float32 each their own way.
    for (let i = 0; i < e.length; i++) w = Math.max(w, Math.abs(a[i]! - e[i]!) / Math.max(1, Math.abs(e[i]!)));
    worst[task] = w;
  }
  await session.release();
  return worst;
}

/** The saved model's predictions, by task id (tfjs' outputs follow model.outputs' order). */
async function savedPredictions(backend: LoadedBackend, runDir: string, spec: ExperimentSpec, inputs: Map<string, TF.Tensor>): Promise<Map<string, TF.Tensor>> {
  const loaded = await backend.tf.loadLayersModel(`file://${path.join(runDir, 'model', 'model.json')}`);
  const out = loaded.predict(spec.model.inputs.map((i) => inputs.get(i.id)!));
  const outs = Array.isArray(out) ? out : [out];
  loaded.dispose();
  return new Map(Object.keys(spec.model.outputs).map((task, k) => [task, outs[k]!]));
}

/** A bundled example, sized to train in seconds, with no baselines (the export reads the shared model). */
function briefDoc(name: string): ExperimentSpec {
  const doc = exampleDoc(name) as unknown as ExperimentSpec;
  const s = doc.data.source;
  const source = s.type === 'mnist' ? { ...s, limit: 1200 } : s.type === 'multimnist' || s.type === 'synthetic-correlated' ? { ...s, samples: 1200 } : s;
  return { ...doc, data: { ...doc.data, source }, evaluation: { ...doc.evaluation, baselines: 'none' } };
}

for (const name of EXAMPLES) {
  test(`${name}: model.onnx in onnxruntime predicts what the run's model predicts on ${EXAMPLES_COMPARED} test examples`, { timeout: 120_000 }, async (t) => {
    const runsDir = tempDir(`onnx-${name}`);
    const messages: FromTrainer[] = [];
    const workspaceDir = path.dirname(exampleFile(name));
    const outcome = await runExperiment({ doc: briefDoc(name), workspaceDir, runsDir, backend: 'tensorflow', epochs: 1,
      emit: (m) => messages.push(m), cancelled: () => false });
    assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'problems'), []);
    assert.equal(outcome, 'completed');
    const runDir = onlyRun(runsDir, name);

    const onnxFile = path.join(runsDir, 'model.onnx');
    const { outputs } = await exportOnnx(runDir, onnxFile);
    written.push(onnxFile);
    const spec = JSON.parse(fs.readFileSync(path.join(runDir, 'experiment.json'), 'utf8')) as ExperimentSpec;
    assert.deepEqual(outputs, Object.keys(spec.model.outputs));

    // The run's own test split, as training made it (same seed, same fitted preprocessing).
    const backend = await loadBackend('tensorflow');
    const data = loadExperimentData(spec, await prereadData(spec, { workspaceDir, decodeImage: imageDecoder(backend) }));
    assert.ok(data.test.n >= EXAMPLES_COMPARED, `the test split has ${data.test.n} examples`);
    const rows = Int32Array.from({ length: EXAMPLES_COMPARED }, (_, i) => i);
    const split = toDevice(backend.tf, spec, makeHeads(backend.tf, spec), takeRows(data.test, rows));
    const expected = await savedPredictions(backend, runDir, spec, split.x);
    const worst = await compare(onnxFile, spec, split.x, expected);
    t.diagnostic(`largest difference per task: ${JSON.stringify(worst)}`);
    for (const [task, w] of Object.entries(worst)) assert.ok(w <= TOLERANCE, `${name}, task ${task}: onnxruntime differs from the run's model by ${w}`);
    backend.tf.dispose([...split.x.values(), ...expected.values()]);
  });
}

/** Layers of everyLayer read directly as outputs. */
const PROBES = ['emb', 'lstmSeq', 'lstmLast', 'gruLast', 'gruFlat', 'conv', 'norm', 'avg', 'convValid', 'max', 'maxIn', 'flat', 'perRow', 'drop', 'sum', 'ple', 'stitch', 'stitch2', 'moe'];

/** Every layer type, sharing block and activation the writer covers, in one graph that reaches three tasks. */
const everyLayer: ExperimentSpec = {
  name: 'every-layer',
  data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
  tasks: [
    { id: 'kind', kind: 'multiclass', target: 'k', classes: 3 },
    { id: 'flag', kind: 'binary', target: 'f' },
    { id: 'size', kind: 'regression', target: 's' },
    ...PROBES.map((id) => ({ id: `at_${id}`, kind: 'regression' as const, target: id })),
  ],
  model: {
    inputs: [
      { id: 'seq', shape: [6, 3] },
      { id: 'tokens', shape: [5], dtype: 'int32' },
      { id: 'image', shape: [10, 10, 2] },
      { id: 'vec', shape: [8] },
    ],
    layers: [
      { id: 'emb', type: 'embedding', inputDim: 12, outputDim: 4, from: ['tokens'] },
      { id: 'lstmSeq', type: 'lstm', units: 5, returnSequences: true, from: ['seq'] },
      { id: 'lstmLast', type: 'lstm', units: 4, activation: 'relu', from: ['lstmSeq'] },
      { id: 'gruLast', type: 'gru', units: 3, from: ['emb'] },
      { id: 'gruSeq', type: 'gru', units: 3, returnSequences: true, activation: 'linear', from: ['seq'] },
      { id: 'gruFlat', type: 'flatten', from: ['gruSeq'] },
      // "same" padding with an odd total (TensorFlow puts the extra pixel after); max pooling
      // over padding that holds negative values (linear conv before it).
      { id: 'conv', type: 'conv2d', filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu', from: ['image'] },
      { id: 'norm', type: 'batchNormalization', from: ['conv'] },
      { id: 'avg', type: 'averagePooling2d', poolSize: 2, strides: 1, padding: 'same', from: ['norm'] },
      { id: 'convValid', type: 'conv2d', filters: 2, kernelSize: [2, 3], padding: 'valid', useBias: false, from: ['avg'] },
      { id: 'max', type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same', from: ['convValid'] },
      { id: 'flat', type: 'flatten', from: ['max'] },
      { id: 'maxIn', type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same', from: ['image'] },
      { id: 'rows', type: 'reshape', targetShape: [4, 2], from: ['flat'] },
      { id: 'rowsFlat', type: 'flatten', from: ['rows'] },
      { id: 'perRow', type: 'dense', units: 2, activation: 'swish', from: ['rowsFlat'] },
      // An id TensorFlow cannot take as a name: its weights are saved under another (core/tfNames).
      { id: 'vec dense/🔥', type: 'dense', units: 6, activation: 'selu', from: ['vec'] },
      { id: 'drop', type: 'dropout', rate: 0.5, from: ['vec dense/🔥'] },
      { id: 'joined', type: 'concatenate', from: ['lstmLast', 'gruLast', 'gruFlat', 'perRow', 'drop'] },
      { id: 'g1', type: 'dense', units: 7, activation: 'gelu', from: ['joined'] },
      { id: 'g2', type: 'dense', units: 7, activation: 'tanh', from: ['joined'] },
      { id: 'sum', type: 'add', from: ['g1', 'g2'] },
      { id: 'ple', type: 'ple', sharedExperts: 2, taskExperts: 1, units: 4, tasks: 2, levels: 2, activation: 'relu', from: ['sum'] },
      { id: 'columns', type: 'parallelDense', columns: 2, units: 3, activation: 'softsign', from: ['ple'] },
      { id: 'stitch', type: 'crossStitch', from: ['columns'] },
      { id: 'fromVector', type: 'parallelDense', columns: 2, units: 3, from: ['sum'] },
      { id: 'stitch2', type: 'crossStitch', from: ['fromVector'] },
      { id: 'moe', type: 'mmoe', experts: 3, units: 4, tasks: 2, activation: 'sigmoid', from: ['sum'] },
      { id: 'col0', type: 'select', index: 0, from: ['stitch'] },
      { id: 'col1', type: 'select', index: 1, from: ['stitch2'] },
      { id: 'moe0', type: 'select', index: 0, from: ['moe'] },
      { id: 'moe1', type: 'select', index: 1, from: ['moe'] },
      { id: 'kindHead', type: 'dense', units: 3, activation: 'softmax', from: ['col0'] },
      { id: 'flagIn', type: 'concatenate', axis: 1, from: ['col1', 'moe1'] },
      { id: 'flagHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['flagIn'] },
      { id: 'sizeHead', type: 'dense', units: 2, activation: 'softplus', from: ['moe0'] },
      { id: 'unused', type: 'dense', units: 2, from: ['vec'] },
    ],
    // Besides three heads, intermediate layers are outputs too, so that a mistake in one
    // branch shows at full size rather than diluted by the layers after it.
    outputs: { kind: 'kindHead', flag: 'flagHead', size: 'sizeHead', ...Object.fromEntries(PROBES.map((id) => [`at_${id}`, id])) },
  },
  training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 16, seed: 3 },
};

/**
 * A run folder holding `spec` and its model with random weights; the built model. Moving
 * variances are small (0.02 to 0.12), so batch norm's epsilon (1e-3) matters to the output.
 */
async function randomRun(backend: LoadedBackend, spec: ExperimentSpec, prefix: string) {
  const { tf } = backend;
  const built = buildModel(tf, spec, analyzeGraph(spec).order, spec.training.seed);
  const rng = new SeededRandom(9);
  for (const layer of built.model.layers) {
    layer.setWeights(layer.weights.map((w) => {
      const shape = w.shape as number[];
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (w.name.endsWith('moving_variance') ? 0.02 + 0.1 * rng.next() : rng.next() - 0.5));
      return tf.tensor(values, shape);
    }));
  }
  const runDir = tempDir(prefix);
  fs.writeFileSync(path.join(runDir, 'experiment.json'), JSON.stringify(spec));
  await saveModelAtomic(built.model, path.join(runDir, 'model'));
  return { runDir, built };
}

test('every layer type, block and activation: model.onnx predicts what the saved model predicts', { timeout: 120_000 }, async (t) => {
  assert.deepEqual(inferShapes(everyLayer).problems, []);
  const backend = await loadBackend('tensorflow');
  const { tf } = backend;
  const { runDir, built } = await randomRun(backend, everyLayer, 'onnx-every-layer');
  const onnxFile = path.join(runDir, 'model.onnx');
  await exportOnnx(runDir, onnxFile);
  written.push(onnxFile);

  const rng = new SeededRandom(4);
  const n = EXAMPLES_COMPARED;
  const inputs = new Map<string, TF.Tensor>(everyLayer.model.inputs.map((i) => {
    const size = n * i.shape.reduce((a, b) => a * b, 1);
    return [i.id, i.dtype === 'int32'
      ? tf.tensor(Int32Array.from({ length: size }, () => Math.floor(rng.next() * 12)), [n, ...i.shape], 'int32')
      : tf.tensor(Float32Array.from({ length: size }, () => 2 * rng.next() - 1), [n, ...i.shape])];
  }));
  const expected = await savedPredictions(backend, runDir, everyLayer, inputs);
  const worst = await compare(onnxFile, everyLayer, inputs, expected);
  t.diagnostic(`largest difference per task: ${JSON.stringify(worst)}`);
  assert.deepEqual(Object.keys(worst), Object.keys(everyLayer.model.outputs));
  for (const [task, w] of Object.entries(worst)) assert.ok(w <= TOLERANCE, `task ${task}: onnxruntime differs from the saved model by ${w}`);
  // The outputs vary with the inputs: a constant output would match a broken graph too easily.
  for (const [task, t] of expected) assert.ok(tf.moments(t, 0).variance.max().dataSync()[0]! > 1e-8, `task ${task}'s outputs vary across examples`);
  built.model.dispose();
});

test('a layer ONNX cannot express fails with a message naming it and its type, and writes no file', { timeout: 60_000 }, async () => {
  const spec: ExperimentSpec = {
    ...everyLayer,
    name: 'gelu-lstm',
    tasks: [{ id: 'size', kind: 'regression', target: 's' }],
    model: {
      inputs: [{ id: 'seq', shape: [4, 2] }],
      layers: [
        { id: 'rec', type: 'lstm', units: 3, activation: 'gelu', from: ['seq'] },
        { id: 'head', type: 'dense', units: 1, from: ['rec'] },
      ],
      outputs: { size: 'head' },
    },
  };
  const backend = await loadBackend('tensorflow');
  const { runDir, built } = await randomRun(backend, spec, 'onnx-gelu-lstm');
  const onnxFile = path.join(runDir, 'model.onnx');
  await assert.rejects(exportOnnx(runDir, onnxFile), (err: unknown) => {
    assert.ok(err instanceof SpecError);
    assert.match(err.message, /layer "rec" \(lstm\) has activation "gelu"/);
    assert.deepEqual(err.path, ['model', 'layers', 0]);
    return true;
  });
  assert.equal(fs.existsSync(onnxFile), false);
  built.model.dispose();
});

test('a task named like an input is refused at that task\'s id: ONNX names both by id', { timeout: 60_000 }, async () => {
  const spec: ExperimentSpec = {
    ...everyLayer,
    name: 'clash',
    tasks: [{ id: 'x', kind: 'regression', target: 's' }],
    model: { inputs: [{ id: 'x', shape: [3] }], layers: [{ id: 'head', type: 'dense', units: 1, from: ['x'] }], outputs: { x: 'head' } },
  };
  const { runDir, built } = await randomRun(await loadBackend('tensorflow'), spec, 'onnx-clash');
  await assert.rejects(exportOnnx(runDir, path.join(runDir, 'model.onnx')), (err: unknown) => {
    assert.ok(err instanceof SpecError);
    assert.match(err.message, /task "x" and an input share a name/);
    assert.deepEqual(err.path, ['tasks', 0, 'id']);
    return true;
  });
  built.model.dispose();
});

test('every model.onnx written passes onnx.checker (full check)', { timeout: 180_000 }, (t) => {
  assert.ok(written.length > 0, 'the tests above wrote model.onnx files');
  const venv = path.join(os.homedir(), '.cache', 'multi-task-studio', 'onnx-venv');
  let python: string;
  try {
    python = execFileSync('bash', [path.join(ROOT, 'scripts', 'python-venv.sh'), venv, 'onnx', 'onnx'], { encoding: 'utf8', timeout: 150_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    t.skip(`no Python venv with the onnx package (scripts/python-venv.sh ${venv} onnx onnx failed: ${String((err as { stderr?: string }).stderr ?? err).trim().split('\n').pop()})`);
    return;
  }
  const script = 'import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\n    print("ok", f)';
  const out = execFileSync(python, ['-c', script, ...written], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(out.trim().split('\n').filter((l) => l.startsWith('ok ')).length, written.length);
});
