// Image-folder sources: PNG and JPEG files written here with tfjs-node's encoders, one
// subfolder per class, decoded and resized by the real decoder, summarized without TensorFlow,
// and trained one epoch by the real trainer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import type { DataSpec, TaskSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { DataError } from '../../../src/trainer/data/errors';
import { loadExperimentData } from '../../../src/trainer/data/load';
import { dataSummaryOf } from '../../../src/trainer/dataSummaryOf';
import { imageDecoder } from '../../../src/trainer/imageDecoder';
import { runExperiment } from '../../../src/trainer/run';
import { tempDir } from '../../tempFolders';

const PER_CLASS = 12;
const tasks: TaskSpec[] = [{ id: 'shape', kind: 'multiclass', target: 'label', classes: 3 }];
const split = { validation: 0.2, test: 0.2, seed: 5 };
const data = (extra: Record<string, unknown> = {}): DataSpec => ({ source: { type: 'imageFolder', path: 'pets', ...extra } as DataSpec['source'], split });
const model = { inputs: [{ id: 'image', shape: [8, 8, 3] }] };

/**
 * pets/{bird,cat,dog}: 12 images each, 10x12 pixels, in PNG (cat, dog) and JPEG (bird); a
 * class is where the image is bright (top, bottom, left). Also a README.txt that is skipped.
 */
async function workspace(): Promise<string> {
  const tf = (await loadBackend('tensorflow')).tf as unknown as typeof import('@tensorflow/tfjs-node');
  const dir = tempDir('images');
  const classes: Record<string, (y: number, x: number) => boolean> = { bird: (_y, x) => x < 6, cat: (y) => y < 5, dog: (y) => y >= 5 };
  for (const [name, bright] of Object.entries(classes)) {
    fs.mkdirSync(path.join(dir, 'pets', name), { recursive: true });
    for (let k = 0; k < PER_CLASS; k++) {
      const pixels = new Int32Array(10 * 12 * 3);
      for (let y = 0; y < 10; y++) for (let x = 0; x < 12; x++) for (let c = 0; c < 3; c++) pixels[(y * 12 + x) * 3 + c] = bright(y, x) ? 200 + k * 4 : 20 + c * 10;
      const image = tf.tensor3d(pixels, [10, 12, 3], 'int32');
      const bytes = name === 'bird' ? await tf.node.encodeJpeg(image, 'rgb', 95) : await tf.node.encodePng(image);
      image.dispose();
      fs.writeFileSync(path.join(dir, 'pets', name, `${k}.${name === 'bird' ? 'jpg' : 'png'}`), bytes);
    }
  }
  fs.writeFileSync(path.join(dir, 'pets', 'cat', 'README.txt'), 'not an image');
  return dir;
}

test('the summary lists and counts the images by class without loading TensorFlow', async () => {
  const dir = tempDir('images');
  // Files that are not even images: the summary never opens them.
  for (const cls of ['b', 'a']) {
    fs.mkdirSync(path.join(dir, 'pets', cls), { recursive: true });
    for (let k = 0; k < 5; k++) fs.writeFileSync(path.join(dir, 'pets', cls, `${k}.png`), 'x');
  }
  const result = await dataSummaryOf({ data: data(), tasks: [{ id: 't', kind: 'binary', target: 'label' }], model }, dir);
  assert.ok(result.ok, result.ok ? '' : result.message);
  assert.equal(result.summary.examples, 10);
  assert.deepEqual(result.summary.featureShape, [8, 8, 3]);
  const balance = result.summary.tasks[0]!;
  assert.ok(balance.kind !== 'regression');
  assert.deepEqual(balance.classes.map((c) => [c.name, c.counts.train + c.counts.validation + c.counts.test]), [['a', 5], ['b', 5]]);
  assert.ok(result.summary.notes.some((n) => /Listed 10 images in 2 classes from pets \(a 5, b 5\)/.test(n)));
  // A half-edited model does not stop the preview when the source gives the size itself.
  const halfEdited = await dataSummaryOf({ data: data({ size: [4, 4], channels: 1 }), tasks: [{ id: 't', kind: 'binary', target: 'label' }], model: { inputs: [null] } }, dir);
  assert.ok(halfEdited.ok && halfEdited.summary.featureShape.join() === '4,4,1', JSON.stringify(halfEdited));
  assert.ok(!Object.keys(require.cache).some((k) => k.includes('tfjs-node')), 'TensorFlow stays unloaded');
});

