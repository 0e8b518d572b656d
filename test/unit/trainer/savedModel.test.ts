// The saved model computes the function that was trained and scored: a classification head
// whose output also feeds another layer passes on its probabilities (as the saved model does),
// while its own loss is still taken on the logits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { saveModelAtomic } from '../../../src/trainer/artifacts/modelSaver';
import { loadBackend } from '../../../src/trainer/backend';
import { toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { tempDir } from './helpers';

/** A class head (softmax) and a parity head (sigmoid) that feed a regression head downstream. */
const spec: ExperimentSpec = {
  name: 'chained',
  data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
  tasks: [
    { id: 'cls', kind: 'multiclass', target: 'c', classes: 3 },
    { id: 'odd', kind: 'binary', target: 'o' },
    { id: 'reg', kind: 'regression', target: 'r' },
  ],
  model: {
    inputs: [{ id: 'x', shape: [6], features: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'] }],
    layers: [
      { id: 'trunk', type: 'dense', units: 12, activation: 'relu', from: ['x'] },
      { id: 'clsHead', type: 'dense', units: 3, activation: 'softmax', from: ['trunk'] },
      { id: 'oddHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
      { id: 'joined', type: 'concatenate', from: ['trunk', 'clsHead', 'oddHead'] },
      { id: 'regHead', type: 'dense', units: 1, from: ['joined'] },
    ],
    outputs: { cls: 'clsHead', odd: 'oddHead', reg: 'regHead' },
  },
  training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 2, batchSize: 16, seed: 3 },
};

function dataset(n: number) {
  const rng = new SeededRandom(5);
  const features = Float32Array.from({ length: n * 6 }, () => rng.normal());
  const c = Float32Array.from({ length: n }, (_, i) => (features[i * 6]! > 0.5 ? 2 : features[i * 6]! > -0.5 ? 1 : 0));
  return { n, featureNames: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'], features, featureShape: [6], report: [],
    targets: { c, o: c.map((v) => v % 2), r: Float32Array.from({ length: n }, (_, i) => c[i]! + features[i * 6 + 1]!) } };
}

test("the saved model's predictions equal the trainer's when a classification head feeds another layer", { timeout: 60_000 }, async () => {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  assert.ok(heads.find((h) => h.task.id === 'cls')!.logits, 'the class head trains on logits');
  // The compiled step passes logits downstream: such a graph takes the tape step.
  assert.match(nativeStepUnsupported(spec, heads) ?? '', /clsHead.*feeds/);
  const built = buildModel(tf, spec, topo, spec.training.seed);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const data = dataset(120);
  const train = toDevice(tf, spec, heads, data);
  await trainLoop({ tf, backend: 'tensorflow', spec, built, forward, heads, topo, train, validation: train, epochs: 2, phase: { kind: 'shared' },
    events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } });

  const dir = path.join(tempDir('saved'), 'model');
  await saveModelAtomic(built.model, dir);
  const loaded = await tf.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
  const x = train.x.get('x')!;
  const saved = loaded.predict(x) as TF.Tensor[];
  const outs = forward(new Map([['x', x]]), false);
  built.taskOrder.forEach((task, k) => {
    const head = heads.find((h) => h.task.id === task)!;
    const trainer = head.predict(outs.get(task)!).dataSync();
    const fromFile = saved[k]!.dataSync();
    assert.equal(fromFile.length, trainer.length);
    let worst = 0;
    // Relative above 1 (tfjs-layers and our forward are two paths; a regression output can pass 1).
    for (let i = 0; i < trainer.length; i++) worst = Math.max(worst, Math.abs(trainer[i]! - fromFile[i]!) / Math.max(1, Math.abs(trainer[i]!)));
    assert.ok(worst < 1e-5, `task ${task}: the saved model differs from the trainer by ${worst} (relative above 1)`);
  });
  loaded.dispose();
  built.model.dispose();
});