test('images are decoded, resized to the input shape (bilinear) and scaled to [0, 1]; classes sorted by name', { timeout: 60_000 }, async () => {
  const dir = await workspace();
  const decodeImage = imageDecoder(await loadBackend('tensorflow'));
  const loaded = loadExperimentData({ data: data(), tasks, model }, { workspaceDir: dir, decodeImage });
  const all = [loaded.train, loaded.validation, loaded.test];
  assert.equal(all.reduce((s, d) => s + d.n, 0), 3 * PER_CLASS);
  assert.deepEqual(loaded.train.featureShape, [8, 8, 3]);
  assert.deepEqual(loaded.train.classNames?.label, ['bird', 'cat', 'dog']);
  assert.match(loaded.report[0]!, /Decoded 36 images in 3 classes from pets \(bird 12, cat 12, dog 12\), resized to 8x8x3, pixels scaled to \[0, 1\]; 1 files that are not PNG or JPEG skipped/);
  // Each image is bright where its class says: cat on top, dog at the bottom, bird on the left.
  for (const d of all) {
    for (let i = 0; i < d.n; i++) {
      const px = (y: number, x: number) => d.features[i * 192 + (y * 8 + x) * 3]!;
      assert.ok(d.features.subarray(i * 192, (i + 1) * 192).every((v) => v >= 0 && v <= 1));
      const cls = d.classNames!.label![d.targets.label![i]!];
      const bright = cls === 'cat' ? px(0, 4) : cls === 'dog' ? px(7, 4) : px(4, 0);
      const dark = cls === 'cat' ? px(7, 4) : cls === 'dog' ? px(0, 4) : px(4, 7);
      assert.ok(bright > 0.7 && dark < 0.2, `${cls}: ${bright} vs ${dark}`);
    }
  }
  // "byte" keeps 0..255; an explicit size wins over the model input.
  const raw = loadExperimentData({ data: data({ pixels: 'byte', size: [4, 6], channels: 1 }), tasks, model }, { workspaceDir: dir, decodeImage });
  assert.deepEqual(raw.train.featureShape, [4, 6, 1]);
  assert.ok(raw.train.features.some((v) => v > 150));
});

test('a file that is not an image, a folder without classes and a missing size are named where to fix them', { timeout: 60_000 }, async () => {
  const dir = await workspace();
  const decodeImage = imageDecoder(await loadBackend('tensorflow'));
  fs.writeFileSync(path.join(dir, 'pets', 'dog', 'broken.png'), 'PK not a png');
  assert.throws(() => loadExperimentData({ data: data(), tasks, model }, { workspaceDir: dir, decodeImage }),
    (err: unknown) => err instanceof DataError && /pets\/dog\/broken\.png is not a PNG or JPEG image that TensorFlow can decode/.test(err.message) && err.path?.join('.') === 'data.source.path');
  fs.mkdirSync(path.join(dir, 'empty'));
  assert.throws(() => loadExperimentData({ data: { ...data(), source: { type: 'imageFolder', path: 'empty' } }, tasks, model }, { workspaceDir: dir, decodeImage }), /has no class subfolders/);
  assert.throws(() => loadExperimentData({ data: data(), tasks, model: { inputs: [{ id: 'flat', shape: [192] }] } }, { workspaceDir: dir, decodeImage }),
    (err: unknown) => err instanceof DataError && /needs the image size/.test(err.message) && err.path?.join('.') === 'data.source.size');
  // A link inside the folder to a file outside the workspace is refused like the folder itself.
  fs.rmSync(path.join(dir, 'pets', 'dog', 'broken.png'));
  fs.symlinkSync('/etc/passwd', path.join(dir, 'pets', 'dog', 'passwd.png'));
  assert.throws(() => loadExperimentData({ data: data(), tasks, model }, { workspaceDir: dir, decodeImage }), /symbolic link.*outside the folders/);
});

test('an image-folder experiment trains one epoch through the real trainer', { timeout: 120_000 }, async () => {
  const dir = await workspace();
  const doc = {
    name: 'pets',
    data: { source: { type: 'imageFolder', path: 'pets' }, split },
    tasks,
    model: {
      ...model,
      layers: [
        { id: 'conv', type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu', from: ['image'] },
        { id: 'flat', type: 'flatten', from: ['conv'] },
        { id: 'head', type: 'dense', units: 3, activation: 'softmax', from: ['flat'] },
      ],
      outputs: { shape: 'head' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 8, seed: 1 },
    evaluation: { baselines: 'none' },
  };
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({ doc, workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error' || m.type === 'problems')));
  assert.ok(messages.some((m) => m.type === 'log' && /Decoded 36 images in 3 classes/.test(m.message)));
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done && done.type === 'done' && Number.isFinite(done.summary.test.shape!.accuracy));
});
